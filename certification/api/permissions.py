"""Which roles may use which registry endpoint.

This only gates whole endpoints by role; whether *this* user may act on *this* record in *its current
state* is decided by the services, which raise NotPermitted (403) or Conflict (409).
"""

from django.db.models import prefetch_related_objects
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from certification.roles import Role, has_role, is_admin


def prime_user(request: Request) -> None:
    """Loads the user's groups and company once per request.

    ``has_role`` is asked many times per request (permission, selectors, services); without this each
    call would query the groups again.
    """
    if getattr(request, "_certification_user_primed", False):
        return
    user = request.user
    if user is not None and user.is_authenticated:
        # a user object may outlive a request (tests reuse it): drop stale caches so role changes count
        cache = getattr(user, "_prefetched_objects_cache", None)
        if cache:
            cache.pop("groups", None)
        prefetch_related_objects([user], "groups")
        if not hasattr(user, "_state") or "membership" not in user._state.fields_cache:
            prefetch_related_objects([user], "membership__company")
    request._certification_user_primed = True


class RolePermission(BasePermission):
    """Allows a user holding one of ``view.allowed_roles`` (admins always).

    ``view.action_roles`` may narrow the roles per action; ``None`` there means any signed-in user.
    """

    message = "your role may not use this endpoint"

    def has_permission(self, request: Request, view) -> bool:
        user = request.user
        if user is None or not user.is_authenticated:
            return False
        prime_user(request)
        action_roles: dict = getattr(view, "action_roles", {})
        roles = action_roles.get(view.action, getattr(view, "allowed_roles", None))
        if roles is None:
            return True
        return any(has_role(user, role) for role in (*roles, Role.ADMIN))


class IsAdminRole(BasePermission):
    """Administrators only (exports, index rebuilds: work over every supplier's data at once)."""

    def has_permission(self, request, view) -> bool:
        return is_admin(request.user)
