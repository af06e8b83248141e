"""Shapes of the search API: validated query parameters in, hits and facets out."""

from rest_framework import serializers

from certification.codes import Sector
from certification.models import Region
from core.serializers import IdentifierField, IdField
from search.analysis import MAX_QUERY_CHARS
from search.backends.base import (
    MAX_PAGE_SIZE,
    MAX_RESULT_WINDOW,
    SearchFilters,
    SearchQuery,
    SortOrder,
)

MAX_PRICE = 10**15


class SearchParamsSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_QUERY_CHARS, default="", help_text="free text"
    )
    sector = serializers.ChoiceField(choices=Sector.choices, required=False)
    classification = IdentifierField(
        r"^[0-9A-Za-z]{1,10}$",
        required=False,
        help_text="classification code prefix: 2 or 4 digits for a segment or family, or a work type (CS02)",
    )
    region = serializers.ChoiceField(choices=Region.choices, required=False, help_text="delivery region")
    supplier = IdField(required=False, help_text="supplier company id")
    partner = IdField(required=False, help_text="partner enterprise id")
    price_min = serializers.IntegerField(min_value=0, max_value=MAX_PRICE, required=False)
    price_max = serializers.IntegerField(min_value=0, max_value=MAX_PRICE, required=False)
    expiring_soon = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="certificate expires within the warning window",
    )
    sort = serializers.ChoiceField(choices=SortOrder.CHOICES, default=SortOrder.RELEVANCE)
    page = serializers.IntegerField(min_value=1, max_value=MAX_RESULT_WINDOW, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, default=20)
    cursor = serializers.CharField(
        required=False, max_length=512, help_text="next_cursor of the previous page (search_after paging)"
    )

    def validate(self, attrs):
        low, high = attrs.get("price_min"), attrs.get("price_max")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"price_max": ["must be at least price_min"]})
        if not attrs.get("cursor") and attrs["page"] * attrs["page_size"] > MAX_RESULT_WINDOW:
            raise serializers.ValidationError(
                {"page": [f"page × page_size may not exceed {MAX_RESULT_WINDOW}; follow next_cursor instead"]}
            )
        return attrs

    def to_query(self) -> SearchQuery:
        data = self.validated_data
        return SearchQuery(
            text=data.get("q") or "",
            filters=SearchFilters(
                sector=data.get("sector"),
                classification=data.get("classification"),
                region=data.get("region"),
                supplier_id=data.get("supplier"),
                partner_id=data.get("partner"),
                price_min=data.get("price_min"),
                price_max=data.get("price_max"),
                expiring_soon=data.get("expiring_soon"),
            ),
            sort=data["sort"],
            page=data["page"],
            page_size=data["page_size"],
            search_after=data.get("cursor") or None,
        )


class SuggestParamsSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=100, allow_blank=True, help_text="what the user has typed so far")
    limit = serializers.IntegerField(min_value=1, max_value=20, default=10)


class SearchHitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    specification = serializers.CharField()
    unit_price = serializers.IntegerField(help_text="KRW")
    unit = serializers.CharField()
    sector = serializers.CharField()
    classification_code = serializers.CharField()
    supplier_id = serializers.IntegerField()
    supplier_name = serializers.CharField()
    partner_id = serializers.IntegerField()
    partner_name = serializers.CharField()
    certificate_number = serializers.CharField()
    expires_on = serializers.DateField()
    regions = serializers.ListField(child=serializers.CharField())
    score = serializers.FloatField(allow_null=True)
    highlights = serializers.DictField(
        child=serializers.CharField(),
        help_text="field → HTML-escaped text with matches wrapped in <em>",
    )


class FacetBucketSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class SearchResponseSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    sort = serializers.CharField()
    took_ms = serializers.IntegerField()
    backend = serializers.CharField(help_text="which backend answered (database when falling back)")
    fallback = serializers.BooleanField()
    next_cursor = serializers.CharField(allow_null=True)
    results = SearchHitSerializer(many=True)
    facets = serializers.DictField(
        child=FacetBucketSerializer(many=True),
        help_text="sector, classification_segment, classification_family, region, supplier, partner, price",
    )
    expiring_soon = serializers.IntegerField(help_text="matching products whose certificate expires soon")
    suggestion = serializers.CharField(
        allow_null=True,
        help_text="did you mean: the query with misspelt words corrected (results already include it), or null",
    )
    relaxed = serializers.BooleanField(
        help_text="no product matched every word: results rank by how many of the words they match"
    )


class SuggestResponseSerializer(serializers.Serializer):
    q = serializers.CharField()
    suggestions = serializers.ListField(child=serializers.CharField())
