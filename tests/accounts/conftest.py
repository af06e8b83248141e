"""The accounts world: company A with an administrator and a plain member, company B with its
administrator, an officer waiting for approval, and helpers that go through the real pages and mail."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import TestCase

from accounts.models import OfficerRequest
from certification.models import Membership
from certification.roles import Role
from tests.factories import PASSWORD, make_user, valid_business_number
from tests.worlds import World, page_client

NEW_PASSWORD = "a-new-Passw0rd-for-tests"


def verify(user, email: str | None = None):
    """Gives a test user a verified e-mail address, as signing up through the pages would."""
    email = email or f"{user.username}@example.kr"
    user.email = email
    user.save(update_fields=["email"])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


class AccountsWorld(World):
    client = staticmethod(page_client)

    def __init__(self) -> None:
        super().__init__()
        Membership.objects.filter(user__in=[self.supplier_a, self.supplier_b]).update(is_administrator=True)
        verify(self.supplier_a)
        verify(self.supplier_b)
        self.member_a = verify(make_user(Role.SUPPLIER, self.company_a, "member-a"))
        self.pending_officer = verify(
            get_user_model().objects.create_user("pending-officer", password=PASSWORD)
        )
        self.officer_request = OfficerRequest.objects.create(user=self.pending_officer, organisation="조달청")
        # a signed-up user with no company yet
        self.newcomer = verify(get_user_model().objects.create_user("newcomer", password=PASSWORD))

    def membership(self, user) -> Membership:
        return Membership.objects.get(user=user)


@pytest.fixture(autouse=True)
def _fresh_allauth_limits():
    """allauth's remaining limits (sign-up, reset per address) count in the per-process default cache;
    every test starts with none spent."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db) -> AccountsWorld:
    return AccountsWorld()


def committed():
    """Account e-mails leave through the outbox after the commit; a test's transaction never commits, so
    this runs what the requests inside it left for after their commit (the e-mails among them)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def sign_up(client, email: str, kind: str = "supplier", password: str = PASSWORD, **extra):
    with committed():
        return client.post(
            "/accounts/signup/",
            {"email": email, "password1": password, "password2": password, "kind": kind, **extra},
        )


def confirm_from_mail(client, mailbox, email: str):
    """Reads the confirmation message sent to ``email``, opens its link, and confirms (a POST, as the page
    asks). Returns the confirming response."""
    mail = mailbox.single(to=email)
    assert "이메일 주소를 확인하세요" in mail.subject and "confirm your e-mail address" in mail.subject
    link = mail.link_to("/accounts/confirm-email/")
    page = client.get(link)
    assert page.status_code == 200
    assert email in page.content.decode()
    return client.post(link)


def company_fields(number: str | None = None, **overrides) -> dict:
    return {
        "name": "새싹조명",
        "business_number": valid_business_number() if number is None else number,
        "size": "sme",
        "region": "11",
        "representative": "박대표",
        "contact_email": "ceo@saessak.kr",
        "contact_phone": "02-123-4567",
        "address": "서울특별시 중구",
        **overrides,
    }


def fullwidth(digits: str) -> str:
    """１２３-４５-６７８９０: what a Korean IME types in full-width mode."""
    return re.sub(r"\d", lambda m: chr(ord(m.group()) + 0xFEE0), f"{digits[:3]}-{digits[3:5]}-{digits[5:]}")
