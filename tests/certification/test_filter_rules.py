"""The registry's query-string filters (certification/filtersets.py), one test per rule, on the filtersets
themselves: each parameter means the same for the API and the reviewer pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certification.calls import Call
from certification.filtersets import (
    ApplicationFilterSet,
    CallFilterSet,
    CertificateFilterSet,
    CompanyFilterSet,
)
from certification.models import Certificate, CertificationApplication, Company
from tests.factories import make_company, open_call
from tests.worlds import World

pytestmark = pytest.mark.django_db


def _filtered(filterset_class, queryset, **data) -> set[int]:
    filterset = filterset_class(data=data, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("pk", flat=True))


def test_a_company_is_found_by_its_korean_or_its_english_name():
    korean = make_company("한빛조명", name_en="Hanbit Lighting")
    english = make_company("누리설비", name_en="Nuri Works")
    companies = Company.objects.filter(pk__in=[korean.pk, english.pk])
    assert _filtered(CompanyFilterSet, companies, q="한빛") == {korean.pk}
    assert _filtered(CompanyFilterSet, companies, q="nuri") == {english.pk}
    assert _filtered(CompanyFilterSet, companies, q="없는회사") == set()


def test_a_company_is_found_by_its_business_number_typed_with_or_without_dashes():
    company = make_company("한빛조명")
    other = make_company("누리설비")
    companies = Company.objects.filter(pk__in=[company.pk, other.pk])
    number = company.business_number
    dashed = f"{number[:3]}-{number[3:5]}-{number[5:]}"
    assert _filtered(CompanyFilterSet, companies, business_number=number) == {company.pk}
    assert _filtered(CompanyFilterSet, companies, business_number=dashed) == {company.pk}


def test_open_true_is_the_calls_open_now_and_open_false_the_others():
    now = timezone.now()
    current = open_call()
    closed = open_call(opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=1))
    calls = Call.objects.filter(pk__in=[current.pk, closed.pk])
    assert _filtered(CallFilterSet, calls, open="true") == {current.pk}
    assert _filtered(CallFilterSet, calls, open="false") == {closed.pk}


def test_renewal_true_is_only_renewals_and_false_only_new_applications():
    world = World()
    new = world.draft()
    renewal = world.draft(product_name="갱신 신청")
    certificate = world.certificate()
    CertificationApplication.objects.filter(pk=renewal.pk).update(renewal_of=certificate)
    applications = CertificationApplication.objects.filter(pk__in=[new.pk, renewal.pk])
    assert _filtered(ApplicationFilterSet, applications, renewal="true") == {renewal.pk}
    assert _filtered(ApplicationFilterSet, applications, renewal="false") == {new.pk}


def test_an_application_is_found_by_product_name_in_either_language_the_supplier_or_its_number():
    world = World()
    of_a = world.draft(product_name="절전형 가로등", product_name_en="Saving streetlight")
    of_b = world.draft(world.supplier_b, product_name="산업용 펌프", product_name_en="Industrial pump")
    applications = CertificationApplication.objects.filter(pk__in=[of_a.pk, of_b.pk])
    number = world.company_b.business_number
    assert _filtered(ApplicationFilterSet, applications, q="가로등") == {of_a.pk}
    assert _filtered(ApplicationFilterSet, applications, q="pump") == {of_b.pk}
    assert _filtered(ApplicationFilterSet, applications, q="다라") == {of_b.pk}
    assert _filtered(ApplicationFilterSet, applications, q=f"{number[:3]}-{number[3:5]}-{number[5:]}") == {
        of_b.pk
    }
    # a text that is not a number matches names only (no lookup by an empty or partial number)
    assert _filtered(ApplicationFilterSet, applications, q="없는 제품") == set()


def test_a_certificate_is_found_by_its_number_its_product_or_its_supplier():
    world = World()
    of_a = world.certificate(product_name="절전형 가로등")
    of_b = world.certificate(world.supplier_b, product_name="산업용 펌프")
    certificates = Certificate.objects.filter(pk__in=[of_a.pk, of_b.pk])
    assert _filtered(CertificateFilterSet, certificates, q=of_a.number.lower()) == {of_a.pk}
    assert _filtered(CertificateFilterSet, certificates, q="펌프") == {of_b.pk}
    assert _filtered(CertificateFilterSet, certificates, q="다라") == {of_b.pk}


def test_a_number_typed_as_the_text_still_finds_product_names_with_it():
    world = World()
    numbered = world.draft(product_name="LED 투광등 2026년형")
    other = world.draft(world.supplier_b, product_name="산업용 펌프")
    applications = CertificationApplication.objects.filter(pk__in=[numbered.pk, other.pk])
    # digits are also read as a business number; that must widen the match, not replace it
    assert _filtered(ApplicationFilterSet, applications, q="2026") == {numbered.pk}
