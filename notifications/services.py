"""Recording notifications and the user's own changes to them (read, preferences).

``notify`` writes, in the caller's transaction, one inbox entry per recipient and, for a recipient with an
e-mail address who wants the kind, one e-mail delivery; the e-mail is handed to a worker only after the
transaction commits (``notifications.tasks.send_email``). A rolled-back change therefore notifies no one,
and a committed one has its deliveries on record even if the hand-off is lost (the pending sweep re-sends).
"""

import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from certification.models import Certificate
from core.domain import RuleViolation
from notifications.kinds import ESSENTIAL, Kind, is_essential
from notifications.models import EmailDelivery, Language, Notification, Preference
from notifications.rendering import render_message

logger = logging.getLogger(__name__)


def preference_of(user: AbstractBaseUser) -> Preference:
    """The user's choices; the defaults (Korean, every kind by e-mail) for a user who never chose."""
    try:
        return user.notification_preference
    except ObjectDoesNotExist:
        return Preference(user=user)


def wants_email(preference: Preference, kind: str) -> bool:
    # an essential kind is sent whatever the stored list says (it cannot be stored muted, but be sure)
    return is_essential(kind) or preference.wants_email(kind)


def notify(
    recipients: Iterable[AbstractBaseUser],
    kind: str,
    *,
    source: str,
    context: dict[str, Any],
    link: str = "",
    attach_certificate: Certificate | None = None,
) -> list[Notification]:
    """Records the notification for each recipient (once per ``source``: a repeat adds nothing) and queues
    its e-mail after the commit. Returns the notifications recorded now."""
    recorded = []
    with transaction.atomic():
        for user in recipients:
            preference = preference_of(user)
            message = render_message(kind, preference.language, {**context, "recipient": user, "link": link})
            notification, created = Notification.objects.get_or_create(
                recipient=user,
                source=source,
                defaults={
                    "kind": kind,
                    "language": preference.language,
                    "subject": message.subject,
                    "body": message.body,
                    "link": link,
                },
            )
            if not created:
                continue
            recorded.append(notification)
            if user.email and wants_email(preference, kind):
                delivery = EmailDelivery.objects.create(
                    notification=notification,
                    idempotency_key=f"{source}:{user.pk}",
                    to_address=user.email,
                    subject=message.subject,
                    text_body=message.email_text,
                    html_body=message.email_html,
                    attach_certificate=attach_certificate,
                )
                # robust: the change has committed; a broker that cannot take the message now leaves the
                # delivery pending for the sweep instead of failing the request
                transaction.on_commit(partial(_enqueue, delivery.pk), robust=True)
    return recorded


def queue_email(message: EmailMessage, *, key: str) -> EmailDelivery:
    """Puts an account e-mail (address confirmation, password reset, an invitation) in the outbox notification
    e-mails use: recorded in the caller's transaction, sent by a worker after the commit, retried on SMTP
    failure, never twice (``key`` is unique per message)."""
    (to_address,) = message.to  # account messages go to one address
    html = next(
        (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
    )
    with transaction.atomic():
        delivery = EmailDelivery.objects.create(
            idempotency_key=key,
            to_address=to_address,
            subject=message.subject,
            text_body=message.body,
            html_body=html,
        )
        transaction.on_commit(partial(_enqueue, delivery.pk), robust=True)
    return delivery


def _enqueue(delivery_id: int) -> None:
    from notifications.tasks import send_email  # the task module imports this one's neighbours

    send_email.delay(delivery_id)


# ----------------------------------------------------------------- the user's own changes
def mark_read(user: AbstractBaseUser, *, notification_id: int) -> Notification:
    """Marks one of the user's own notifications read (reading it again changes nothing); another
    user's raises ``Notification.DoesNotExist``."""
    notification = Notification.objects.get(pk=notification_id, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user: AbstractBaseUser) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def update_preferences(
    user: AbstractBaseUser, *, language: str | None = None, muted_kinds: Iterable[str] | None = None
) -> Preference:
    """Sets the user's language and the optional kinds not sent by e-mail; essential kinds cannot be
    turned off."""
    preference, _ = Preference.objects.select_for_update().get_or_create(user=user)
    if language is not None:
        if language not in Language.values:
            raise ValidationError(
                {"language": [f"ko 또는 en을 고르세요 (use one of {', '.join(Language.values)})."]}
            )
        preference.language = language
    if muted_kinds is not None:
        muted = sorted(set(muted_kinds))
        unknown = [kind for kind in muted if kind not in Kind.values]
        if unknown:
            raise ValidationError(
                {"muted_kinds": [f"알 수 없는 알림 종류입니다: {', '.join(unknown)} (unknown kinds)."]}
            )
        essential = [kind for kind in muted if kind in ESSENTIAL]
        if essential:
            raise RuleViolation(
                f"꼭 필요한 알림은 끌 수 없습니다: {', '.join(essential)} "
                f"(essential notifications cannot be turned off).",
                code="essential_notification",
                field="muted_kinds",
            )
        preference.muted_kinds = muted
    preference.save()
    return preference
