"""The public feed of certificate status events, read from the status history (``CertificateStatusChange``).

Integrators (Nara Marketplace first) keep their marks in step by polling: they keep the cursor of the
last page and ask for what came after it. Events are ordered by (effective time, id), and the cursor
holds both, so events that share a timestamp are neither repeated nor skipped across pages.

An event is written inside the transaction that changes the certificate, with the time of the change,
and commits a moment later; a poller reading in between would move its cursor past an event that is not
visible yet and never see it. So the feed shows an event only once it is
``CERTIFICATE_EVENTS_SETTLE_SECONDS`` old: by then its transaction has committed (the status changes
are short transactions, one certificate each).

The public vocabulary folds the history's internal kinds: a suspension that ends by itself is a
``reinstated`` event too, and a certificate superseded by its renewal is ``renewed`` (the event names
the renewal). The actor is never part of an event; the reason is, as the scheme publishes it.
"""

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from certification.models import CertificateStatusChange, StatusChangeKind
from certification.public import parse_as_of
from core.domain import RuleViolation

#: the history's kinds as the feed names them
PUBLIC_KIND = {
    StatusChangeKind.ISSUED: "issued",
    StatusChangeKind.SUSPENDED: "suspended",
    StatusChangeKind.REINSTATED: "reinstated",
    StatusChangeKind.AUTO_REINSTATED: "reinstated",
    StatusChangeKind.REVOKED: "revoked",
    StatusChangeKind.EXPIRED: "expired",
    StatusChangeKind.SUPERSEDED: "renewed",
}
PUBLIC_KIND_LABEL = {
    "issued": "발급 (issued)",
    "suspended": "정지 (suspended)",
    "reinstated": "정지 해제 (reinstated)",
    "revoked": "취소 (revoked)",
    "expired": "만료 (expired)",
    "renewed": "갱신 (renewed)",
}
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
_CURSOR_RE = re.compile(r"(\d{1,20})\.(\d{1,20})")


@dataclass(frozen=True)
class Position:
    """A place in the feed: after the event with this effective time (UTC microseconds) and id."""

    micros: int
    event_id: int

    def encode(self) -> str:
        raw = f"{self.micros}.{self.event_id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def of(cls, event: CertificateStatusChange) -> "Position":
        return cls(_micros(event.effective_at), event.pk)

    @property
    def moment(self) -> datetime:
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=self.micros)


#: before every event (none is older than 1970)
BEGINNING = Position(0, 0)


def _micros(moment: datetime) -> int:
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _invalid(message: str, code: str, field: str) -> RuleViolation:
    return RuleViolation(message, code=code, field=field)


def decode_cursor(value: str, field: str = "since") -> Position:
    """The position an opaque cursor of :meth:`Position.encode` names; anything else is a 400."""
    try:
        text = base64.urlsafe_b64decode(value.strip() + "=" * (-len(value.strip()) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    match = _CURSOR_RE.fullmatch(text)
    position = Position(int(match[1]), int(match[2])) if match else None
    # a cursor this feed made names a moment between 1970 and 9999 and an id a database integer holds
    if (
        position is None
        or position.micros > _micros(datetime(9999, 1, 1, tzinfo=UTC))
        or position.event_id >= 2**63
    ):
        raise _invalid(
            "커서가 올바르지 않습니다: 이전 응답의 next_cursor 값을 그대로 보내세요 "
            "(the cursor is not valid: send back the next_cursor of a previous answer unchanged).",
            "invalid_cursor",
            field,
        )
    return position


def position_of_day(day: date) -> Position:
    """The place just before the first event of ``day`` (Korean time)."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return Position(_micros(start) - 1, 0)


def parse_limit(value: str | None, field: str = "limit") -> int:
    if value is None or value == "":
        return DEFAULT_LIMIT
    if not re.fullmatch(r"\d{1,4}", value) or not 1 <= int(value) <= MAX_LIMIT:
        raise _invalid(
            f"limit은 1부터 {MAX_LIMIT}까지의 정수입니다 (limit must be a whole number from 1 to {MAX_LIMIT}).",
            "invalid_limit",
            field,
        )
    return int(value)


def settled_before(now: datetime | None = None) -> datetime:
    """Events at or after this moment are not shown yet (see the module's note)."""
    return (now or timezone.now()) - timedelta(seconds=settings.CERTIFICATE_EVENTS_SETTLE_SECONDS)


def public_events() -> QuerySet[CertificateStatusChange]:
    """Every settled event with its certificate and the certificate's holder, partner and renewals."""
    return (
        CertificateStatusChange.objects.filter(effective_at__lt=settled_before())
        .select_related(
            "certificate",
            "certificate__supplier",
            "certificate__partner",
            "certificate__renewed_from",
            "certificate__renewed_by",
        )
        .order_by("effective_at", "id")
    )


@dataclass(frozen=True)
class EventPage:
    events: list[CertificateStatusChange]
    # where the next poll starts: after the last event, or where this one started when it found none
    next_position: Position
    has_more: bool


def events_after(position: Position, limit: int = DEFAULT_LIMIT) -> EventPage:
    moment = position.moment
    after = Q(effective_at__gt=moment) | Q(effective_at=moment, id__gt=position.event_id)
    found = list(public_events().filter(after)[: limit + 1])
    events = found[:limit]
    return EventPage(
        events=events,
        next_position=Position.of(events[-1]) if events else position,
        has_more=len(found) > limit,
    )


def latest_events(limit: int, since_day: date | None = None) -> list[CertificateStatusChange]:
    """The newest settled events, newest first, from ``since_day`` on if given (the Atom feed)."""
    queryset = public_events()
    if since_day is not None:
        queryset = queryset.filter(effective_at__gt=position_of_day(since_day).moment)
    return list(queryset.order_by("-effective_at", "-id")[:limit])


def start_position(since: str | None, since_date: str | None) -> Position:
    """Where a request starts: after its cursor, at the start of its day, or at the beginning."""
    if since and since_date:
        raise _invalid(
            "since와 since_date 중 하나만 보내세요 (send either since or since_date, not both).",
            "invalid_cursor",
            "since_date",
        )
    if since:
        return decode_cursor(since)
    if since_date:
        return position_of_day(parse_as_of(since_date, field="since_date"))
    return BEGINNING
