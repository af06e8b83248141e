"""Reviewer and admin actions on a stage's evaluation panel: seat its evaluators, then close it and record
the stage's result. Each is a POST from the application's page that calls one service and goes back to
the page, where the outcome (or the service's refusal) is shown."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certification import selectors
from certification import services as registry_services
from certification.panels import ReviewStageKind
from certification.roles import Role
from web.access import get_or_404, role_required
from web.errors import report_form_errors, reported
from web.panel_forms import PanelForm, RecordStageForm


def _back(pk: int, stage: str = ""):
    response = redirect("web:review-application", pk=pk)
    if stage:
        response["Location"] += f"#stage-{stage}"
    return response


def _application(request, pk: int):
    return get_or_404(selectors.visible_applications(request.user), pk=pk)


@role_required(Role.REVIEWER)
@require_POST
def form_panel(request, pk: int):
    application = _application(request, pk)
    form = PanelForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return _back(pk)
    stage = form.cleaned_data["stage"]
    with reported(request) as done:
        panel = registry_services.form_panel(
            request.user,
            application_id=application.pk,
            stage=stage,
            evaluators=form.cleaned_data["evaluators"],
        )
    if done:
        messages.success(
            request,
            _("%(stage)s 평가위원 %(count)s명을 배정했습니다.")
            % {"stage": ReviewStageKind(stage).label, "count": panel.seats.count()},
        )
    return _back(pk, stage)


@role_required(Role.REVIEWER)
@require_POST
def record_stage(request, pk: int):
    application = _application(request, pk)
    form = RecordStageForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return _back(pk)
    stage = form.cleaned_data["stage"]
    with reported(request) as done:
        result = registry_services.record_review_stage(
            request.user, application_id=application.pk, stage=stage, comment=form.cleaned_data["comment"]
        )
    if done:
        outcome = _("통과") if result.passed else _("불합격: 신청이 반려되었습니다")
        messages.success(
            request,
            _("%(stage)s 평가를 마감했습니다: 평균 %(score)s점, %(outcome)s.")
            % {"stage": result.get_stage_display(), "score": result.score, "outcome": outcome},
        )
    return _back(pk, stage)
