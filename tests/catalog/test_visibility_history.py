"""The visibility rule on a day other than today reads the certificate's status history (the same rows
``Certificate.status_on`` reads); today it reads the status column."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from catalog.models import ProductListing
from catalog.selectors import listed_listings
from catalog.visibility import DelistReason, delist_reason
from certification import services
from certification.models import Certificate, CertificateStatusChange
from certification.validity import valid_through
from tests.factories import make_listing


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def past(world):
    """Supplier A's listing moved under a certificate issued 2022-03-02, suspended 2023-05-10 15:00,
    reinstated 2023-06-01 09:00 and revoked today."""
    application = world.draft(product_name="과거 인증")
    certificate = Certificate.objects.create(
        number="WW-2022-PAST01",
        application=application,
        supplier=world.company_a,
        partner=world.partner,
        sector="goods",
        product_name="과거 인증",
        classification_code=world.cert_a.classification_code,
        issued_on=date(2022, 3, 2),
        expires_on=valid_through(date(2022, 3, 2)),
    )
    for kind, before, after, at in (
        ("issued", "", "active", _at(date(2022, 3, 2), 9)),
        ("suspended", "active", "suspended", _at(date(2023, 5, 10), 15)),
        ("reinstated", "suspended", "active", _at(date(2023, 6, 1), 9)),
    ):
        CertificateStatusChange.objects.create(
            certificate=certificate, kind=kind, from_status=before, to_status=after, effective_at=at
        )
    listing = make_listing(world.supplier_a, world.cert_a)
    ProductListing.objects.filter(pk=listing.pk).update(certificate=certificate)
    services.revoke_certificate(world.reviewer, certificate_id=certificate.pk, reason="부정")
    listing.refresh_from_db()
    return listing


@pytest.mark.parametrize(
    ("day", "listed", "reason"),
    [
        (date(2022, 3, 1), False, DelistReason.NOT_YET_VALID),
        (date(2022, 3, 2), True, None),
        (date(2023, 5, 9), True, None),
        (date(2023, 5, 10), False, DelistReason.SUSPENDED),
        (date(2023, 5, 31), False, DelistReason.SUSPENDED),
        (date(2023, 6, 1), True, None),
        (None, False, DelistReason.REVOKED),  # today: revoked, by the status column
    ],
)
def test_listed_on_a_past_day_follows_the_history(past, day, listed, reason):
    day = day or timezone.localdate()
    assert listed_listings(day).filter(pk=past.pk).exists() is listed
    assert delist_reason(past, day) == reason


def test_the_history_before_the_revocation_still_answers(past):
    yesterday = timezone.localdate() - timedelta(days=1)
    expected = yesterday <= past.certificate.expires_on
    assert listed_listings(yesterday).filter(pk=past.pk).exists() is expected
    assert past.certificate.status_on(yesterday) == ("active" if expected else "expired")
