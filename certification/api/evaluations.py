"""The evaluators' side of the API: an evaluator's assignments (``/api/v1/evaluations/``) and, for
reviewers forming a panel, the appointed evaluators with their conflicts of interest
(``/api/v1/evaluators/?application=…``)."""

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.exceptions import ValidationError

from certification import selectors
from certification.api.views import RegistryViewSet
from certification.models import CertificationApplication
from certification.panels import PanelSeat
from certification.roles import Role
from certification.services.panels import tied_to_application


class AssignmentSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="panel.application_id", read_only=True)
    product_name = serializers.CharField(source="panel.application.product_name", read_only=True)
    supplier = serializers.CharField(source="panel.application.supplier.name", read_only=True)
    partner = serializers.CharField(source="panel.application.partner.name", read_only=True)
    call = serializers.CharField(source="panel.application.call.title", read_only=True)
    stage = serializers.CharField(source="panel.stage", read_only=True)
    stage_display = serializers.CharField(source="panel.get_stage_display", read_only=True)
    panel_open = serializers.BooleanField(source="panel.is_open", read_only=True)

    class Meta:
        model = PanelSeat
        fields = [
            "id",
            "application",
            "product_name",
            "supplier",
            "partner",
            "call",
            "stage",
            "stage_display",
            "panel_open",
            "assigned_at",
            "submitted_at",
            "total",
        ]


class EvaluationViewSet(mixins.ListModelMixin, RegistryViewSet):
    """The signed-in evaluator's seats on evaluation panels, open panels first; the application itself
    (``/api/v1/applications/{id}/``) shows the criteria and the evaluator's own sheet, and its
    ``score-stage`` route takes the sheet."""

    serializer_class = AssignmentSerializer
    allowed_roles = (Role.EVALUATOR,)
    ordering_fields: list[str] = []

    def get_queryset(self):
        return selectors.assigned_seats(self.request.user)


class EvaluatorSerializer(serializers.ModelSerializer):
    company = serializers.CharField(
        source="membership.company.name", default=None, read_only=True, allow_null=True
    )
    conflict_of_interest = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "first_name", "last_name", "company", "conflict_of_interest"]

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_conflict_of_interest(self, user) -> bool | None:
        """Whether the evaluator belongs to the applicant or its partner (None without ``?application``)."""
        application = self.context.get("application")
        return None if application is None else tied_to_application(user, application)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "application", OpenApiTypes.INT, description="mark the evaluators tied to this application"
            )
        ]
    )
)
class EvaluatorViewSet(mixins.ListModelMixin, RegistryViewSet):
    """The users appointed as evaluators, for reviewers forming a panel."""

    serializer_class = EvaluatorSerializer
    allowed_roles = (Role.REVIEWER,)
    ordering_fields: list[str] = []

    def get_queryset(self):
        return selectors.appointed_evaluators()

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        raw = self.request.query_params.get("application")
        if raw is not None:
            context["application"] = self._application(raw)
        return context

    def _application(self, raw: str) -> CertificationApplication:
        if not raw.isascii() or not raw.isdigit() or len(raw) > 10:
            raise ValidationError({"application": ["신청 번호는 숫자입니다 (an application id)."]})
        application = selectors.visible_applications(self.request.user).filter(pk=int(raw)).first()
        if application is None:
            raise ValidationError({"application": ["없는 신청입니다 (no such application)."]})
        return application
