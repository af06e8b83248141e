import pytest
from rest_framework.test import APIClient

from certification.roles import Role
from tests.factories import make_certificate, make_company, make_listing, make_user


class World:
    """Two suppliers with a certificate and a listing each, plus one user per other role."""

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
        self.listing_a = make_listing(self.supplier_a, self.cert_a, regions=("11", "41"))
        self.listing_b = make_listing(self.supplier_b, self.cert_b, regions=("26",), unit_price=3_000_000)

    def client(self, user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client


@pytest.fixture
def world(db):
    return World()
