"""The public API: certificate verification and the status event feed, open to anyone without signing in.

Each serializer here is an allow-list: it declares every field it returns, one by one, and reads nothing
else of the records (no ``fields = "__all__"``, no nested model serializers), so a column added to a
model never becomes public by accident. ``tests/certification/test_public_api.py`` holds the lists.
"""

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certification import events, public
from certification.models import CertificateStatus, CertificateStatusChange
from core.throttling import ScopedThrottle

# a certificate number, or null where there is none (renewals)
NULLABLE_NUMBER = serializers.CharField(allow_null=True)


class PublicSupplierSerializer(serializers.Serializer):
    name = serializers.CharField()
    business_number = serializers.CharField(source="business_number_display")


class PublicPartnerSerializer(serializers.Serializer):
    name = serializers.CharField()


class AsOfSerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    status = serializers.ChoiceField(choices=CertificateStatus.choices, allow_null=True)
    status_label = serializers.CharField()
    valid = serializers.BooleanField()


class VerificationSerializer(serializers.Serializer):
    """One certificate as anyone may verify it."""

    number = serializers.CharField(source="certificate.number")
    status = serializers.ChoiceField(choices=CertificateStatus.choices)
    status_label = serializers.CharField()
    valid = serializers.BooleanField()
    status_changed_on = serializers.SerializerMethodField()
    status_reason = serializers.SerializerMethodField()
    valid_from = serializers.DateField(source="certificate.issued_on")
    valid_until = serializers.DateField(source="certificate.expires_on")
    sector = serializers.CharField(source="certificate.sector")
    item_number = serializers.CharField(source="certificate.classification_code")
    item_name = serializers.CharField()
    product_name = serializers.CharField(source="certificate.product_name")
    supplier = PublicSupplierSerializer(source="certificate.supplier")
    partner = PublicPartnerSerializer(source="certificate.partner")
    renewal_of = serializers.SerializerMethodField()
    renewed_by = serializers.SerializerMethodField()
    verification_url = serializers.CharField(source="url")
    as_of = AsOfSerializer(allow_null=True)

    @extend_schema_field(OpenApiTypes.DATE)
    def get_status_changed_on(self, verification: public.Verification) -> str:
        return timezone.localtime(verification.certificate.status_changed_at).date().isoformat()

    @extend_schema_field(OpenApiTypes.STR)
    def get_status_reason(self, verification: public.Verification) -> str:
        # why a certificate was suspended or revoked is published with the decision; other reasons are
        # bookkeeping ("renewed as …", the number it was issued under)
        certificate = verification.certificate
        if certificate.status in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED):
            return certificate.status_reason
        return ""

    @extend_schema_field(NULLABLE_NUMBER)
    def get_renewal_of(self, verification: public.Verification) -> str | None:
        previous = verification.certificate.renewed_from
        return previous.number if previous else None

    @extend_schema_field(NULLABLE_NUMBER)
    def get_renewed_by(self, verification: public.Verification) -> str | None:
        renewal = getattr(verification.certificate, "renewed_by", None)
        return renewal.number if renewal else None


class HolderVerificationSerializer(serializers.Serializer):
    """Every certificate one business number holds."""

    business_number = serializers.CharField()
    supplier = PublicSupplierSerializer()
    count = serializers.IntegerField()
    results = VerificationSerializer(many=True)


class EventCertificateSerializer(serializers.Serializer):
    number = serializers.CharField()
    valid_from = serializers.DateField(source="issued_on")
    valid_until = serializers.DateField(source="expires_on")
    sector = serializers.CharField()
    item_number = serializers.CharField(source="classification_code")
    product_name = serializers.CharField()
    supplier = PublicSupplierSerializer()
    partner = PublicPartnerSerializer()
    verification_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_verification_url(self, certificate) -> str:
        return public.verification_url(certificate.number)


