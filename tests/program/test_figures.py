"""Every figure of the program page against a count made independently: plain ORM rows and Python over
the small world, never the selectors' own queries."""

from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from catalog.models import ProductListing
from certification.models import (
    Certificate,
    CertificateStatusChange,
    CertificationApplication,
    ReviewStageResult,
)
from certification.panels import ReviewStageKind
from program import figures, funnel
from program.public import public_statistics
from tests.factories import bulk_listings

pytestmark = pytest.mark.django_db


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def change(certificate, kind: str, to_status: str, day: date, from_status: str = "") -> None:
    CertificateStatusChange.objects.create(
        certificate=certificate,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        effective_at=at(day),
        actor_name="test",
    )


def active_on(day: date) -> list[Certificate]:
    """Independently: status on the day by the certificate's history, inside its validity dates."""
    return [
        c
        for c in Certificate.objects.all()
        if c.status_on(day) == "active" and c.issued_on <= day <= c.expires_on
    ]


def test_active_products_over_time_and_targets(world):
    today = timezone.localdate()
    rows = figures.active_over_time(today)
    assert [row.year for row in rows] == list(range(today.year - 4, today.year + 1))
    for row in rows:
        expected = Counter(c.sector for c in active_on(row.day))
        assert row.counts == {sector: expected.get(sector, 0) for sector in figures.SECTORS}
    this_year = rows[-1]
    assert this_year.counts["goods"] == 1 and this_year.counts["services"] == 1
    assert this_year.targets == {"goods": 5, "construction": None, "services": None}
    assert this_year.target_total == 5 and rows[0].target_total is None


def test_products_by_sector_task_type_region_and_segment(world):
    today = timezone.localdate()
    active = active_on(today)
    by = figures.products_by(today)
    counts = {name: {bucket.value: bucket.count for bucket in buckets} for name, buckets in by.items()}
    assert counts["sector"] == dict(Counter(c.sector for c in active))
    assert counts["task_type"] == dict(Counter(c.application.task_type for c in active))
    assert counts["region"] == dict(Counter(c.supplier.region for c in active))
    segments = Counter(
        c.classification_code[:2] if c.classification_code[0].isdigit() else c.classification_code
        for c in active
    )
    assert counts["segment"] == dict(segments)
    assert {b.label for b in by["region"]} <= {"서울특별시", "부산광역시"}


def test_the_funnel_of_a_call_with_applications_at_every_stage(world):
    (item,) = [f for f in funnel.call_funnels() if f.call_id == world.call.pk]
    applications = list(CertificationApplication.objects.filter(call=world.call))
    results = list(ReviewStageResult.objects.filter(application__call=world.call))
    assert item.drafted == len(applications) == 7
    assert item.submitted == sum(1 for a in applications if a.submitted_at is not None) == 6
    for stage in ReviewStageKind:
        assert item.stages[stage.value] == len({r.application_id for r in results if r.stage == stage})
    assert item.stages == {"presentation": 5, "site": 3, "committee": 2}
    assert item.approved == 2 and item.rejected == 1
    assert item.acceptance_rate == pytest.approx(2 / 3)
    assert item.median_days == pytest.approx(20, abs=0.01)
    assert item.p90_days == pytest.approx(36, abs=0.01)
    assert [key for key, _count in item.steps()] == [
        "drafted",
        "submitted",
        "presentation",
        "site",
        "committee",
        "approved",
        "rejected",
    ]


def test_a_call_without_decisions_has_no_times_or_rate(world, db):
    from tests.factories import open_call

    empty = open_call(title="빈 공고")
    (item,) = [f for f in funnel.call_funnels() if f.call_id == empty.pk]
    assert item.drafted == 0 and item.acceptance_rate is None and item.median_days is None


def test_expiring_certificates_with_their_renewal(world):
    today = timezone.localdate()
    counts = figures.expiring(today)
    for days in figures.EXPIRY_WINDOWS:
        expected = [c for c in active_on(today) if (c.expires_on - today).days <= days]
        assert sum(counts[days].values()) == len(expected)
    assert counts[30] == {"none": 0, "drafted": 1, "in_review": 0, "approved": 0}
    (soonest,) = figures.expiring_soonest(today)
    assert soonest.pk == world.cert_b.pk and soonest.renewal == "drafted"


