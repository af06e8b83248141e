"""Shapes of the export job API: a job as recorded, and a request to run one."""

from django.urls import reverse
from rest_framework import serializers

from catalog.feeds.models import ExportFormat, ExportJob, ExportKind
from catalog.feeds.versions import FeedVersionChoice
from core.serializers import IdField, StrictFieldsMixin


class ExportJobSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    percent = serializers.IntegerField(read_only=True, allow_null=True)
    eta = serializers.DateTimeField(read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField()
    report_url = serializers.SerializerMethodField()
    file_name = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "url",
            "status",
            "phase",
            "rows_done",
            "rows_total",
            "percent",
            "claimed_at",
            "heartbeat_at",
            "eta",
            "attempts",
            "cancel_requested",
            "format",
            "kind",
            "feed_version",
            "filters",
            "base_job",
            "since",
            "as_of",
            "created_by_name",
            "started_at",
            "finished_at",
            "row_count",
            "listed_count",
            "added_count",
            "changed_count",
            "unchanged_count",
            "delisted_count",
            "rejected_count",
            "rejected_preview",
            "sha256",
            "file_size",
            "file_name",
            "download_url",
            "report_url",
            "error_message",
        ]
        read_only_fields = fields

    def _absolute(self, name: str, job: ExportJob) -> str:
        url = reverse(name, args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    def get_url(self, job: ExportJob) -> str:
        return self._absolute("export-job-detail", job)

    def get_download_url(self, job: ExportJob) -> str | None:
        return self._absolute("export-job-download", job) if job.has_file else None

    def get_report_url(self, job: ExportJob) -> str | None:
        return self._absolute("export-job-report", job) if job.has_file and job.report_file else None

    def get_file_name(self, job: ExportJob) -> str | None:
        return job.file.name.rsplit("/", 1)[-1] if job.has_file else None


class ExportFiltersSerializer(StrictFieldsMixin, serializers.Serializer):
    sector = serializers.ListField(child=serializers.CharField(), required=False)
    supplier = serializers.ListField(child=IdField(), required=False)


class ExportRequestSerializer(StrictFieldsMixin, serializers.Serializer):
    format = serializers.ChoiceField(choices=ExportFormat.choices, default=ExportFormat.CSV)
    kind = serializers.ChoiceField(choices=ExportKind.choices, default=ExportKind.FULL)
    since_job = IdField(required=False)
    since = serializers.DateTimeField(required=False)
    filters = ExportFiltersSerializer(required=False)
    # omitted: 2.0 for a full export, the base job's version for a delta (another version is refused)
    feed_version = serializers.ChoiceField(choices=FeedVersionChoice.choices, required=False)

    def validate(self, attrs):
        if attrs.get("kind") == ExportKind.DELTA and "since_job" not in attrs and "since" not in attrs:
            raise serializers.ValidationError({"since_job": ["a delta needs since_job or since"]})
        if "since_job" in attrs and "since" in attrs:
            raise serializers.ValidationError({"since": ["give since_job or since, not both"]})
        return attrs
