"""Search and autocomplete for catalog readers (officers, reviewers, admins, suppliers)."""

from collections.abc import Callable
from typing import TypeVar

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import ServiceUnavailable
from core.throttling import ScopedThrottle
from search.api.serializers import (
    SearchParamsSerializer,
    SearchResponseSerializer,
    SuggestParamsSerializer,
    SuggestResponseSerializer,
)
from search.backends import run_with_fallback
from search.backends.base import InvalidQuery, SearchBackend, SearchUnavailable
from search.log import record_search
from search.models import SearchSource

T = TypeVar("T")

ERRORS = {
    400: OpenApiResponse(description='invalid parameters: `{"detail", "code": "invalid", "errors": {...}}`'),
    503: OpenApiResponse(
        description='the search engine is unavailable: `{"detail", "code": "search_unavailable"}` '
        "(unless SEARCH_FALLBACK_TO_DATABASE answers from the database)"
    ),
}


class SearchUnavailableError(ServiceUnavailable):
    default_detail = "Search is temporarily unavailable; try again shortly."
    default_code = "search_unavailable"


def _answer(call: Callable[[SearchBackend], T], can_fall_back: bool = True) -> tuple[T, bool]:
    """The API's view of ``run_with_fallback``: bad queries are 400, an outage without fallback 503."""
    try:
        return run_with_fallback(call, can_fall_back)
    except InvalidQuery as exc:
        raise serializers.ValidationError({"non_field_errors": [str(exc)]}) from exc
    except SearchUnavailable as exc:
        raise SearchUnavailableError() from exc


class SearchAPIView(APIView):
    """Search and autocomplete: any signed-in user, throttled as one scope."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "search"


class SearchView(SearchAPIView):
    response_serializer = SearchResponseSerializer

    @extend_schema(
        operation_id="search_products",
        summary="Search listed products",
        description=(
            "Free-text search over listed win-win cooperation products (Korean is analysed into morphemes, "
            "so 협력제품 finds 상생협력제품을), with filters, facets and highlights. Page with `page` up to "
            "10,000 results deep, or follow `next_cursor` (search_after) for stable deep paging."
        ),
        parameters=[SearchParamsSerializer],
        responses={200: SearchResponseSerializer, **ERRORS},
        tags=["search"],
    )
    def get(self, request: Request) -> Response:
        params = SearchParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        try:
            query = params.to_query()
        except InvalidQuery as exc:
            raise serializers.ValidationError({"non_field_errors": [str(exc)]}) from exc
        # a cursor encodes one backend's sort values: it cannot be continued on another backend
        result, fell_back = _answer(
            lambda backend: backend.search(query), can_fall_back=not query.search_after
        )
        record_search(query, result, source=SearchSource.API)
        body = {
            "total": result.total,
            "page": query.page,
            "page_size": query.page_size,
            "sort": query.sort,
            "took_ms": result.took_ms,
            "backend": result.backend,
            "fallback": fell_back,
            "next_cursor": result.next_cursor,
            "results": result.hits,
            "facets": result.facets,
            "expiring_soon": result.expiring_soon,
            "suggestion": result.suggestion,
            "relaxed": result.relaxed,
        }
        return Response(self.response_serializer(body).data)


class SuggestView(SearchAPIView):
    @extend_schema(
        operation_id="suggest_products",
        summary="Autocomplete product names",
        parameters=[SuggestParamsSerializer],
        responses={200: SuggestResponseSerializer, **ERRORS},
        tags=["search"],
    )
    def get(self, request: Request) -> Response:
        params = SuggestParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        prefix, limit = params.validated_data["q"], params.validated_data["limit"]
        suggestions, _ = _answer(lambda backend: backend.suggest(prefix, limit))
        return Response({"q": prefix, "suggestions": suggestions})
