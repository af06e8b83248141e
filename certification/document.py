"""The certificate document (상생협력제품 지정 확인서): a one-page PDF in Korean with a QR code to verify it.

The document is drawn on request from the certificate's current state, never stored: each certificate
(a renewal is a certificate of its own) has its document from the moment it is issued, and a status
change shows in the next download without a regeneration job that could fail or lag. The same state
draws the same bytes (the PDF's creation date is the certificate's last status change). A certificate that is not valid now says so across the page: 취소 (revoked),
효력 정지 (suspended) or 만료 (expired).

Hangul needs a real Korean font: NanumGothic (SIL Open Font License 1.1, ``certification/fonts/OFL.txt``)
ships with the code, so every machine and the container image draw the same glyphs with nothing to
install; ``CERTIFICATE_FONT_PATH`` may point at another TrueType font with Hangul.
"""

import io
import logging
from datetime import date
from pathlib import Path

import segno
from django.conf import settings
from django.core import checks
from django.http import HttpResponse
from django.utils import timezone, translation
from fpdf import FPDF

from certification.codes import Sector
from certification.models import Certificate, CertificateStatus
from certification.public import Verification, verify

VENDORED_FONT = Path(__file__).resolve().parent / "fonts" / "NanumGothic.ttf"
FONT = "korean"
TITLE = "상생협력제품 지정 확인서"
# fontTools names every table of the font it cannot subset (TSI*: hinting sources); harmless noise
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)

# the banner of a certificate that is not valid now: (headline, sentence)
NOT_VALID = {
    CertificateStatus.REVOKED: (
        "인증 취소",
        "이 인증서는 취소되었습니다 (this certificate has been REVOKED).",
    ),
    CertificateStatus.SUSPENDED: (
        "효력 정지",
        "이 인증서는 효력이 정지되었습니다 (this certificate is SUSPENDED).",
    ),
    CertificateStatus.EXPIRED: (
        "유효기간 만료",
        "이 인증서는 유효기간이 끝났습니다 (this certificate has EXPIRED).",
    ),
}
ITEM_LABEL = {
    Sector.GOODS: "세부품명번호",
    Sector.SERVICES: "세부품명번호",
    Sector.CONSTRUCTION: "업종 코드",
}
RED = (190, 20, 30)
INK = (20, 20, 20)
GREY = (90, 90, 90)


def font_path() -> Path:
    configured = getattr(settings, "CERTIFICATE_FONT_PATH", "")
    return Path(configured) if configured else VENDORED_FONT


def check_font(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: the font the certificate document draws Hangul with is there."""
    path = font_path()
    if path.is_file():
        return []
    return [
        checks.Error(
            f"the certificate document's font {path} does not exist",
            hint="unset CERTIFICATE_FONT_PATH to use NanumGothic shipped in certification/fonts/",
            id="certification.E001",
        )
    ]


def qr_png(url: str) -> bytes:
    """The QR code of ``url`` as a PNG (error correction M: a printed page survives a smudge)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def _day(value: date) -> str:
    return f"{value:%Y-%m-%d} ({value.year}년 {value.month}월 {value.day}일)"


#: a reason longer than this is cut on the page (the verification page shows it whole)
MAX_REASON_CHARS = 400


def _clipped(text: str) -> str:
    if len(text) <= MAX_REASON_CHARS:
        return text
    return text[:MAX_REASON_CHARS].rstrip() + "… (전문은 진위 확인 페이지에서 볼 수 있습니다)"


def korean(label) -> str:
    """A code's label in Korean whatever the page's language: the document is the same for every reader."""
    with translation.override("ko"):
        return str(label)


def _rows(verification: Verification) -> list[tuple[str, str]]:
    certificate = verification.certificate
    item = certificate.classification_code
    if verification.item_name:
        item = f"{item} ({verification.item_name})"
    rows = [
        ("인증번호", certificate.number),
        ("제품명", certificate.product_name),
        (ITEM_LABEL.get(certificate.sector, "품목 코드"), item),
        ("분야", korean(Sector(certificate.sector).label)),
        (
            "인증기업 (공급기업)",
            f"{certificate.supplier.name} (사업자등록번호 {certificate.supplier.business_number_display})",
        ),
        ("협력기업", certificate.partner.name),
        ("유효기간", f"{certificate.issued_on:%Y-%m-%d} ~ {certificate.expires_on:%Y-%m-%d}"),
        ("발급일", _day(certificate.issued_on)),
        ("상태", verification.status_label),
    ]
    if certificate.renewed_from_id:
        rows.append(("갱신 전 인증서", certificate.renewed_from.number))
    if verification.status != CertificateStatus.ACTIVE:
        changed = timezone.localtime(certificate.status_changed_at).date()
        rows.append(("상태 변경일", _day(changed)))
        if certificate.status in (CertificateStatus.REVOKED, CertificateStatus.SUSPENDED):
            rows.append(("사유", _clipped(certificate.status_reason)))
    return rows


class _Document(FPDF):
    #: the headline stamped across every page of a certificate that is not valid now
    stamp = ""

    def header(self) -> None:
        if self.stamp:
            with self.local_context(fill_opacity=0.15, text_color=RED), self.rotation(30, x=105, y=150):
                self.set_font(FONT, size=90)
                self.text(35, 170, self.stamp)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, size=8)
        self.set_text_color(*GREY)
        self.cell(
            0,
            5,
            "상생협력제품 조달 플랫폼 · 이 확인서의 진위는 QR 코드 또는 인증번호로 확인하십시오.",
            align="C",
        )


