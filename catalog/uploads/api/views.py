"""Suppliers' bulk upload over the API: the template, upload (202: checked by a worker), the report as
JSON and as a workbook, commit (202). A supplier sees its own company's uploads; administrators read all;
another company's upload is a 404."""

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from catalog.uploads import services, tasks
from catalog.uploads.api.serializers import BulkUploadSerializer, UploadRequestSerializer
from catalog.uploads.report import report_workbook
from catalog.uploads.template import CSV_TYPE, XLSX_TYPE, template_csv, template_workbook
from certification.identity import company_of
from certification.roles import Role, has_role, is_admin
from core.identifiers import ID_PATH_REGEX
from core.parsers import SafeJSONParser


class IsSupplierOrAdmin(BasePermission):
    def has_permission(self, request, view) -> bool:
        if is_admin(request.user):
            return True
        return has_role(request.user, Role.SUPPLIER) and company_of(request.user) is not None


def attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


class BulkUploadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = ID_PATH_REGEX
    serializer_class = BulkUploadSerializer
    permission_classes = [IsSupplierOrAdmin]
    parser_classes = [MultiPartParser, FormParser, SafeJSONParser]

    def get_queryset(self):
        return services.visible_uploads(self.request.user).select_related("supplier")

    @extend_schema(
        request={"multipart/form-data": UploadRequestSerializer}, responses={202: BulkUploadSerializer}
    )
    def create(self, request, *args, **kwargs):
        """Uploads a filled template; its dry run runs as a job. Poll the upload until ``status`` is
        ``checked`` (or ``refused``), read ``issues``, then commit."""
        serializer = UploadRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = tasks.start_upload(request.user, upload=serializer.validated_data["file"])
        body = self.get_serializer(upload).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})

    @extend_schema(request=None, responses={202: BulkUploadSerializer})
    @action(detail=True, methods=["post"], url_path="commit", url_name="commit")
    def commit(self, request, pk=None):
        """Applies the checked upload's valid rows (409 unless it is checked and not yet committed)."""
        upload = tasks.start_commit(request.user, upload_id=self.get_object().pk)
        return Response(self.get_serializer(upload).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, XLSX_TYPE): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="report", url_name="report")
    def report(self, request, pk=None):
        """The uploaded rows with each row's issues beside it, as a workbook."""
        upload = self.get_object()
        return attachment(report_workbook(upload), XLSX_TYPE, f"upload-{upload.pk}-report.xlsx")

    @extend_schema(
        parameters=[OpenApiParameter("type", str, enum=["xlsx", "csv"], description="default xlsx")],
        responses={(200, XLSX_TYPE): OpenApiTypes.BINARY, (200, "text/csv"): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"], url_path="template", url_name="template")
    def template(self, request):
        """The template for the supplier's company: lists of units, regions and its certificates' items."""
        company = services.uploading_company(request.user)
        if request.query_params.get("type") == "csv":
            return attachment(template_csv(), CSV_TYPE, "listing-upload-template.csv")
        content = template_workbook(company, timezone.localdate(), settings.BULK_UPLOAD_MAX_ROWS)
        return attachment(content, XLSX_TYPE, "listing-upload-template.xlsx")
