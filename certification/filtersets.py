"""Query-string filters of the registry, shared by the API and the reviewer pages (NetBox's per-app
``filtersets.py``): one meaning per parameter, whichever client asks. The API answers a value a filterset
refuses with a 400; a page leaves that filter out.

Ids are filtered as plain numbers (not model choices) so a filter never costs a lookup query; an id
that matches nothing simply returns an empty page.
"""

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from certification.calls import Call
from certification.codes import Sector, TaskType
from certification.models import (
    ApplicationStatus,
    AuditEvent,
    Certificate,
    CertificateStatus,
    CertificationApplication,
    Company,
    CompanySize,
    CooperationType,
    EvidenceDocument,
    EvidenceKind,
    Region,
)
from certification.validators import normalize_business_number
from core.filters import IdFilter, InstantFilter
from core.identifiers import is_ascii_digits


class CompanyFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label="name (Korean or English) contains")
    size = filters.MultipleChoiceFilter(choices=CompanySize.choices)
    region = filters.MultipleChoiceFilter(choices=Region.choices)
    business_number = filters.CharFilter(method="filter_business_number", label="with or without dashes")

    class Meta:
        model = Company
        fields = ["q", "size", "region", "business_number"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(name_en__icontains=value))

    def filter_business_number(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(business_number=normalize_business_number(value))


class CallFilterSet(filters.FilterSet):
    open = filters.BooleanFilter(method="filter_open", label="open now (true) or not (false)")
    year = filters.NumberFilter()
    legacy = filters.BooleanFilter()

    class Meta:
        model = Call
        fields = ["open", "year", "legacy"]

    def filter_open(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        open_now = Call.objects.open_at(timezone.now()).values("pk")
        return queryset.filter(pk__in=open_now) if value else queryset.exclude(pk__in=open_now)


class ApplicationFilterSet(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=ApplicationStatus.choices)
    sector = filters.MultipleChoiceFilter(choices=Sector.choices)
    task_type = filters.MultipleChoiceFilter(choices=TaskType.choices)
    call = IdFilter(field_name="call_id")
    cooperation_type = filters.MultipleChoiceFilter(choices=CooperationType.choices)
    supplier = IdFilter(field_name="supplier_id")
    partner = IdFilter(field_name="partner_id")
    renewal = filters.BooleanFilter(method="filter_renewal", label="only renewals (true) or only new (false)")
    q = filters.CharFilter(
        method="filter_q",
        label="product name (Korean or English) or supplier name contains, or the supplier's business number",
    )
    created_after = filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_before = filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    submitted_after = filters.DateFilter(field_name="submitted_at", lookup_expr="date__gte")
    submitted_before = filters.DateFilter(field_name="submitted_at", lookup_expr="date__lte")

    class Meta:
        model = CertificationApplication
        fields = [
            "status",
            "sector",
            "task_type",
            "call",
            "cooperation_type",
            "supplier",
            "partner",
            "renewal",
            "q",
        ]

    def filter_renewal(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(renewal_of__isnull=not value)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        matches = (
            Q(product_name__icontains=value)
            | Q(product_name_en__icontains=value)
            | Q(supplier__name__icontains=value)
        )
        digits = normalize_business_number(value)
        if is_ascii_digits(digits):
            matches |= Q(supplier__business_number=digits)
        return queryset.filter(matches)


class CertificateFilterSet(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=CertificateStatus.choices)
    sector = filters.MultipleChoiceFilter(choices=Sector.choices)
    supplier = IdFilter(field_name="supplier_id")
    partner = IdFilter(field_name="partner_id")
    number = filters.CharFilter(field_name="number", lookup_expr="iexact")
    q = filters.CharFilter(method="filter_q", label="number, product name or supplier name contains")
    expires_before = filters.DateFilter(field_name="expires_on", lookup_expr="lte")
    expires_after = filters.DateFilter(field_name="expires_on", lookup_expr="gte")
    issued_before = filters.DateFilter(field_name="issued_on", lookup_expr="lte")
    issued_after = filters.DateFilter(field_name="issued_on", lookup_expr="gte")

    class Meta:
        model = Certificate
        fields = ["status", "sector", "supplier", "partner", "number", "q"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(number__icontains=value) | Q(product_name__icontains=value) | Q(supplier__name__icontains=value)
        )


class DocumentFilterSet(filters.FilterSet):
    application = IdFilter(field_name="application_id")
    kind = filters.MultipleChoiceFilter(choices=EvidenceKind.choices)

    class Meta:
        model = EvidenceDocument
        fields = ["application", "kind"]


class AuditEventFilterSet(filters.FilterSet):
    application = IdFilter(field_name="application_id")
    certificate = IdFilter(field_name="certificate_id")
    action = filters.CharFilter(field_name="action")
    actor = IdFilter(field_name="actor_id")
    at_after = InstantFilter(field_name="at", lookup_expr="gte")
    at_before = InstantFilter(field_name="at", lookup_expr="lte")

    class Meta:
        model = AuditEvent
        fields = ["application", "certificate", "action", "actor"]
