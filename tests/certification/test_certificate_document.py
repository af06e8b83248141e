"""The certificate document (지정 확인서): a Korean PDF whose text names the certificate and its holder in
Hangul drawn with a real font, whose QR code decodes to the verification page, which says so when the
certificate is revoked or suspended, and which only the holder, reviewers and admins download."""

import logging
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from fontTools.ttLib import TTFont

from certification import services
from certification.document import certificate_document, font_path
from tests.documents import pdf_text, qr_texts
from tests.worlds import page_client


def test_the_document_names_the_certificate_and_holder_in_hangul(reg, caplog):
    certificate = reg.certificate()
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        data = certificate_document(certificate)
    assert data.startswith(b"%PDF-")
    # fpdf2 warns of every character the font has no glyph for (it would draw a box)
    assert not [r for r in caplog.records if "missing" in r.getMessage()]
    text = pdf_text(data)
    assert "상생협력제품 지정 확인서" in text
    assert certificate.number in text
    assert "가나조명㈜" in text
    assert "대한전자" in text
    assert "고효율 LED 평판조명" in text
    assert "3911160501" in text
    assert f"{certificate.issued_on:%Y-%m-%d} ~ {certificate.expires_on:%Y-%m-%d}" in text
    assert "유효 (active)" in text
    assert "인증 취소" not in text


def test_every_character_drawn_has_a_glyph_in_the_embedded_font(reg):
    data = certificate_document(reg.certificate())
    assert b"/FontFile2" in data  # the TrueType font travels inside the PDF
    cmap = TTFont(font_path(), lazy=True).getBestCmap()
    missing = {ch for ch in pdf_text(data) if not ch.isspace() and ord(ch) not in cmap}
    assert not missing


def test_the_qr_code_decodes_to_the_verification_url(reg, settings):
    certificate = reg.certificate()
    assert qr_texts(certificate_document(certificate)) == [
        f"{settings.SITE_BASE_URL}/verify/{certificate.number}/"
    ]


def test_the_qr_follows_site_base_url(reg, settings):
    settings.SITE_BASE_URL = "https://sangsaeng.example.kr"
    certificate = reg.certificate()
    assert qr_texts(certificate_document(certificate)) == [
        f"https://sangsaeng.example.kr/verify/{certificate.number}/"
    ]


def test_a_revoked_certificate_says_so(reg):
    certificate = reg.certificate()
    services.revoke_certificate(reg.reviewer, certificate_id=certificate.pk, reason="부정 취득")
    certificate.refresh_from_db()
    text = pdf_text(certificate_document(certificate))
    assert "인증 취소" in text
    assert "취소 (revoked)" in text
    assert "부정 취득" in text


def test_a_suspended_certificate_says_so_and_a_reinstated_one_no_longer_does(reg):
    certificate = reg.certificate()
    services.suspend_certificate(reg.reviewer, certificate_id=certificate.pk, reason="현장 점검")
    certificate.refresh_from_db()
    assert "효력 정지" in pdf_text(certificate_document(certificate))
    services.reinstate_certificate(reg.reviewer, certificate_id=certificate.pk, reason="점검 완료")
    certificate.refresh_from_db()
    text = pdf_text(certificate_document(certificate))
    assert "효력 정지" not in text and "유효 (active)" in text


def test_the_same_state_draws_the_same_bytes(reg):
    certificate = reg.certificate()
    assert certificate_document(certificate) == certificate_document(certificate)


@pytest.mark.parametrize(
    ("role", "page", "api"),
    [
        ("supplier_a", 200, 200),
        ("reviewer", 200, 200),
        ("admin", 200, 200),
        ("supplier_b", 403, 403),
        ("officer", 403, 403),
        ("anonymous", 302, 403),
    ],
)
def test_who_downloads_the_document(reg, role, page, api):
    certificate = reg.certificate()
    user = reg.user(role)
    by_page = page_client(user).get(f"/certificates/{certificate.number}/document.pdf")
    by_api = reg.client(user).get(f"/api/v1/certificates/{certificate.pk}/document/")
    assert (by_page.status_code, by_api.status_code) == (page, api)
    if page == 200:
        assert by_page["Content-Type"] == "application/pdf"
        assert certificate.number in pdf_text(by_page.content)
        assert by_api.content == by_page.content
        assert "attachment" in by_page["Content-Disposition"]
    if role == "anonymous":
        assert by_page["Location"].startswith("/accounts/login/")


def test_an_unknown_certificate_document_is_404(reg):
    assert page_client(reg.supplier_a).get("/certificates/WW-2099-000001/document.pdf").status_code == 404


def test_a_missing_font_fails_the_system_check(settings, tmp_path):
    call_command("check")
    settings.CERTIFICATE_FONT_PATH = str(tmp_path / "missing.ttf")
    with pytest.raises(SystemCheckError, match=r"certification\.E001"):
        call_command("check")


def test_long_texts_and_characters_without_glyphs_still_draw_a_readable_document(reg, settings):
    """The longest names the registry takes, a long revocation reason and an emoji (NanumGothic has no
    glyph for it): the document still draws, keeps the QR code whole and the text readable."""
    reg.company_a.name = "가" * 190 + "🙂"
    reg.company_a.save()
    certificate = reg.certificate(product_name="매우 긴 제품명 " * 14)
    services.revoke_certificate(reg.reviewer, certificate_id=certificate.pk, reason="위반 사항 " * 400)
    certificate.refresh_from_db()
    data = certificate_document(certificate)
    assert qr_texts(data) == [f"{settings.SITE_BASE_URL}/verify/{certificate.number}/"]
    text = pdf_text(data)
    assert "인증 취소" in text and certificate.number in text
    assert "전문은 진위 확인 페이지에서" in text


def test_scanning_the_qr_code_opens_the_verification_page(reg):
    """The holder's document → its QR code → an anonymous visitor opens that address: valid; after a
    revocation the same address says revoked."""
    certificate = reg.certificate()
    download = page_client(reg.supplier_a).get(f"/certificates/{certificate.number}/document.pdf")
    (scanned,) = qr_texts(download.content)
    visitor = page_client(None)
    page = visitor.get(urlsplit(scanned).path)
    assert page.status_code == 200
    assert 'data-status="active"' in page.content.decode()
    services.revoke_certificate(reg.reviewer, certificate_id=certificate.pk, reason="부정 취득")
    assert 'data-status="revoked"' in visitor.get(urlsplit(scanned).path).content.decode()
