"""Eligibility at submit: the applicant (주관기업) is an SME with a 중소기업 확인서 valid on the submit date; the
partner (협력기업) is another company whose kind is recorded. Each refusal names its rule."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certification import services
from certification.models import ApplicationStatus, Company
from core.domain import NotPermitted
from tests.factories import make_application, open_call, today_plus

pytestmark = pytest.mark.django_db


def submit(reg, application):
    return reg.client(reg.supplier_a).post(
        f"/api/v1/applications/{application.pk}/submit/", {}, format="json"
    )


def confirm(company: Company, **fields) -> None:
    Company.objects.filter(pk=company.pk).update(**fields)


@pytest.mark.parametrize(
    "fields, says",
    [
        ({"size": "mid"}, "not an SME"),
        ({"size": "large"}, "not an SME"),
        ({"sme_confirmation_number": ""}, "no SME confirmation on record"),
        ({"sme_confirmed_until": None, "sme_confirmed_from": None}, "no SME confirmation on record"),
        ({"sme_confirmed_until": today_plus(-1)}, "expired"),
        ({"sme_confirmed_from": today_plus(1)}, "not valid yet"),
    ],
)
def test_an_applicant_that_is_not_an_sme_on_the_submit_date_is_refused(reg, fields, says):
    application = reg.draft()
    confirm(reg.company_a, **fields)
    response = submit(reg, application)
    assert response.status_code == 400
    assert response.json()["code"] == "not_an_sme"
    assert says in response.json()["errors"]["non_field_errors"][0]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_the_confirmation_counts_on_its_first_and_last_day_in_korean_time(reg, monkeypatch):
    application = reg.draft()
    # 23:30 UTC is already the next day in Seoul: the submit date is the Korean date
    moment = timezone.now().replace(hour=23, minute=30)
    korean_day = timezone.localdate(moment)
    confirm(reg.company_a, sme_confirmed_from=korean_day, sme_confirmed_until=korean_day)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    assert submit(reg, application).status_code == 200


def test_the_partner_kind_is_required_to_submit_but_not_for_a_draft(reg):
    application = reg.draft(partner_kind="")
    response = submit(reg, application)
    assert response.status_code == 400
    assert response.json()["code"] == "partner_kind_required"
    assert "partner_kind" in response.json()["errors"]
    services.update_application(reg.supplier_a, application_id=application.pk, partner_kind="materials_parts")
    assert submit(reg, application).status_code == 200


def test_a_company_partnering_itself_is_refused_with_its_code(reg):
    body = {
        "call": open_call().pk,
        "partner": reg.company_a.pk,
        "sector": "goods",
        "task_type": "innovative_growth",
        "cooperation_type": "joint_development",
        "product_name": "자기협력 제품",
        "classification_code": "39111605",
        "agreement_start": "2025-01-01",
        "agreement_end": "2026-12-31",
    }
    response = reg.client(reg.supplier_a).post("/api/v1/applications/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "self_partnership"
    assert "partner" in response.json()["errors"]
    draft = reg.draft()
    edit = reg.client(reg.supplier_a).patch(
        f"/api/v1/applications/{draft.pk}/", {"partner": reg.company_a.pk}, format="json"
    )
    assert edit.status_code == 400
    assert edit.json()["code"] == "self_partnership"


def test_every_application_names_its_call(reg):
    application = make_application(reg.supplier_a, reg.partner)
    body = reg.client(reg.supplier_a).get(f"/api/v1/applications/{application.pk}/").json()
    assert body["call"] == open_call().pk
    assert body["partner_kind"] == "mentor"
    missing = reg.client(reg.supplier_a).post("/api/v1/applications/", {"sector": "goods"}, format="json")
    assert "call" in missing.json()["errors"]


def test_only_an_admin_records_the_sme_confirmation(reg):
    until = timezone.localdate() + timedelta(days=700)
    with pytest.raises(NotPermitted):
        services.update_company(reg.supplier_a, company_id=reg.company_a.pk, sme_confirmed_until=until)
    # the supplier may still save its other fields, sending the confirmation unchanged
    company = reg.company_a
    services.update_company(
        reg.supplier_a,
        company_id=company.pk,
        contact_phone="02-000-0000",
        sme_confirmation_number=company.sme_confirmation_number,
    )
    services.update_company(reg.admin, company_id=company.pk, sme_confirmed_until=until)
    body = reg.client(reg.supplier_a).get(f"/api/v1/companies/{company.pk}/").json()
    assert body["sme_confirmed_until"] == until.isoformat()


def test_a_confirmation_needs_its_validity_in_order(reg):
    response = reg.client(reg.admin).patch(
        f"/api/v1/companies/{reg.company_a.pk}/",
        {"sme_confirmed_from": "2026-05-01", "sme_confirmed_until": "2026-04-30"},
        format="json",
    )
    assert response.status_code == 400
    assert "sme_confirmed_until" in response.json()["errors"]


def test_a_mentor_is_a_mid_sized_or_large_enterprise(reg):
    application = make_application(reg.supplier_a, reg.company_b)  # an SME partner, as a mentor
    response = submit(reg, application)
    assert response.status_code == 400
    assert response.json()["code"] == "mentor_not_large"
    assert "partner_kind" in response.json()["errors"]
    services.update_application(reg.supplier_a, application_id=application.pk, partner_kind="materials_parts")
    assert submit(reg, application).status_code == 200
