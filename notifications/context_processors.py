"""The header's unread count on every page (``web/templates/web/base.html``)."""

from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # counted only if the page shows it, and once however often it does
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
