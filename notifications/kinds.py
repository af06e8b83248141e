"""What the platform tells people about, as data: each kind, whether a user may turn it off, and which
registry fact (an audit action) raises which kind for whom.

This table is the one home of those rules: the receivers (``notifications.receivers``) read it, the
preferences page offers the optional kinds from it, and docs/notifications.md lists it.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models


class Kind(models.TextChoices):
    APPLICATION_RECEIVED = "application_received", "신청 접수 (application received)"
    SUPPLEMENT_REQUESTED = "supplement_requested", "보완 요청 (supplement requested)"
    STAGE_RESULT = "stage_result", "심사 단계 결과 (review stage result)"
    APPROVED = "approved", "승인·인증서 발급 (approved, certificate issued)"
    REJECTED = "rejected", "반려 (rejected)"
    CERTIFICATE_SUSPENDED = "certificate_suspended", "인증 정지 (certificate suspended)"
    CERTIFICATE_REINSTATED = "certificate_reinstated", "인증 정지 해제 (certificate reinstated)"
    CERTIFICATE_REVOKED = "certificate_revoked", "인증 취소 (certificate revoked)"
    EXPIRY_REMINDER = "expiry_reminder", "인증 만료 예정 (certificate expiring)"
    PARTNER_CONFIRMATION_REQUESTED = (
        "partner_confirmation_requested",
        "협력기업 참여 확인 요청 (partner confirmation requested)",
    )
    PARTNER_CONFIRMED = "partner_confirmed", "협력기업 참여 확인 (partner confirmed)"
    PARTNER_DECLINED = "partner_declined", "협력기업 참여 거절 (partner declined)"
    EXPORT_FINISHED = "export_finished", "내보내기 완료 (export finished)"
    SAVED_SEARCH_MATCHES = "saved_search_matches", "저장한 검색의 새 제품 (new products for a saved search)"


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
    """A bilingual choice label "한국어 (English)" as (Korean, English); a label without the English part
    is both."""
    korean, _, english = str(label).partition(" (")
    return korean, english.removesuffix(")") or korean
