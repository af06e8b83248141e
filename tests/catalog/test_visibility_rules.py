"""The visibility rule's day arithmetic and the listing's HTTP validators, read without a database: the
boundaries of validity and of "expiring soon", why a listing is not listed today, and when a revalidating
client gets a 304.

Written to kill the mutants ``bench/mutation.py`` left alive over ``catalog/visibility.py`` and
``catalog/api/conditional.py`` (docs/operations.md, "Mutation testing of the rules")."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db.models import Q
from django.test import RequestFactory
from django.utils import timezone
from django.utils.http import http_date
from rest_framework.request import Request
from rest_framework.response import Response

from catalog.api.conditional import listing_validators, not_modified, with_validators
from catalog.models import ProductListing
from catalog.visibility import (
    DelistReason,
    certificate_valid_on,
    certificate_valid_q,
    delist_reason,
    expiring_soon_cutoff,
    expiry_state,
    validity_q,
)
from certification.models import Certificate, CertificateStatus, Company

DAY = date(2026, 6, 15)


def certificate(status: str = CertificateStatus.ACTIVE, issued_on: date = DAY, expires_on: date = DAY):
    return Certificate(number="C-1", status=status, issued_on=issued_on, expires_on=expires_on)


def test_a_certificate_is_valid_from_its_first_to_its_last_day_only():
    terms = certificate(issued_on=DAY, expires_on=DAY + timedelta(days=2))
    assert not certificate_valid_on(terms, DAY - timedelta(days=1))
    assert certificate_valid_on(terms, DAY)
    assert certificate_valid_on(terms, DAY + timedelta(days=2))
    assert not certificate_valid_on(terms, DAY + timedelta(days=3))
    for status in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED, CertificateStatus.EXPIRED):
        assert not certificate_valid_on(certificate(status, DAY, DAY + timedelta(days=2)), DAY)


def test_the_validity_bounds_read_the_models_own_dates_unless_a_prefix_is_given():
    # the search table and certificates hold issued_on / expires_on themselves (no prefix)
    assert validity_q(DAY) == Q(issued_on__lte=DAY, expires_on__gte=DAY)
    assert validity_q(DAY, "certificate__") == Q(
        certificate__issued_on__lte=DAY, certificate__expires_on__gte=DAY
    )
    today = timezone.localdate()
    assert certificate_valid_q(today) == Q(status=CertificateStatus.ACTIVE) & validity_q(today)


@pytest.mark.parametrize(
    ("days_left", "state"),
    [(-1, "expired"), (0, "expiring"), (1, "expiring"), (90, "expiring"), (91, "valid")],
)
def test_expiring_soon_runs_from_today_to_the_cutoff_inclusive(settings, days_left, state):
    settings.CERTIFICATE_EXPIRING_SOON_DAYS = 90
    assert expiry_state(DAY + timedelta(days=days_left), today=DAY) == state


def test_an_expired_status_is_expired_whatever_the_date_says():
    assert expiry_state(DAY + timedelta(days=400), CertificateStatus.EXPIRED, today=DAY) == "expired"
    assert expiry_state(DAY + timedelta(days=400), CertificateStatus.SUSPENDED, today=DAY) == "valid"


def test_a_certificate_without_an_end_date_is_valid():
    assert expiry_state(None, today=DAY) == "valid"
    assert expiry_state(None, CertificateStatus.EXPIRED, today=DAY) == "valid"


def test_the_expiring_soon_cutoff_counts_from_the_day_asked(settings):
    settings.CERTIFICATE_EXPIRING_SOON_DAYS = 30
    assert expiring_soon_cutoff(DAY) == DAY + timedelta(days=30)
    assert expiring_soon_cutoff() == timezone.localdate() + timedelta(days=30)
    # the default day is today, for expiry_state too
    assert expiry_state(timezone.localdate() - timedelta(days=1)) == "expired"
    assert expiry_state(timezone.localdate() + timedelta(days=31)) == "valid"


def listing_today(status: str, issued_in: int = -10, expires_in: int = 10, published: bool = True):
    today = timezone.localdate()
    terms = certificate(status, today + timedelta(days=issued_in), today + timedelta(days=expires_in))
    return ProductListing(certificate=terms, published=published)


@pytest.mark.parametrize(
    ("listing", "reason"),
    [
        (lambda: listing_today(CertificateStatus.ACTIVE), None),
        (lambda: listing_today(CertificateStatus.ACTIVE, published=False), DelistReason.UNPUBLISHED),
        (lambda: listing_today(CertificateStatus.REVOKED, published=False), DelistReason.REVOKED),
        (lambda: listing_today(CertificateStatus.SUSPENDED, published=False), DelistReason.SUSPENDED),
        (lambda: listing_today(CertificateStatus.EXPIRED, expires_in=30), DelistReason.EXPIRED),
        (lambda: listing_today(CertificateStatus.ACTIVE, expires_in=0), None),
        (lambda: listing_today(CertificateStatus.ACTIVE, issued_in=0), None),
        (lambda: listing_today(CertificateStatus.ACTIVE, expires_in=-1), DelistReason.EXPIRED),
        (lambda: listing_today(CertificateStatus.ACTIVE, issued_in=1), DelistReason.NOT_YET_VALID),
    ],
)
def test_the_reason_a_listing_is_not_listed_today(listing, reason):
    assert delist_reason(listing()) == reason
    assert delist_reason(listing(), timezone.localdate()) == reason


# ------------------------------------------------------------------ the listing's HTTP validators
STAMP = datetime(2026, 6, 15, 9, 30, tzinfo=UTC)


def stamped_listing(listing_at=STAMP, certificate_at=STAMP, supplier_at=STAMP, partner_at=STAMP, **extra):
    partner = Company(name="협력", updated_at=partner_at)
    terms = Certificate(number="C-1", partner=partner, updated_at=certificate_at)
    supplier = Company(name="공급", updated_at=supplier_at)
    listing = ProductListing(pk=7, certificate=terms, supplier=supplier, updated_at=listing_at)
    for name, value in extra.items():
        setattr(listing, name, value)
    return listing


def test_last_modified_is_the_latest_change_of_anything_the_listing_shows():
    later = STAMP + timedelta(hours=2)
    for field in ("listing_at", "certificate_at", "supplier_at", "partner_at"):
        _etag, last_modified = listing_validators(stamped_listing(**{field: later}))
        assert last_modified == int(later.timestamp())


def test_the_etag_changes_with_each_thing_the_listing_shows():
    etag, _ = listing_validators(stamped_listing())
    assert etag.startswith('"') and etag.endswith('"') and len(etag) == 34
    assert listing_validators(stamped_listing())[0] == etag
    later = STAMP + timedelta(seconds=1)
    tags = {etag}
    for field in ("listing_at", "certificate_at", "supplier_at", "partner_at"):
        tags.add(listing_validators(stamped_listing(**{field: later}))[0])
    tags.add(listing_validators(stamped_listing(is_listed=True))[0])
    tags.add(listing_validators(stamped_listing(is_listed=False))[0])
    other = stamped_listing()
    other.pk = 8
    tags.add(listing_validators(other)[0])
    assert len(tags) == 8


def get(**headers) -> Request:
    return Request(RequestFactory().get("/api/v1/listings/7/", **headers))


def test_if_none_match_answers_304_for_any_listed_tag_or_a_star():
    assert not_modified(get(HTTP_IF_NONE_MATCH='"a"'), '"a"', 100)
    assert not_modified(get(HTTP_IF_NONE_MATCH='"x", "a" ,"y"'), '"a"', 100)
    assert not_modified(get(HTTP_IF_NONE_MATCH='"x","a"'), '"a"', 100)  # no space is needed after a comma
    assert not_modified(get(HTTP_IF_NONE_MATCH=" * "), '"a"', 100)
    assert not not_modified(get(HTTP_IF_NONE_MATCH='"x", "y"'), '"a"', 100)


def test_if_none_match_wins_over_if_modified_since():
    # RFC 9110 13.1.3: a server ignores If-Modified-Since when If-None-Match is present
    headers = {"HTTP_IF_NONE_MATCH": '"old"', "HTTP_IF_MODIFIED_SINCE": http_date(200)}
    assert not not_modified(get(**headers), '"a"', 100)


def test_if_modified_since_answers_304_up_to_the_last_change_inclusive():
    assert not_modified(get(HTTP_IF_MODIFIED_SINCE=http_date(100)), '"a"', 100)
    assert not_modified(get(HTTP_IF_MODIFIED_SINCE=http_date(200)), '"a"', 100)
    assert not not_modified(get(HTTP_IF_MODIFIED_SINCE=http_date(99)), '"a"', 100)
    assert not not_modified(get(HTTP_IF_MODIFIED_SINCE="not a date"), '"a"', 100)
    assert not not_modified(get(), '"a"', 100)


def test_the_validators_are_sent_with_a_private_no_cache_policy():
    response = with_validators(Response({}), '"a"', 100)
    assert response["ETag"] == '"a"'
    assert response["Last-Modified"] == http_date(100)
    assert response["Cache-Control"] == "private, no-cache"
