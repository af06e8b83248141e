"""The program page's figures about certified products: each one aggregate query, whatever the data size.

"A certified product" is a certificate (one certificate = one item, ``certification.codes``); it is
*active* on a day when ``catalog.visibility.certificate_valid_q`` holds for it that day (status active by
the status history, inside its validity dates): the same rule that lists its products. Listings are
counted only where the figure is about listings. No figure loops over rows in Python; the query count is
fixed (``tests/program/test_query_count.py``).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import FirstValue, Left
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.feeds.models import ExportJob, ExportKind, ExportStatus
from catalog.visibility import certificate_valid_q, validity_q
from certification.codes import Sector, TaskType, classification_prefix_label
from certification.models import (
    ApplicationStatus,
    Certificate,
    CertificateStatus,
    CertificateStatusChange,
    CertificationApplication,
    Region,
    end_of_day,
)
from program.aggregates import LISTING_BANDS as LISTING_BANDS  # the bands, as the page names them
from program.aggregates import breakdown_counts, listings_histogram
from program.closed_years import by_year
from program.models import Target

SECTORS = tuple(Sector)
SECTOR_LABELS = dict(Sector.choices)
EXPIRY_WINDOWS = (30, 90, 180)
YEARS_SHOWN = 5


def active_certificates(day: date | None = None) -> QuerySet[Certificate]:
    """The certificates active on ``day`` (today by default)."""
    return Certificate.objects.filter(certificate_valid_q(day or timezone.localdate()))


def active_on_q(day: date, today: date) -> Q:
    """``certificate_valid_q`` for counting many certificates on a past day at once. The visibility rule's
    own form asks the history once per certificate (a correlated subquery); here one pass over the history
    reads each certificate's latest change before the day, and those that left it active form one
    uncorrelated set the database hashes once (``tests/program`` compares
    both with ``Certificate.status_on``)."""
    if day == today:
        return certificate_valid_q(day)
    # the window's value is read after the window ran (a plain filter on to_status would run before it and
    # number only the active rows): each change row carries its certificate's latest status before the day
    latest_status = Window(
        FirstValue("to_status"),
        partition_by=[F("certificate_id")],
        order_by=[F("effective_at").desc(), F("id").desc()],
    )
    active_ids = (
        CertificateStatusChange.objects.filter(effective_at__lt=end_of_day(day))
        .annotate(latest_status=latest_status)
        .filter(latest_status=CertificateStatus.ACTIVE)
        .values("certificate_id")
    )
    return validity_q(day) & Q(pk__in=active_ids)


@dataclass(frozen=True)
class YearRow:
    year: int
    day: date  # the day counted: the year's last day, or today for the current year
    counts: dict[str, int]  # sector → active products
    targets: dict[str, int | None]  # sector → target, None when none was set

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def target_total(self) -> int | None:
        set_targets = [value for value in self.targets.values() if value is not None]
        return sum(set_targets) if set_targets else None


def year_ends(today: date, years: int = YEARS_SHOWN) -> dict[int, date]:
    """The day each of the last ``years`` years is counted on: its last day, or today for this year."""
    return {year: min(date(year, 12, 31), today) for year in range(today.year - years + 1, today.year + 1)}


def active_by_sector(days: dict[int, date]) -> dict[int, dict[str, int]]:
    """year → sector → certificates active on that year's day: one grouped query, for today's year alone
    when the closed years are cached (``program.closed_years``)."""
    return by_year("active_by_sector", days, count_active_by_sector)


def count_active_by_sector(days: dict[int, date]) -> dict[int, dict[str, int]]:
    """``active_by_sector`` without the cache: every year of ``days`` counted."""
    today = max(days.values())
    counted = (
        Certificate.objects.filter(issued_on__lte=today)
        .values("sector")
        .annotate(**{f"y{year}": Count("pk", filter=active_on_q(day, today)) for year, day in days.items()})
    )
    by_sector = {row["sector"]: row for row in counted}
    return {
        year: {sector: by_sector.get(sector, {}).get(f"y{year}", 0) for sector in SECTORS} for year in days
    }


def active_over_time(today: date | None = None, years: int = YEARS_SHOWN) -> list[YearRow]:
    """Active certified products at the end of each of the last ``years`` years, per sector, with the
    targets admins set: one grouped query for the counts and one for the targets."""
    today = today or timezone.localdate()
    days = year_ends(today, years)
    by_sector = active_by_sector(days)
    targets: dict[tuple[int, str], int] = {
        (year, sector): products
        for year, sector, products in Target.objects.filter(year__in=days).values_list(
            "year", "sector", "products"
        )
    }
    return [
        YearRow(
            year=year,
            day=day,
            counts=by_sector[year],
            targets={sector: targets.get((year, sector)) for sector in SECTORS},
        )
        for year, day in days.items()
    ]


@dataclass(frozen=True)
class Bucket:
    value: str
    label: str
    count: int


def segment_of(field: str = "classification_code"):
    """A code's UNSPSC segment (its first two digits), or a construction work type (CS02) whole: the
    database's version of ``search.documents.classification_parts``."""
    starts_with_digit = Q(**{f"{field}__gte": "0", f"{field}__lt": ":"})
    return Case(When(starts_with_digit, then=Left(field, 2)), default=F(field))


