"""The account pages beyond allauth's: the user's account, company registration, the company's members
and invitations, the invitation link, and the administrators' officer approvals. Writes go through
``accounts.services``; a refused one is shown on the page, never a 500."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.forms import CompanyForm, InviteForm, RoleForm
from accounts.models import Invitation, OfficerRequest, OfficerRequestStatus
from accounts.receivers import INVITATION_SESSION_KEY
from certification.models import Membership
from certification.roles import is_admin
from core.domain import DomainError, RuleViolation


@login_required
def profile(request):
    membership = selectors.membership_of(request.user)
    return render(
        request,
        "accounts/profile.html",
        {
            "membership": membership,
            "officer_request": selectors.officer_request_of(request.user),
            "needs_company": selectors.needs_company(request.user),
            "emails": sorted(selectors.verified_emails(request.user)),
        },
    )


@login_required
def company_register(request):
    if selectors.membership_of(request.user) is not None:
        return redirect("accounts:members")
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if name != "business_number"}
        try:
            company = services.register_company(
                request.user, business_number=form.cleaned_data["business_number"], **fields
            )
        except RuleViolation as exc:
            form.add_error(exc.field, str(exc))
        except DomainError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"{company.name}을(를) 등록했습니다. 귀하가 회사 관리자입니다 (registered; you are its administrator).",
            )
            return redirect("web:supplier-dashboard")
    return render(
        request, "accounts/company_register.html", {"form": form}, status=400 if form.errors else 200
    )


def _own_membership(request) -> Membership:
    membership = selectors.membership_of(request.user)
    if membership is None:
        raise PermissionDenied
    return membership


@login_required
def members(request):
    """The company's members and pending invitations; its administrators invite, change roles, remove."""
    own = _own_membership(request)
    company = own.company
    administrator = own.is_administrator
    form = InviteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not administrator:
            raise PermissionDenied
        if form.is_valid():
            try:
                invitation = services.invite_member(request.user, company=company, **form.cleaned_data)
            except RuleViolation as exc:
                form.add_error(exc.field, str(exc))
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"{invitation.email}에 초대장을 보냈습니다 (invitation sent).")
                return redirect("accounts:members")
        status = 400
    return render(
        request,
        "accounts/members.html",
        {
            "company": company,
            "own": own,
            "administrator": administrator,
            "members": selectors.members_of(company),
            "invitations": selectors.invitations_of(company) if administrator else [],
            "form": form,
            "roles": RoleForm.base_fields["role"].choices,
        },
        status=status,
    )


def _company_member(request, pk: int) -> Membership:
    own = _own_membership(request)
    # another company's member is simply not found
    return get_object_or_404(Membership.objects.select_related("user"), pk=pk, company=own.company)


def _act(request, action) -> None:
    try:
        action()
    except DomainError as exc:
        if exc.code in {"permission_denied", "not_company_administrator"}:
            raise PermissionDenied(str(exc)) from exc
        messages.error(request, str(exc))


@login_required
@require_POST
def member_remove(request, pk: int):
    membership = _company_member(request, pk)
    _act(request, lambda: services.remove_member(request.user, membership=membership))
    if not Membership.objects.filter(user=request.user).exists():
        return redirect("accounts:profile")  # left the company
    return redirect("accounts:members")


@login_required
@require_POST
def member_role(request, pk: int):
    membership = _company_member(request, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "알 수 없는 역할입니다 (unknown role).")
        return redirect("accounts:members")
    _act(
        request,
        lambda: services.set_member_role(request.user, membership=membership, role=form.cleaned_data["role"]),
    )
    return redirect("accounts:members")


@login_required
@require_POST
def invitation_revoke(request, pk: int):
    own = _own_membership(request)
    invitation = get_object_or_404(Invitation, pk=pk, company=own.company)
    _act(request, lambda: services.revoke_invitation(request.user, invitation=invitation))
    return redirect("accounts:members")


def invitation(request, token: str):
    """The link in the invitation e-mail. Signed out: sign up (the address is taken as verified, since the
    link reached it) or sign in, and the invitation is accepted. Signed in: accept it."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        found = services.invitation_from_token(token)
    except RuleViolation as exc:
        return render(request, "accounts/invitation.html", {"error": str(exc)}, status=400)
    context = {"invitation": found, "company": found.company, "token": token}
    try:
        services.invitations.check_usable(found)
    except DomainError as exc:
        return render(request, "accounts/invitation.html", {**context, "error": str(exc)}, status=409)
    if not request.user.is_authenticated:
        if request.method == "POST":
            return HttpResponseNotAllowed(["GET"])
        request.session[INVITATION_SESSION_KEY] = token
        get_adapter(request).stash_verified_email(request, found.email)
        return render(request, "accounts/invitation.html", context)
    if request.method == "POST":
        try:
            membership = services.accept_invitation(request.user, invitation=found)
        except DomainError as exc:
            return render(request, "accounts/invitation.html", {**context, "error": str(exc)}, status=409)
        messages.success(
            request, f"{membership.company.name}에 합류했습니다 (you joined {membership.company.name})."
        )
        return redirect("web:supplier-dashboard")
    return render(request, "accounts/invitation.html", context)


def _admin_only(request) -> None:
    if not is_admin(request.user):
        raise PermissionDenied


@login_required
def officer_requests(request):
    _admin_only(request)
    return render(
        request,
        "accounts/officer_requests.html",
        {
            "pending": selectors.pending_officer_requests(),
            "decided": OfficerRequest.objects.exclude(status=OfficerRequestStatus.PENDING)
            .select_related("user", "decided_by")
            .order_by("-decided_at")[:20],
        },
    )


@login_required
@require_POST
def officer_decide(request, pk: int, decision: str):
    _admin_only(request)
    actions = {"approve": services.approve_officer, "reject": services.reject_officer}
    if decision not in actions:
        raise Http404
    officer_request = get_object_or_404(OfficerRequest, pk=pk)
    _act(request, lambda: actions[decision](request.user, officer_request=officer_request))
    return redirect("accounts:officer-requests")
