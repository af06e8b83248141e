"""Officers sign up like everyone; the officer role comes with an administrator's approval (page or Django
admin), or at once for a verified address at a configured public-sector domain."""

import pytest
from django.contrib.auth import get_user_model

from accounts import services
from accounts.models import OfficerRequest, OfficerRequestStatus
from certification.roles import Role, has_role
from core.domain import Conflict, NotPermitted
from tests.accounts.conftest import company_fields, confirm_from_mail, sign_up

User = get_user_model()


@pytest.mark.parametrize(
    ("email", "approved"),
    [
        ("kim@pps.go.kr", True),
        ("kim@go.kr", True),
        ("kim@KOREA.KR", True),
        ("kim@ago.kr", False),  # whole labels: "ago.kr" does not end in ".go.kr"
        ("kim@go.kr.example.com", False),
        ("kim@gmail.com", False),
        ("nobody", False),
    ],
)
def test_domain_suffixes_match_whole_labels(settings, email, approved):
    settings.OFFICER_AUTO_APPROVE_DOMAINS = ["go.kr", "korea.kr"]
    assert services.auto_approves(email) is approved


def test_an_officer_at_an_approved_domain_gets_the_role_on_verification(world, mailbox):
    client = world.client()
    sign_up(client, "lee@pps.go.kr", kind="officer", organisation="조달청")
    user = User.objects.get(email="lee@pps.go.kr")
    assert not has_role(user, Role.OFFICER)  # not before the address is verified
    confirm_from_mail(client, mailbox, "lee@pps.go.kr")
    request = OfficerRequest.objects.get(user=user)
    assert request.status == OfficerRequestStatus.APPROVED and request.automatic
    assert has_role(user, Role.OFFICER)
    assert client.get("/").headers["Location"] == "/search/"


def test_an_officer_elsewhere_waits_for_an_administrator(world, mailbox):
    client = world.client()
    sign_up(client, "officer@city.example.kr", kind="officer", organisation="어느 시청")
    confirm_from_mail(client, mailbox, "officer@city.example.kr")
    user = User.objects.get(email="officer@city.example.kr")
    assert not has_role(user, Role.OFFICER)
    assert client.get("/").headers["Location"] == "/accounts/profile/"
    assert 'data-officer-status="pending"' in client.get("/accounts/profile/").content.decode()
    # an officer's account registers no company
    refused = client.post("/accounts/company/register/", company_fields())
    assert refused.status_code == 400 and "회사를 등록할 수 없습니다" in refused.content.decode()

    admin = world.client(world.admin)
    page = admin.get("/accounts/officers/").content.decode()
    assert 'data-officer="officer@city.example.kr"' in page
    request = OfficerRequest.objects.get(user=user)
    assert admin.post(f"/accounts/officers/{request.pk}/approve/").status_code == 302
    request.refresh_from_db()
    assert request.status == OfficerRequestStatus.APPROVED and request.decided_by == world.admin
    assert has_role(user, Role.OFFICER)
    # decided once
    with pytest.raises(Conflict):
        services.reject_officer(world.admin, officer_request=request)


def test_rejecting_leaves_no_role(world):
    admin = world.client(world.admin)
    assert admin.post(f"/accounts/officers/{world.officer_request.pk}/reject/").status_code == 302
    world.officer_request.refresh_from_db()
    assert world.officer_request.status == OfficerRequestStatus.REJECTED
    assert not has_role(world.pending_officer, Role.OFFICER)
    assert admin.post(f"/accounts/officers/{world.officer_request.pk}/crown/").status_code == 404


def test_only_administrators_decide(world):
    for user in (world.officer, world.supplier_a, world.reviewer, world.pending_officer):
        client = world.client(user)
        assert client.get("/accounts/officers/").status_code == 403
        assert client.post(f"/accounts/officers/{world.officer_request.pk}/approve/").status_code == 403
        with pytest.raises(NotPermitted):
            services.approve_officer(user, officer_request=world.officer_request)
    assert not has_role(world.pending_officer, Role.OFFICER)


def test_the_django_admin_action_approves(world):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client = world.client(world.admin)
    response = client.post(
        "/admin/accounts/officerrequest/",
        {"action": "approve", "_selected_action": [world.officer_request.pk]},
    )
    assert response.status_code == 302
    assert has_role(world.pending_officer, Role.OFFICER)
    world.officer_request.refresh_from_db()
    assert world.officer_request.decided_by == world.admin


def test_an_unapproved_officer_sees_only_the_public_catalog(world):
    client = world.client(world.pending_officer)
    assert client.get("/search/").status_code == 200
    for path in ("/supplier/", "/review/", "/exports/", "/accounts/company/members/", "/accounts/officers/"):
        assert client.get(path).status_code == 403, path
