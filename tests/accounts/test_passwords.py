"""Password reset by a link in a real e-mail, password change, and no account enumeration from reset."""

from tests.accounts.conftest import NEW_PASSWORD, committed
from tests.factories import PASSWORD


def test_reset_by_the_link_in_the_mail(world, mailbox):
    client = world.client()
    with committed():
        response = client.post("/accounts/password/reset/", {"email": world.supplier_a.email})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/done/"
    mail = mailbox.single(to=world.supplier_a.email)
    assert "비밀번호 재설정" in mail.subject and "password reset" in mail.subject
    link = mail.link_to("/accounts/password/reset/key/")
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and "새 비밀번호" in form_page.content.decode()
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/key/done/"

    # the old password is gone, the new one signs in (by e-mail or by username)
    fresh = world.client()
    assert (
        fresh.post("/accounts/login/", {"login": world.supplier_a.email, "password": PASSWORD}).status_code
        == 200
    )
    assert (
        fresh.post("/accounts/login/", {"login": "supplier-a", "password": NEW_PASSWORD}).status_code == 302
    )
    # the link was for one use
    again = world.client().get(link, follow=True)
    assert "재설정 링크가 올바르지 않거나" in again.content.decode()


def test_reset_answers_the_same_for_an_unknown_address(world, mailbox):
    with committed():
        known = world.client().post("/accounts/password/reset/", {"email": world.supplier_b.email})
        unknown = world.client().post("/accounts/password/reset/", {"email": "nobody@example.kr"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    # the unknown address is told there is no account (to its own mailbox only)
    mail = mailbox.single(to="nobody@example.kr")
    assert "계정을 찾을 수 없습니다" in mail.subject
    assert mail.link_to("/accounts/signup/")


def test_a_forged_reset_link_changes_nothing(world):
    client = world.client()
    page = client.get("/accounts/password/reset/key/2-forged-key/", follow=True)
    assert "재설정 링크가 올바르지 않거나" in page.content.decode()
    client.post(
        "/accounts/password/reset/key/2-forged-key/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    world.supplier_b.refresh_from_db()
    assert world.supplier_b.check_password(PASSWORD)


def test_change_password(world, mailbox):
    client = world.client(world.member_a)
    page = client.get("/accounts/password/change/")
    assert page.status_code == 200 and "비밀번호 변경" in page.content.decode()
    wrong = client.post(
        "/accounts/password/change/",
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    with committed():
        right = client.post(
            "/accounts/password/change/",
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    assert right.status_code == 302
    world.member_a.refresh_from_db()
    assert world.member_a.check_password(NEW_PASSWORD)
    # the owner is told by mail
    assert "비밀번호가 변경되었습니다" in mailbox.single(to=world.member_a.email).subject
