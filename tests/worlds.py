"""The people and records the tests meet, named once and built through the real services.

``World`` is the cast every area shares: a partner enterprise with one member, two supplier companies
with one user each, a reviewer, a procurement officer and an administrator. ``ListedWorld`` gives each supplier a certificate
and a listed product; ``ActiveWorld`` adds an application in progress per supplier. An area's conftest
extends these only for what its own tests need (a feed per sector, a finished export, page clients).
"""

from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from certification import services
from certification.models import Certificate, CertificationApplication
from certification.roles import Role
from tests.factories import (
    make_application,
    make_certificate,
    make_company,
    make_listing,
    make_user,
    pass_all_stages,
)


def api_client(user=None) -> APIClient:
    """The API as ``user`` sees it (anonymous when None), authenticated without a login round trip."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def page_client(user=None, **kwargs) -> Client:
    """The pages as ``user`` sees them: a real session, so middleware and templates see the login."""
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


class World:
    """A partner enterprise with its member, suppliers A and B (company and user each) and one user per
    other role."""

    client = staticmethod(api_client)

    def __init__(self) -> None:
        self.partner = make_company("대한전자", size="large", region="41")
        # a user of the partner company: confirms its participation, reads what names the company
        self.partner_member = make_user(Role.SUPPLIER, self.partner, "partner-member")
        # ㈜ is a compatibility character: it must survive every export and page unchanged
        self.company_a = make_company("가나조명㈜", region="11")
        self.company_b = make_company("다라설비", region="26")
        self.supplier_a = make_user(Role.SUPPLIER, self.company_a, "supplier-a")
        self.supplier_b = make_user(Role.SUPPLIER, self.company_b, "supplier-b")
        self.reviewer = make_user(Role.REVIEWER, username="reviewer")
        self.officer = make_user(Role.OFFICER, username="officer")
        self.admin = make_user(Role.ADMIN, username="admin")

    def user(self, role: str):
        """The user a role column of a permission table names; "anonymous" is nobody."""
        return None if role == "anonymous" else getattr(self, role)

    @staticmethod
    def token(user) -> str:
        return Token.objects.get_or_create(user=user)[0].key

    def draft(self, user=None, sector: str = "goods", **overrides) -> CertificationApplication:
        """An editable application of ``user`` (supplier A by default) with the partner, evidence attached
        and the partner's confirmation (``confirmed=False``: not yet asked)."""
        return make_application(user or self.supplier_a, self.partner, sector, **overrides)

    def submitted(self, user=None, sector: str = "goods") -> CertificationApplication:
        application = self.draft(user, sector)
        services.submit_application(user or self.supplier_a, application_id=application.pk)
        return application

    def under_review(self, user=None, sector: str = "goods") -> CertificationApplication:
        application = self.submitted(user, sector)
        services.start_review(self.reviewer, application_id=application.pk)
        return application

    def reviewed(self, user=None, sector: str = "goods") -> CertificationApplication:
        """Under review with every stage passed: ready to be approved."""
        application = self.under_review(user, sector)
        pass_all_stages(self.reviewer, application)
        return application

    def certificate(self, user=None, sector: str = "goods", **overrides) -> Certificate:
        return make_certificate(user or self.supplier_a, self.partner, self.reviewer, sector, **overrides)


class ListedWorld(World):
    """Each supplier with a certificate and a listed product: A's goods in two regions, B's services."""

    def __init__(self) -> None:
        super().__init__()
        self.cert_a = self.certificate(self.supplier_a, "goods")
        self.cert_b = self.certificate(self.supplier_b, "services")
        self.listing_a = make_listing(
            self.supplier_a,
            self.cert_a,
            regions=("11", "41"),
            name="고효율 LED 평판조명",
            description="상생협력제품으로 인증받은 절전형 조명",
        )
        self.listing_b = make_listing(self.supplier_b, self.cert_b, regions=("26",), unit_price=3_000_000)


class ActiveWorld(ListedWorld):
    """The listed world plus one editable application per supplier (A's first), each with its evidence."""

    def __init__(self) -> None:
        super().__init__()
        self.draft_a = self.draft(self.supplier_a, product_name="신청중인 조명")
        self.draft_b = self.draft(self.supplier_b, product_name="다른 회사 신청")
        self.document_a = self.draft_a.documents.get()
        self.document_b = self.draft_b.documents.get()
