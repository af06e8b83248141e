"""Procurement officers sign up like everyone and get the officer role when approved: by a site
administrator, or at once when their verified e-mail is at a domain in ``OFFICER_AUTO_APPROVE_DOMAINS``."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import OfficerRequest, OfficerRequestStatus
from certification.roles import Role, is_admin
from core.domain import Conflict, NotPermitted


def auto_approves(email: str) -> bool:
    """Whether ``email``'s domain is, or ends in, a configured domain on whole labels ("go.kr" takes
    "mois.go.kr" and "go.kr", never "ago.kr")."""
    domain = email.rpartition("@")[2].strip().lower().rstrip(".")
    if not domain:
        return False
    for suffix in settings.OFFICER_AUTO_APPROVE_DOMAINS:
        suffix = suffix.strip().lower().strip(".")
        if suffix and (domain == suffix or domain.endswith(f".{suffix}")):
            return True
    return False


def request_officer_role(user, *, organisation: str = "") -> OfficerRequest:
    request, _ = OfficerRequest.objects.get_or_create(
        user=user, defaults={"organisation": organisation[:200]}
    )
    return request


def _grant(officer_request: OfficerRequest, actor, *, automatic: bool) -> OfficerRequest:
    group, _ = Group.objects.get_or_create(name=Role.OFFICER.value)
    officer_request.user.groups.add(group)
    officer_request.status = OfficerRequestStatus.APPROVED
    officer_request.decided_at = timezone.now()
    officer_request.decided_by = actor
    officer_request.automatic = automatic
    officer_request.save(update_fields=["status", "decided_at", "decided_by", "automatic"])
    return officer_request


@transaction.atomic
def email_verified(user, *, email: str) -> OfficerRequest | None:
    """Called when ``user`` verified ``email``: a pending officer at an approved domain is approved."""
    officer_request = OfficerRequest.objects.select_for_update().filter(user=user).first()
    if officer_request is None or officer_request.status != OfficerRequestStatus.PENDING:
        return officer_request
    if auto_approves(email):
        return _grant(officer_request, None, automatic=True)
    return officer_request


def _decidable(actor, officer_request: OfficerRequest) -> OfficerRequest:
    if not is_admin(actor):
        raise NotPermitted("관리자만 담당자를 승인합니다 (only administrators approve officers).")
    officer_request = (
        OfficerRequest.objects.select_for_update().select_related("user").get(pk=officer_request.pk)
    )
    if officer_request.status != OfficerRequestStatus.PENDING:
        raise Conflict(
            "이미 결정된 요청입니다 (this request was already decided).", code="officer_request_decided"
        )
    return officer_request


@transaction.atomic
def approve_officer(actor, *, officer_request: OfficerRequest) -> OfficerRequest:
    return _grant(_decidable(actor, officer_request), actor, automatic=False)


@transaction.atomic
def reject_officer(actor, *, officer_request: OfficerRequest) -> OfficerRequest:
    officer_request = _decidable(actor, officer_request)
    officer_request.status = OfficerRequestStatus.REJECTED
    officer_request.decided_at = timezone.now()
    officer_request.decided_by = actor
    officer_request.save(update_fields=["status", "decided_at", "decided_by"])
    return officer_request
