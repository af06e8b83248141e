"""Shapes of the registry API.

Write serializers check only the shape of a request (types, choices, lengths, unknown fields); every
business rule (codes per sector, date order, who may do what in which state) is enforced by
``certification.services`` so the API and the admin cannot drift apart.
"""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certification import workflow
from certification.api.panel_serializers import PanelSerializer
from certification.api.partner_serializers import PartnerConfirmationSerializer
from certification.models import (
    AuditEvent,
    Certificate,
    CertificateStatusChange,
    CertificationApplication,
    Company,
    EvidenceDocument,
    EvidenceKind,
    ReviewStageKind,
    ReviewStageResult,
)
from certification.services import APPLICATION_FIELDS, COMPANY_FIELDS
from certification.services.panels import MAX_PANEL_SIZE
from certification.validators import format_business_number, normalize_business_number
from core.serializers import StrictFieldsMixin


class BusinessNumberField(serializers.CharField):
    """Accepts ``1234567890`` or ``123-45-67890``; always answers ``123-45-67890``.

    Only the separators are handled here; the check digit is validated by the model on save.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        return normalize_business_number(super().to_internal_value(data))

    def to_representation(self, value: str) -> str:
        return format_business_number(value)


# ------------------------------------------------------------------ companies
class CompanyBriefSerializer(serializers.ModelSerializer):
    business_number = BusinessNumberField(read_only=True)

    class Meta:
        model = Company
        fields = ["id", "name", "name_en", "business_number", "size"]


class CompanySerializer(serializers.ModelSerializer):
    business_number = BusinessNumberField(read_only=True)
    size_display = serializers.CharField(source="get_size_display", read_only=True)
    region_display = serializers.CharField(source="get_region_display", read_only=True)
    # the model's EmailField would be documented as format "email", yet an unset address reads as ""
    contact_email = serializers.CharField(read_only=True, help_text="e-mail address, empty when unknown")

    class Meta:
        model = Company
        fields = [
            "id",
            "name",
            "name_en",
            "business_number",
            "size",
            "size_display",
            "region",
            "region_display",
            "representative",
            "contact_email",
            "contact_phone",
            "address",
            "sme_confirmation_number",
            "sme_confirmed_from",
            "sme_confirmed_until",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CompanyWriteSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    # declared explicitly so ModelSerializer adds no unique validator on the un-normalised input;
    # uniqueness is checked by the service's full_clean on the normalised number
    business_number = BusinessNumberField()

    class Meta:
        model = Company
        fields = list(COMPANY_FIELDS)


# --------------------------------------------------------------- applications
class CertificateBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certificate
        fields = ["id", "number", "status", "issued_on", "expires_on"]


class ReviewStageSerializer(serializers.ModelSerializer):
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)

    class Meta:
        model = ReviewStageResult
        fields = ["stage", "stage_display", "passed", "score", "comment", "reviewer", "recorded_at"]


class DocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceDocument
        fields = [
            "id",
            "application",
            "kind",
            "original_name",
            "content_type",
            "extension",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document: EvidenceDocument) -> str:
        path = f"/api/v1/documents/{document.pk}/download/"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "actor_name",
            "action",
            "application",
            "certificate",
            "from_state",
            "to_state",
            "comment",
        ]
        read_only_fields = fields


class ApplicationSerializer(serializers.ModelSerializer):
    supplier = CompanyBriefSerializer(read_only=True)
    partner = CompanyBriefSerializer(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    certificate = serializers.SerializerMethodField()

    class Meta:
        model = CertificationApplication
        fields = [
            "id",
            "call",
            "supplier",
            "partner",
            "partner_kind",
            "sector",
            "task_type",
            "cooperation_type",
            "product_name",
            "product_name_en",
            "classification_code",
            "agreement_start",
            "agreement_end",
            "status",
            "status_display",
            "renewal_of",
            "certificate",
            "submitted_at",
            "supplement_deadline",
            "decided_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(CertificateBriefSerializer(allow_null=True))
    def get_certificate(self, application: CertificationApplication) -> dict | None:
        # the reverse one-to-one is select_related: a missing certificate is cached as None, no query
        certificate = getattr(application, "certificate", None)
        return CertificateBriefSerializer(certificate).data if certificate is not None else None


@extend_schema_field(
    serializers.ListField(child=serializers.ChoiceField(choices=[t.name for t in workflow.TABLE]))
)
class AvailableActionsField(serializers.ReadOnlyField):
    """The workflow actions the requesting user may take on the record in its current state."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", **kwargs)

    def to_representation(self, record: CertificationApplication | Certificate) -> list[str]:
        return list(workflow.available_actions(record, self.context["request"].user))


