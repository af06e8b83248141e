"""Supplier pages: draft, evidence, submit, supplement answer, listings — always through the services."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.models import ProductListing
from certification import services as registry_services
from certification.models import ApplicationStatus, CertificationApplication
from tests.factories import PDF_BYTES, open_call


def draft_data(world, **overrides):
    data = {
        "call": open_call().pk,
        "partner": world.partner.pk,
        "partner_kind": "mentor",
        "sector": "goods",
        "task_type": "innovative_growth",
        "cooperation_type": "joint_development",
        "product_name": "스마트 절전 콘센트",
        "product_name_en": "Smart outlet",
        "description": "대기업과 공동개발",
        "classification_code": "3911160501",
        "agreement_start": "2025-01-01",
        "agreement_end": "2027-12-31",
    }
    data.update(overrides)
    return data


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def test_dashboard_lists_only_the_own_company(world):
    html = world.client(world.supplier_a).get("/supplier/").content.decode()
    assert "신청중인 조명" in html
    assert "다른 회사 신청" not in html
    assert world.cert_a.number in html
    assert world.cert_b.number not in html


def test_create_a_draft(world):
    client = world.client(world.supplier_a)
    response = client.post("/supplier/applications/new/", draft_data(world))
    application = CertificationApplication.objects.get(product_name="스마트 절전 콘센트")
    assert response.status_code == 302
    assert response["Location"] == f"/supplier/applications/{application.pk}/"
    assert application.supplier == world.company_a
    assert application.status == ApplicationStatus.DRAFT
    assert application.audit_events.filter(action="create").exists()


def test_the_partner_list_leaves_out_the_own_company(world):
    html = world.client(world.supplier_a).get("/supplier/applications/new/").content.decode()
    assert f'value="{world.partner.pk}"' in html
    assert f'value="{world.company_a.pk}"' not in html


def test_missing_fields_show_korean_errors(world):
    response = world.client(world.supplier_a).post("/supplier/applications/new/", {"sector": "goods"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "필수 항목입니다" in html
    assert "입력 내용을 확인하세요" in html
    assert 'aria-invalid="true"' in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"classification_code": "81111500"}, "classification_code", "물품 분류가 아닙니다"),
        ({"agreement_end": "2024-01-01"}, "agreement_end", "협약 종료일은 시작일 이후여야 합니다"),
        (
            {"sector": "construction", "classification_code": "CS02"},
            "task_type",
            "이 분야에 맞지 않는 과제 유형입니다",
        ),
    ],
)
def test_service_validation_errors_appear_next_to_the_field(world, overrides, field, message):
    response = world.client(world.supplier_a).post(
        "/supplier/applications/new/", draft_data(world, **overrides)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert f'id="id_{field}_errors"' in html or f'href="#id_{field}"' in html
    assert not CertificationApplication.objects.filter(product_name="스마트 절전 콘센트").exists()


def test_edit_a_draft(world):
    client = world.client(world.supplier_a)
    page = client.get(f"/supplier/applications/{world.draft_a.pk}/edit/").content.decode()
    assert 'value="신청중인 조명"' in page
    response = client.post(
        f"/supplier/applications/{world.draft_a.pk}/edit/", draft_data(world, product_name="고친 이름")
    )
    assert response.status_code == 302
    world.draft_a.refresh_from_db()
    assert world.draft_a.product_name == "고친 이름"


def test_a_submitted_application_cannot_be_edited(world):
    registry_services.submit_application(world.supplier_a, application_id=world.draft_a.pk)
    client = world.client(world.supplier_a)
    response = client.get(f"/supplier/applications/{world.draft_a.pk}/edit/")
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "작성중이거나 보완요청을 받은 신청서만 고칠 수 있습니다" in detail


def test_upload_evidence(world):
    client = world.client(world.supplier_a)
    upload = SimpleUploadedFile("시험성적서.pdf", PDF_BYTES, "application/pdf")
    response = client.post(
        f"/supplier/applications/{world.draft_a.pk}/evidence/", {"kind": "test_report", "file": upload}
    )
    assert response.status_code == 302
    assert world.draft_a.documents.filter(original_name="시험성적서.pdf", kind="test_report").exists()


def test_evidence_of_the_wrong_type_is_refused_in_korean(world):
    upload = SimpleUploadedFile("악성.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = world.client(world.supplier_a).post(
        f"/supplier/applications/{world.draft_a.pk}/evidence/", {"kind": "other", "file": upload}
    )
    assert response.status_code == 400
    assert "허용되지 않는 파일 형식입니다" in response.content.decode()
    assert world.draft_a.documents.count() == 1


def test_remove_evidence(world):
    document = world.draft_a.documents.get()
    response = world.client(world.supplier_a).post(
        f"/supplier/applications/{world.draft_a.pk}/evidence/{document.pk}/remove/"
    )
    assert response.status_code == 302
    assert not world.draft_a.documents.exists()


def test_submit_needs_evidence(world):
    world.draft_a.documents.all().delete()
    client = world.client(world.supplier_a)
    response = client.post(f"/supplier/applications/{world.draft_a.pk}/submit/", follow=True)
    assert "증빙서류를 하나 이상 첨부해야 합니다" in response.content.decode()
    world.draft_a.refresh_from_db()
    assert world.draft_a.status == ApplicationStatus.DRAFT


def test_submit(world):
    client = world.client(world.supplier_a)
    response = client.post(
        f"/supplier/applications/{world.draft_a.pk}/submit/", {"comment": "잘 부탁드립니다"}
    )
    assert response.status_code == 302
    world.draft_a.refresh_from_db()
    assert world.draft_a.status == ApplicationStatus.SUBMITTED
    html = client.get(response["Location"]).content.decode()
    assert "신청서를 제출했습니다" in html
    assert "잘 부탁드립니다" in html  # the audit trail shows the comment


def test_submitting_twice_is_a_clear_conflict(world):
    client = world.client(world.supplier_a)
    client.post(f"/supplier/applications/{world.draft_a.pk}/submit/")
    response = client.post(f"/supplier/applications/{world.draft_a.pk}/submit/", follow=True)
    assert "현재 상태에서는 이 작업을 할 수 없습니다" in response.content.decode()


def test_withdraw_a_draft(world):
    world.client(world.supplier_a).post(f"/supplier/applications/{world.draft_a.pk}/withdraw/")
    world.draft_a.refresh_from_db()
    assert world.draft_a.status == ApplicationStatus.WITHDRAWN


def test_answer_a_supplement_request(world):
    registry_services.submit_application(world.supplier_a, application_id=world.draft_a.pk)
    registry_services.start_review(world.reviewer, application_id=world.draft_a.pk)
    registry_services.request_supplement(
        world.reviewer, application_id=world.draft_a.pk, comment="시험성적서를 추가하세요"
    )
    client = world.client(world.supplier_a)
    assert "보완 요청이 있습니다" in client.get("/supplier/").content.decode()
    detail = client.get(f"/supplier/applications/{world.draft_a.pk}/").content.decode()
    assert "시험성적서를 추가하세요" in detail
    assert "다시 제출" in detail
    # the description is not a term the partner agreed to: its confirmation stands
    client.post(
        f"/supplier/applications/{world.draft_a.pk}/edit/",
        draft_data(world, description="성적서 추가함", product_name=world.draft_a.product_name),
    )
    client.post(
        f"/supplier/applications/{world.draft_a.pk}/evidence/",
        {"kind": "test_report", "file": SimpleUploadedFile("성적서.pdf", PDF_BYTES, "application/pdf")},
    )
    client.post(f"/supplier/applications/{world.draft_a.pk}/submit/")
    world.draft_a.refresh_from_db()
    assert world.draft_a.status == ApplicationStatus.SUBMITTED
    assert world.draft_a.description == "성적서 추가함"
    assert world.draft_a.documents.count() == 2


def test_start_a_renewal(world):
    response = world.client(world.supplier_a).post(f"/supplier/certificates/{world.cert_a.pk}/renew/")
    renewal = CertificationApplication.objects.get(renewal_of=world.cert_a)
    assert response["Location"] == f"/supplier/applications/{renewal.pk}/"


# ------------------------------------------------------------------ listings
def listing_data(**overrides):
    data = {
        "name": "LED 다운라이트",
        "specification": "DL-150, 15W",
        "manufacturer": "가나조명",
        "origin": "대한민국",
        "unit": "EA",
        "unit_price": "45000",
        "min_order_quantity": "10",
        "delivery_lead_days": "7",
        "delivery_regions": ["11", "41"],
        "keywords": "LED,다운라이트",
        "published": "on",
    }
    data.update(overrides)
    return data


def test_listings_page(world):
    html = world.client(world.supplier_a).get("/supplier/listings/").content.decode()
    assert "고효율 LED 평판조명" in html
    assert "검색 노출중" in html
    assert world.listing_b.name not in html


def test_create_a_listing(world):
    client = world.client(world.supplier_a)
    response = client.post(
        f"/supplier/listings/new/?certificate={world.cert_a.pk}",
        listing_data(image=SimpleUploadedFile("p.png", png_bytes(), "image/png")),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    listing = ProductListing.objects.get(name="LED 다운라이트")
    assert listing.supplier == world.company_a
    assert listing.classification_code == world.cert_a.classification_code
    assert sorted(region.code for region in listing.delivery_regions.all()) == ["11", "41"]
    assert listing.image
    image = world.client(world.officer).get(f"/products/{listing.pk}/image/")
    assert image.status_code == 200


def test_listing_errors_in_korean(world):
    response = world.client(world.supplier_a).post(
        f"/supplier/listings/new/?certificate={world.cert_a.pk}",
        listing_data(classification_code="43222612", unit_price="0"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 이상의 값을 입력해 주세요" in html


def test_listing_classification_must_fit_the_certificate(world):
    response = world.client(world.supplier_a).post(
        f"/supplier/listings/new/?certificate={world.cert_a.pk}", listing_data(classification_code="43222612")
    )
    assert "인증서의 분류번호" in response.content.decode()


def test_services_listing_form_asks_for_service_fields(world):
    client = world.client(world.supplier_b)
    html = client.get(f"/supplier/listings/new/?certificate={world.cert_b.pk}").content.decode()
    assert 'name="service_period_months"' in html
    assert 'name="licence_number"' not in html
    response = client.post(
        f"/supplier/listings/new/?certificate={world.cert_b.pk}", listing_data(unit="월", name="유지관리")
    )
    assert "용역 기간(개월)을 입력하세요" in response.content.decode()


def test_edit_a_listing(world):
    client = world.client(world.supplier_a)
    page = client.get(f"/supplier/listings/{world.listing_a.pk}/edit/").content.decode()
    assert 'value="고효율 LED 평판조명"' in page
    response = client.post(
        f"/supplier/listings/{world.listing_a.pk}/edit/", listing_data(name="고친 조명", unit_price="99000")
    )
    assert response.status_code == 302
    world.listing_a.refresh_from_db()
    assert world.listing_a.name == "고친 조명"
    assert world.listing_a.price_history.get().new_price == 99000


def test_unpublish_and_publish_again(world):
    client = world.client(world.supplier_a)
    client.post(f"/supplier/listings/{world.listing_a.pk}/publish/", {"published": "0"})
    world.listing_a.refresh_from_db()
    assert world.listing_a.published is False
    assert "게시 중단" in client.get("/supplier/listings/").content.decode()
    client.post(f"/supplier/listings/{world.listing_a.pk}/publish/", {"published": "1"})
    world.listing_a.refresh_from_db()
    assert world.listing_a.published is True


def test_delete_a_listing(world):
    world.client(world.supplier_a).post(f"/supplier/listings/{world.listing_a.pk}/delete/")
    assert not ProductListing.objects.filter(pk=world.listing_a.pk).exists()


def test_no_listing_under_a_suspended_certificate(world):
    registry_services.suspend_certificate(world.reviewer, certificate_id=world.cert_a.pk, reason="점검")
    response = world.client(world.supplier_a).post(
        f"/supplier/listings/new/?certificate={world.cert_a.pk}", listing_data(), follow=True
    )
    assert "현재 상태에서는 이 작업을 할 수 없습니다" in response.content.decode()
    assert not ProductListing.objects.filter(name="LED 다운라이트").exists()
