"""Search and autocomplete for everyone (``/api/v1/public/search/``): the same backends, filters and
facets as the officers' search, answered through the public hit allow-list (``catalog.public``)."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from catalog.api.public import cache_control
from catalog.public import PUBLIC_SEARCH_HIT_FIELDS
from core.throttling import AnonymousThrottle, PublicAPIMixin, ScopedThrottle
from search.api.serializers import (
    SearchHitSerializer,
    SearchParamsSerializer,
    SearchResponseSerializer,
    SuggestParamsSerializer,
    SuggestResponseSerializer,
)
from search.api.views import ERRORS, SearchView, SuggestView


class PublicSearchHitSerializer(SearchHitSerializer):
    """The officers' hit minus anything not allow-listed: a field added to the officers' hit stays
    private until ``PUBLIC_SEARCH_HIT_FIELDS`` names it."""

    def get_fields(self):
        fields = super().get_fields()
        missing = set(PUBLIC_SEARCH_HIT_FIELDS) - set(fields)
        assert not missing, f"allow-listed hit fields the hit no longer has: {sorted(missing)}"
        return {name: field for name, field in fields.items() if name in PUBLIC_SEARCH_HIT_FIELDS}


class PublicSearchResponseSerializer(SearchResponseSerializer):
    results = PublicSearchHitSerializer(many=True)


class PublicSearchView(PublicAPIMixin, SearchView):
    # the shared anonymous limit, and the officers' search scope for whoever is signed in
    throttle_classes = [AnonymousThrottle, ScopedThrottle]
    response_serializer = PublicSearchResponseSerializer

    @extend_schema(
        operation_id="public_search_products",
        summary="Search listed products (public)",
        description="The same search as `/api/v1/search/`, open to anyone; anonymous callers are "
        "throttled per client address (THROTTLE_ANONYMOUS).",
        parameters=[SearchParamsSerializer],
        responses={200: PublicSearchResponseSerializer, **ERRORS},
        tags=["public"],
    )
    def get(self, request: Request) -> Response:
        response = super().get(request)
        response["Cache-Control"] = cache_control(request)
        return response


class PublicSuggestView(PublicAPIMixin, SuggestView):
    throttle_classes = [AnonymousThrottle, ScopedThrottle]

    @extend_schema(
        operation_id="public_suggest_products",
        summary="Autocomplete product names (public)",
        parameters=[SuggestParamsSerializer],
        responses={200: SuggestResponseSerializer, **ERRORS},
        tags=["public"],
    )
    def get(self, request: Request) -> Response:
        response = super().get(request)
        response["Cache-Control"] = cache_control(request)
        return response
