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
    # the scheduled expiry job, or a consequence of another action (a renewal's approval)
    SYSTEM = "system"


class Input(StrEnum):
    """What an action takes besides the record; the value is the service's parameter name."""

    NONE = ""
    COMMENT = "comment"
    REASON = "reason"
    STAGE = "stage"  # stage, passed, score and comment
    FIELDS = "fields"  # the application's own fields and evidence files


class Requirement(StrEnum):
    COMMENT = "comment"
    REASON = "reason"
    COMPLETE = "complete application"
    EVIDENCE = "evidence attached"
    NO_FAILED_STAGE = "no failed review stage"
    NOT_EXPIRED = "not past expiry"
    PAST_EXPIRY = "past expiry date"
    NO_OPEN_RENEWAL = "no open renewal"


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

    @property
    def by_users(self) -> bool:
        return Actor.SYSTEM not in self.actors

    @property
    def required_text(self) -> Requirement | None:
        """The comment or reason this action cannot go without, if any."""
        return next((r for r in self.requires if r in (Requirement.COMMENT, Requirement.REASON)), None)


_A, _C = ApplicationStatus, CertificateStatus
_EDITABLE = (_A.DRAFT, _A.SUPPLEMENT_REQUESTED)
_CURRENT = (_C.ACTIVE, _C.SUSPENDED)

TABLE: tuple[Transition, ...] = (
    # ------------------------------------------------------------------ applications
    Transition(
        subject=Subject.APPLICATION,
        name="edit",
        sources=_EDITABLE,
        target=None,
        actors=(Actor.OWNER,),
        input=Input.FIELDS,
        label_ko="수정",
        label_en="Edit the application or its evidence",
        past_en="edited",
    ),
    Transition(
        subject=Subject.APPLICATION,
        name="submit",
        sources=_EDITABLE,
        target=_A.SUBMITTED,
        actors=(Actor.OWNER,),
        input=Input.COMMENT,
        label_ko="제출",
        label_en="Submit",
        past_en="submitted",
        requires=(Requirement.COMPLETE, Requirement.EVIDENCE),
    ),
    Transition(
        subject=Subject.APPLICATION,
        name="withdraw",
        sources=(_A.DRAFT,),
        target=_A.WITHDRAWN,
        actors=(Actor.OWNER,),
        input=Input.COMMENT,
        label_ko="신청 취하",
        label_en="Withdraw",
        past_en="withdrawn",
    ),
    Transition(
        subject=Subject.APPLICATION,
        name="start_review",
        sources=(_A.SUBMITTED,),
        target=_A.UNDER_REVIEW,
        actors=(Actor.REVIEWER,),
        input=Input.COMMENT,
        label_ko="심사 시작",
        label_en="Start review",
        past_en="review started",
    ),
    Transition(
        subject=Subject.APPLICATION,
        name="request_supplement",
        sources=(_A.UNDER_REVIEW,),
        target=_A.SUPPLEMENT_REQUESTED,
        actors=(Actor.REVIEWER,),
        input=Input.COMMENT,
        label_ko="보완 요청",
        label_en="Request supplement",
        past_en="supplement requested",
        requires=(Requirement.COMMENT,),
        prompt="보완 요청 사유를 입력하세요 (say what must be supplemented).",
    ),
    Transition(
        subject=Subject.APPLICATION,
        name="record_stage",
        sources=(_A.UNDER_REVIEW,),
        target=None,
        actors=(Actor.REVIEWER,),
        input=Input.STAGE,
        label_ko="단계 결과 기록",
        label_en="Record a review stage result",
        past_en="stage recorded",
    ),
    Transition(
        subject=Subject.APPLICATION,
        name="approve",
        sources=(_A.UNDER_REVIEW,),
        target=_A.APPROVED,
        actors=(Actor.REVIEWER,),
        input=Input.COMMENT,
        label_ko="승인",
        label_en="Approve and issue certificate",
        past_en="approved",
        requires=(Requirement.NO_FAILED_STAGE,),
    ),
    Transition(
        subject=Subject.APPLICATION,
        name="reject",
        sources=(_A.UNDER_REVIEW,),
        target=_A.REJECTED,
        actors=(Actor.REVIEWER,),
        input=Input.COMMENT,
        label_ko="반려",
        label_en="Reject",
        past_en="rejected",
        requires=(Requirement.COMMENT,),
        prompt="반려 사유를 입력하세요 (give the reason for rejection).",
    ),
    # ------------------------------------------------------------------ certificates
    Transition(
        subject=Subject.CERTIFICATE,
        name="suspend",
        sources=(_C.ACTIVE,),
        target=_C.SUSPENDED,
        actors=(Actor.REVIEWER,),
        input=Input.REASON,
        label_ko="정지",
        label_en="Suspend",
        past_en="suspended",
        requires=(Requirement.REASON,),
        prompt=REASON_PROMPT,
    ),
    Transition(
        subject=Subject.CERTIFICATE,
        name="reinstate",
        sources=(_C.SUSPENDED,),
        target=_C.ACTIVE,
        actors=(Actor.REVIEWER,),
        input=Input.REASON,
        label_ko="정지 해제",
        label_en="Reinstate",
        past_en="reinstated",
        requires=(Requirement.REASON, Requirement.NOT_EXPIRED),
        prompt=REASON_PROMPT,
    ),
    Transition(
        subject=Subject.CERTIFICATE,
        name="revoke",
        sources=_CURRENT,
        target=_C.REVOKED,
        actors=(Actor.REVIEWER,),
        input=Input.REASON,
        label_ko="취소",
        label_en="Revoke",
        past_en="revoked",
        requires=(Requirement.REASON,),
        prompt=REASON_PROMPT,
    ),
    Transition(
        subject=Subject.CERTIFICATE,
        name="renew",
        sources=(*_CURRENT, _C.EXPIRED),
        target=None,
        actors=(Actor.OWNER,),
        input=Input.NONE,
        label_ko="갱신 신청",
        label_en="Apply for renewal",
        past_en="renewal opened",
        requires=(Requirement.NO_OPEN_RENEWAL,),
        opens=Subject.APPLICATION,
    ),
    Transition(
        subject=Subject.CERTIFICATE,
        name="expire",
        sources=_CURRENT,
        target=_C.EXPIRED,
        actors=(Actor.SYSTEM,),
        input=Input.NONE,
        label_ko="만료",
        label_en="Expire",
        past_en="expired",
        requires=(Requirement.PAST_EXPIRY,),
    ),
    Transition(
        subject=Subject.CERTIFICATE,
        name="supersede",
        sources=_CURRENT,
        target=_C.EXPIRED,
        actors=(Actor.SYSTEM,),
        input=Input.NONE,
        label_ko="갱신으로 대체",
        label_en="Superseded by its renewal",
        past_en="superseded",
    ),
)

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
    """Whether this user is one of the action's actors for this record; admins act for every human actor."""
    if not transition.by_users:
        return False
    if has_role(user, Role.ADMIN):
        return True
    if Actor.REVIEWER in transition.actors and has_role(user, Role.REVIEWER):
        return True
    return (
        Actor.OWNER in transition.actors
        and has_role(user, Role.SUPPLIER)
        and company_id_of(user) == record.supplier_id
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
