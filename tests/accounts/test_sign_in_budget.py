"""One sign-in budget per client address and one per account, drawn on by the sign-in page (allauth's,
under both field names) and the token endpoint alike; allauth's own login limit is off."""

import pytest

from core import throttling
from tests.factories import PASSWORD
from tests.worlds import api_client

NOW = 1_800_001_200.0


@pytest.fixture
def account_limit(settings, monkeypatch):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login": "100/hour", "login_account": "4/hour"}
    monkeypatch.setattr(throttling, "_now", lambda: NOW)
    return 4


def test_one_account_budget_across_addresses_the_page_and_the_token_endpoint(world, account_limit):
    target = world.supplier_a
    wrong_page = {"login": target.email, "password": "guess"}
    wrong_token = {"username": target.username, "password": "guess"}
    # four guesses from four addresses, through both doors and under both names of the account
    assert world.client(REMOTE_ADDR="192.0.2.1").post("/accounts/login/", wrong_page).status_code == 200
    assert api_client().post("/api/v1/auth/token/", wrong_token, REMOTE_ADDR="192.0.2.2").status_code == 400
    assert (
        world.client(REMOTE_ADDR="192.0.2.3").post("/accounts/login/", {**wrong_token}).status_code == 200
    )  # the older form's field name
    assert api_client().post("/api/v1/auth/token/", wrong_token, REMOTE_ADDR="192.0.2.4").status_code == 400
    # the account's budget is spent: the right password from a fifth address is not even checked
    page = world.client(REMOTE_ADDR="192.0.2.5")
    refused = page.post("/accounts/login/", {"login": target.username.upper(), "password": PASSWORD})
    assert refused.status_code == 429 and "요청이 너무 많습니다" in refused.content.decode()
    assert "_auth_user_id" not in page.session
    token = api_client().post(
        "/api/v1/auth/token/", {"username": target.username, "password": PASSWORD}, REMOTE_ADDR="192.0.2.6"
    )
    assert token.status_code == 429 and token.json()["code"] == "throttled"
    # another account is untouched, from any of those addresses
    other = world.client(REMOTE_ADDR="192.0.2.1")
    response = other.post("/accounts/login/", {"login": world.member_a.email, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in other.session


def test_unknown_accounts_are_counted_as_typed(world, account_limit):
    for _ in range(4):
        world.client().post("/accounts/login/", {"login": "ghost@example.kr", "password": "x"})
    assert (
        world.client().post("/accounts/login/", {"login": "GHOST@example.kr", "password": "x"}).status_code
        == 429
    )


def test_allauth_login_limit_is_off(settings):
    from allauth.account import app_settings

    assert app_settings.RATE_LIMITS["login"] is None and app_settings.RATE_LIMITS["login_failed"] is None


@pytest.mark.parametrize("login", ["ghost\x00", "\x00", "sup\x00plier_a@example.kr"])
def test_a_login_holding_a_nul_is_counted_and_refused_not_a_server_error(world, account_limit, login):
    """Found by the 100-example fuzz run (issue 22): the account lookup sent the typed login to PostgreSQL,
    which refuses NUL in any text value (a 500 there). No account's name holds one: counted as typed."""
    token = api_client().post(
        "/api/v1/auth/token/", {"username": login, "password": "x"}, format="json", REMOTE_ADDR="192.0.2.7"
    )
    assert token.status_code == 400 and token["Content-Type"] == "application/json"
    page = world.client(REMOTE_ADDR="192.0.2.8").post("/accounts/login/", {"login": login, "password": "x"})
    assert page.status_code == 200  # the form again, with its error
    assert throttling.account_key(login) == f"login:{login.strip().lower()}"
