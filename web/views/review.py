"""Reviewer and admin pages: the review queue, one application with its workflow actions and audit trail,
and certificate status actions. Every action is a POST that calls one service."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from certification import selectors, workflow
from certification import services as registry_services
from certification.codes import Sector
from certification.models import ApplicationStatus, CertificateStatus, ReviewStageKind
from certification.roles import Role
from web.access import get_or_404, role_required
from web.errors import reported
from web.forms import CommentForm, ReasonForm, RequiredCommentForm, StageForm

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


@role_required(*REVIEWER)
def queue(request):
    tabs = {key: (label, statuses) for key, label, statuses in QUEUE_TABS}
    tab = request.GET.get("status", "open")
    if tab not in tabs:
        tab = "open"
    queryset = _applications(request).filter(status__in=tabs[tab][1])
    sector = request.GET.get("sector", "")
    if sector in Sector.values:
        queryset = queryset.filter(sector=sector)
    text = request.GET.get("q", "").strip()
    if text:
        queryset = queryset.filter(Q(product_name__icontains=text) | Q(supplier__name__icontains=text))
    # oldest submissions first: that is the order reviewers work in
    queryset = (
        queryset.order_by("submitted_at", "id") if tab != "decided" else queryset.order_by("-decided_at")
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
            "sector": sector,
            "sectors": Sector.choices,
            "q": text,
        },
    )


@role_required(*REVIEWER)
def application_detail(request, pk: int):
    application = get_or_404(
        selectors.application_detail(selectors.visible_applications(request.user)), pk=pk
    )
    recorded = {stage.stage for stage in application.stages.all()}
    return render(
        request,
        "web/review/application_detail.html",
        {
            "application": application,
            "actions": workflow.available_actions(application, request.user),
            "stage_form": StageForm(
                initial={"stage": next((k for k in ReviewStageKind.values if k not in recorded), None)}
            ),
            "comment_form": CommentForm(),
            "required_comment_form": RequiredCommentForm(),
        },
    )


# what the reviewer is told when an action of the workflow went through
DONE = {
    "start_review": gettext_lazy("심사를 시작했습니다."),
    "record_stage": gettext_lazy("심사 단계 결과를 기록했습니다."),
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
def record_stage(request, pk: int):
    form = StageForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("web:review-application", pk=pk)
    return _application_action(request, pk, "record_stage", **form.cleaned_data)


@role_required(*REVIEWER)
@require_POST
def request_supplement(request, pk: int):
    return _application_action(request, pk, "request_supplement", comment=_comment(request))


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
def certificate_list(request):
    queryset = selectors.visible_certificates(request.user).annotate(listing_count=Count("listings"))
    status = request.GET.get("status", "")
    if status in CertificateStatus.values:
        queryset = queryset.filter(status=status)
    text = request.GET.get("q", "").strip()
    if text:
        queryset = queryset.filter(
            Q(number__icontains=text) | Q(product_name__icontains=text) | Q(supplier__name__icontains=text)
        )
    page = Paginator(queryset.order_by("-issued_on", "-id"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "web/review/certificates.html",
        {"page": page, "status": status, "statuses": CertificateStatus.choices, "q": text},
    )


@role_required(*REVIEWER)
def certificate_detail(request, pk: int):
    certificate = get_or_404(selectors.visible_certificates(request.user), pk=pk)
    events = certificate.audit_events.all().order_by("at", "id")
    return render(
        request,
        "web/review/certificate_detail.html",
        {
            "certificate": certificate,
            "actions": workflow.available_actions(certificate, request.user),
            "events": events,
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
    _act(request, certificate, action, reason=request.POST.get("reason", "").strip())
    return redirect("web:certificate-detail", pk=pk)
