"""Admin-only API over export jobs: history, start an export (202, run by a worker), progress, cancel,
download the file and the report."""

from collections.abc import Callable

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from catalog.feeds import downloads, lifecycle, tasks
from catalog.feeds.api.serializers import ExportJobSerializer, ExportRequestSerializer
from catalog.feeds.models import ExportJob
from catalog.feeds.writers import WRITERS
from certification.api.permissions import IsAdminRole
from core.identifiers import ID_PATH_REGEX


class ExportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Nara Marketplace feed exports. POST queues one and answers 202 at once with the job and its URL
    (``Location``); poll the job for its progress, cancel it with POST …/cancel/."""

    serializer_class = ExportJobSerializer
    # exports reveal every supplier's data and prices in bulk
    permission_classes = [IsAdminRole]
    lookup_value_regex = ID_PATH_REGEX
    queryset = ExportJob.objects.all()
    # no "format" filter: DRF reserves ?format= for content negotiation
    filterset_fields = ["status", "kind"]
    ordering_fields = ["started_at", "id"]
    ordering = ["-started_at", "-id"]

    @extend_schema(request=ExportRequestSerializer, responses={202: ExportJobSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ExportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = tasks.start_export(
            request.user,
            export_format=data["format"],
            kind=data["kind"],
            since_job=data.get("since_job"),
            since=data.get("since"),
            filters=data.get("filters"),
            feed_version=data.get("feed_version"),
        )
        body = self.get_serializer(job).data
        # accepted: the job runs in a worker; its outcome (or, without a broker, its result) is in the body
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})

    @extend_schema(request=None, responses={200: ExportJobSerializer})
    @action(detail=True, methods=["post"], url_path="cancel", url_name="cancel")
    def cancel(self, request, pk=None):
        """Cancels a queued job at once, a running one at its worker's next progress write (409 once finished)."""
        job = lifecycle.cancel_export(request.user, job_id=self.get_object().pk)
        return Response(self.get_serializer(job).data)

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
