"""The verification pages: anyone, signed in or not, checks a certificate by number or business number
and for a past day; an unknown number is a plain "not found" and bad input a form error, never a 500."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from certification import services
from certification.roles import Role
from tests.factories import make_company, make_user
from web.security import CONTENT_SECURITY_POLICY


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_form_is_open_to_anyone(world):
    response = world.client(None).get("/verify/")
    assert response.status_code == 200
    assert 'id="verify-form"' in text(response)
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("role", ["anonymous", "supplier_b", "officer"])
def test_the_qr_target_says_valid(world, role):
    number = world.cert_a.number
    response = world.client(world.user(role)).get(f"/verify/{number}/")
    assert response.status_code == 200
    page = text(response)
    assert number in page
    assert "현재 유효한 인증서입니다." in page
    assert "가나조명㈜" in page and "대한전자" in page
    assert world.company_a.business_number_display in page
    assert 'data-status="active"' in page


def test_revoked_certificate_says_revoked(world):
    services.revoke_certificate(world.reviewer, certificate_id=world.cert_a.pk, reason="부정 취득")
    page = text(world.client(None).get(f"/verify/{world.cert_a.number}/"))
    assert 'data-status="revoked"' in page
    assert "현재 유효한 인증서가 아닙니다." in page
    assert "취소" in page and "(revoked)" not in page and "부정 취득" in page


def test_search_by_business_number_lists_the_holders_certificates(world):
    second = world.certificate(world.supplier_a, product_name="두 번째 조명")
    for typed in (world.company_a.business_number_display, world.company_a.business_number):
        response = world.client(None).get("/verify/", {"number": typed})
        assert response.status_code == 200
        page = text(response)
        assert world.cert_a.number in page and second.number in page
        assert world.cert_b.number not in page


def test_as_of_answers_for_that_day(world):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    today = timezone.localdate().isoformat()
    client = world.client(None)
    before = text(client.get("/verify/", {"number": world.cert_a.number, "as_of": yesterday}))
    assert (
        'data-as-of-valid="false"' in before and "기준: 미발급" in before and "(not issued yet)" not in before
    )
    on_day = text(client.get(f"/verify/{world.cert_a.number}/", {"as_of": today}))
    assert 'data-as-of-valid="true"' in on_day


@pytest.mark.parametrize(
    "url", ["/verify/?number=WW-2099-000001", "/verify/WW-2099-000001/", "/verify/?number=1234567891"]
)
def test_unknown_numbers_are_not_found(world, url):
    response = world.client(None).get(url)
    assert response.status_code == 404
    assert "등록된 인증서를 찾을 수 없습니다" in text(response)


def test_a_draft_holder_is_not_found_like_anyone_else(world):
    """A company that has only applied answers exactly as a number nobody holds."""
    company = make_company("신청만한기업")
    user = make_user(Role.SUPPLIER, company)
    world.draft(user)
    response = world.client(None).get("/verify/", {"number": company.business_number})
    assert response.status_code == 404
    assert "등록된 인증서를 찾을 수 없습니다" in text(response)
    assert "신청만한기업" not in text(response)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"number": "WW-26-1"}, "인증번호 형식이 올바르지 않습니다"),
        ({"number": "123-45-6789"}, "사업자등록번호"),
        ({"number": "WW-2026-000001", "as_of": "2026-02-30"}, "기준일은 YYYY-MM-DD"),
        ({"number": "WW-2026-000001", "as_of": "0001-01-01"}, "기준일은 2000-01-01부터"),
        ({"number": "x" * 41}, "40"),
    ],
)
def test_bad_input_is_a_form_error(world, params, message):
    response = world.client(None).get("/verify/", params)
    assert response.status_code == 400
    assert message in text(response)
    assert 'id="error-summary"' in text(response)


def test_bad_as_of_on_the_qr_target_is_a_form_error(world):
    response = world.client(None).get(f"/verify/{world.cert_a.number}/", {"as_of": "tomorrow"})
    assert response.status_code == 400
    assert "기준일은 YYYY-MM-DD" in text(response)


def test_holder_and_reviewer_pages_link_the_document(world):
    document = f"/certificates/{world.cert_a.number}/document.pdf"
    assert document in world.client(world.supplier_a).get("/supplier/").content.decode()
    detail = world.client(world.reviewer).get(f"/review/certificates/{world.cert_a.pk}/").content.decode()
    assert document in detail and f"/verify/{world.cert_a.number}/" in detail


def test_the_page_speaks_english_on_request(world):
    client = world.client(None, headers={"accept-language": "en-US,en;q=0.9"})
    page = text(client.get(f"/verify/{world.cert_a.number}/"))
    assert "Verify a win-win cooperation product certificate" in page
    assert "This certificate is valid today." in page
    assert "Certificate number or business registration number" in page
