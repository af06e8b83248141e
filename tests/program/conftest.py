"""The program dashboard's world: one call with an application at every stage of the funnel, certificates
in two sectors (one expiring with a renewal drafted), listings, a target, a finished export and the search
log; and a program staff user."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.feeds.models import ExportJob, ExportKind, ExportStatus
from certification.models import CertificationApplication
from certification.panels import ReviewStageKind
from certification.roles import Role
from program.models import Target
from search.models import SearchLogEntry
from tests.factories import evaluate_stage, make_listing, make_user, open_call, today_plus
from tests.worlds import World

DAY = timedelta(days=1)


class ProgramWorld(World):
    def __init__(self) -> None:
        super().__init__()
        self.program_staff = make_user(Role.PROGRAM_STAFF, username="program-staff")
        self.call = open_call()
        self.drafted = self.draft(self.supplier_a, product_name="작성만 한 신청")
        self.submitted_only = self.submitted(self.supplier_b)
        self.at_presentation = self.under_review(self.supplier_a)
        evaluate_stage(self.reviewer, self.at_presentation, ReviewStageKind.PRESENTATION)
        self.at_site = self.under_review(self.supplier_b, "services")
        evaluate_stage(self.reviewer, self.at_site, ReviewStageKind.PRESENTATION)
        evaluate_stage(self.reviewer, self.at_site, ReviewStageKind.SITE)
        self.failed = self.under_review(self.supplier_a)
        # a panel below the pass score rejects the application at the first stage
        evaluate_stage(self.reviewer, self.failed, ReviewStageKind.PRESENTATION, marks=(40, 40, 40))
        self.cert_a = self.certificate(self.supplier_a, "goods")
        self.cert_b = self.certificate(self.supplier_b, "services")
        # decision times of 10, 20 and 40 days: median 20, 90th percentile 36 (interpolated)
        now = timezone.now()
        for application, days in (
            (self.cert_a.application, 10),
            (self.cert_b.application, 20),
            (CertificationApplication.objects.get(pk=self.failed.pk), 40),
        ):
            CertificationApplication.objects.filter(pk=application.pk).update(
                submitted_at=now - days * DAY, decided_at=now
            )
        # B's certificate expires in 20 days; a renewal of it is drafted
        type(self.cert_b).objects.filter(pk=self.cert_b.pk).update(expires_on=today_plus(20))
        CertificationApplication.objects.filter(pk=self.drafted.pk).update(renewal_of=self.cert_b)
        self.listings_a = [make_listing(self.supplier_a, self.cert_a, name=f"LED 조명 {n}") for n in range(2)]
        self.target = Target.objects.create(year=timezone.localdate().year, sector="goods", products=5)
        self.export = ExportJob.objects.create(
            as_of=timezone.localdate(),
            format="csv",
            kind=ExportKind.FULL,
            feed_version="1",
            status=ExportStatus.SUCCEEDED,
            started_at=now,
            finished_at=now,
            listed_count=2,
            rejected_count=1,
        )
        log = {"backend": "database", "source": "api", "created_at": now}
        for query, count in (("LED", 3), ("LED", 5), ("씨씨티비", 0), ("씨씨티비", 0), ("보안카메라", 2)):
            SearchLogEntry.objects.create(query=query, result_count=count, **log)
        SearchLogEntry.objects.create(
            query="옛날검색", result_count=0, **{**log, "created_at": now - 40 * DAY}
        )


@pytest.fixture
def world(db) -> ProgramWorld:
    return ProgramWorld()
