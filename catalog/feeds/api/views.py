"""Admin-only API over export jobs: history, run an export, download the file and the report."""

from collections.abc import Callable

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from catalog.feeds import downloads, services
from catalog.feeds.api.serializers import ExportJobSerializer, ExportRequestSerializer
from catalog.feeds.models import ExportJob, ExportStatus
from catalog.feeds.writers import WRITERS
from certification.roles import is_admin


class IsAdminRole(BasePermission):
    """Exports reveal every supplier's data and prices in bulk: administrators only."""

    def has_permission(self, request, view) -> bool:
        return is_admin(request.user)


class ExportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Nara Marketplace feed exports. POST runs one synchronously and answers with the recorded job."""

    serializer_class = ExportJobSerializer
    permission_classes = [IsAdminRole]
    queryset = ExportJob.objects.all()
    # no "format" filter: DRF reserves ?format= for content negotiation
    filterset_fields = ["status", "kind"]
    ordering_fields = ["started_at", "id"]
    ordering = ["-started_at", "-id"]

    @extend_schema(
        request=ExportRequestSerializer,
        responses={
            201: ExportJobSerializer,
            500: OpenApiResponse(description="the export failed; the body carries the failed job"),
        },
    )
    def create(self, request, *args, **kwargs):
        serializer = ExportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = services.run_export(
            request.user,
            export_format=data["format"],
            kind=data["kind"],
            since_job=data.get("since_job"),
            since=data.get("since"),
            filters=data.get("filters"),
        )
        body = self.get_serializer(job).data
        if job.status != ExportStatus.SUCCEEDED:
            # the job is recorded either way; a failure keeps the API's error shape and adds the job
            return Response(
                {"detail": job.error_message, "code": "export_failed", "errors": {}, "job": body},
                status=status.HTTP_500_INTERNAL_SERVER_ERROR,
            )
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, writer.content_type): OpenApiTypes.BINARY for writer in WRITERS.values()})
    @action(detail=True, methods=["get"], url_path="download", url_name="download")
    def download(self, request, pk=None):
        return self._serve(downloads.feed_response)

    @extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"], url_path="report", url_name="report")
    def report(self, request, pk=None):
        return self._serve(downloads.report_response)

    def _serve(self, respond: Callable[[ExportJob], FileResponse]) -> FileResponse:
        try:
            return respond(self.get_object())
        except downloads.NoDownload as exc:
            # the API's 404 names what is missing; the error handler would answer a bare "Not found."
            raise NotFound(str(exc)) from exc
