"""The calls-for-applications API (``/api/v1/calls/``): everyone signed in reads, admins write, with
the call's evaluation sheet (criteria and points per stage) and pass score.

Times are ISO 8601 with an offset; they are answered in Korean time (+09:00, the TIME_ZONE setting).
"""

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from certification import services
from certification.api.panel_serializers import CriterionSerializer
from certification.api.views import RegistryViewSet
from certification.calls import Call, CallTaskType
from certification.codes import Sector
from certification.filtersets import CallFilterSet
from certification.panels import EvaluationCriterion
from core.serializers import DigitsField, StrictFieldsMixin


class CallTaskTypeSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    eligible_items = serializers.ListField(
        child=DigitsField(
            10, message="세부품명번호는 10자리 숫자입니다 (a detailed item number is 10 digits)."
        ),
        required=False,
        default=list,
        help_text="10-digit 세부품명번호 the task type allows; empty when any_item",
    )

    class Meta:
        model = CallTaskType
        fields = ["task_type", "any_item", "eligible_items"]


class CriterionWriteSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = EvaluationCriterion
        fields = ["stage", "name", "weight"]


class CallSerializer(serializers.ModelSerializer):
    task_types = CallTaskTypeSerializer(many=True, read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "id",
            "title",
            "year",
            "round",
            "opens_at",
            "closes_at",
            "is_open",
            "sectors",
            "task_types",
            "pass_score",
            "criteria",
            "legacy",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_is_open(self, call: Call) -> bool:
        return call.is_open()


class CallWriteSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    sectors = serializers.ListField(child=serializers.ChoiceField(choices=Sector.choices), min_length=1)
    task_types = CallTaskTypeSerializer(many=True, min_length=1)
    criteria = CriterionWriteSerializer(
        many=True,
        required=False,
        max_length=60,
        help_text="the evaluation sheet: per stage, criteria whose points add up to 100 "
        "(default on a new call: the scheme's sheet)",
    )

    class Meta:
        model = Call
        fields = [*services.CALL_FIELDS, "task_types", "criteria"]
        # (year, round) uniqueness is the service's full_clean's to answer, like every other rule
        validators: list = []


@extend_schema_view(
    create=extend_schema(request=CallWriteSerializer, responses={201: CallSerializer}),
    update=extend_schema(request=CallWriteSerializer, responses=CallSerializer),
    partial_update=extend_schema(request=CallWriteSerializer, responses=CallSerializer),
)
class CallViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    RegistryViewSet,
):
    """Calls for applications (모집공고) with the task types each offers and their eligible items;
    ``?open=true`` lists the calls open now."""

    serializer_class = CallSerializer
    filterset_class = CallFilterSet
    ordering_fields = ["opens_at", "closes_at", "year"]
    ordering = ["-opens_at", "-id"]
    action_roles = {"create": (), "update": (), "partial_update": ()}  # admins only

    def get_queryset(self):
        return Call.objects.prefetch_related("task_types", "criteria")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        call = services.create_call(request.user, **self.validated(CallWriteSerializer))
        return self.read_back(call.pk, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        call = self.get_object()
        fields = self.validated_update(CallWriteSerializer, call, kwargs.get("partial", False))
        services.update_call(request.user, call_id=call.pk, **fields)
        return self.read_back(call.pk)
