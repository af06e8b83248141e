"""Template helpers: per-role navigation, money, expiry badges and safe highlight marks."""

import html
import re

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from catalog.visibility import expiry_state
from certification.identity import company_id_of
from certification.partners import ConfirmationStatus
from certification.roles import Role, has_role

register = template.Library()

# (url name, label, roles that see it); an admin sees everything
NAVIGATION = (
    ("web:search", _("제품 검색"), (Role.OFFICER, Role.REVIEWER, Role.SUPPLIER)),
    ("web:shortlists", _("관심 제품"), (Role.OFFICER,)),
    ("web:saved-searches", _("저장한 검색"), (Role.OFFICER,)),
    ("web:supplier-dashboard", _("우리 회사"), (Role.SUPPLIER,)),
    ("web:application-create", _("인증 신청"), (Role.SUPPLIER,)),
    ("web:supplier-listings", _("제품 관리"), (Role.SUPPLIER,)),
    ("web:review-queue", _("심사 대기열"), (Role.REVIEWER,)),
    ("web:certificate-list", _("인증서 관리"), (Role.REVIEWER,)),
    ("web:evaluations", _("내 평가"), (Role.EVALUATOR,)),
    ("web:partner-requests", _("협력 요청"), ()),
    ("web:exports", _("나라장터 피드"), ()),
    ("accounts:members", _("구성원"), (Role.SUPPLIER,)),
    ("accounts:officer-requests", _("담당자 승인"), ()),
    ("web:program", _("프로그램 현황"), (Role.PROGRAM_STAFF,)),
)


