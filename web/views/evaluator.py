"""Evaluator pages: the panels a user sits on, and one seat's application with its scoring sheet.

A seat is found among the user's own seats only (``selectors.assigned_seats``), and its application among
the applications assigned to them, so any other application is not found (404). The page shows the
evaluator's own sheet and never another evaluator's: ``selectors.application_detail`` prefetches only
their own seat. The sheet may be submitted again until the panel closes; after that it is read-only, and
a late POST is refused by the service (``panel_closed``) with the message on the page.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from certification import selectors
from certification import services as registry_services
from certification.roles import Role
from web.access import get_or_404, role_required
from web.errors import reported
from web.panel_forms import ScoreSheetForm


@role_required(Role.EVALUATOR)
def assignments(request):
    seats = list(selectors.assigned_seats(request.user))
    return render(
        request,
        "web/evaluator/assignments.html",
        {
            "open_seats": [seat for seat in seats if seat.panel.is_open],
            "closed_seats": [seat for seat in seats if not seat.panel.is_open],
        },
    )


@role_required(Role.EVALUATOR)
def evaluation(request, pk: int):
    seat = get_or_404(selectors.assigned_seats(request.user).prefetch_related("scores"), pk=pk)
    application = get_or_404(
        selectors.application_detail(selectors.visible_applications(request.user), request.user),
        pk=seat.panel.application_id,
    )
    criteria = [c for c in application.call.criteria.all() if c.stage == seat.panel.stage]
    form = ScoreSheetForm(request.POST or None, criteria=criteria, initial=ScoreSheetForm.initial_from(seat))
    scores = {score.criterion_id: score.points for score in seat.scores.all()}
    status = 200
    if request.method == "POST" and not seat.panel.is_open:
        # a closed panel takes no sheet: say so plainly (the service refuses it too, also when the close
        # races this request, and its refusal is then shown the same way)
        messages.error(
            request, _("평가가 이미 마감되었습니다 (the panel has closed: its result is recorded).")
        )
        status = 409
    elif request.method == "POST":
        if form.is_valid():
            with reported(request, form) as done:
                registry_services.score_stage(
                    request.user,
                    application_id=application.pk,
                    stage=seat.panel.stage,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
            if done:
                messages.success(
                    request, _("평가표를 제출했습니다. 평가 마감 전까지 고쳐 다시 제출할 수 있습니다.")
                )
                return redirect("web:evaluation", pk=seat.pk)
            seat.panel.refresh_from_db()  # the panel may have closed meanwhile: show it read-only
        status = 400
    return render(
        request,
        "web/evaluator/evaluation.html",
        {
            "seat": seat,
            "application": application,
            "sheet": [(c, scores.get(c.pk)) for c in criteria],
            "earlier_results": [r for r in application.stages.all() if r.stage != seat.panel.stage],
            "form": form,
        },
        status=status,
    )