def _banner(pdf: _Document, status: str) -> None:
    headline, sentence = NOT_VALID[status]
    # a red box under the title (the page header stamps the headline across every page)
    pdf.set_draw_color(*RED)
    pdf.set_text_color(*RED)
    pdf.set_line_width(1)
    pdf.set_font(FONT, size=20)
    pdf.cell(0, 14, headline, border="LTR", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=11)
    pdf.cell(0, 9, sentence, border="LBR", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_line_width(0.2)
    pdf.ln(4)


def render(verification: Verification) -> bytes:
    certificate = verification.certificate
    pdf = _Document(format="A4")
    pdf.set_margins(20, 20, 20)
    # long names or a long reason may push the table past the first page: it continues on the next
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_font(FONT, fname=str(font_path()))
    pdf.set_title(f"{TITLE} {certificate.number}")
    pdf.set_subject(f"{certificate.supplier.name} · {certificate.product_name}")
    pdf.set_author("상생협력제품 조달 플랫폼")
    pdf.set_lang("ko")
    # the same state draws the same bytes
    pdf.set_creation_date(certificate.status_changed_at)
    if verification.status in NOT_VALID:
        pdf.stamp = NOT_VALID[verification.status][0]
    pdf.add_page()

    pdf.set_text_color(*INK)
    pdf.set_font(FONT, size=24)
    pdf.cell(0, 14, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    pdf.set_text_color(*GREY)
    pdf.cell(
        0,
        6,
        "Certificate of Designation: Win-win Cooperation Product",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(*INK)
    pdf.ln(6)
    if verification.status in NOT_VALID:
        _banner(pdf, verification.status)

    pdf.set_draw_color(*GREY)
    for label, value in _rows(verification):
        pdf.set_font(FONT, size=10)
        top = pdf.get_y()
        pdf.set_fill_color(238, 238, 238)
        pdf.set_x(20)
        pdf.multi_cell(45, 9, label, border=1, fill=True, new_x="RIGHT", new_y="TOP")
        pdf.set_font(FONT, size=11)
        pdf.multi_cell(0, 9, value, border=1, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), top + 9))

    pdf.ln(8)
    pdf.set_font(FONT, size=12)
    pdf.multi_cell(
        0,
        8,
        f"위 제품은 {certificate.supplier.name}와(과) {certificate.partner.name}이(가) 협력하여 개발한 "
        "상생협력제품으로 지정되었음을 확인합니다.",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    pdf.set_font(FONT, size=11)
    pdf.cell(0, 8, _day(certificate.issued_on), align="C", new_x="LMARGIN", new_y="NEXT")

    # the QR code holds the verification page's address; the address is printed beside it too
    qr_top = max(pdf.get_y() + 6, 222.0)
    if qr_top + 45 > pdf.h - 22:
        pdf.add_page()
        qr_top = 30.0
    pdf.image(io.BytesIO(qr_png(verification.url)), x=20, y=qr_top, w=45, h=45)
    pdf.set_xy(70, qr_top + 10)
    pdf.set_font(FONT, size=10)
    pdf.multi_cell(0, 6, "진위 확인 (verify this certificate):", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(70)
    pdf.set_font(FONT, size=9)
    pdf.multi_cell(0, 5, verification.url, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def certificate_document(certificate: Certificate) -> bytes:
    """The document of ``certificate`` as it stands now."""
    return render(verify([certificate])[0])


def filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.number}.pdf"


def pdf_response(certificate: Certificate) -> HttpResponse:
    """The document as a download; never cached by shared caches (it is the holder's)."""
    response = HttpResponse(certificate_document(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename(certificate)}"'
    response["Cache-Control"] = "private, no-cache"
    return response
