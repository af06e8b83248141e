"""The admin of calls for applications (task types and the evaluation sheet inline) and of evaluation
panels (read-only: reviewers form them and evaluators score through the services)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from certification import services
from certification.admin import ReadOnlyInline
from certification.calls import Call, CallTaskType
from certification.panels import (
    EvaluationCriterion,
    EvaluationPanel,
    PanelSeat,
    ReviewStageKind,
    criteria_problem,
)


class CallTaskTypeInline(admin.TabularInline):
    model = CallTaskType
    extra = 1


class CriteriaFormSet(forms.BaseInlineFormSet):
    """The evaluation sheet is checked as a whole: each stage's points add up to 100. Left empty on a new
    call, the scheme's default sheet is used."""

    def clean(self) -> None:
        super().clean()
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not rows and self.instance.pk is None:
            return
        problems = []
        for stage in ReviewStageKind:
            weights = [EvaluationCriterion(weight=row["weight"]) for row in rows if row["stage"] == stage]
            problem = criteria_problem(weights)
            if problem is not None:
                problems.append(f"{stage.label}: {problem}")
        if problems:
            raise ValidationError(problems)


class EvaluationCriterionInline(admin.TabularInline):
    model = EvaluationCriterion
    formset = CriteriaFormSet
    fields = ["stage", "name", "weight"]
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    """Calls for applications; saved through the same services as the API (row lock, audit)."""

    list_display = ("title", "year", "round", "opens_at", "closes_at", "pass_score", "legacy")
    list_filter = ("year", "legacy")
    readonly_fields = ("legacy",)
    inlines = [CallTaskTypeInline, EvaluationCriterionInline]

    def save_model(self, request: HttpRequest, obj: Call, form: forms.ModelForm, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in services.CALL_FIELDS}
        if change:
            services.update_call(request.user, call_id=obj.pk, **fields)
        else:
            obj.pk = services.create_call(request.user, task_types=[], **fields).pk

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: list, change: bool) -> None:
        def kept(model: type, names: tuple[str, ...]) -> list[dict[str, Any]]:
            return [
                {name: f.cleaned_data[name] for name in names}
                for formset in formsets
                if formset.model is model
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]

        # an unchanged sheet is not rewritten: once evaluators have scored against it, it cannot be
        sheet_changed = any(fs.has_changed() for fs in formsets if fs.model is EvaluationCriterion)
        services.update_call(
            request.user,
            call_id=form.instance.pk,
            task_types=kept(CallTaskType, ("task_type", "any_item", "eligible_items")),
            criteria=kept(EvaluationCriterion, ("stage", "name", "weight")) if sheet_changed else None,
        )
        for formset in formsets:  # the service saved them; the admin's change message reads these lists
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class SeatInline(ReadOnlyInline):
    model = PanelSeat
    fields = ["evaluator", "assigned_at", "submitted_at", "total", "comment"]
    readonly_fields = fields


@admin.register(EvaluationPanel)
class EvaluationPanelAdmin(admin.ModelAdmin):
    """Panels are read here; reviewers form them and evaluators score on the review pages and the API,
    through the services that check the order of stages and conflicts of interest."""

    list_display = ["application", "stage", "formed_at", "closed_at"]
    list_filter = ["stage", "application__call"]
    search_fields = ["application__product_name", "seats__evaluator__username"]
    readonly_fields = ["application", "stage", "formed_by", "formed_at", "closed_at"]
    inlines = [SeatInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: EvaluationPanel | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: EvaluationPanel | None = None) -> bool:
        return False