def test_listings_per_certificate_and_the_last_export(world):
    today = timezone.localdate()
    bands = figures.listings_per_certificate(today)
    per_certificate = Counter(ProductListing.objects.values_list("certificate_id", flat=True))
    active = active_on(today)
    assert bands["certificates"] == len(active)
    assert bands["listings"] == sum(per_certificate[c.pk] for c in active) == 2
    assert bands["0"] == sum(1 for c in active if per_certificate[c.pk] == 0) == 1
    assert bands["2–5"] == 1 and bands["1"] == 0
    job = figures.last_export()
    assert (job.listed_count, job.rejected_count) == (2, 1)


def test_listings_per_certificate_at_each_band_edge(world):
    """Certificates with 1, 5, 6, 20 and 21 listings fall in the bands their counts name; an expired
    certificate's listings are not counted."""
    today = timezone.localdate()
    template = world.listings_a[0]
    for listings in (1, 5, 6, 20, 21):
        certificate = world.certificate(world.supplier_a, "goods")
        ProductListing.objects.filter(pk__in=bulk_listings(template, listings)).update(
            certificate=certificate
        )
    expired = world.certificate(world.supplier_b, "goods")
    Certificate.objects.filter(pk=expired.pk).update(expires_on=today - timedelta(days=1))
    ProductListing.objects.filter(pk__in=bulk_listings(template, 3)).update(certificate=expired)
    bands = figures.listings_per_certificate(today)
    per_certificate = Counter(ProductListing.objects.values_list("certificate_id", flat=True))
    active = active_on(today)
    expected = Counter()
    for certificate in active:
        n = per_certificate[certificate.pk]
        band = next(
            label for label, low, high in figures.LISTING_BANDS if low <= n and (high is None or n <= high)
        )
        expected[band] += 1
    assert {label: bands[label] for label, _low, _high in figures.LISTING_BANDS} == {
        label: expected[label] for label, _low, _high in figures.LISTING_BANDS
    }
    assert bands["listings"] == sum(per_certificate[c.pk] for c in active) == 2 + 1 + 5 + 6 + 20 + 21
    assert bands["certificates"] == len(active)
    assert (bands["1"], bands["2–5"], bands["6–20"], bands["21+"]) == (1, 2, 2, 1)


def test_public_statistics_against_independent_counts(world):
    today = timezone.localdate()
    numbers = public_statistics(today)
    this_year = numbers["years"][-1]
    active = active_on(today)
    assert this_year["total"] == len(active)
    assert this_year["certified_companies"] == len({c.supplier_id for c in active}) == 2
    assert this_year["active_products"] == {
        s: sum(1 for c in active if c.sector == s) for s in ("goods", "construction", "services")
    }


def test_past_years_follow_the_status_history(world):
    """Certificates issued years ago: one suspended last year (not active at that year's end), one active
    throughout; each year's count matches ``Certificate.status_on`` for that year's last day."""
    today = timezone.localdate()
    issued = date(today.year - 3, 3, 1)
    suspended = date(today.year - 1, 6, 1)

    Certificate.objects.filter(pk__in=[world.cert_a.pk, world.cert_b.pk]).update(
        issued_on=issued, expires_on=today + timedelta(days=400)
    )

    for certificate in (world.cert_a, world.cert_b):
        change(certificate, "issued", "active", issued)
    change(world.cert_a, "suspended", "suspended", suspended, "active")
    change(world.cert_a, "reinstated", "active", date(today.year, 1, 10), "suspended")
    rows = {row.year: row for row in figures.active_over_time(today)}
    for row in rows.values():
        expected = Counter(c.sector for c in active_on(row.day))
        assert row.counts == {sector: expected.get(sector, 0) for sector in figures.SECTORS}, row.year
    assert rows[today.year - 1].counts == {"goods": 0, "construction": 0, "services": 1}
    assert rows[today.year - 2].counts == {"goods": 1, "construction": 0, "services": 1}
    years = {entry["year"]: entry for entry in public_statistics(today)["years"]}
    assert years[today.year - 1]["certified_companies"] == 1
    assert years[today.year - 2]["certified_companies"] == 2
