"""The dry run: every row checked with the listing's model and rules (``catalog.rules``) and with exactly
the Nara feed's validators in the current feed version (``catalog.feeds.versions.CURRENT``: ``build_row`` +
``validate_row``, each PPS-keyed value's format included), as the row would be
exported today; then what committing it would do (create, update, nothing).

A row is matched to a listing of the same supplier by ``supplier_product_code``. An empty optional cell
means the column's default (as the listing form has it), so a file states each of its rows in full and
uploading it twice changes nothing the second time.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.feeds.nara import ClassificationNames, RowContext
from catalog.feeds.records import ListingRecord
from catalog.feeds.versions import CURRENT
from catalog.models import ProductListing
from catalog.rules import listing_errors
from catalog.uploads.cells import row_values
from catalog.uploads.columns import COLUMN_BY_KEY, COLUMNS, DEFAULTS, FEED_COLUMN_TO_KEY
from catalog.uploads.issues import Code, Issue
from catalog.uploads.reading import RawSheet
from certification.codes import Sector
from certification.models import Certificate, Company

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
# the model's own checks that the template's columns do not fill (set by the services or not at all)
_NOT_FROM_THE_FILE = ["image", "certificate", "supplier", "goods_identification_number", "work_type"]


@dataclass
class RowPlan:
    number: int
    code: str
    issues: list[Issue] = field(default_factory=list)
    action: str | None = None  # None while the row has issues
    listing_id: int | None = None
    certificate_id: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    regions: list[str] = field(default_factory=list)


@dataclass
class Plan:
    rows: list[RowPlan]
    file_issues: list[Issue]

    @property
    def refused(self) -> bool:
        return bool(self.file_issues)

    def issues(self) -> list[Issue]:
        row_issues = [issue for row in self.rows for issue in row.issues]
        return sorted(self.file_issues + row_issues, key=lambda issue: (issue.row or 0, issue.column))

    def counts(self) -> dict[str, int]:
        counts = {"rows": len(self.rows), "invalid": 0, CREATE: 0, UPDATE: 0, UNCHANGED: 0}
        for row in self.rows:
            counts[row.action or "invalid"] += 1
        return counts


def plan_upload(
    supplier: Company, sheet: RawSheet, today: date | None = None, advance: Callable[[], None] | None = None
) -> Plan:
    today = today or timezone.localdate()
    certificates = {
        certificate.number: certificate
        for certificate in Certificate.objects.filter(supplier=supplier).select_related("partner", "supplier")
    }
    existing = {
        listing.supplier_product_code: listing
        for listing in ProductListing.objects.filter(supplier=supplier)
        .exclude(supplier_product_code="")
        .prefetch_related("delivery_regions")
    }
    context = RowContext(ClassificationNames())
    plans: list[RowPlan] = []
    file_issues = list(sheet.issues)
    for number, raw in sheet.rows:
        values, cell_file_issues, row_issues = row_values(number, raw)
        file_issues += cell_file_issues
        plan = RowPlan(number, values.get("supplier_product_code") or "", row_issues)
        _check_row(plan, values, certificates, existing, context, today)
        plans.append(plan)
        if advance is not None:
            advance()
    file_issues += _duplicates(plans)
    # a row holding a cell that refuses the file is counted invalid, whatever its other cells say
    refused_rows = {issue.row for issue in file_issues}
    for plan in plans:
        if plan.number in refused_rows:
            plan.action = None
    return Plan(plans, file_issues)


def _duplicates(plans: list[RowPlan]) -> list[Issue]:
    rows_by_code: dict[str, list[int]] = {}
    for plan in plans:
        if plan.code:
            rows_by_code.setdefault(plan.code, []).append(plan.number)
    issues = []
    for code, numbers in rows_by_code.items():
        if len(numbers) > 1:
            rows = ", ".join(map(str, numbers))
            issues += [
                Issue(
                    number,
                    "supplier_product_code",
                    Code.DUPLICATE_CODE,
                    f"상품코드 {code}가 {rows}행에 거듭 나옵니다 (the product code repeats on rows {rows}).",
                )
                for number in numbers
            ]
    return issues


def _check_row(plan, values, certificates, existing, context, today) -> None:
    flagged = {issue.column for issue in plan.issues}
    for column in COLUMNS:
        if column.required and column.key not in flagged and values.get(column.key) in (None, ""):
            plan.issues.append(
                Issue(plan.number, column.key, Code.MISSING, f"{column.label} 값이 없습니다 (required).")
            )
            flagged.add(column.key)
    number = values.get("certificate_number")
    certificate = certificates.get(number) if number else None
    if certificate is None:
        if number and "certificate_number" not in flagged:
            plan.issues.append(
                Issue(
                    plan.number,
                    "certificate_number",
                    Code.UNKNOWN_CERTIFICATE,
                    f"인증서 {number}는 귀사의 인증서가 아닙니다 (not one of your company's certificates).",
                )
            )
        return
    current = existing.get(plan.code) if plan.code else None
    if current is not None and current.certificate_id != certificate.pk:
        plan.issues.append(
            Issue(
                plan.number,
                "certificate_number",
                Code.LISTING_RULE,
                f"상품코드 {plan.code}의 제품은 다른 인증서에 등록되어 있습니다 "
                "(the product code belongs to a listing under another certificate).",
            )
        )
        return
    plan.certificate_id = certificate.pk
    plan.fields = _fields(values, certificate, flagged)
    plan.regions = values.get("delivery_regions") or []
    listing = copy.copy(current) if current is not None else _new_listing(certificate)
    # the loaded certificate, supplier and partner, so checking a row makes no query of its own
    listing.certificate, listing.supplier = certificate, certificate.supplier
    for name, value in plan.fields.items():
        setattr(listing, name, value)
    _feed_issues(plan, listing, certificate, context, today, flagged)
    _model_issues(plan, listing, flagged)
    if plan.issues:
        return
    if current is None:
        plan.action = CREATE
    else:
        plan.listing_id = current.pk
        plan.action = UPDATE if _changes(current, plan) else UNCHANGED


def _new_listing(certificate: Certificate) -> ProductListing:
    listing = ProductListing(
        certificate=certificate, supplier=certificate.supplier, sector=certificate.sector
    )
    if certificate.sector == Sector.CONSTRUCTION:
        listing.work_type = certificate.classification_code  # as catalog.services.create_listing sets it
    return listing


def _fields(values: dict[str, Any], certificate: Certificate, flagged: set[str]) -> dict[str, Any]:
    """The listing fields the row states: an empty optional cell is the column's default."""
    fields: dict[str, Any] = {}
    for column in COLUMNS:
        if column.field is None or column.key in flagged:
            continue
        value = values.get(column.key)
        if value in (None, ""):
            if column.key == "classification_code":
                value = certificate.classification_code
            elif column.key in DEFAULTS:
                value = DEFAULTS[column.key]
            elif column.kind == "integer":
                value = None
            else:
                value = ""
        fields[column.field] = value
    return fields


