"""Sign-up through the pages, verified by the link in a real e-mail, then the company by its business
registration number; and every way that goes wrong leaves nothing half-made."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from certification.models import Company, Membership
from certification.roles import Role, has_role
from tests.accounts.conftest import company_fields, confirm_from_mail, fullwidth, sign_up
from tests.factories import PASSWORD, valid_business_number

User = get_user_model()


def test_a_supplier_signs_up_verifies_and_registers_the_company(world, mailbox):
    client = world.client()
    response = sign_up(client, "kim@saessak.kr")
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert "이메일을 확인하세요" in client.get("/accounts/confirm-email/").content.decode()
    user = User.objects.get(email="kim@saessak.kr")
    assert not EmailAddress.objects.get(user=user).verified
    # not verified yet: signing in only sends another link
    assert "_auth_user_id" not in client.session

    confirmed = confirm_from_mail(client, mailbox, "kim@saessak.kr")
    assert confirmed.status_code == 302
    # signed in, the start page sends a supplier without a company to register it
    assert client.get(confirmed["Location"])["Location"] == "/accounts/company/register/"
    assert EmailAddress.objects.get(user=user).verified
    assert int(client.session["_auth_user_id"]) == user.pk

    number = valid_business_number()
    response = client.post("/accounts/company/register/", company_fields(fullwidth(number)))
    assert response.status_code == 302 and response["Location"] == "/supplier/"
    company = Company.objects.get(business_number=number)
    membership = Membership.objects.get(user=user)
    assert membership.company == company and membership.is_administrator
    assert has_role(user, Role.SUPPLIER)
    page = client.get("/supplier/")
    assert page.status_code == 200 and "새싹조명" in page.content.decode()


def test_an_unverified_account_cannot_sign_in(world, mailbox):
    client = world.client()
    sign_up(client, "lee@saessak.kr")
    fresh = world.client()
    response = fresh.post("/accounts/login/", {"login": "lee@saessak.kr", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in fresh.session


def test_a_taken_email_answers_like_a_new_one_and_creates_nothing(world, mailbox):
    taken, fresh = world.client(), world.client()
    users = User.objects.count()
    response_taken = sign_up(taken, world.supplier_a.email)
    response_fresh = sign_up(fresh, "nobody-yet@example.kr")
    # the same answer: no one learns from the page whether the address has an account
    assert (response_taken.status_code, response_taken["Location"]) == (
        response_fresh.status_code,
        response_fresh["Location"],
    )
    assert User.objects.count() == users + 1  # only the fresh one
    # the owner of the taken address is told by mail, with a way back in
    mail = mailbox.single(to=world.supplier_a.email)
    assert "이미 가입된 주소입니다" in mail.subject
    assert mail.link_to("/accounts/password/reset/")


def test_a_forged_verification_link_verifies_nothing(world, mailbox):
    client = world.client()
    sign_up(client, "park@saessak.kr")
    link = mailbox.single(to="park@saessak.kr").link_to("/accounts/confirm-email/")
    forged = link.rstrip("/")[:-4] + "abcd/"
    page = client.get(forged)
    assert page.status_code == 404 or "올바르지 않거나" in page.content.decode()
    client.post(forged)
    assert not EmailAddress.objects.get(email="park@saessak.kr").verified
    assert "_auth_user_id" not in client.session


def test_invalid_business_numbers_are_refused_with_nothing_created(world):
    client = world.client(world.newcomer)
    companies = Company.objects.count()
    good = valid_business_number()
    wrong_check = good[:9] + str((int(good[9]) + 1) % 10)
    arabic_indic = "".join(chr(0x0660 + int(d)) for d in good)  # digits, but not ASCII ones
    for number, message in (
        (wrong_check, "검증번호가 맞지 않습니다"),
        (arabic_indic, "숫자 10자리"),
        ("12345", "숫자 10자리"),
        ("", ""),
    ):
        response = client.post("/accounts/company/register/", company_fields(number))
        assert response.status_code == 400, number
        assert message in response.content.decode()
    assert Company.objects.count() == companies
    assert not Membership.objects.filter(user=world.newcomer).exists()
    assert not has_role(world.newcomer, Role.SUPPLIER)


def test_a_registered_number_sends_the_user_to_the_company_administrator(world):
    client = world.client(world.newcomer)
    companies = Company.objects.count()
    # typed with separators and full-width digits, it is still company A's number
    response = client.post(
        "/accounts/company/register/", company_fields(fullwidth(world.company_a.business_number))
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "회사 관리자에게 초대를 요청하세요" in html
    assert "ask your company" in html
    assert Company.objects.count() == companies
    assert not Membership.objects.filter(user=world.newcomer).exists()


def test_a_member_cannot_register_a_second_company(world):
    client = world.client(world.member_a)
    response = client.get("/accounts/company/register/")
    assert response.status_code == 302 and response["Location"] == "/accounts/company/members/"


def test_sign_up_bad_input_shows_the_form_again(world):
    client = world.client()
    users = User.objects.count()
    for data in (
        {"email": "not-an-email", "password1": PASSWORD, "password2": PASSWORD, "kind": "supplier"},
        {"email": "ok@example.kr", "password1": PASSWORD, "password2": "different", "kind": "supplier"},
        {"email": "ok@example.kr", "password1": "short", "password2": "short", "kind": "supplier"},
        {"email": "ok@example.kr", "password1": PASSWORD, "password2": PASSWORD, "kind": "emperor"},
    ):
        response = client.post("/accounts/signup/", data)
        assert response.status_code == 200
        assert "입력 내용을 확인하세요" in response.content.decode()
    assert User.objects.count() == users


def test_the_account_pages_in_english(world):
    client = world.client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/signup/"})
    html = client.get("/accounts/signup/").content.decode()
    assert '<html lang="en">' in html
    assert "Account type" in html and "Procurement officer" in html and "Already have an account?" in html
    member = world.client(world.supplier_a)
    member.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = member.get("/accounts/company/members/").content.decode()
    assert "Invite a colleague" in html and "Send invitation" in html


def test_accounts_made_by_administrators_sign_in_by_username(world):
    """The demo users, reviewers and evaluators were made without an e-mail address: nothing to verify."""
    client = world.client()
    response = client.post("/accounts/login/", {"login": "officer", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == world.officer.pk
    # a signed-up account with an unverified address is still stopped
    user = User.objects.create_user("unverified", email="unverified@example.kr", password=PASSWORD)
    EmailAddress.objects.create(user=user, email="unverified@example.kr", verified=False, primary=True)
    fresh = world.client()
    assert fresh.post("/accounts/login/", {"login": "unverified", "password": PASSWORD})["Location"] == (
        "/accounts/confirm-email/"
    )
    assert "_auth_user_id" not in fresh.session
