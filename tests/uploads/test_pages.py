"""The supplier's upload pages and the Nara readiness shown on each listing; who may open what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from catalog import services as catalog_services
from catalog.models import ProductListing
from catalog.selectors import with_related
from catalog.uploads.models import BulkUpload
from catalog.uploads.readiness import in_language, nara_readiness
from certification.models import ClassificationCode
from tests.worlds import page_client


def _post(uworld, content: bytes, name: str = "products.xlsx", user=None):
    client = page_client(user or uworld.supplier_a)
    return client, client.post("/supplier/listings/upload/", {"file": SimpleUploadedFile(name, content)})


def test_upload_page_checks_then_commits(uworld):
    rows = [uworld.row("P-1"), uworld.row("P-2", unit_price=0)]
    client, response = _post(uworld, uworld.workbook(rows))
    upload = BulkUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/supplier/listings/upload/{upload.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "non_positive" in html and 'id="commit-upload"' in html
    assert "계약가격금액은(는) 1 이상이어야 합니다" in html
    response = client.post(f"/supplier/listings/upload/{upload.pk}/commit/")
    assert response.status_code == 302
    assert ProductListing.objects.filter(supplier_product_code="P-1").exists()
    assert not ProductListing.objects.filter(supplier_product_code="P-2").exists()
    html = client.get(response["Location"]).content.decode()
    assert "반영 완료" in html and 'id="commit-upload"' not in html


def test_a_refused_file_says_so_on_the_page(uworld):
    client, response = _post(uworld, b"%PDF-1.4 not a sheet", "products.xlsx")
    html = client.get(response["Location"]).content.decode()
    assert 'id="refused"' in html and "not_a_workbook" in html


def test_a_file_over_the_size_limit_is_a_form_error(uworld, settings):
    settings.BULK_UPLOAD_MAX_BYTES = 100
    _client, response = _post(uworld, uworld.csv([uworld.row()]), "p.csv")
    assert response.status_code == 400
    assert "100바이트" in response.content.decode()
    assert not BulkUpload.objects.exists()


def test_templates_download_from_the_page(uworld):
    client = page_client(uworld.supplier_a)
    xlsx = client.get("/supplier/listings/upload/template.xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert client.get("/supplier/listings/upload/template.csv").content.startswith("\ufeff".encode())
    assert client.get("/supplier/listings/upload/template.pdf").status_code == 404


@pytest.mark.parametrize("suffix", ["", "progress/", "report.xlsx"])
def test_another_company_officers_and_anonymous_cannot_open_an_upload(uworld, suffix):
    uworld.checked(uworld.workbook([uworld.row()]))
    upload = BulkUpload.objects.get()
    url = f"/supplier/listings/upload/{upload.pk}/{suffix}"
    assert page_client(uworld.supplier_a).get(url).status_code == 200
    assert page_client(uworld.supplier_b).get(url).status_code == 404
    assert page_client(uworld.officer).get(url).status_code == 403
    anonymous = page_client().get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_another_company_cannot_commit_an_upload(uworld):
    upload = uworld.checked(uworld.workbook([uworld.row()]))
    response = page_client(uworld.supplier_b).post(f"/supplier/listings/upload/{upload['id']}/commit/")
    assert response.status_code == 404
    assert (
        page_client(uworld.officer).post(f"/supplier/listings/upload/{upload['id']}/commit/").status_code
        == 403
    )
    assert BulkUpload.objects.get().status == "checked"


def test_officers_and_anonymous_cannot_upload(uworld):
    assert page_client(uworld.officer).get("/supplier/listings/upload/").status_code == 403
    assert page_client().get("/supplier/listings/upload/").status_code == 302
    _client, response = _post(uworld, uworld.workbook([uworld.row()]), user=uworld.officer)
    assert response.status_code == 403
    assert not BulkUpload.objects.exists()


# ---------------------------------------------------------------- Nara readiness per listing
def _readiness(listing):
    return nara_readiness(with_related(ProductListing.objects.filter(pk=listing.pk)).get())


def test_a_valid_listing_is_ready_and_the_page_says_so(uworld):
    assert _readiness(uworld.listing_a).ready
    html = (
        page_client(uworld.supplier_a).get(f"/supplier/listings/{uworld.listing_a.pk}/edit/").content.decode()
    )
    assert 'id="nara-readiness"' in html and "통과합니다" in html


def test_a_listing_outside_the_reference_table_is_not_ready_and_says_why(uworld):
    ClassificationCode.objects.filter(code=uworld.listing_a.classification_code[:8]).delete()
    catalog_services.update_listing(uworld.supplier_a, listing_id=uworld.listing_a.pk, published=False)
    readiness = _readiness(uworld.listing_a)
    assert not readiness.ready
    assert [reason.code for reason in readiness.reasons] == ["unpublished", "unknown_classification_code"]
    client = page_client(uworld.supplier_a)
    html = client.get(f"/supplier/listings/{uworld.listing_a.pk}/edit/").content.decode()
    assert "기준표에 없습니다" in html and "not in the classification" not in html
    listing_page = client.get("/supplier/listings/").content.decode()
    assert "피드 검사 불합격" in listing_page and "기준표에 없습니다" in listing_page
    # in English, the English half of each reason
    with override_settings(LANGUAGE_CODE="en"):
        english = page_client(uworld.supplier_a, HTTP_ACCEPT_LANGUAGE="en").get(
            f"/supplier/listings/{uworld.listing_a.pk}/edit/", headers={"Accept-Language": "en"}
        )
    text = english.content.decode()
    assert "Not in the classification reference table." in text
    assert "Unpublished listings are not in the feed." in text


def test_a_suspended_certificate_makes_its_listings_not_ready(uworld):
    from certification import services as registry

    registry.suspend_certificate(uworld.reviewer, certificate_id=uworld.cert_a.pk, reason="점검")
    readiness = _readiness(uworld.listing_a)
    assert [reason.code for reason in readiness.reasons] == ["certificate_not_valid"]


def test_in_language_picks_one_half_of_a_bilingual_message():
    message = "인증서 WW-1가 2026-01-01에 유효하지 않습니다 (status suspended, valid 2025-01-01–2028-01-01)."
    assert in_language(message, "ko") == "인증서 WW-1가 2026-01-01에 유효하지 않습니다."
    assert in_language(message, "en") == "Status suspended, valid 2025-01-01–2028-01-01."
    assert in_language("no english here", "en") == "no english here"


def test_the_listings_page_checks_readiness_without_a_query_per_listing(uworld):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_listing

    client = page_client(uworld.supplier_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/supplier/listings/").status_code == 200
        return len(captured)

    few = queries()
    for index in range(5):
        make_listing(uworld.supplier_a, uworld.cert_a, name=f"추가 조명 {index}")
    assert queries() == few
