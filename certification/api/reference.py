"""The classification reference table for pickers (``/api/v1/reference/classifications/?q=``): public
reference data (the numbers and names every supplier form and the Nara feed use), read-only, bounded to
a short list and throttled like the rest of the public API."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certification.codes import Sector
from certification.reference import CLASSIFICATION_MATCHES, search_classifications
from core.throttling import AnonymousThrottle, PublicAPIMixin, ScopedThrottle


class ClassificationQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text="the start of a number, or part of a name"
    )
    sector = serializers.ChoiceField(choices=Sector.values, required=False, allow_blank=True)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=CLASSIFICATION_MATCHES)


class ClassificationSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    sector = serializers.CharField()


class ClassificationResultsSerializer(serializers.Serializer):
    results = ClassificationSerializer(many=True)


class ClassificationSearchView(PublicAPIMixin, APIView):
    throttle_classes = [AnonymousThrottle, ScopedThrottle]
    throttle_scope = "public"

    @extend_schema(
        operation_id="reference_classifications",
        summary="Search the classification reference table (public)",
        description="Classification numbers (물품분류번호) and construction work types whose number starts "
        "with `q` or whose name contains it; numbers first, at most 20.",
        parameters=[ClassificationQuerySerializer],
        responses={200: ClassificationResultsSerializer},
        tags=["public"],
    )
    def get(self, request: Request) -> Response:
        params = ClassificationQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = search_classifications(
            params.validated_data.get("q", ""),
            sector=params.validated_data.get("sector", ""),
            limit=params.validated_data.get("limit", CLASSIFICATION_MATCHES),
        )
        response = Response(ClassificationResultsSerializer({"results": rows}).data)
        # reference data changes with a release, not per request: any cache may keep it for a while
        response["Cache-Control"] = "public, max-age=300"
        return response
