"""What the platform tells people about, as data: each kind, whether a user may turn it off, and which
registry fact (an audit action) raises which kind for whom.

This table is the one home of those rules: the receivers (``notifications.receivers``) read it, the
preferences page offers the optional kinds from it, and docs/notifications.md lists it.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils import translation
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    APPLICATION_RECEIVED = "application_received", pgettext_lazy("kind", "신청 접수")
    SUPPLEMENT_REQUESTED = "supplement_requested", pgettext_lazy("kind", "보완 요청")
    STAGE_RESULT = "stage_result", pgettext_lazy("kind", "심사 단계 결과")
    APPROVED = "approved", pgettext_lazy("kind", "승인·인증서 발급")
    REJECTED = "rejected", pgettext_lazy("kind", "반려")
    CERTIFICATE_SUSPENDED = "certificate_suspended", pgettext_lazy("kind", "인증 정지")
    CERTIFICATE_REINSTATED = "certificate_reinstated", pgettext_lazy("kind", "인증 정지 해제")
    CERTIFICATE_REVOKED = "certificate_revoked", pgettext_lazy("kind", "인증 취소")
    EXPIRY_REMINDER = "expiry_reminder", pgettext_lazy("kind", "인증 만료 예정")
    PARTNER_CONFIRMATION_REQUESTED = (
        "partner_confirmation_requested",
        pgettext_lazy("kind", "협력기업 참여 확인 요청"),
    )
    PARTNER_CONFIRMED = "partner_confirmed", pgettext_lazy("kind", "협력기업 참여 확인")
    PARTNER_DECLINED = "partner_declined", pgettext_lazy("kind", "협력기업 참여 거절")
    EXPORT_FINISHED = "export_finished", pgettext_lazy("kind", "내보내기 완료")
    SAVED_SEARCH_MATCHES = "saved_search_matches", pgettext_lazy("kind", "저장한 검색의 새 제품")


# Kinds no one may turn off: each asks the recipient to act by a date, or changes what the company may
# sell. The rest are news a user may choose to read in the inbox only.
ESSENTIAL: frozenset[str] = frozenset(
    {
        Kind.SUPPLEMENT_REQUESTED,
        Kind.APPROVED,
        Kind.REJECTED,
        Kind.CERTIFICATE_SUSPENDED,
        Kind.CERTIFICATE_REVOKED,
        Kind.PARTNER_CONFIRMATION_REQUESTED,
        Kind.PARTNER_DECLINED,
    }
)
OPTIONAL: tuple[str, ...] = tuple(kind for kind in Kind.values if kind not in ESSENTIAL)


class Audience(StrEnum):
    """Who hears of a fact about an application or a certificate."""

    # the members of the applying company (the certificate's holder)
    SUPPLIER = "supplier members"
    # the members of the partner company the application names
    PARTNER = "partner members"


@dataclass(frozen=True)
class Rule:
    kind: Kind
    audience: Audience


# audit action (certification.services._records.audit) → what it raises, for whom. The partner actions
# are written by the partner-confirmation work (issue 17 §2); mapped here so they notify once it lands.
# fmt: off
FROM_AUDIT: dict[str, Rule] = {
    "submit":                          Rule(Kind.APPLICATION_RECEIVED, Audience.SUPPLIER),
    "request_supplement":              Rule(Kind.SUPPLEMENT_REQUESTED, Audience.SUPPLIER),
    "stage_presentation":              Rule(Kind.STAGE_RESULT, Audience.SUPPLIER),
    "stage_site":                      Rule(Kind.STAGE_RESULT, Audience.SUPPLIER),
    "stage_committee":                 Rule(Kind.STAGE_RESULT, Audience.SUPPLIER),
    # "issue", not "approve": the certificate exists (and its document can be attached) only at issue
    "issue":                           Rule(Kind.APPROVED, Audience.SUPPLIER),
    "reject":                          Rule(Kind.REJECTED, Audience.SUPPLIER),
    "fail_stage":                      Rule(Kind.REJECTED, Audience.SUPPLIER),
    "suspend":                         Rule(Kind.CERTIFICATE_SUSPENDED, Audience.SUPPLIER),
    "reinstate":                       Rule(Kind.CERTIFICATE_REINSTATED, Audience.SUPPLIER),
    "lift_suspension":                 Rule(Kind.CERTIFICATE_REINSTATED, Audience.SUPPLIER),
    "revoke":                          Rule(Kind.CERTIFICATE_REVOKED, Audience.SUPPLIER),
    "partner_confirmation_requested":  Rule(Kind.PARTNER_CONFIRMATION_REQUESTED, Audience.PARTNER),
    "partner_confirmed":               Rule(Kind.PARTNER_CONFIRMED, Audience.SUPPLIER),
    "partner_declined":                Rule(Kind.PARTNER_DECLINED, Audience.SUPPLIER),
}
# fmt: on


def is_essential(kind: str) -> bool:
    return kind in ESSENTIAL


def split_label(label: str) -> tuple[str, str]:
    """A choice label as (Korean, English), whatever language is active: a notification carries both.
    Pass the lazy label (``Kind(value).label``), not ``get_FOO_display()``, which is already a string in
    the active language."""
    with translation.override("ko"):
        korean = str(label)
    with translation.override("en"):
        english = str(label)
    return korean, english
