"""Admin-only API over search rebuilds: history, start one (202, run by a worker), progress, cancel."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from certification.api.permissions import IsAdminRole
from core.identifiers import ID_PATH_REGEX
from core.serializers import StrictFieldsMixin
from search import rebuilds, tasks
from search.backends import BACKEND_NAMES
from search.models import RebuildJob


class RebuildJobSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    percent = serializers.IntegerField(read_only=True, allow_null=True)
    eta = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = RebuildJob
        fields = [
            "id",
            "url",
            "backend",
            "reuse_stored",
            "status",
            "phase",
            "rows_total",
            "rows_done",
            "percent",
            "eta",
            "attempts",
            "cancel_requested",
            "indexed",
            "index",
            "error_message",
            "created_by_name",
            "started_at",
            "claimed_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_url(self, job: RebuildJob) -> str:
        return reverse("search-rebuild-detail", args=[job.pk], request=self.context.get("request"))


class RebuildRequestSerializer(StrictFieldsMixin, serializers.Serializer):
    backend = serializers.ChoiceField(choices=BACKEND_NAMES)
    reuse_stored = serializers.BooleanField(default=True)


class RebuildJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Full rebuilds of a search backend's index. POST queues one and answers 202 at once with the job and
    its URL (``Location``); 409 ``rebuild_in_progress`` while that backend has one queued or running."""

    lookup_value_regex = ID_PATH_REGEX

    serializer_class = RebuildJobSerializer
    permission_classes = [IsAdminRole]
    queryset = RebuildJob.objects.all()
    filterset_fields = ["status", "backend"]
    ordering_fields = ["started_at", "id"]
    ordering = ["-started_at", "-id"]

    @extend_schema(request=RebuildRequestSerializer, responses={202: RebuildJobSerializer})
    def create(self, request, *args, **kwargs):
        serializer = RebuildRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = tasks.start_rebuild(request.user, **serializer.validated_data)
        body = self.get_serializer(job).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})

    @extend_schema(request=None, responses={200: RebuildJobSerializer})
    @action(detail=True, methods=["post"], url_path="cancel", url_name="cancel")
    def cancel(self, request, pk=None):
        """Cancels a queued rebuild at once, a running one at its next progress write (409 once finished)."""
        job = rebuilds.cancel_rebuild(request.user, job_id=self.get_object().pk)
        return Response(self.get_serializer(job).data)
