"""Query-string filters of the catalog's listings, beside the app's models as in NetBox (``filtersets.py`` per
app), so any list of listings, API or page, filters with the same meaning."""

import django_filters
from django.db.models import QuerySet

from catalog.models import ProductListing, Unit
from certification.codes import Sector
from certification.models import CertificateStatus, Region
from core.filters import IdFilter


class ListingFilterSet(django_filters.FilterSet):
    sector = django_filters.ChoiceFilter(choices=Sector.choices)
    classification_code = django_filters.CharFilter(field_name="classification_code")
    classification_prefix = django_filters.CharFilter(
        field_name="classification_code", lookup_expr="startswith", label="classification code prefix"
    )
    price_min = django_filters.NumberFilter(field_name="unit_price", lookup_expr="gte", min_value=0)
    price_max = django_filters.NumberFilter(field_name="unit_price", lookup_expr="lte", min_value=0)
    region = django_filters.ChoiceFilter(
        choices=Region.choices, method="filter_region", label="delivery region"
    )
    unit = django_filters.ChoiceFilter(choices=Unit.choices)
    supplier = IdFilter(field_name="supplier_id")
    partner = IdFilter(field_name="certificate__partner_id")
    certificate_status = django_filters.ChoiceFilter(
        field_name="certificate__status", choices=CertificateStatus.choices
    )
    certified_since = django_filters.DateFilter(field_name="certificate__issued_on", lookup_expr="gte")
    has_identification_number = django_filters.BooleanFilter(
        field_name="goods_identification_number", lookup_expr="isnull", exclude=True
    )
    mine = django_filters.BooleanFilter(
        method="filter_mine", label="only my company's listings, in any state"
    )

    class Meta:
        model = ProductListing
        fields: list[str] = []

    def filter_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # a subquery, not a join: a listing delivering to the region must appear once, not once per match
        return queryset.filter(
            pk__in=ProductListing.delivery_regions.through.objects.filter(deliveryregion_id=value).values(
                "productlisting_id"
            )
        )

    def filter_mine(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        # the view already widened the queryset to the user's own listings; this narrows to them
        if not value:
            return queryset
        from certification.identity import company_of

        company = company_of(self.request.user)
        return queryset.filter(supplier=company) if company else queryset.none()
