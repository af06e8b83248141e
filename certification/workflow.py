"""The review workflow as data: which action takes an application or a certificate from which state to
which, who may take it and what it requires.

This table is the one home of those rules. The services enforce it (``certification.services._workflow``);
the API's transition routes, the admin actions, the buttons on the pages and docs/workflow.md are derived
from it.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from certification.identity import company_id_of
from certification.models import ApplicationStatus, Certificate, CertificateStatus, CertificationApplication
from certification.roles import Role, has_role


class Subject(StrEnum):
    APPLICATION = "application"
    CERTIFICATE = "certificate"

    @property
    def id_param(self) -> str:
        """The keyword the services take the record's id by (``application_id``, ``certificate_id``)."""
        return f"{self.value}_id"


class Actor(StrEnum):
    OWNER = "applying supplier"
    REVIEWER = "reviewer"
    # an evaluator on the application's panel for the stage, acting for no one but themselves
    EVALUATOR = "evaluator on the panel"
    # a member of the application's partner company (협력기업), answering for that company and no other
    PARTNER = "partner enterprise member"
    # the scheduled expiry job, or a consequence of another action (a renewal's approval)
    SYSTEM = "system"


class Input(StrEnum):
    """What an action takes besides the record; the value is the service's parameter name."""

    NONE = ""
    COMMENT = "comment"
    REASON = "reason"
    STAGE = "stage"  # the stage whose panel closes, and a comment
    PANEL = "panel"  # the stage and the evaluators who sit on its panel
    SCORES = "scores"  # the stage, the points per criterion and a comment
    SUSPENSION = "suspension"  # reason and the optional last day of the suspension, ``until``
    SUPPLEMENT = "supplement"  # comment and the supplement deadline
    CONTACT = "contact"  # the partner's contact e-mail, for a partner without members yet

    @property
    def text_param(self) -> str:
        """The parameter that carries the action's free text: its reason, else its comment."""
        return "reason" if self in (Input.REASON, Input.SUSPENSION) else "comment"

    FIELDS = "fields"  # the application's own fields and evidence files


class Requirement(StrEnum):
    COMMENT = "comment"
    REASON = "reason"
    COMPLETE = "complete application"
    EVIDENCE = "evidence attached"
    NO_FAILED_STAGE = "no failed review stage"
    STAGE_IN_ORDER = "previous stage passed, this one not yet recorded"
    PANEL_MEMBERS = "enough evaluators, none tied to either company, criteria weighing 100"
    PANEL_SEAT = "a seat on the stage's open panel, not tied to either company"
    PANEL_COMPLETE = "every evaluator on the panel has scored"
    COMMITTEE_PASSED = "committee decision passed"
    NOT_EXPIRED = "not past expiry"
    PAST_EXPIRY = "past expiry date"
    NO_OPEN_RENEWAL = "no open renewal"
    SINGLE_ITEM = "one 10-digit item (goods, services)"
    RENEWABLE = "renewed certificate not revoked, not past the renewal window"
    SUSPENSION_ENDED = "past the suspension's end date"
    CALL_OPEN = "call open (or, for a supplement, its deadline not past)"
    ELIGIBLE = "call takes the sector, task type and item; SME applicant; partner kind"
    PARTNER_CONFIRMED = "the partner confirmed the agreed terms"
    PARTNER_REQUESTABLE = (
        "partner is another company, no request open or confirmed, a contact e-mail if it has no members"
    )
    PARTNER_ASKED = "an open request, not yet answered"


# what a required comment or reason that was left blank is answered with, per action
REASON_PROMPT = "사유를 입력하세요 (a reason is required)."


@dataclass(frozen=True)
class Transition:
    subject: Subject
    name: str
    sources: tuple[str, ...]
    target: str | None  # None: the state stays
    actors: tuple[Actor, ...]  # admins may always act for a human actor
    input: Input
    label_ko: str
    label_en: str
    past_en: str  # "review started": how the admin reports it done
    requires: tuple[Requirement, ...] = ()
    prompt: str = ""  # the error when a required comment or reason is blank
    opens: Subject | None = None  # a renewal opens a new application
    audited_as: str = ""  # the audit trail's name for the action, when it is not the action's own

    @property
    def audit_action(self) -> str:
        return self.audited_as or self.name

    @property
    def by_users(self) -> bool:
        return Actor.SYSTEM not in self.actors

    @property
    def required_text(self) -> Requirement | None:
        """The comment or reason this action cannot go without, if any."""
        return next((r for r in self.requires if r in (Requirement.COMMENT, Requirement.REASON)), None)


_A, _C = ApplicationStatus, CertificateStatus
_APP, _CERT = Subject.APPLICATION, Subject.CERTIFICATE
_EDITABLE = (_A.DRAFT, _A.SUPPLEMENT_REQUESTED)
_CURRENT = (_C.ACTIVE, _C.SUSPENDED)

