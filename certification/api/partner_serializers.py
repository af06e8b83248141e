"""Shapes of the partner enterprise's part in the API: the requests for its confirmation, and what a
member of the partner company reads of the applications and certificates that name it.

What a partner member reads is an ALLOW-LIST: the agreed terms, the parties and the application's status.
It never reads the applicant's evidence (its business registration, test reports and the like are the
applicant's own papers; the agreement it signed it holds itself), the review's stages, panels and
comments, nor the audit trail (which names reviewers and carries their reasons): its own requests and
answers are its record.
"""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certification import workflow
from certification.models import Certificate, CertificationApplication, Company
from certification.partners import PartnerConfirmation
from certification.services.applications import APPLICATION_FIELDS
from core.serializers import StrictFieldsMixin


class _CompanyBrief(serializers.ModelSerializer):
    business_number = serializers.CharField(source="business_number_display", read_only=True)

    class Meta:
        model = Company
        fields = ["id", "name", "name_en", "business_number", "size"]
        read_only_fields = fields


class PartnerConfirmationSerializer(serializers.ModelSerializer):
    """One request for the partner's confirmation and its answer (the applicant reads a decline's reason)."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    # empty unless the partner had no members when asked: a plain string, since "" is no e-mail address
    contact_email = serializers.CharField(read_only=True)

    class Meta:
        model = PartnerConfirmation
        fields = [
            "id",
            "partner",
            "status",
            "status_display",
            "terms",
            "contact_email",
            "requested_at",
            "answered_at",
            "comment",
            "reason",
            "invalidated_at",
        ]
        read_only_fields = fields


class ContactSerializer(StrictFieldsMixin, serializers.Serializer):
    """A request for the partner's confirmation; the contact e-mail is needed when the partner company
    has no users yet (it is invited there)."""

    contact_email = serializers.EmailField(required=False, allow_blank=True, default="", max_length=254)


@extend_schema_field(
    serializers.ListField(child=serializers.ChoiceField(choices=[t.name for t in workflow.TABLE]))
)
class PartnerActionsField(serializers.ReadOnlyField):
    """The partner's answers open to the requesting member now: confirm or decline an open request."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", **kwargs)

    def to_representation(self, application: CertificationApplication) -> list[str]:
        waiting = any(c.status == "requested" for c in application.partner_confirmations.all())
        actions = workflow.available_actions(application, self.context["request"].user)
        partner_actions = {"confirm_partnership", "decline_partnership"}
        return [name for name in actions if name in partner_actions] if waiting else []


class PartnerRequestSerializer(serializers.ModelSerializer):
    """An application as a member of its partner company reads it (see the module's allow-list)."""

    supplier = _CompanyBrief(read_only=True)
    partner = _CompanyBrief(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    certificate = serializers.SerializerMethodField()
    confirmations = PartnerConfirmationSerializer(source="partner_confirmations", many=True, read_only=True)
    available_actions = PartnerActionsField()

    class Meta:
        model = CertificationApplication
        fields = [
            "id",
            "supplier",
            *APPLICATION_FIELDS,
            "status",
            "status_display",
            "submitted_at",
            "decided_at",
            "certificate",
            "confirmations",
            "available_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_certificate(self, application: CertificationApplication) -> str | None:
        certificate = getattr(application, "certificate", None)
        return certificate.number if certificate is not None else None


class PartnerCertificateSerializer(serializers.ModelSerializer):
    """A certificate naming the member's company as partner: the facts anyone may verify, no more."""

    supplier = _CompanyBrief(read_only=True)
    partner = _CompanyBrief(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

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
            "status_changed_at",
        ]
        read_only_fields = fields
