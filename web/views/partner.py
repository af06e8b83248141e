"""The partner enterprise's pages (협력 요청): its members read the applications and certificates that
name their company and answer the applicant's request for confirmation. Nothing here edits an application;
reads come from ``selectors.partner_requests`` / ``partner_certificates`` (anything else is a 404) and the
answers go through the services, which check again that the user answers for the partner."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certification import selectors, workflow
from certification import services as registry_services
from certification.identity import company_of
from certification.partners import ConfirmationStatus
from web.access import get_or_404
from web.errors import reported

#: the partner's answers, as the workflow table names them
ANSWERS = ("confirm_partnership", "decline_partnership")


def member_required(view):
    """The partner's pages act for the company the user is a member of, whatever the role;
    ``request.company`` is it. A user of no company has none of them (403)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        company = company_of(request.user)
        if company is None:
            raise PermissionDenied
        request.company = company
        return view(request, *args, **kwargs)

    return wrapped


def waiting_answer(application) -> bool:
    """Whether a request to this company waits for its answer (the rows are the partner's own, prefetched);
    a withdrawn application's request waits for nothing."""
    return application.status in workflow.EDITABLE_STATUSES and any(
        c.status == ConfirmationStatus.REQUESTED for c in application.partner_confirmations.all()
    )


@member_required
def partner_requests(request):
    applications = list(selectors.partner_requests(request.user).order_by("-created_at", "-id"))
    for application in applications:
        application.waiting = waiting_answer(application)
        # oldest first (the model's order): the last is the latest request to this company
        application.latest_confirmation = ([None, *application.partner_confirmations.all()])[-1]
    certificates = selectors.partner_certificates(request.user).order_by("-issued_on", "-id")
    return render(
        request,
        "web/partner/requests.html",
        {
            "company": request.company,
            "waiting": [a for a in applications if a.waiting],
            "applications": applications,
            "certificates": certificates,
        },
    )


@member_required
def partner_request_detail(request, pk: int):
    application = get_or_404(selectors.partner_requests(request.user), pk=pk)
    answers = workflow.available_actions(application, request.user) if waiting_answer(application) else ()
    return render(
        request,
        "web/partner/request_detail.html",
        {
            "application": application,
            "confirmations": sorted(
                application.partner_confirmations.all(), key=lambda c: (c.requested_at, c.pk), reverse=True
            ),
            "answers": [name for name in answers if name in ANSWERS],
        },
    )


def _answer(request, pk: int, action: str, done: str, **inputs: str):
    application = get_or_404(selectors.partner_requests(request.user), pk=pk)
    with reported(request) as ok:
        registry_services.perform(request.user, action, record_id=application.pk, **inputs)
    if ok:
        messages.success(request, done)
    return redirect("web:partner-request", pk=pk)


@member_required
@require_POST
def partner_confirm(request, pk: int):
    comment = request.POST.get("comment", "").strip()[:5000]
    return _answer(request, pk, "confirm_partnership", _("참여를 확인했습니다."), comment=comment)


@member_required
@require_POST
def partner_decline(request, pk: int):
    reason = request.POST.get("reason", "").strip()[:5000]
    return _answer(
        request,
        pk,
        "decline_partnership",
        _("참여를 거절했습니다. 신청기업에 사유가 전달됩니다."),
        reason=reason,
    )
