"""The upload API's shapes: the upload with its counts, progress, report and outcome; the file in."""

from rest_framework import serializers
from rest_framework.reverse import reverse

from catalog.uploads.models import BulkUpload


class IssueSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="the sheet's row number; null for the file")
    column = serializers.CharField(help_text="the template key; empty for the file or the company")
    code = serializers.CharField()
    message = serializers.CharField()


class OutcomeSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["create", "update", "unchanged"])
    listing = serializers.IntegerField(allow_null=True)


class BulkUploadSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    report_url = serializers.SerializerMethodField()
    issues = IssueSerializer(many=True, read_only=True)
    outcome = OutcomeSerializer(many=True, read_only=True)
    counts = serializers.DictField(child=serializers.IntegerField(), read_only=True)
    supplier = serializers.CharField(source="supplier.name", read_only=True)

    class Meta:
        model = BulkUpload
        fields = [
            "id",
            "url",
            "supplier",
            "original_name",
            "file_kind",
            "status",
            "rows_total",
            "rows_done",
            "counts",
            "issues",
            "outcome",
            "created_at",
            "checked_at",
            "committed_at",
            "error_message",
            "report_url",
        ]
        read_only_fields = fields

    def get_url(self, upload: BulkUpload) -> str:
        return reverse("listing-upload-detail", kwargs={"pk": upload.pk}, request=self.context.get("request"))

    def get_report_url(self, upload: BulkUpload) -> str:
        return reverse("listing-upload-report", kwargs={"pk": upload.pk}, request=self.context.get("request"))


class UploadRequestSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False, help_text="the filled template: .xlsx or .csv")
