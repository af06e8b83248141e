import pytest
from django.test import Client

from certification.roles import Role
from search.backends import get_backend
from tests.factories import make_application, make_certificate, make_company, make_listing, make_user


class WebWorld:
    """Two suppliers with a certificate and listings each, one user per other role, and applications in
    the states the pages care about."""

    def __init__(self):
        self.partner = make_company("대한전자", size="large", region="41")
        self.company_a = make_company("가나조명", region="11")
        self.company_b = make_company("다라설비", region="26")
        self.supplier_a = make_user(Role.SUPPLIER, self.company_a, "supplier-a")
        self.supplier_b = make_user(Role.SUPPLIER, self.company_b, "supplier-b")
        self.reviewer = make_user(Role.REVIEWER, username="reviewer")
        self.officer = make_user(Role.OFFICER, username="officer")
        self.admin = make_user(Role.ADMIN, username="admin")
        self.cert_a = make_certificate(self.supplier_a, self.partner, self.reviewer, "goods")
        self.cert_b = make_certificate(self.supplier_b, self.partner, self.reviewer, "services")
        self.listing_a = make_listing(
            self.supplier_a,
            self.cert_a,
            regions=("11", "41"),
            name="고효율 LED 평판조명",
            description="상생협력제품으로 인증받은 절전형 조명",
        )
        self.listing_b = make_listing(self.supplier_b, self.cert_b, regions=("26",), unit_price=3_000_000)
        self.draft_a = make_application(self.supplier_a, self.partner, product_name="신청중인 조명")
        self.draft_b = make_application(self.supplier_b, self.partner, product_name="다른 회사 신청")
        self.reindex()

    @staticmethod
    def reindex():
        # page tests run inside one transaction, so the after-commit index sync never fires: rebuild
        get_backend().rebuild()

    def user(self, name):
        return None if name == "anonymous" else getattr(self, name)

    def client(self, user=None, **kwargs) -> Client:
        client = Client(**kwargs)
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SEARCH_BACKEND = "database"
    return WebWorld()
