"""Reviewer and admin pages: the review queue, one application with its workflow actions and audit trail,
and certificate status actions. Every action is a POST that calls one service."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from certification import selectors, workflow
from certification import services as registry_services
from certification.codes import Sector
from certification.filtersets import ApplicationFilterSet, CertificateFilterSet
from certification.models import ApplicationStatus, CertificateStatus
from certification.roles import Role
from web.access import get_or_404, role_required
from web.errors import report_form_errors, reported
from web.forms import (
    CommentForm,
    ReasonForm,
    RequiredCommentForm,
    SupplementForm,
    SuspendUntilForm,
)
from web.panels import evaluator_options, stage_sections

QUEUE_TABS = (
    ("open", gettext_lazy("처리 대기"), (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)),
    ("submitted", ApplicationStatus.SUBMITTED.label, (ApplicationStatus.SUBMITTED,)),
    ("under_review", ApplicationStatus.UNDER_REVIEW.label, (ApplicationStatus.UNDER_REVIEW,)),
    (
        "supplement_requested",
        ApplicationStatus.SUPPLEMENT_REQUESTED.label,
        (ApplicationStatus.SUPPLEMENT_REQUESTED,),
    ),
    ("decided", gettext_lazy("처리 완료"), (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED)),
)
REVIEWER = (Role.REVIEWER,)


def _applications(request):
    return selectors.application_list(selectors.visible_applications(request.user))


def _chosen(request: HttpRequest, name: str) -> list[str]:
    """A page's select sends one value, "" for "all"; the filtersets take a list of chosen values."""
    return [value for value in request.GET.getlist(name) if value]


def _first(values: list[str] | None) -> str:
    return values[0] if values else ""


@role_required(*REVIEWER)
def queue(request: HttpRequest) -> HttpResponse:
    tabs = {key: statuses for key, _label, statuses in QUEUE_TABS}
    tab = request.GET.get("status", "open")
    if tab not in tabs:
        tab = "open"
    # the tab is the page's name for a set of statuses; a value the filterset refuses is left out
    filterset = ApplicationFilterSet(
        {"status": list(tabs[tab]), "sector": _chosen(request, "sector"), "q": request.GET.get("q", "")},
        queryset=_applications(request),
        request=request,
    )
    # oldest submissions first: that is the order reviewers work in
    queryset = (
        filterset.qs.order_by("submitted_at", "id")
        if tab != "decided"
        else filterset.qs.order_by("-decided_at")
    )
    counts = dict(
        selectors.visible_applications(request.user)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "web/review/queue.html",
        {
            "tabs": [
                (key, label, sum(counts.get(s, 0) for s in statuses)) for key, label, statuses in QUEUE_TABS
            ],
            "tab": tab,
            "page": page,
            "sector": _first(filterset.form.cleaned_data.get("sector")),
            "sectors": Sector.choices,
            "q": filterset.form.cleaned_data.get("q", ""),
        },
    )


@role_required(*REVIEWER)
def application_detail(request, pk: int):
    application = get_or_404(
        selectors.application_detail(selectors.visible_applications(request.user), request.user), pk=pk
    )
    return render(
        request,
        "web/review/application_detail.html",
        {
            "application": application,
            "actions": workflow.available_actions(application, request.user),
            "stages": stage_sections(application),
            "evaluators": evaluator_options(application, selectors.appointed_evaluators()),
            "panel_minimum": settings.EVALUATION_PANEL_MINIMUM,
            "comment_form": CommentForm(),
            "required_comment_form": RequiredCommentForm(),
        },
    )


# what the reviewer is told when an action of the workflow went through
DONE = {
    "start_review": gettext_lazy("심사를 시작했습니다."),
    "request_supplement": gettext_lazy("보완을 요청했습니다."),
    "approve": gettext_lazy("승인했습니다."),
    "reject": gettext_lazy("반려했습니다."),
    "suspend": gettext_lazy("인증서를 정지했습니다."),
    "reinstate": gettext_lazy("인증서를 복원했습니다."),
    "revoke": gettext_lazy("인증서를 취소했습니다."),
}