def products_by(today: date | None = None) -> dict[str, list[Bucket]]:
    """Active certified products by sector, task type, the supplier's region and classification segment:
    one statement (``program.aggregates.breakdown_counts``)."""
    today = today or timezone.localdate()
    counts = breakdown_counts(active_certificates(today), segment_of())
    labels = {
        "sector": SECTOR_LABELS,
        # task types are labelled in Korean only in the registry; the page's language names them here
        "task_type": {value: gettext(label) for value, label in TaskType.choices},
        "region": dict(Region.choices),
    }
    by = {
        name: [
            Bucket(str(value), names.get(value, str(value)), count) for value, count, _name in counts[name]
        ]
        for name, names in labels.items()
    }
    # the reference table's name, else the segment's or construction work type's own (as the search facets)
    by["segment"] = [
        Bucket(str(value), name or classification_prefix_label(str(value)) or str(value), count)
        for value, count, name in counts["segment"]
    ]
    return by


class Renewal:
    """A certificate's renewal as the expiry table shows it."""

    NONE = "none"
    DRAFTED = "drafted"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    LABELS = {
        NONE: _("갱신 신청 없음"),
        DRAFTED: _("갱신 작성중"),
        IN_REVIEW: _("갱신 심사중"),
        APPROVED: _("갱신 승인"),
    }
    IN_REVIEW_STATUSES = (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.SUPPLEMENT_REQUESTED,
    )


def _renewal_exists(statuses) -> Exists:
    return Exists(
        CertificationApplication.objects.filter(renewal_of=OuterRef("pk"), status__in=list(statuses))
    )


def with_renewal(queryset: QuerySet[Certificate]) -> QuerySet[Certificate]:
    """Annotates ``renewal``: the furthest state any renewal application of the certificate reached."""
    return queryset.annotate(
        renewal=Case(
            When(_renewal_exists([ApplicationStatus.APPROVED]), then=Value(Renewal.APPROVED)),
            When(_renewal_exists(Renewal.IN_REVIEW_STATUSES), then=Value(Renewal.IN_REVIEW)),
            When(_renewal_exists([ApplicationStatus.DRAFT]), then=Value(Renewal.DRAFTED)),
            default=Value(Renewal.NONE),
            output_field=CharField(),
        )
    )


def expiring(today: date | None = None) -> dict[int, dict[str, int]]:
    """Active certificates expiring within 30 / 90 / 180 days (each window includes the shorter ones), by
    renewal state: one query, grouped by the state so each certificate's renewal is worked out once."""
    today = today or timezone.localdate()
    last = today + timedelta(days=EXPIRY_WINDOWS[-1])
    windows = {
        f"d{days}": Count("pk", filter=Q(expires_on__lte=today + timedelta(days=days)))
        for days in EXPIRY_WINDOWS
    }
    rows = (
        with_renewal(active_certificates(today).filter(expires_on__gte=today, expires_on__lte=last))
        .values("renewal")
        .annotate(**windows)
        .order_by()
    )
    by_state = {row["renewal"]: row for row in rows}
    return {
        days: {state: by_state.get(state, {}).get(f"d{days}", 0) for state in Renewal.LABELS}
        for days in EXPIRY_WINDOWS
    }


def expiring_soonest(today: date | None = None, limit: int = 20) -> QuerySet[Certificate]:
    """The first ``limit`` active certificates to expire within the longest window, with their renewal."""
    today = today or timezone.localdate()
    last = today + timedelta(days=EXPIRY_WINDOWS[-1])
    return (
        with_renewal(active_certificates(today).filter(expires_on__gte=today, expires_on__lte=last))
        .select_related("supplier")
        .only("number", "product_name", "expires_on", "sector", "supplier__name")
        .order_by("expires_on", "pk")[:limit]
    )


def listings_per_certificate(today: date | None = None) -> dict[str, int]:
    """How many active certificates have how many listings (``LISTING_BANDS``), the listings of all of
    them and the number of those certificates: one statement (``program.aggregates.listings_histogram``)."""
    return listings_histogram(active_certificates(today))


def last_export() -> ExportJob | None:
    """The last finished full Nara export: its listed rows passed the feed's validation, its rejected rows
    failed it."""
    return (
        ExportJob.objects.filter(kind=ExportKind.FULL, status=ExportStatus.SUCCEEDED)
        .only("pk", "finished_at", "as_of", "listed_count", "rejected_count", "format")
        .order_by("-finished_at", "-pk")
        .first()
    )
