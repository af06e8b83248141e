"""The public catalog's world: the active world plus private values planted where a leak would show them
(a contact person's name, phone and e-mail, an evidence file's name, a review comment, an application's
product name, an unpublished listing). Public responses are scanned for every one of them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certification import services as registry
from tests.factories import PDF_BYTES, make_listing
from tests.web.conftest import WebWorld

PRIVATE_VALUES = {
    "representative": "김비밀대표",
    "contact_phone": "010-9876-5432",
    "contact_email": "kim.private@example.kr",
    "address": "비밀동 123-45",
    "evidence_name": "비공개증빙XYZ.pdf",
    "review_comment": "심사의견비공개7731",
    "application_name": "신청중인 조명",
    "unpublished_listing": "비공개 조명",
}


class PublicWorld(WebWorld):
    def __init__(self) -> None:
        super().__init__()
        for company in (self.company_a, self.company_b, self.partner):
            company.representative = PRIVATE_VALUES["representative"]
            company.contact_phone = PRIVATE_VALUES["contact_phone"]
            company.contact_email = PRIVATE_VALUES["contact_email"]
            company.address = PRIVATE_VALUES["address"]
            company.save()
        registry.attach_evidence(
            self.supplier_a,
            application_id=self.draft_a.pk,
            upload=SimpleUploadedFile(PRIVATE_VALUES["evidence_name"], PDF_BYTES, "application/pdf"),
            kind="agreement",
        )
        registry.submit_application(self.supplier_b, application_id=self.draft_b.pk)
        registry.start_review(self.reviewer, application_id=self.draft_b.pk)
        registry.request_supplement(
            self.reviewer, application_id=self.draft_b.pk, comment=PRIVATE_VALUES["review_comment"]
        )
        self.hidden_a = make_listing(
            self.supplier_a, self.cert_a, name=PRIVATE_VALUES["unpublished_listing"], published=False
        )
        self.reindex()


@pytest.fixture
def world(db, media_in_tmp, settings) -> PublicWorld:
    settings.SEARCH_BACKEND = "database"
    return PublicWorld()
