"""A new supplier in a real browser: signs up, confirms the address by the link in the e-mail (a real SMTP
server received it), registers the company and lands on the supplier dashboard; then invites a colleague,
who joins through the invitation link."""

import re

import pytest

from certification.models import Membership
from tests.factories import PASSWORD, valid_business_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_sign_up_to_the_supplier_dashboard(web, session_factory, mailbox):
    page = web.page
    page.goto("/")
    page.get_by_role("link", name="회원가입").first.click()
    page.wait_for_url(re.compile(r".*/accounts/signup/$"))
    page.locator("#id_email").fill("journey@saessak.kr")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("공급기업 (supplier)").check()
    web.shot("sign-up")
    page.get_by_role("button", name="가입하기").click()
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))
    assert "이메일을 확인하세요" in page.content()

    mail = mailbox.wait_for(1) and mailbox.single(to="journey@saessak.kr")
    page.goto(mail.link_to("/accounts/confirm-email/"))
    page.get_by_role("button", name="확인").click()
    page.wait_for_url(re.compile(r".*/accounts/company/register/$"))

    number = valid_business_number()
    page.get_by_label("회사명").fill("여정조명")
    page.get_by_label("사업자등록번호").fill(f"{number[:3]}-{number[3:5]}-{number[5:]}")
    page.get_by_label("기업 규모").select_option("sme")
    page.get_by_label("지역").select_option("11")
    page.get_by_label("대표자").fill("여대표")
    web.shot("company-register")
    page.get_by_role("button", name="등록").click()
    page.wait_for_url(re.compile(r".*/supplier/$"))
    assert page.get_by_role("heading", name="여정조명").is_visible()
    assert Membership.objects.get(user__email="journey@saessak.kr").is_administrator
    web.shot("supplier-dashboard-after-sign-up")

    # the administrator invites a colleague, who signs up through the link and joins at once
    page.goto("/accounts/company/members/")
    page.locator("#id_email").fill("colleague@saessak.kr")
    page.get_by_role("button", name="초대장 보내기").click()
    page.wait_for_url(re.compile(r".*/accounts/company/members/$"))
    invitation = mailbox.wait_for(2) and mailbox.single(to="colleague@saessak.kr")
    colleague = session_factory()
    colleague.page.goto(invitation.link_to("/accounts/invitations/"))
    colleague.page.get_by_role("link", name="가입하고 합류하기").click()
    colleague.page.locator("#id_email").fill("colleague@saessak.kr")
    colleague.page.locator("#id_password1").fill(PASSWORD)
    colleague.page.locator("#id_password2").fill(PASSWORD)
    colleague.page.get_by_role("button", name="가입하기").click()
    colleague.page.wait_for_url(re.compile(r".*/supplier/$"))
    assert colleague.page.get_by_role("heading", name="여정조명").is_visible()
    assert web.errors == [] and colleague.errors == []
