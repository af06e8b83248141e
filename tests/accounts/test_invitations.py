"""Invitations: a company administrator invites by e-mail; the link works once, before it expires, for the
address invited; a company with no members gets its first administrator this way (the partner case)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, MemberRole
from certification.models import Membership
from certification.roles import Role, has_role
from core.domain import Conflict, NotPermitted
from tests.accounts.conftest import sign_up, verify
from tests.factories import make_application, make_company

User = get_user_model()


def invite_through_the_page(client, email: str, role: str = "member"):
    return client.post("/accounts/company/members/", {"email": email, "role": role})


def test_an_administrator_invites_and_the_colleague_signs_up_through_the_link(
    world, mailbox, django_capture_on_commit_callbacks
):
    admin = world.client(world.supplier_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite_through_the_page(admin, "choi@ganaled.kr")
    assert response.status_code == 302
    mail = mailbox.single(to="choi@ganaled.kr")
    assert world.company_a.name in mail.subject
    assert "한 번만" in mail.text and "works once" in mail.text
    link = mail.link_to("/accounts/invitations/")

    colleague = world.client()
    page = colleague.get(link)
    assert page.status_code == 200
    assert "choi@ganaled.kr" in page.content.decode()
    mailbox.clear()
    # signing up with the invited address: the link proved it, so no confirmation mail is needed
    response = sign_up(colleague, "choi@ganaled.kr")
    assert response.status_code == 302
    assert mailbox.messages == []
    user = User.objects.get(email="choi@ganaled.kr")
    membership = Membership.objects.get(user=user)
    assert membership.company == world.company_a and not membership.is_administrator
    assert has_role(user, Role.SUPPLIER)
    assert colleague.get("/supplier/").status_code == 200
    assert Invitation.objects.get(email="choi@ganaled.kr").accepted_by == user

    # the link works once
    again = world.client().get(link)
    assert again.status_code == 409
    assert "이미 사용된 초대입니다" in again.content.decode()


def test_a_signed_in_user_accepts_with_the_invited_address(
    world, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_member(world.supplier_a, company=world.company_a, email=world.newcomer.email)
    link = mailbox.single(to=world.newcomer.email).link_to("/accounts/invitations/")
    client = world.client(world.newcomer)
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == "/supplier/"
    assert world.membership(world.newcomer).company == world.company_a
    assert client.post(link).status_code == 409  # reused


def test_an_invitation_for_another_address_is_refused(world, mailbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_member(world.supplier_a, company=world.company_a, email="someone-else@example.kr")
    link = mailbox.single(to="someone-else@example.kr").link_to("/accounts/invitations/")
    response = world.client(world.newcomer).post(link)
    assert response.status_code == 409
    assert "다른 이메일 주소" in response.content.decode()
    assert not Membership.objects.filter(user=world.newcomer).exists()
    assert Invitation.objects.get(email="someone-else@example.kr").accepted_at is None


def test_an_expired_invitation_is_refused(world, mailbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_member(
            world.supplier_a, company=world.company_a, email=world.newcomer.email
        )
    link = mailbox.single(to=world.newcomer.email).link_to("/accounts/invitations/")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = world.client(world.newcomer).post(link)
    assert response.status_code == 409
    assert "만료된 초대입니다" in response.content.decode()
    assert not Membership.objects.filter(user=world.newcomer).exists()


def test_a_link_older_than_its_signature_allows_is_refused(
    world, settings, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_member(world.supplier_a, company=world.company_a, email=world.newcomer.email)
    link = mailbox.single(to=world.newcomer.email).link_to("/accounts/invitations/")
    settings.ACCOUNTS_INVITATION_DAYS = -1  # every signature is now too old
    assert world.client(world.newcomer).get(link).status_code == 400


@pytest.mark.parametrize("tamper", ["forged", "altered"])
def test_a_forged_link_is_refused(world, mailbox, django_capture_on_commit_callbacks, tamper):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_member(world.supplier_a, company=world.company_a, email=world.newcomer.email)
    link = mailbox.single(to=world.newcomer.email).link_to("/accounts/invitations/")
    token = link.removeprefix("/accounts/invitations/").rstrip("/")
    bad = (
        "MQ:1tKx:forgedsignature"
        if tamper == "forged"
        else token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    )
    response = world.client(world.newcomer).post(f"/accounts/invitations/{bad}/")
    assert response.status_code == 400
    assert "올바르지 않거나" in response.content.decode()
    assert not Membership.objects.filter(user=world.newcomer).exists()


def test_a_revoked_invitation_is_refused_and_a_new_one_replaces_the_old(
    world, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.invite_member(world.supplier_a, company=world.company_a, email=world.newcomer.email)
        services.invite_member(world.supplier_a, company=world.company_a, email=world.newcomer.email)
    old_link, new_link = (m.link_to("/accounts/invitations/") for m in mailbox.to(world.newcomer.email))
    first.refresh_from_db()
    assert first.revoked_at is not None
    client = world.client(world.newcomer)
    assert client.post(old_link).status_code == 409
    assert client.post(new_link).status_code == 302


def test_revoking_through_the_page(world, django_capture_on_commit_callbacks):
    invitation = services.invite_member(world.supplier_a, company=world.company_a, email="x@example.kr")
    assert (
        world.client(world.member_a)
        .post(f"/accounts/company/invitations/{invitation.pk}/revoke/")
        .status_code
        == 403
    )
    assert (
        world.client(world.supplier_b)
        .post(f"/accounts/company/invitations/{invitation.pk}/revoke/")
        .status_code
        == 404
    )
    response = world.client(world.supplier_a).post(f"/accounts/company/invitations/{invitation.pk}/revoke/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_invite_bad_input_on_the_page(world):
    admin = world.client(world.supplier_a)
    assert invite_through_the_page(admin, "not-an-address").status_code == 400
    assert invite_through_the_page(admin, "ok@example.kr", role="emperor").status_code == 400
    # already a member of this company
    response = invite_through_the_page(admin, world.member_a.email)
    assert response.status_code == 400 and "이미 이 회사의 구성원입니다" in response.content.decode()
    assert not Invitation.objects.exists()


def test_members_and_strangers_may_not_invite(world):
    with pytest.raises(NotPermitted):
        services.invite_member(world.member_a, company=world.company_a, email="x@example.kr")
    with pytest.raises(NotPermitted):
        services.invite_member(world.supplier_b, company=world.company_a, email="x@example.kr")
    assert invite_through_the_page(world.client(world.member_a), "x@example.kr").status_code == 403
    assert not Invitation.objects.exists()


# ------------------------------------------------------------ a company with no members (the partner case)
def test_a_supplier_invites_the_first_administrator_of_its_partner(
    world, mailbox, django_capture_on_commit_callbacks
):
    partner = make_company("한빛소재", size="large")
    make_application(world.supplier_a, partner=partner, with_evidence=False, confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_member(world.supplier_a, company=partner, email="ceo@hanbit.kr")
    assert invitation.role == MemberRole.ADMINISTRATOR and invitation.first_administrator
    mail = mailbox.single(to="ceo@hanbit.kr")
    assert "회사 관리자" in mail.text and "company administrator" in mail.text
    client = world.client()
    client.get(mail.link_to("/accounts/invitations/"))
    sign_up(client, "ceo@hanbit.kr")
    user = User.objects.get(email="ceo@hanbit.kr")
    membership = Membership.objects.get(user=user)
    assert membership.company == partner and membership.is_administrator


def test_only_a_supplier_naming_the_partner_may_invite_its_first_administrator(world):
    partner = make_company("한빛소재", size="large")
    with pytest.raises(NotPermitted):  # supplier B has no application naming it
        services.invite_member(world.supplier_b, company=partner, email="ceo@hanbit.kr")
    # a site administrator may
    invitation = services.invite_member(world.admin, company=partner, email="ceo@hanbit.kr")
    assert invitation.role == MemberRole.ADMINISTRATOR and not invitation.first_administrator


def test_an_outside_invitation_lapses_once_the_company_has_members(world):
    partner = make_company("한빛소재", size="large")
    make_application(world.supplier_a, partner=partner, with_evidence=False, confirmed=False)
    invitation = services.invite_member(world.supplier_a, company=partner, email=world.newcomer.email)
    other = verify(User.objects.create_user("first", password="x"), "first@hanbit.kr")
    services.accept_invitation(
        other, invitation=services.invite_member(world.admin, company=partner, email="first@hanbit.kr")
    )
    with pytest.raises(Conflict) as refused:
        services.accept_invitation(world.newcomer, invitation=invitation)
    assert refused.value.code == "invitation_superseded"
    # and the supplier may no longer invite there: the partner's administrator does
    with pytest.raises(NotPermitted):
        services.invite_member(world.supplier_a, company=partner, email="another@hanbit.kr")


def test_asking_a_partner_without_members_invites_its_contact_to_run_the_company(
    world, mailbox, django_capture_on_commit_callbacks
):
    from certification import services as registry

    partner = make_company("새솔소재", size="large")
    application = make_application(world.supplier_a, partner=partner, with_evidence=False, confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        registry.request_partner_confirmation(
            world.supplier_a, application_id=application.pk, contact_email="contact@saesol.kr"
        )
    mail = mailbox.single(to="contact@saesol.kr")
    client = world.client()
    client.get(mail.link_to("/accounts/invitations/"))
    sign_up(client, "contact@saesol.kr")
    membership = Membership.objects.get(user__email="contact@saesol.kr")
    assert membership.company == partner and membership.is_administrator
    # now a member of the partner, the contact answers the request
    assert client.get(f"/partner/requests/{application.pk}/").status_code == 200
