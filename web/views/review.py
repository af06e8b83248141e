"""Reviewer and admin pages: the review queue, one application with its workflow actions and audit trail,
and certificate status actions. Every action is a POST that calls one service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from certification import selectors
from certification import services as registry_services
from certification.codes import Sector
from certification.models import ApplicationStatus, CertificateStatus, ReviewStageKind
from certification.roles import Role
from core.domain import Conflict, NotPermitted
from web.access import get_or_404, role_required
from web.errors import report_domain_error, report_validation_error
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
            "stage_form": StageForm(
                initial={"stage": next((k for k in ReviewStageKind.values if k not in recorded), None)}
            ),
            "comment_form": CommentForm(),
            "required_comment_form": RequiredCommentForm(),
            "Status": ApplicationStatus,
        },
    )


def _run(request, pk: int, call, success: str):
    application = get_or_404(_applications(request), pk=pk)
    try:
        call(application.pk)
    except ValidationError as exc:
        report_validation_error(request, exc)
    except (Conflict, NotPermitted) as exc:
        report_domain_error(request, exc)
    else:
        messages.success(request, success)
    return redirect("web:review-application", pk=pk)


def _comment(request) -> str:
    return request.POST.get("comment", "").strip()


@role_required(*REVIEWER)
@require_POST
def start_review(request, pk: int):
    return _run(
        request,
        pk,
        lambda app_id: registry_services.start_review(request.user, app_id, _comment(request)),
        _("심사를 시작했습니다."),
    )


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
    data = form.cleaned_data
    return _run(
        request,
        pk,
        lambda app_id: registry_services.record_review_stage(
            request.user, app_id, data["stage"], data["passed"], data["score"], data["comment"]
        ),
        _("심사 단계 결과를 기록했습니다."),
    )


@role_required(*REVIEWER)
@require_POST
def request_supplement(request, pk: int):
    return _run(
        request,
        pk,
        lambda app_id: registry_services.request_supplement(request.user, app_id, _comment(request)),
        _("보완을 요청했습니다."),
    )


@role_required(*REVIEWER)
@require_POST
def approve(request, pk: int):
    issued = {}

    def call(app_id):
        issued["certificate"] = registry_services.approve_application(request.user, app_id, _comment(request))

    response = _run(request, pk, call, _("승인했습니다."))
    if "certificate" in issued:
        messages.info(
            request, _("인증서 %(number)s을(를) 발급했습니다.") % {"number": issued["certificate"].number}
        )
    return response


@role_required(*REVIEWER)
@require_POST
def reject(request, pk: int):
    return _run(
        request,
        pk,
        lambda app_id: registry_services.reject_application(request.user, app_id, _comment(request)),
        _("반려했습니다."),
    )


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
            "events": events,
            "reason_form": ReasonForm(),
            "listings": certificate.listings.all().order_by("name"),
            "Status": CertificateStatus,
        },
    )


CERTIFICATE_ACTIONS = {
    "suspend": (registry_services.suspend_certificate, gettext_lazy("인증서를 정지했습니다.")),
    "reinstate": (registry_services.reinstate_certificate, gettext_lazy("인증서를 복원했습니다.")),
    "revoke": (registry_services.revoke_certificate, gettext_lazy("인증서를 취소했습니다.")),
}


@role_required(*REVIEWER)
@require_POST
def certificate_action(request, pk: int, action: str):
    if action not in CERTIFICATE_ACTIONS:
        raise Http404
    certificate = get_or_404(selectors.visible_certificates(request.user), pk=pk)
    service, success = CERTIFICATE_ACTIONS[action]
    try:
        service(request.user, certificate.pk, request.POST.get("reason", "").strip())
    except ValidationError as exc:
        report_validation_error(request, exc)
    except (Conflict, NotPermitted) as exc:
        report_domain_error(request, exc)
    else:
        messages.success(request, success)
    return redirect("web:certificate-detail", pk=pk)