# one row per action: subject, action, from states, to state (None: unchanged), actors, input;
#                     Korean label, English label, English "done" phrase; then what it requires
# fmt: off
TABLE: tuple[Transition, ...] = (
    # ------------------------------------------------------------------ applications
    Transition(_APP, "edit", _EDITABLE, None, (Actor.OWNER,), Input.FIELDS,
               "수정", "Edit the application or its evidence", "edited"),
    # the partner enterprise confirms that it takes part on the terms stated (certification.partners)
    Transition(_APP, "request_partner_confirmation", _EDITABLE, None, (Actor.OWNER,), Input.CONTACT,
               "협력기업 참여 확인 요청", "Ask the partner to confirm its participation", "partner confirmation requested",
               requires=(Requirement.PARTNER_REQUESTABLE,), audited_as="partner_confirmation_requested"),
    Transition(_APP, "confirm_partnership", _EDITABLE, None, (Actor.PARTNER,), Input.COMMENT,
               "참여 확인", "Confirm taking part as the partner", "partner confirmed",
               requires=(Requirement.PARTNER_ASKED,), audited_as="partner_confirmed"),
    Transition(_APP, "decline_partnership", _EDITABLE, None, (Actor.PARTNER,), Input.REASON,
               "참여 거절", "Decline taking part, with a reason", "partner declined",
               requires=(Requirement.REASON, Requirement.PARTNER_ASKED),
               prompt="거절 사유를 입력하세요 (give the reason for declining).", audited_as="partner_declined"),
    Transition(_APP, "void_partner_confirmation", _EDITABLE, None, (Actor.SYSTEM,), Input.NONE,
               "참여 확인 무효", "Partner's answer void: the partner or the agreed terms changed", "voided",
               audited_as="partner_confirmation_invalidated"),
    Transition(_APP, "submit", _EDITABLE, _A.SUBMITTED, (Actor.OWNER,), Input.COMMENT,
               "제출", "Submit", "submitted",
               requires=(Requirement.COMPLETE, Requirement.SINGLE_ITEM, Requirement.EVIDENCE,
                         Requirement.CALL_OPEN, Requirement.ELIGIBLE, Requirement.RENEWABLE,
                         Requirement.PARTNER_CONFIRMED)),
    Transition(_APP, "withdraw", (_A.DRAFT,), _A.WITHDRAWN, (Actor.OWNER,), Input.COMMENT,
               "신청 취하", "Withdraw", "withdrawn"),
    Transition(_APP, "start_review", (_A.SUBMITTED,), _A.UNDER_REVIEW, (Actor.REVIEWER,), Input.COMMENT,
               "심사 시작", "Start review", "review started"),
    Transition(_APP, "request_supplement", (_A.UNDER_REVIEW,), _A.SUPPLEMENT_REQUESTED, (Actor.REVIEWER,), Input.SUPPLEMENT,
               "보완 요청", "Request supplement", "supplement requested",
               requires=(Requirement.COMMENT,), prompt="보완 요청 사유를 입력하세요 (say what must be supplemented)."),
    Transition(_APP, "form_panel", (_A.UNDER_REVIEW,), None, (Actor.REVIEWER,), Input.PANEL,
               "평가위원 배정", "Assign a stage's evaluation panel", "panel formed",
               requires=(Requirement.STAGE_IN_ORDER, Requirement.PANEL_MEMBERS)),
    Transition(_APP, "score_stage", (_A.UNDER_REVIEW,), None, (Actor.EVALUATOR,), Input.SCORES,
               "평가 점수 제출", "Submit an evaluation sheet", "scores submitted",
               requires=(Requirement.PANEL_SEAT,)),
    Transition(_APP, "record_stage", (_A.UNDER_REVIEW,), None, (Actor.REVIEWER,), Input.STAGE,
               "단계 결과 기록", "Close the panel and record the stage result", "stage recorded",
               requires=(Requirement.STAGE_IN_ORDER, Requirement.PANEL_COMPLETE)),
    Transition(_APP, "approve", (_A.UNDER_REVIEW,), _A.APPROVED, (Actor.REVIEWER,), Input.COMMENT,
               "승인", "Approve and issue certificate", "approved",
               requires=(Requirement.NO_FAILED_STAGE, Requirement.COMMITTEE_PASSED, Requirement.RENEWABLE)),
    Transition(_APP, "reject", (_A.UNDER_REVIEW,), _A.REJECTED, (Actor.REVIEWER,), Input.COMMENT,
               "반려", "Reject", "rejected",
               requires=(Requirement.COMMENT,), prompt="반려 사유를 입력하세요 (give the reason for rejection)."),
    Transition(_APP, "fail_stage", (_A.UNDER_REVIEW,), _A.REJECTED, (Actor.SYSTEM,), Input.NONE,
               "단계 불합격", "Rejected by a failed review stage", "rejected by a failed stage"),
    # ------------------------------------------------------------------ certificates
    Transition(_CERT, "suspend", (_C.ACTIVE,), _C.SUSPENDED, (Actor.REVIEWER,), Input.SUSPENSION,
               "정지", "Suspend", "suspended",
               requires=(Requirement.REASON,), prompt=REASON_PROMPT),
    Transition(_CERT, "reinstate", (_C.SUSPENDED,), _C.ACTIVE, (Actor.REVIEWER,), Input.REASON,
               "정지 해제", "Reinstate", "reinstated",
               requires=(Requirement.REASON, Requirement.NOT_EXPIRED), prompt=REASON_PROMPT),
    Transition(_CERT, "revoke", _CURRENT, _C.REVOKED, (Actor.REVIEWER,), Input.REASON,
               "취소", "Revoke", "revoked",
               requires=(Requirement.REASON,), prompt=REASON_PROMPT),
    Transition(_CERT, "renew", (*_CURRENT, _C.EXPIRED), None, (Actor.OWNER,), Input.NONE,
               "갱신 신청", "Apply for renewal", "renewal opened",
               requires=(Requirement.NO_OPEN_RENEWAL,), opens=Subject.APPLICATION),
    Transition(_CERT, "expire", _CURRENT, _C.EXPIRED, (Actor.SYSTEM,), Input.NONE,
               "만료", "Expire", "expired",
               requires=(Requirement.PAST_EXPIRY,)),
    Transition(_CERT, "supersede", _CURRENT, _C.EXPIRED, (Actor.SYSTEM,), Input.NONE,
               "갱신으로 대체", "Superseded by its renewal", "superseded"),
    Transition(_CERT, "lift_suspension", (_C.SUSPENDED,), _C.ACTIVE, (Actor.SYSTEM,), Input.NONE,
               "정지 기간 종료", "Suspension ends on its end date", "reinstated automatically",
               requires=(Requirement.SUSPENSION_ENDED, Requirement.NOT_EXPIRED)),
)
# fmt: on

