import pytest

from catalog.selectors import listed_listings
from certification import services
from certification.roles import Role
from tests.factories import make_certificate, make_company, make_listing, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sector", ["goods", "services", "construction"])
def test_certificate_to_listed_product_and_delisting(sector):
    supplier = make_company()
    partner = make_company(size="large")
    supplier_user = make_user(Role.SUPPLIER, supplier)
    reviewer = make_user(Role.REVIEWER)
    certificate = make_certificate(supplier_user, partner, reviewer, sector=sector)
    assert certificate.number.startswith("WW-")
    listing = make_listing(supplier_user, certificate)
    assert list(listed_listings()) == [listing]
    services.suspend_certificate(reviewer, certificate_id=certificate.pk, reason="품질 점검")
    assert list(listed_listings()) == []
