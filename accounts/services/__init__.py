"""Accounts' state changes: companies registered by their first user, members and their roles,
invitations, officers' approval. Each takes the actor first and everything else by keyword."""

from accounts.services.companies import (
    clean_business_number,
    register_company,
    remove_member,
    set_member_role,
)
from accounts.services.invitations import (
    accept_invitation,
    invitation_from_token,
    invitation_url,
    invite_member,
    revoke_invitation,
)
from accounts.services.officers import (
    approve_officer,
    auto_approves,
    email_verified,
    reject_officer,
    request_officer_role,
)

__all__ = [
    "accept_invitation",
    "approve_officer",
    "auto_approves",
    "clean_business_number",
    "email_verified",
    "invitation_from_token",
    "invitation_url",
    "invite_member",
    "register_company",
    "reject_officer",
    "remove_member",
    "request_officer_role",
    "revoke_invitation",
    "set_member_role",
]
