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


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def under_past_certificate(
    world, listing: ProductListing, changes, issued_on: date = date(2022, 3, 2)
) -> ProductListing:
    """Moves ``listing`` under a certificate of supplier A issued on ``issued_on`` whose history is
    ``changes`` (kind, from, to, effective time): the services only ever write the present."""
    certificate = Certificate.objects.create(
        number=f"WW-2022-PAST{listing.pk:02d}",
        application=world.draft(product_name="과거 인증"),
        supplier=listing.supplier,
        partner=world.partner,
        sector=listing.sector,
        product_name="과거 인증",
        classification_code=listing.certificate.classification_code,
        issued_on=issued_on,
        expires_on=valid_through(issued_on),
    )
    for kind, before, after, at in changes:
        CertificateStatusChange.objects.create(
            certificate=certificate, kind=kind, from_status=before, to_status=after, effective_at=at
        )
    ProductListing.objects.filter(pk=listing.pk).update(certificate=certificate)
    listing.refresh_from_db()
    return listing


@pytest.fixture
def past(world):
    """Supplier A's listing under a certificate issued 2022-03-02, suspended 2023-05-10 15:00,
    reinstated 2023-06-01 09:00 and revoked today."""
    listing = under_past_certificate(
        world,
        make_listing(world.supplier_a, world.cert_a),
        (
            ("issued", "", "active", at(date(2022, 3, 2), 9)),
            ("suspended", "active", "suspended", at(date(2023, 5, 10), 15)),
            ("reinstated", "suspended", "active", at(date(2023, 6, 1), 9)),
        ),
    )
    services.revoke_certificate(world.reviewer, certificate_id=listing.certificate_id, reason="부정")
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


def test_yesterday_still_answers_for_a_certificate_revoked_today(world):
    issued = timezone.localdate() - timedelta(days=400)
    listing = under_past_certificate(
        world,
        make_listing(world.supplier_a, world.cert_a),
        (("issued", "", "active", at(issued, 9)),),
        issued_on=issued,
    )
    services.revoke_certificate(world.reviewer, certificate_id=listing.certificate_id, reason="부정")
    yesterday = timezone.localdate() - timedelta(days=1)
    assert listed_listings(yesterday).filter(pk=listing.pk).exists()
    assert not listed_listings().filter(pk=listing.pk).exists()
    listing.certificate.refresh_from_db()
    assert listing.certificate.status_on(yesterday) == "active"
    assert listing.certificate.status_on(timezone.localdate()) == "revoked"
