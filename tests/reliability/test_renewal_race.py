"""An approval of a renewal racing a revocation of the certificate it renews, with real concurrent
transactions on PostgreSQL: exactly one wins, the other gets a Conflict (409) naming why, and a revoked
certificate never has a successor."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.selectors import listed_listings
from certification import services
from certification.models import Certificate, CertificationApplication
from core.domain import Conflict
from tests.factories import confirm_partner, make_listing, pass_all_stages
from tests.reliability.conftest import requires_postgresql
from tests.reliability.test_concurrency import run_in_parallel
from tests.worlds import World

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def world(settings, media_in_tmp):
    requires_postgresql()
    settings.SEARCH_BACKEND = "database"
    settings.SEARCH_SYNC_ON_COMMIT = False
    return World()


def _renewal_under_review(world, old: Certificate) -> CertificationApplication:
    renewal = services.start_renewal(world.supplier_a, certificate_id=old.pk)
    services.attach_evidence(
        world.supplier_a, application_id=renewal.pk, upload=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n")
    )
    confirm_partner(world.supplier_a, renewal)
    services.submit_application(world.supplier_a, application_id=renewal.pk)
    services.start_review(world.reviewer, application_id=renewal.pk)
    pass_all_stages(world.reviewer, renewal)
    return renewal


@pytest.mark.parametrize("round_", range(4))
def test_approval_racing_a_revocation_has_one_winner(world, round_):
    old = world.certificate()
    listing = make_listing(world.supplier_a, old)
    renewal = _renewal_under_review(world, old)
    calls = [
        lambda: services.approve_application(world.reviewer, application_id=renewal.pk, comment="갱신"),
        lambda: services.revoke_certificate(world.reviewer, certificate_id=old.pk, reason="부정 취득"),
    ]
    if round_ % 2:
        calls.reverse()  # neither side always starts first
    results = run_in_parallel(calls)
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(refused) == 1, results
    assert not any(isinstance(r, Exception) and not isinstance(r, Conflict) for r in results), results

    old.refresh_from_db()
    renewal.refresh_from_db()
    successor = Certificate.objects.filter(renewed_from=old).first()
    if old.status == "revoked":
        assert refused[0].code == "renewal_of_revoked_certificate"
        assert successor is None
        assert renewal.status == "under_review"
        assert not listed_listings().filter(pk=listing.pk).exists()
    else:
        # the approval committed first: the old certificate was superseded, so it can no longer be revoked
        assert (old.status, refused[0].code) == ("expired", "conflict")
        assert "expired" in str(refused[0])
        assert successor is not None and successor.status == "active"
        assert renewal.status == "approved"
