"""The program's API: targets (admins set them, program staff read them), the dashboard's figures as JSON,
and the public statistics (anyone; open data with ETag and Cache-Control)."""

import csv
import hashlib
import io
import json

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certification.api.permissions import RolePermission
from certification.roles import Role
from core.identifiers import ID_PATH_REGEX
from core.schema import NOT_MODIFIED
from core.throttling import PublicAPIMixin
from program.models import Target
from program.public import public_statistics, public_statistics_rows
from program.tables import program_tables

# open data changes at most daily (certificates expire at midnight): caches may keep it an hour, and the
# ETag makes a revalidation a 304
PUBLIC_STATISTICS_CACHE_CONTROL = "public, max-age=3600"


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["id", "year", "sector", "products", "note", "updated_at"]
        read_only_fields = ["id", "updated_at"]


WRITES = ("create", "update", "partial_update", "destroy")


@extend_schema_view(
    list=extend_schema(summary="Targets for active certified products", tags=["program"]),
    retrieve=extend_schema(summary="A target", tags=["program"]),
    create=extend_schema(summary="Set a target for a year and sector (admins)", tags=["program"]),
    update=extend_schema(summary="Change a target (admins)", tags=["program"]),
    partial_update=extend_schema(summary="Change a target (admins)", tags=["program"]),
    destroy=extend_schema(summary="Remove a target (admins)", tags=["program"]),
)
class TargetViewSet(viewsets.ModelViewSet):
    serializer_class = TargetSerializer
    queryset = Target.objects.all()
    permission_classes = [RolePermission]
    allowed_roles = (Role.PROGRAM_STAFF,)
    # writes: admins only (RolePermission always admits them)
    action_roles = dict.fromkeys(WRITES, ())
    lookup_value_regex = ID_PATH_REGEX


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    chart = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField())
    series = serializers.ListField(child=serializers.IntegerField())


class ProgramFiguresView(APIView):
    """Every figure of the program page, as the page's tables (the CSV downloads hold the same)."""

    permission_classes = [RolePermission]
    allowed_roles = (Role.PROGRAM_STAFF,)
    action = "read"  # RolePermission looks up per-action roles; an APIView has one action

    @extend_schema(
        operation_id="program_figures",
        summary="The program dashboard's figures",
        responses={200: FigureSerializer(many=True)},
        tags=["program"],
    )
    def get(self, request: Request) -> Response:
        return Response([table.as_data() for table in program_tables()])


class PublicStatisticsView(PublicAPIMixin, APIView):
    """Open data: active certified products by sector and year, and certified companies, as JSON (and the
    same numbers as CSV: ``PublicStatisticsCSVView``); an ETag (a matching If-None-Match answers 304) and
    Cache-Control on both."""

    as_csv = False

    @extend_schema(
        operation_id="public_statistics",
        summary="Public statistics (open data)",
        description="Active certified products by sector at the end of each of the last five years (this "
        "year: today) and the number of companies holding an active certificate. The same numbers as CSV: "
        "`/api/v1/public/statistics.csv`.",
        responses={200: OpenApiResponse(description="the statistics"), 304: NOT_MODIFIED},
        tags=["public"],
    )
    def get(self, request: Request) -> Response | HttpResponse:
        statistics = public_statistics()
        as_csv = self.as_csv
        if as_csv:
            out = io.StringIO()
            csv.writer(out, lineterminator="\r\n").writerows(public_statistics_rows(statistics))
            body, content_type = out.getvalue(), "text/csv; charset=utf-8"
        else:
            body = json.dumps(statistics, ensure_ascii=False, sort_keys=True)
            content_type = "application/json"
        etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
        matching = request.headers.get("If-None-Match", "")
        if etag in [tag.strip() for tag in matching.split(",")] or matching.strip() == "*":
            response = HttpResponse(status=304)
        else:
            response = HttpResponse(body, content_type=content_type)
            if as_csv:
                response["Content-Disposition"] = 'attachment; filename="sangsaeng-statistics.csv"'
        response["ETag"] = etag
        response["Cache-Control"] = PUBLIC_STATISTICS_CACHE_CONTROL
        response["Vary"] = "Accept-Encoding"
        return response


class PublicStatisticsCSVView(PublicStatisticsView):
    as_csv = True

    @extend_schema(
        operation_id="public_statistics_csv",
        summary="Public statistics as CSV (open data)",
        # the same ETag as the JSON: a matching If-None-Match answers 304 here too
        responses={
            200: OpenApiResponse(description="text/csv: a header row, then one row per year"),
            304: NOT_MODIFIED,
        },
        tags=["public"],
    )
    def get(self, request: Request) -> HttpResponse:
        return super().get(request)