class StatusEventSerializer(serializers.Serializer):
    """One status event; never the person who acted."""

    id = serializers.IntegerField(source="pk")
    kind = serializers.SerializerMethodField()
    kind_label = serializers.SerializerMethodField()
    effective_at = serializers.DateTimeField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    reason = serializers.CharField()
    suspended_until = serializers.DateField(allow_null=True)
    renewed_as = serializers.SerializerMethodField()
    renewal_of = serializers.SerializerMethodField()
    certificate = EventCertificateSerializer()

    @extend_schema_field(serializers.ChoiceField(choices=sorted(events.PUBLIC_KIND_LABEL)))
    def get_kind(self, event: CertificateStatusChange) -> str:
        return events.PUBLIC_KIND[event.kind]

    @extend_schema_field(OpenApiTypes.STR)
    def get_kind_label(self, event: CertificateStatusChange) -> str:
        return events.PUBLIC_KIND_LABEL[events.PUBLIC_KIND[event.kind]]

    @extend_schema_field(NULLABLE_NUMBER)
    def get_renewed_as(self, event: CertificateStatusChange) -> str | None:
        """On a ``renewed`` event: the renewal's number."""
        if event.kind != "superseded":
            return None
        renewal = getattr(event.certificate, "renewed_by", None)
        return renewal.number if renewal else None

    @extend_schema_field(NULLABLE_NUMBER)
    def get_renewal_of(self, event: CertificateStatusChange) -> str | None:
        """On the ``issued`` event of a renewal: the number it renews."""
        previous = event.certificate.renewed_from
        return previous.number if event.kind == "issued" and previous else None


class EventPageSerializer(serializers.Serializer):
    results = StatusEventSerializer(many=True, source="events")
    next_cursor = serializers.SerializerMethodField()
    has_more = serializers.BooleanField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_next_cursor(self, page: events.EventPage) -> str:
        return page.next_position.encode()


class PublicView(APIView):
    """Anyone may call these, signed in or not; the ``public`` throttle counts per client."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "public"

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, public.CertificateNotFound):
            exc = NotFound(public.CertificateNotFound.message, code=public.CertificateNotFound.code)
        return super().handle_exception(exc)


AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="reference date YYYY-MM-DD: was the certificate valid that day?"
)


class CertificateVerificationView(PublicView):
    @extend_schema(
        parameters=[AS_OF],
        responses={200: VerificationSerializer},
        summary="Verify a certificate by its number",
        operation_id="public_certificate_verify",
    )
    def get(self, request: Request, number: str) -> Response:
        as_of = public.parse_as_of(request.query_params.get("as_of"))
        certificate = public.certificate_by_number(number)
        return Response(VerificationSerializer(public.verify([certificate], as_of)[0]).data)


class HolderVerificationView(PublicView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "business_number", OpenApiTypes.STR, required=True, description="with or without dashes"
            ),
            AS_OF,
        ],
        responses={200: HolderVerificationSerializer},
        summary="Verify the certificates a business registration number holds",
        operation_id="public_certificates_of_holder",
    )
    def get(self, request: Request) -> Response:
        as_of = public.parse_as_of(request.query_params.get("as_of"))
        certificates = public.certificates_of_holder(request.query_params.get("business_number", ""))
        supplier = certificates[0].supplier
        data: dict[str, Any] = {
            "business_number": supplier.business_number_display,
            "supplier": supplier,
            "count": len(certificates),
            "results": public.verify(certificates, as_of),
        }
        return Response(HolderVerificationSerializer(data).data)


class StatusEventsView(PublicView):
    @extend_schema(
        parameters=[
            OpenApiParameter("since", OpenApiTypes.STR, description="the next_cursor of a previous answer"),
            OpenApiParameter("since_date", OpenApiTypes.DATE, description="events from this day (KST) on"),
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"1–{events.MAX_LIMIT}"),
        ],
        responses={200: EventPageSerializer},
        summary="Certificate status events after a cursor or since a day, oldest first",
        operation_id="public_certificate_events",
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        position = events.start_position(params.get("since"), params.get("since_date"))
        page = events.events_after(position, events.parse_limit(params.get("limit")))
        return Response(EventPageSerializer(page).data)