def _act(request, record, action: str, **inputs) -> bool:
    """Runs one action of the workflow on the record and reports how it went; True when it went through."""
    with reported(request) as done:
        result = registry_services.perform(request.user, action, record_id=record.pk, **inputs)
    if done:
        messages.success(request, DONE[action])
        if action == "approve":  # approval issues a certificate: say which
            messages.info(request, _("인증서 %(number)s을(를) 발급했습니다.") % {"number": result.number})
    return bool(done)


def _application_action(request, pk: int, action: str, **inputs):
    _act(request, get_or_404(_applications(request), pk=pk), action, **inputs)
    return redirect("web:review-application", pk=pk)


def _comment(request) -> str:
    return request.POST.get("comment", "").strip()


@role_required(*REVIEWER)
@require_POST
def start_review(request, pk: int):
    return _application_action(request, pk, "start_review", comment=_comment(request))


@role_required(*REVIEWER)
@require_POST
def request_supplement(request, pk: int):
    form = SupplementForm(request.POST)
    if not form.is_valid() and "deadline" in form.errors:
        report_form_errors(request, form, {"deadline": form.errors["deadline"]})
        return redirect("web:review-application", pk=pk)
    # a blank comment goes on to the service, which answers it with the workflow's own prompt
    deadline = form.cleaned_data.get("deadline")
    return _application_action(
        request, pk, "request_supplement", comment=_comment(request), deadline=deadline
    )


@role_required(*REVIEWER)
@require_POST
def approve(request, pk: int):
    return _application_action(request, pk, "approve", comment=_comment(request))


@role_required(*REVIEWER)
@require_POST
def reject(request, pk: int):
    return _application_action(request, pk, "reject", comment=_comment(request))


# ---------------------------------------------------------------- certificates
@role_required(*REVIEWER)
def certificate_list(request: HttpRequest) -> HttpResponse:
    # a value the filterset refuses is left out: the page lists all statuses rather than failing
    filterset = CertificateFilterSet(
        {"status": _chosen(request, "status"), "q": request.GET.get("q", "")},
        queryset=selectors.visible_certificates(request.user).annotate(listing_count=Count("listings")),
        request=request,
    )
    page = Paginator(filterset.qs.order_by("-issued_on", "-id"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "web/review/certificates.html",
        {
            "page": page,
            "status": _first(filterset.form.cleaned_data.get("status")),
            "statuses": CertificateStatus.choices,
            "q": filterset.form.cleaned_data.get("q", ""),
        },
    )


@role_required(*REVIEWER)
def certificate_detail(request, pk: int):
    certificate = get_or_404(selectors.visible_certificates(request.user), pk=pk)
    events = certificate.audit_events.all().order_by("at", "id")
    history = certificate.history.all()
    return render(
        request,
        "web/review/certificate_detail.html",
        {
            "certificate": certificate,
            "actions": workflow.available_actions(certificate, request.user),
            "events": events,
            "history": history,
            "reason_form": ReasonForm(),
            "listings": certificate.listings.all().order_by("name"),
        },
    )


# the certificate actions this page offers; renewal is the supplier's, on the supplier pages
CERTIFICATE_ACTIONS = ("suspend", "reinstate", "revoke")


@role_required(*REVIEWER)
@require_POST
def certificate_action(request, pk: int, action: str):
    if action not in CERTIFICATE_ACTIONS:
        raise Http404
    certificate = get_or_404(selectors.visible_certificates(request.user), pk=pk)
    inputs = {"reason": request.POST.get("reason", "").strip()}
    if action == "suspend":
        form = SuspendUntilForm(request.POST)
        if not form.is_valid():
            messages.error(request, "; ".join(form.errors["until"]))
            return redirect("web:certificate-detail", pk=pk)
        inputs["until"] = form.cleaned_data["until"]
    _act(request, certificate, action, **inputs)
    return redirect("web:certificate-detail", pk=pk)
