import pytest
from django.utils import timezone

from catalog.demo import load_demo_data
from catalog.demo_data import DEMO_FAMILIES, GENERATED_LISTINGS
from catalog.generator import FAMILIES, FAMILIES_BY_KEY
from catalog.selectors import listed_listings
from certification.models import ApplicationStatus, Certificate, CertificateStatus, CertificationApplication

pytestmark = pytest.mark.django_db


def test_demo_data_is_a_living_catalog_and_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first = load_demo_data()
    assert first["listings"] >= 250 + GENERATED_LISTINGS
    sectors = set(listed_listings().values_list("sector", flat=True))
    assert sectors == {"goods", "services", "construction"}
    states = set(CertificationApplication.objects.values_list("status", flat=True))
    assert {ApplicationStatus.DRAFT, ApplicationStatus.UNDER_REVIEW, ApplicationStatus.APPROVED} <= states
    # the demo's own lifecycle examples: one suspended and one revoked certificate among those it issued
    workflow = Certificate.objects.filter(application__call__in=_demo_calls())
    assert workflow.exclude(status=CertificateStatus.ACTIVE).count() == 2
    # every demo family keeps listed offers from the demo suppliers, so the obvious searches find something
    demo_names = set(listed_listings().filter(certificate__in=workflow).values_list("name", flat=True))
    for key in DEMO_FAMILIES:
        assert demo_names & {*FAMILIES_BY_KEY[key].names}, key
    # and the generated catalog around them has every family
    assert listed_listings().values("name").distinct().count() > 150
    assert len(FAMILIES) >= 50
    assert load_demo_data() == first


def test_demo_calls_hold_the_decided_and_the_open_applications(settings, tmp_path):
    from certification.models import Company

    settings.MEDIA_ROOT = tmp_path
    load_demo_data()
    decided = (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED)
    closed_calls = {a.call for a in CertificationApplication.objects.filter(status__in=decided)}
    open_calls = {a.call for a in CertificationApplication.objects.exclude(status__in=decided)}
    # this year's first round and the earlier call of the generated catalog's certificates
    assert len(closed_calls) == 2 and len(open_calls) == 1
    assert not any(call.is_open() for call in closed_calls)
    open_call = open_calls.pop()
    assert open_call.is_open()
    assert not open_call.task_types.get(task_type="innovative_growth").any_item
    # every demo supplier can apply: an SME with a confirmation valid today
    suppliers = Company.objects.filter(size="sme")
    assert suppliers.exists()
    assert all(not company.sme_problem(timezone.localdate()) for company in suppliers)


def _demo_calls():
    """This year's calls (the workflow's); the generated catalog's call is years older."""
    from certification.calls import Call

    return Call.objects.filter(year=timezone.localdate().year)


def test_demo_partners_confirm_and_one_declined_with_its_reason(settings, tmp_path):
    from certification.partners import PartnerConfirmation

    settings.MEDIA_ROOT = tmp_path
    load_demo_data()
    # every submitted application had its partner's confirmation
    submitted = CertificationApplication.objects.exclude(status=ApplicationStatus.DRAFT)
    assert all(a.partner_confirmations.filter(status="confirmed").exists() for a in submitted)
    statuses = set(PartnerConfirmation.objects.values_list("status", flat=True))
    assert statuses == {"requested", "confirmed", "declined"}
    declined = PartnerConfirmation.objects.get(status="declined")
    assert declined.reason and declined.answered_by.username.startswith("partner")
    invited = PartnerConfirmation.objects.get(status="requested", contact_email__gt="")
    assert not invited.partner.members.exists()