@register.simple_tag(takes_context=True)
def nav_items(context) -> list[dict]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        # the public catalog is the only thing an anonymous visitor can open
        url = reverse("web:search")
        return [{"url": url, "label": _("제품 검색"), "current": _is_current(request.path, url)}]
    is_admin = has_role(user, Role.ADMIN)
    supplier = has_role(user, Role.SUPPLIER)
    items = []
    for name, label, roles in NAVIGATION:
        if role_sees(user, roles, is_admin, supplier, name):
            items.append({"url": reverse(name), "label": label, "current": False})
    # the most specific entry is the current one (/supplier/applications/new/ over /supplier/)
    matching = [item for item in items if _is_current(request.path, item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["current"] = True
    return items


def role_sees(user, roles, is_admin: bool, supplier: bool, name: str) -> bool:
    if name.startswith(("web:supplier", "web:application-create", "accounts:members")):
        # supplier pages act for the user's company; an admin without one has nothing to show there
        return supplier
    if name == "web:partner-requests":
        # the partner's view of what names the user's company: any member of a company, whatever the role
        return company_id_of(user) is not None
    if name == "web:evaluations":
        # an evaluator's own seats; an admin is no evaluator (scores are the evaluator's own)
        return has_role(user, Role.EVALUATOR)
    return is_admin or any(has_role(user, role) for role in roles)


def _is_current(path: str, url: str) -> bool:
    if url == "/":
        return path == "/"
    return path.startswith(url)


@register.filter
def partner_answer_label(status: str) -> str:
    """A partner confirmation's status as its label (``confirmed`` → 참여 확인 (confirmed))."""
    return str(ConfirmationStatus(status).label) if status in ConfirmationStatus.values else ""


@register.filter
def krw(value) -> str:
    """125000 → 125,000원"""
    if value in (None, ""):
        return ""
    try:
        return f"{int(value):,}원"
    except (TypeError, ValueError):
        return str(value)


@register.filter
def intcomma(value) -> str:
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


@register.simple_tag
def expiry_badge(expires_on, status: str = "active") -> SafeString:
    state = expiry_state(expires_on, status)
    if state == "expired":
        return format_html('<span class="badge badge-danger">{}</span>', _("만료"))
    if state == "expiring":
        days = (expires_on - timezone.localdate()).days
        return format_html(
            '<span class="badge badge-warning">{} · {}</span>',
            _("만료 임박"),
            _("%(days)s일 남음") % {"days": days},
        )
    return format_html('<span class="badge badge-ok">{}</span>', _("유효"))


_MARK = re.compile(r"(</?em>)")


@register.simple_tag
def highlighted(highlights: dict | None, field: str, fallback: str = "") -> SafeString:
    """A highlight fragment with only our own ``<mark>`` tags as markup.

    Backends return escaped text with ``<em>`` around matches. We do not trust that string as HTML: it is
    split on the marks, each piece unescaped and escaped again, and the marks rebuilt, so a product named
    ``<script>`` can never become markup whatever a backend returns.
    """
    fragment = (highlights or {}).get(field)
    if not fragment:
        return escape(fallback)
    parts: list[str] = []
    inside = False
    for piece in _MARK.split(fragment):
        if piece == "<em>":
            inside = True
        elif piece == "</em>":
            inside = False
        elif piece:
            text = escape(html.unescape(piece))
            parts.append(format_html("<mark>{}</mark>", text) if inside else text)
    return format_html_join("", "{}", ((part,) for part in parts))


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None or "" removes them)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def facet_url(context, param: str, value) -> str:
    """The current search with one filter set (or removed when ``value`` is empty), back on page 1."""
    request = context["request"]
    params = request.GET.copy()
    params.pop("page", None)
    if param == "price":
        # a band replaces typed limits and the other way round
        params.pop("price_min", None)
        params.pop("price_max", None)
    if value in (None, ""):
        params.pop(param, None)
    else:
        params[param] = value
    encoded = params.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


AUDIT_ACTIONS = {
    "create": _("신청서 작성"),
    "create_renewal": _("갱신 신청서 작성"),
    "attach_evidence": _("증빙 첨부"),
    "remove_evidence": _("증빙 삭제"),
    "submit": _("제출"),
    "withdraw": _("취하"),
    "start_review": _("심사 시작"),
    "request_supplement": _("보완 요청"),
    "form_panel": _("평가위원 배정"),
    "score_stage": _("평가표 제출"),
    "stage_presentation": _("대면평가 기록"),
    "stage_site": _("현장평가 기록"),
    "stage_committee": _("심의위원회 기록"),
    "approve": _("승인"),
    "reject": _("반려"),
    "issue": _("인증서 발급"),
    "suspend": _("인증 정지"),
    "reinstate": _("인증 복원"),
    "revoke": _("인증 취소"),
    "expire": _("기간 만료"),
    "superseded": _("갱신으로 대체"),
}


@register.filter
def audit_action(action: str) -> str:
    return AUDIT_ACTIONS.get(action, action)


@register.filter
def state_label(state: str, empty: str = "—") -> str:
    """A certificate's or an application's status in the page's language; ``empty`` when there is none."""
    from certification.models import ApplicationStatus, CertificateStatus

    labels = {**dict(CertificateStatus.choices), **dict(ApplicationStatus.choices)}
    return labels.get(state, state) if state else empty


@register.filter
def status_class(status: str) -> str:
    return {
        "draft": "badge-muted",
        "submitted": "badge-info",
        "under_review": "badge-info",
        "supplement_requested": "badge-warning",
        "approved": "badge-ok",
        "active": "badge-ok",
        "rejected": "badge-danger",
        "revoked": "badge-danger",
        "suspended": "badge-warning",
        "expired": "badge-muted",
        "withdrawn": "badge-muted",
        "succeeded": "badge-ok",
        "failed": "badge-danger",
        "running": "badge-info",
        "queued": "badge-info",
        "cancelled": "badge-muted",
        # bulk uploads (catalog.uploads)
        "checking": "badge-info",
        "checked": "badge-ok",
        "refused": "badge-danger",
        "commit_queued": "badge-info",
        "committing": "badge-info",
        "committed": "badge-ok",
        # a partner's answer (certification.partners)
        "requested": "badge-warning",
        "confirmed": "badge-ok",
        "declined": "badge-danger",
        "invalidated": "badge-muted",
    }.get(str(status), "badge-muted")


@register.filter
def delist_label(reason: str) -> str:
    """Why a listing is not in the catalog, in the page's language (``catalog.visibility.DelistReason``)."""
    from catalog.public import GONE_REASONS

    label = GONE_REASONS.get(reason)
    return str(label[0]) if label else reason


@register.filter
def nara_item_url(goods_identification_number: str) -> str:
    from catalog.links import nara_item_url as url_of

    return url_of(goods_identification_number or "")