def _feed_issues(plan, listing, certificate, context, today, flagged) -> None:
    """The Nara feed's own validation of the row it would export today (the services' values filled in)."""
    now = timezone.localtime().replace(microsecond=0)
    created = timezone.localtime(listing.created_at).replace(microsecond=0) if listing.created_at else now
    # a new listing has no id yet: 0 stands in (the feed requires one; the real one comes on commit)
    record = ListingRecord.build(
        listing, created_at=created, last_change=now, region_codes=tuple(sorted(plan.regions))
    )._replace(id=listing.pk or 0)
    seen = {(issue.column, issue.code) for issue in plan.issues}
    for reason in CURRENT.validate_row(CURRENT.build_row(record, context), record, today):
        column = FEED_COLUMN_TO_KEY.get(reason.field, "")
        if column in flagged or (column, reason.code) in seen:
            continue
        seen.add((column, reason.code))
        plan.issues.append(Issue(plan.number, column, reason.code, reason.message))
    flagged.update(issue.column for issue in plan.issues)


def _model_issues(plan, listing, flagged) -> None:
    """The listing's field checks and its rules against the certificate, as the services run them."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        listing.full_clean(exclude=_NOT_FROM_THE_FILE, validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    for name, messages in listing_errors(listing).items():
        errors.setdefault(name, []).extend(
            ValidationError(message, code=Code.LISTING_RULE) for message in messages
        )
    for name, problems in errors.items():
        column = name if name in COLUMN_BY_KEY else ""
        # a field the cells or the feed already faulted would repeat the same fault in Django's words;
        # the listing rules (the certificate's item, the sector's fields) say something new
        rules_only = column in flagged
        if rules_only:
            problems = [problem for problem in problems if problem.code == Code.LISTING_RULE]
        for problem in problems:
            for message in problem.messages:
                code = Code.LISTING_RULE if problem.code == Code.LISTING_RULE else Code.INVALID
                plan.issues.append(Issue(plan.number, column, code, f"{_label(column)}{message}"))


def _label(column: str) -> str:
    return f"{COLUMN_BY_KEY[column].label}: " if column else ""


def _changes(current: ProductListing, plan: RowPlan) -> bool:
    if any(getattr(current, name) != value for name, value in plan.fields.items()):
        return True
    return sorted(region.code for region in current.delivery_regions.all()) != sorted(plan.regions)
