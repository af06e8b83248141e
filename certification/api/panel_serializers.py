"""Shapes of evaluation panels as a reader sees them: reviewers every seat, an evaluator their own
(the selectors decide which seats are loaded; these serializers show what they are given)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certification.panels import CriterionScore, EvaluationCriterion, EvaluationPanel, PanelSeat
from certification.selectors import sees_all_applications


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationCriterion
        fields = ["id", "stage", "name", "weight"]


class CriterionScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = CriterionScore
        fields = ["criterion", "points"]


class SeatSerializer(serializers.ModelSerializer):
    evaluator = serializers.SlugRelatedField(slug_field="username", read_only=True)
    scores = CriterionScoreSerializer(many=True, read_only=True)

    class Meta:
        model = PanelSeat
        fields = ["id", "evaluator", "assigned_at", "submitted_at", "total", "comment", "scores"]


class PanelSerializer(serializers.ModelSerializer):
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    seats = SeatSerializer(many=True, read_only=True)
    criteria = serializers.SerializerMethodField()
    average = serializers.SerializerMethodField()
    pass_score = serializers.DecimalField(
        source="application.call.pass_score", max_digits=5, decimal_places=2, read_only=True
    )

    class Meta:
        model = EvaluationPanel
        fields = [
            "id",
            "stage",
            "stage_display",
            "formed_at",
            "closed_at",
            "pass_score",
            "average",
            "criteria",
            "seats",
        ]

    @extend_schema_field(CriterionSerializer(many=True))
    def get_criteria(self, panel: EvaluationPanel) -> list[dict]:
        criteria = [c for c in panel.application.call.criteria.all() if c.stage == panel.stage]
        return CriterionSerializer(criteria, many=True).data

    @extend_schema_field(serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True))
    def get_average(self, panel: EvaluationPanel) -> str | None:
        """Only a reviewer reads the panel's average: an evaluator's view holds their own seat alone.
        A string like every other decimal of the API."""
        average = panel.average() if sees_all_applications(self.context["request"].user) else None
        return None if average is None else f"{average:.2f}"
