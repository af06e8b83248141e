"""What an export covers: its filters, the listings they select, and the job a delta compares with.

Filters are stored on the job in a canonical form, so two jobs with the same scope compare equal and a
delta can find its base job by them.
"""

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from catalog.feeds.models import ExportJob, ExportStatus
from catalog.models import ProductListing
from catalog.selectors import listed_listings
from certification.codes import Sector

FILTER_KEYS = ("sector", "supplier")


def normalize_filters(filters: dict[str, Any] | None) -> dict[str, list]:
    """Canonical filters (sorted lists, no empties) so two jobs with the same scope compare equal."""
    filters = dict(filters or {})
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(filters) - set(FILTER_KEYS))
    for name in unknown:
        errors[name] = [f"unknown filter; use one of {', '.join(FILTER_KEYS)}"]
    normalized: dict[str, list] = {}

    sectors = filters.get("sector") or []
    sectors = [sectors] if isinstance(sectors, str) else list(sectors)
    bad = [value for value in sectors if value not in Sector.values]
    if bad:
        errors["sector"] = [f"unknown sector {', '.join(map(str, bad))}; use {', '.join(Sector.values)}"]
    elif sectors:
        normalized["sector"] = sorted(set(sectors))

    suppliers = filters.get("supplier") or []
    suppliers = [suppliers] if isinstance(suppliers, int | str) else list(suppliers)
    try:
        supplier_ids = sorted({int(value) for value in suppliers})
    except (TypeError, ValueError):
        errors["supplier"] = ["supplier filter takes company ids"]
    else:
        if supplier_ids:
            normalized["supplier"] = supplier_ids

    if errors:
        raise ValidationError(errors)
    return normalized


def filtered_listings(filters: dict[str, list], today: date) -> QuerySet[ProductListing]:
    queryset = listed_listings(today)
    if filters.get("sector"):
        queryset = queryset.filter(sector__in=filters["sector"])
    if filters.get("supplier"):
        queryset = queryset.filter(supplier_id__in=filters["supplier"])
    return queryset


def in_scope(filters: dict[str, list]) -> Callable[[ProductListing], bool]:
    """``filtered_listings``'s test for one listing: a delta tells a listing gone out of scope from one
    delisted for its own reasons."""

    def check(listing: ProductListing) -> bool:
        if filters.get("sector") and listing.sector not in filters["sector"]:
            return False
        return not (filters.get("supplier") and listing.supplier_id not in filters["supplier"])

    return check


def resolve_base_job(
    *,
    since_job: ExportJob | int | None,
    since: datetime | None,
    filters: dict[str, list] | None,
    feed_version: str | None = None,
) -> tuple[ExportJob, dict[str, list]]:
    """The job a delta compares with, and the filters the delta uses (always the base job's).

    A timestamp means "the state the marketplace had then": the latest successful job with the same
    filters (and, when asked for, the same feed version) that started at or before it. Without such a
    job there is nothing exact to compare with. A delta compares like with like: a base job of another
    feed version than the one asked for is refused, as its rows are spelt differently.
    """
    if since_job is not None:
        job_id = since_job.pk if isinstance(since_job, ExportJob) else since_job
        base = ExportJob.objects.filter(pk=job_id).first()
        if base is None:
            raise ValidationError({"since_job": [f"export job {job_id} does not exist"]})
        if base.status != ExportStatus.SUCCEEDED:
            raise ValidationError({"since_job": [f"export job {job_id} did not succeed ({base.status})"]})
        if filters is not None and filters != base.filters:
            raise ValidationError(
                {"filters": [f"a delta uses its base job's filters {json.dumps(base.filters)}"]}
            )
        if feed_version is not None and feed_version != base.feed_version:
            raise ValidationError({"feed_version": [_other_version(job_id, base.feed_version, feed_version)]})
        return base, base.filters
    if since is None:
        raise ValidationError({"since_job": ["a delta needs since_job or since"]})
    if timezone.is_naive(since):
        since = timezone.make_aware(since)
    wanted = filters or {}
    candidates = ExportJob.objects.filter(status=ExportStatus.SUCCEEDED, started_at__lte=since)
    if feed_version is not None:
        candidates = candidates.filter(feed_version=feed_version)
    for candidate in candidates.order_by("-started_at", "-id").iterator():
        if candidate.filters == wanted:
            return candidate, wanted
    raise ValidationError(
        {
            "since": [
                f"no successful export with filters {json.dumps(wanted)}"
                + (f" in feed version {feed_version}" if feed_version else "")
                + f" started at or before {since.isoformat()}; run a full export first"
            ]
        }
    )


def _other_version(job_id: int, base_version: str, asked: str) -> str:
    return (
        f"내보내기 {job_id}는 피드 {base_version} 형식이라 {asked} 변경분의 기준이 될 수 없습니다 "
        f"(export job {job_id} is feed version {base_version}; a {asked} delta needs a {asked} base job: "
        f"run a full {asked} export first)."
    )