class ApplicationDetailSerializer(ApplicationSerializer):
    stages = ReviewStageSerializer(many=True, read_only=True)
    panels = PanelSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    audit_events = AuditEventSerializer(many=True, read_only=True)
    # newest first: the partner's answer (a decline's reason included) and the requests before it
    partner_confirmations = PartnerConfirmationSerializer(many=True, read_only=True)
    available_actions = AvailableActionsField()

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields,
            "description",
            "stages",
            "panels",
            "documents",
            "audit_events",
            "partner_confirmations",
            "available_actions",
        ]
        read_only_fields = fields


class ApplicationWriteSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """Create and edit a draft. ``supplier`` is for admins filing on a company's behalf; the service
    rejects it from anyone else."""

    supplier = serializers.PrimaryKeyRelatedField(queryset=Company.objects.all(), required=False)

    class Meta:
        model = CertificationApplication
        # the fields the service accepts, plus the supplier an admin may apply for
        fields = ["supplier", *APPLICATION_FIELDS]


class CommentSerializer(StrictFieldsMixin, serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class SupplementSerializer(CommentSerializer):
    deadline = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="until when the supplement may be submitted (even after the call closed); "
        "default: 14 days from now, end of day (Korean time)",
    )


class StageSerializer(StrictFieldsMixin, serializers.Serializer):
    """Closes the stage's panel: the result (average, passed) is computed from the evaluators' sheets."""

    stage = serializers.ChoiceField(choices=ReviewStageKind.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class PanelFormSerializer(StrictFieldsMixin, serializers.Serializer):
    stage = serializers.ChoiceField(choices=ReviewStageKind.choices)
    evaluators = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        max_length=MAX_PANEL_SIZE,
        help_text="ids of users appointed as evaluators (GET /api/v1/evaluators/?application=…)",
    )


class CriterionPointsSerializer(StrictFieldsMixin, serializers.Serializer):
    criterion = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    points = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)


class ScoreSheetSerializer(StrictFieldsMixin, serializers.Serializer):
    """One evaluator's sheet: points for every criterion of the stage, 0 to the criterion's weight."""

    stage = serializers.ChoiceField(choices=ReviewStageKind.choices)
    scores = CriterionPointsSerializer(many=True, max_length=50)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)

    def validate_scores(self, rows: list[dict[str, Any]]) -> dict[int, Any]:
        points = {row["criterion"]: row["points"] for row in rows}
        if len(points) != len(rows):
            raise serializers.ValidationError(
                "한 항목에 점수를 두 번 주었습니다 (a criterion is scored twice)."
            )
        return points


# --------------------------------------------------------------- certificates
class CertificateSerializer(serializers.ModelSerializer):
    supplier = CompanyBriefSerializer(read_only=True)
    partner = CompanyBriefSerializer(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    renewed_from = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    renewed_by = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "application",
            "supplier",
            "partner",
            "sector",
            "product_name",
            "classification_code",
            "issued_on",
            "expires_on",
            "status",
            "status_display",
            "status_reason",
            "status_changed_at",
            "suspended_until",
            "renewed_from",
            "renewed_by",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_renewed_by(self, certificate: Certificate) -> str | None:
        successor = getattr(certificate, "renewed_by", None)
        return successor.number if successor is not None else None


class StatusChangeSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    # blank on the issue row, which has no status before it
    from_status = serializers.CharField(read_only=True)

    class Meta:
        model = CertificateStatusChange
        fields = [
            "kind",
            "kind_display",
            "from_status",
            "to_status",
            "effective_at",
            "actor_name",
            "reason",
            "suspended_until",
        ]
        read_only_fields = fields


class CertificateDetailSerializer(CertificateSerializer):
    available_actions = AvailableActionsField()
    history = StatusChangeSerializer(many=True, read_only=True)

    class Meta(CertificateSerializer.Meta):
        fields = [*CertificateSerializer.Meta.fields, "available_actions", "history"]
        read_only_fields = fields


class ReasonSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=5000)


class SuspensionSerializer(ReasonSerializer):
    until = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="the suspension's last day; it lifts the day after",
    )


class EmptySerializer(StrictFieldsMixin, serializers.Serializer):
    """A body that must carry nothing (or nothing but ``{}``)."""


# ------------------------------------------------------------------ documents
class DocumentUploadSerializer(StrictFieldsMixin, serializers.Serializer):
    application = serializers.PrimaryKeyRelatedField(queryset=CertificationApplication.objects.none())
    kind = serializers.ChoiceField(choices=EvidenceKind.choices, default=EvidenceKind.OTHER)
    file = serializers.FileField(allow_empty_file=False, max_length=255)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        applications = self.context.get("applications")
        if applications is not None:
            # only applications the user can see: another company's id reads as "does not exist"
            self.fields["application"].queryset = applications
