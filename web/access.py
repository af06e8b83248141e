"""Who may open which page. Pages check roles; services check them again for every write."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404

from certification.identity import company_of
from certification.roles import Role, has_role


def roles_of(user) -> set[Role]:
    return {role for role in Role if has_role(user, role)}


def load_groups(user) -> None:
    """Loads the user's groups once: the check below and the page's navigation ask ``has_role`` several
    times, each a query otherwise (a round trip costs most on a loaded machine: issue 23's page)."""
    cache = getattr(user, "_prefetched_objects_cache", None)
    if cache:
        cache.pop("groups", None)  # a user object may outlive a request (tests reuse it)
    prefetch_related_objects([user], "groups")


def role_required(*roles: Role):
    """Login first; then 403 unless the user holds one of ``roles`` (an admin holds every role)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            load_groups(request.user)
            if not any(has_role(request.user, role) for role in (*roles, Role.ADMIN)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def supplier_required(view):
    """Supplier pages act for the user's own company; ``request.company`` is it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_role(request.user, Role.SUPPLIER):
            raise PermissionDenied
        company = company_of(request.user)
        if company is None:
            raise PermissionDenied
        request.company = company
        return view(request, *args, **kwargs)

    return wrapped


def get_or_404(queryset, **lookup):
    """A record outside the user's scope is simply not found: pages never confirm it exists."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def home_for(user) -> str:
    """The page each role starts on."""
    if has_role(user, Role.ADMIN) or has_role(user, Role.REVIEWER):
        return "web:review-queue"
    if has_role(user, Role.EVALUATOR):
        return "web:evaluations"
    if has_role(user, Role.SUPPLIER):
        return "web:supplier-dashboard"
    if has_role(user, Role.PROGRAM_STAFF):
        return "web:program"
    return "web:search"
