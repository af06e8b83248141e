"""Reads of the inbox: a user only ever sees their own notifications."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from notifications.models import Notification


def inbox(user: AbstractBaseUser | AnonymousUser) -> QuerySet:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_count(user: AbstractBaseUser | AnonymousUser) -> int:
    """One indexed COUNT (recipient, read_at)."""
    return inbox(user).filter(read_at__isnull=True).count()
