import pytest

from catalog.demo import load_demo_data
from catalog.demo_data import TEMPLATES
from catalog.selectors import listed_listings
from certification.models import ApplicationStatus, Certificate, CertificateStatus, CertificationApplication

pytestmark = pytest.mark.django_db


def test_demo_data_is_a_living_catalog_and_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first = load_demo_data()
    assert first["listings"] >= 250
    sectors = set(listed_listings().values_list("sector", flat=True))
    assert sectors == {"goods", "services", "construction"}
    states = set(CertificationApplication.objects.values_list("status", flat=True))
    assert {ApplicationStatus.DRAFT, ApplicationStatus.UNDER_REVIEW, ApplicationStatus.APPROVED} <= states
    suspended_or_revoked = Certificate.objects.exclude(status=CertificateStatus.ACTIVE).count()
    assert suspended_or_revoked == 2
    # every demo product keeps listed offers, so the obvious searches find something
    assert set(listed_listings().values_list("name", flat=True)) == {t.name for t in TEMPLATES}
    assert load_demo_data() == first
