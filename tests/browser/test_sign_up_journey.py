"""New people in a real browser, every message read from a real SMTP server and its link followed: a supplier
signs up, confirms the address, registers the company and invites a colleague; a new supplier applies with
a partner enterprise that has no account yet, whose contact joins by the invitation and confirms, so the
application can be submitted."""

import re

import pytest

from certification.models import ApplicationStatus, CertificationApplication, Company, Membership
from certification.roles import Role
from certification.services.companies import update_company
from tests.browser.steps import fill_application
from tests.factories import (
    PASSWORD,
    PDF_BYTES,
    make_company,
    make_user,
    open_call,
    today_plus,
    valid_business_number,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_up_and_register(web, mailbox, email: str, company: str, shots: bool = False) -> None:
    """Signs up at the front page, confirms by the e-mailed link and registers the company."""
    page = web.page
    page.goto("/")
    page.get_by_role("link", name="회원가입").first.click()
    page.wait_for_url(re.compile(r".*/accounts/signup/$"))
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("공급기업 (supplier)").check()
    if shots:
        web.shot("sign-up")
    page.get_by_role("button", name="가입하기").click()
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))
    assert "이메일을 확인하세요" in page.content()

    mail = mailbox.wait_for(1) and mailbox.single(to=email)
    page.goto(mail.link_to("/accounts/confirm-email/"))
    page.get_by_role("button", name="확인").click()
    page.wait_for_url(re.compile(r".*/accounts/company/register/$"))

    number = valid_business_number()
    page.get_by_label("회사명").fill(company)
    page.get_by_label("사업자등록번호").fill(f"{number[:3]}-{number[3:5]}-{number[5:]}")
    page.get_by_label("기업 규모").select_option("sme")
    page.get_by_label("지역").select_option("11")
    page.get_by_label("대표자").fill("여대표")
    if shots:
        web.shot("company-register")
    page.get_by_role("button", name="등록").click()
    page.wait_for_url(re.compile(r".*/supplier/$"))
    assert page.get_by_role("heading", name=company).is_visible()


def join_by_invitation(session, mailbox, email: str) -> None:
    """Opens the invitation e-mailed to ``email`` and signs up through it."""
    invitation = mailbox.single(to=email)
    session.page.goto(invitation.link_to("/accounts/invitations/"))
    session.page.get_by_role("link", name="가입하고 합류하기").click()
    session.page.locator("#id_email").fill(email)
    session.page.locator("#id_password1").fill(PASSWORD)
    session.page.locator("#id_password2").fill(PASSWORD)
    session.page.get_by_role("button", name="가입하기").click()


def test_sign_up_to_the_supplier_dashboard(web, session_factory, mailbox):
    sign_up_and_register(web, mailbox, "journey@saessak.kr", "여정조명", shots=True)
    assert Membership.objects.get(user__email="journey@saessak.kr").is_administrator
    web.shot("supplier-dashboard-after-sign-up")

    # the administrator invites a colleague, who signs up through the link and joins at once
    page = web.page
    page.goto("/accounts/company/members/")
    page.locator("#id_email").fill("colleague@saessak.kr")
    page.get_by_role("button", name="초대장 보내기").click()
    page.wait_for_url(re.compile(r".*/accounts/company/members/$"))
    mailbox.wait_for(2)
    colleague = session_factory()
    join_by_invitation(colleague, mailbox, "colleague@saessak.kr")
    colleague.page.wait_for_url(re.compile(r".*/supplier/$"))
    assert colleague.page.get_by_role("heading", name="여정조명").is_visible()
    assert web.errors == [] and colleague.errors == []


def test_a_new_supplier_applies_and_a_partner_without_an_account_confirms(
    web, session_factory, mailbox, media_in_tmp
):
    open_call()
    make_company("한빛중공업", size="large")  # the partner enterprise: on record, nobody signed up yet
    sign_up_and_register(web, mailbox, "founder@saessak.kr", "새싹센서")
    # the operator records the company's SME confirmation (what makes it eligible to apply)
    update_company(
        make_user(Role.ADMIN, username="operator"),
        company_id=Company.objects.get(name="새싹센서").pk,
        sme_confirmation_number="0012-100777",
        sme_confirmed_from=today_plus(-30),
        sme_confirmed_until=today_plus(335),
    )
    page = web.page
    page.reload()
    assert "중소기업 확인서 0012-100777" in page.content()
    fill_application(page, "한빛중공업", "산업용 가스 감지기")
    page.get_by_role("button", name="초안 저장").click()
    page.get_by_text("신청서 초안을 저장했습니다").wait_for()
    page.get_by_label("서류 종류").select_option("agreement")
    page.get_by_label("파일").set_input_files(
        files=[{"name": "협약서.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_role("button", name="첨부").click()
    page.get_by_role("link", name="협약서.pdf").wait_for()

    # the partner has no members: the request names its contact, who is invited to the partner company
    page.locator("#partner-contact").fill("contact@hanbit-heavy.kr")
    page.get_by_role("button", name="참여 확인 요청").click()
    page.get_by_text("협력기업에 참여 확인을 요청했습니다").wait_for()
    web.shot("supplier-partner-invited")
    mailbox.wait_for(2)
    partner = session_factory()
    join_by_invitation(partner, mailbox, "contact@hanbit-heavy.kr")
    partner.page.wait_for_load_state()
    partner.page.goto("/partner/")
    partner.page.get_by_role("region", name="답변을 기다리는 참여 확인 요청").get_by_role(
        "link", name="산업용 가스 감지기"
    ).click()
    partner.page.get_by_role("button", name="참여 확인").click()
    partner.page.get_by_text("참여를 확인했습니다").wait_for()
    partner.shot("partner-confirms-after-joining")

    page.reload()
    page.get_by_role("button", name="심사 요청 제출").click()
    page.get_by_text("신청서를 제출했습니다").wait_for()
    application = CertificationApplication.objects.get(product_name="산업용 가스 감지기")
    assert application.status == ApplicationStatus.SUBMITTED
    assert Membership.objects.get(user__email="contact@hanbit-heavy.kr").company.name == "한빛중공업"
    assert web.errors == [] and partner.errors == []
