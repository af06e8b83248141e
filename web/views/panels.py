"""Reviewer and admin actions on a stage's evaluation panel: seat its evaluators, then close it and record
the stage's result. Each is a POST from the application's page that calls one service and goes back to
the page, where the outcome (or the service's refusal) is shown."""

from collections.abc import Callable

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


def _stage_action(request, pk: int, form_class, act: Callable[..., str]):
    """Checks the posted form for an application the user may see (404 otherwise), runs ``act`` on its
    values (a service call that returns the success message) and goes back to the stage on the page; the
    form's errors and the service's refusals are shown there as messages."""
    get_or_404(selectors.visible_applications(request.user), pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return _back(pk)
    with reported(request) as done:
        message = act(request.user, pk, form.cleaned_data)
    if done:
        messages.success(request, message)
    return _back(pk, form.cleaned_data["stage"])


def _seat_panel(user, pk: int, data: dict) -> str:
    panel = registry_services.form_panel(
        user, application_id=pk, stage=data["stage"], evaluators=data["evaluators"]
    )
    label = ReviewStageKind(data["stage"]).label
    return _("%(stage)s 평가위원 %(count)s명을 배정했습니다.") % {
        "stage": label,
        "count": panel.seats.count(),
    }


def _close_panel(user, pk: int, data: dict) -> str:
    result = registry_services.record_review_stage(
        user, application_id=pk, stage=data["stage"], comment=data["comment"]
    )
    outcome = _("통과") if result.passed else _("불합격: 신청이 반려되었습니다")
    return _("%(stage)s 평가를 마감했습니다: 평균 %(score)s점, %(outcome)s.") % {
        "stage": result.get_stage_display(),
        "score": result.score,
        "outcome": outcome,
    }


@role_required(Role.REVIEWER)
@require_POST
def form_panel(request, pk: int):
    return _stage_action(request, pk, PanelForm, _seat_panel)


@role_required(Role.REVIEWER)
@require_POST
def record_stage(request, pk: int):
    return _stage_action(request, pk, RecordStageForm, _close_panel)
