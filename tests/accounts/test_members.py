"""Company administrators manage members and roles; a company always keeps an administrator."""

import pytest

from accounts import services
from certification.models import Membership
from certification.roles import Role, has_role
from core.domain import Conflict, NotPermitted


def test_the_members_page_lists_the_company_only(world):
    html = world.client(world.supplier_a).get("/accounts/company/members/").content.decode()
    assert 'data-member="member-a"' in html and 'data-member="supplier-a"' in html
    assert "supplier-b" not in html
    assert "초대장 보내기" in html  # the administrator's invitation form
    member_html = world.client(world.member_a).get("/accounts/company/members/").content.decode()
    assert 'data-member="supplier-a"' in member_html and "초대장 보내기" not in member_html


def test_an_administrator_makes_a_member_an_administrator_and_back(world):
    client = world.client(world.supplier_a)
    membership = world.membership(world.member_a)
    assert (
        client.post(f"/accounts/company/members/{membership.pk}/role/", {"role": "administrator"}).status_code
        == 302
    )
    membership.refresh_from_db()
    assert membership.is_administrator
    assert (
        client.post(f"/accounts/company/members/{membership.pk}/role/", {"role": "member"}).status_code == 302
    )
    membership.refresh_from_db()
    assert not membership.is_administrator


def test_an_administrator_removes_a_member_who_loses_the_supplier_role(world):
    membership = world.membership(world.member_a)
    response = world.client(world.supplier_a).post(f"/accounts/company/members/{membership.pk}/remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    world.member_a.refresh_from_db()
    assert not has_role(world.member_a, Role.SUPPLIER)
    assert world.client(world.member_a).get("/supplier/").status_code == 403


def test_the_last_administrator_stays(world):
    own = world.membership(world.supplier_a)
    client = world.client(world.supplier_a)
    response = client.post(f"/accounts/company/members/{own.pk}/role/", {"role": "member"}, follow=True)
    assert "관리자가 한 명 이상" in response.content.decode()
    client.post(f"/accounts/company/members/{own.pk}/remove/")
    own.refresh_from_db()
    assert own.is_administrator
    with pytest.raises(Conflict) as refused:
        services.remove_member(world.supplier_a, membership=own)
    assert refused.value.code == "last_administrator"


def test_members_may_not_manage_and_other_companies_are_not_found(world):
    admin_a = world.membership(world.supplier_a)
    member = world.client(world.member_a)
    assert member.post(f"/accounts/company/members/{admin_a.pk}/remove/").status_code == 403
    assert member.post(f"/accounts/company/members/{admin_a.pk}/role/", {"role": "member"}).status_code == 403
    other = world.client(world.supplier_b)
    assert other.post(f"/accounts/company/members/{admin_a.pk}/remove/").status_code == 404
    assert Membership.objects.filter(pk=admin_a.pk, is_administrator=True).exists()
    with pytest.raises(NotPermitted):
        services.set_member_role(world.supplier_b, membership=admin_a, role="member")


def test_a_bad_role_is_refused(world):
    membership = world.membership(world.member_a)
    response = world.client(world.supplier_a).post(
        f"/accounts/company/members/{membership.pk}/role/", {"role": "owner"}, follow=True
    )
    assert "알 수 없는 역할" in response.content.decode()
    membership.refresh_from_db()
    assert not membership.is_administrator
