"""Forms of the panel pages: forming a stage's panel, closing it, and an evaluator's scoring sheet. They
check the shape of what was typed; who may sit and which scores count is the services' to say."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from certification.panels import EvaluationCriterion, PanelSeat, ReviewStageKind


class UserIdsField(forms.Field):
    """The checked evaluators' user ids; whether each may sit is the service's question."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        try:
            return [int(item) for item in value or []]
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                _("평가위원을 목록에서 고르세요 (choose evaluators from the list).")
            ) from exc


class PanelForm(forms.Form):
    stage = forms.ChoiceField(label=_("심사 단계"), choices=ReviewStageKind.choices)
    evaluators = UserIdsField(label=_("평가위원"), required=False)


class RecordStageForm(forms.Form):
    stage = forms.ChoiceField(label=_("심사 단계"), choices=ReviewStageKind.choices)
    comment = forms.CharField(
        label=_("의견"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class ScoreSheetForm(forms.Form):
    """One number per criterion of the stage, 0 to its points, and a comment."""

    comment = forms.CharField(
        label=_("평가 의견"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args, criteria: list[EvaluationCriterion], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[self.field_name(criterion)] = forms.DecimalField(
                label=criterion.name,
                min_value=0,
                max_value=criterion.weight,
                max_digits=5,
                decimal_places=2,
                help_text=_("0–%(points)s점") % {"points": criterion.weight},
                widget=forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": criterion.weight}),
            )
        self.order_fields([self.field_name(c) for c in criteria] + ["comment"])

    @staticmethod
    def field_name(criterion: EvaluationCriterion) -> str:
        return f"criterion_{criterion.pk}"

    @classmethod
    def initial_from(cls, seat: PanelSeat) -> dict:
        """The sheet as last submitted, so a resubmission starts from it."""
        initial = {f"criterion_{score.criterion_id}": score.points for score in seat.scores.all()}
        initial["comment"] = seat.comment
        return initial

    def scores(self) -> dict[int, Decimal]:
        """The sheet in the shape ``services.score_stage`` takes: points by criterion id."""
        return {c.pk: self.cleaned_data[self.field_name(c)] for c in self.criteria}