_BY_NAME = {transition.name: transition for transition in TABLE}

#: the states in which the supplier may still change its application and evidence
EDITABLE_STATUSES: tuple[str, ...] = _BY_NAME["edit"].sources


def transition(name: str) -> Transition:
    return _BY_NAME[name]


def transitions(subject: Subject) -> Iterator[Transition]:
    return (t for t in TABLE if t.subject is subject)


def subject_of(record: CertificationApplication | Certificate) -> Subject:
    return Subject.CERTIFICATE if isinstance(record, Certificate) else Subject.APPLICATION


def allows(record: CertificationApplication | Certificate, name: str) -> bool:
    """Whether the record's current state admits the action (who is asking aside)."""
    return record.status in _BY_NAME[name].sources


def may_act(
    user: AbstractBaseUser | AnonymousUser,
    transition: Transition,
    record: CertificationApplication | Certificate,
) -> bool:
    """Whether this user is one of the action's actors for this record; admins act for every human actor
    but an evaluator, whose scores are their own, and the partner, whose consent is its own."""
    if not transition.by_users:
        return False
    if Actor.EVALUATOR in transition.actors:
        return has_role(user, Role.EVALUATOR) and holds_seat(user, record)
    if Actor.PARTNER in transition.actors:
        return is_partner_member(user, record)
    if has_role(user, Role.ADMIN):
        return True
    if Actor.REVIEWER in transition.actors and has_role(user, Role.REVIEWER):
        return True
    return (
        Actor.OWNER in transition.actors
        and has_role(user, Role.SUPPLIER)
        and company_id_of(user) == record.supplier_id
    )


def is_partner_member(
    user: AbstractBaseUser | AnonymousUser, record: CertificationApplication | Certificate
) -> bool:
    """Whether the user acts for the record's partner company (its ``Membership`` is there)."""
    company_id = company_id_of(user)
    return company_id is not None and company_id == record.partner_id


def holds_seat(
    user: AbstractBaseUser | AnonymousUser, record: CertificationApplication | Certificate
) -> bool:
    """Whether the user sits on one of the application's evaluation panels (whether that panel is still
    open is the action's requirement, answered with its reason)."""
    return (
        isinstance(record, CertificationApplication)
        and record.panels.filter(seats__evaluator_id=user.pk).exists()
    )


def available_actions(
    record: CertificationApplication | Certificate, user: AbstractBaseUser | AnonymousUser
) -> tuple[str, ...]:
    """The actions this user may take on this record in its current state, in table order.

    Requirements that depend on more than the state (a failed stage, the expiry date, an open renewal)
    are checked when the action runs, so the pages keep offering the action and show why it failed.
    """
    return tuple(
        t.name
        for t in transitions(subject_of(record))
        if record.status in t.sources and may_act(user, t, record)
    )
