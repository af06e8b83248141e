"""The accounts demo: supplier1 administers its company, a colleague's invitation waits (its link works),
an officer waits for approval; loading twice changes nothing."""

from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command

from accounts.demo import INVITED_EMAIL, PENDING_OFFICER
from accounts.models import Invitation, OfficerRequest, OfficerRequestStatus
from certification.models import Membership
from certification.roles import Role
from tests.factories import make_company, make_user


def _load() -> str:
    out = StringIO()
    call_command("load_demo_accounts", password="demo-password-1", stdout=out)
    return out.getvalue()


def test_demo_accounts(db, client):
    company = make_company("데모조명")
    make_user(Role.SUPPLIER, company, "supplier1")
    output = _load()
    _load()  # idempotent: nothing more is made
    assert Invitation.objects.count() == 1 and OfficerRequest.objects.count() == 1
    assert Membership.objects.get(user__username="supplier1").is_administrator
    invitation = Invitation.objects.get(email=INVITED_EMAIL)
    assert invitation.state == "pending" and invitation.company == company
    line = next(line for line in output.splitlines() if line.startswith("pending invitation"))
    link = line.rsplit(" ", 1)[1]
    assert client.get(urlsplit(link).path).status_code == 200
    request = OfficerRequest.objects.get(user__username=PENDING_OFFICER)
    assert request.status == OfficerRequestStatus.PENDING
    assert client.login(username=PENDING_OFFICER, password="demo-password-1")
