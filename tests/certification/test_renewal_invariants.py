"""A renewal is refused at submit and at approval when the certificate it renews was revoked or expired
past the renewal window; the check runs under the row locks at the moment the action commits."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalog.models import ProductListing
from catalog.selectors import listed_listings
from certification import services
from certification.models import Certificate
from core.domain import Conflict
from tests.factories import confirm_partner, make_listing, pass_all_stages

pytestmark = pytest.mark.django_db


def _renewal_under_review(reg, old: Certificate):
    renewal = services.start_renewal(reg.supplier_a, certificate_id=old.pk)
    services.attach_evidence(
        reg.supplier_a,
        application_id=renewal.pk,
        upload=SimpleUploadedFile("갱신.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    confirm_partner(reg.supplier_a, renewal)
    services.submit_application(reg.supplier_a, application_id=renewal.pk)
    services.start_review(reg.reviewer, application_id=renewal.pk)
    pass_all_stages(reg.reviewer, renewal)
    return renewal


def test_certificate_revoked_during_its_renewal_review_does_not_come_back(
    reg, django_capture_on_commit_callbacks
):
    old = reg.certificate()
    with django_capture_on_commit_callbacks(execute=True):
        listing = make_listing(reg.supplier_a, old)
    renewal = _renewal_under_review(reg, old)
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_certificate(reg.reviewer, certificate_id=old.pk, reason="부정 취득")

    with django_capture_on_commit_callbacks(execute=True):
        response = reg.client(reg.reviewer).post(
            f"/api/v1/applications/{renewal.pk}/approve/", {"comment": "갱신 승인"}, format="json"
        )
    assert response.status_code == 409
    assert response.json()["code"] == "renewal_of_revoked_certificate"
    renewal.refresh_from_db()
    assert renewal.status == "under_review"
    assert not Certificate.objects.filter(renewed_from=old).exists()
    listing.refresh_from_db()
    assert listing.certificate_id == old.pk
    assert not listed_listings().filter(pk=listing.pk).exists()
    # the search table follows the catalog: the listing is not found there either
    hits = reg.client(reg.officer).get("/api/v1/search/", {"q": listing.name}).json()
    assert listing.pk not in {hit["id"] for hit in hits["results"]}
    assert ProductListing.objects.filter(pk=listing.pk).exists()


def test_renewal_of_a_revoked_certificate_is_refused_at_submit(reg):
    old = reg.certificate()
    renewal = services.start_renewal(reg.supplier_a, certificate_id=old.pk)
    services.attach_evidence(
        reg.supplier_a, application_id=renewal.pk, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")
    )
    confirm_partner(reg.supplier_a, renewal)
    services.revoke_certificate(reg.reviewer, certificate_id=old.pk, reason="부정")
    response = reg.client(reg.supplier_a).post(f"/api/v1/applications/{renewal.pk}/submit/")
    assert response.status_code == 409
    assert response.json()["code"] == "renewal_of_revoked_certificate"
    renewal.refresh_from_db()
    assert renewal.status == "draft"


def test_renewal_window_closes_after_expiry(reg, settings):
    settings.CERTIFICATE_RENEWAL_WINDOW_DAYS = 30
    old = reg.certificate()
    renewal = _renewal_under_review(reg, old)
    today = timezone.localdate()
    # ended 31 days ago: one day past the window
    Certificate.objects.filter(pk=old.pk).update(expires_on=today - timedelta(days=31))
    services.expire_due_certificates()
    with pytest.raises(Conflict) as refused:
        services.approve_application(reg.reviewer, application_id=renewal.pk)
    assert refused.value.code == "renewal_window_closed"
    # ended 30 days ago: the last day of the window, still renewable
    Certificate.objects.filter(pk=old.pk).update(expires_on=today - timedelta(days=30))
    new = services.approve_application(reg.reviewer, application_id=renewal.pk)
    assert new.renewed_from_id == old.pk
