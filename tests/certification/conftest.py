import io
import zipfile

import pytest
from rest_framework.test import APIClient

from certification.roles import Role
from tests.factories import PDF_BYTES, make_application, make_certificate, make_company, make_user

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    + b"\x00" * 200
    + b"This program cannot be run in DOS mode"
)


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["품명", "단가"])
    workbook.active.append(["LED 평판조명", 125000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bomb_xlsx_bytes() -> bytes:
    """Looks like a workbook, but one entry inflates ~1000x (zeros compress extremely well)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (8 * 1024 * 1024))
    return buffer.getvalue()


class Registry:
    """Two supplier companies and one partner, with one user per role and helpers to call the API."""

    def __init__(self):
        self.partner = make_company("대한전자", size="large", region="41")
        self.company_a = make_company("가나조명", region="11")
        self.company_b = make_company("다라설비", region="26")
        self.supplier_a = make_user(Role.SUPPLIER, self.company_a, "supplier-a")
        self.supplier_b = make_user(Role.SUPPLIER, self.company_b, "supplier-b")
        self.reviewer = make_user(Role.REVIEWER, username="reviewer")
        self.reviewer2 = make_user(Role.REVIEWER, username="reviewer2")
        self.officer = make_user(Role.OFFICER, username="officer")
        self.admin = make_user(Role.ADMIN, username="admin")

    def client(self, user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    def draft(self, user=None, sector: str = "goods", **overrides):
        return make_application(user or self.supplier_a, self.partner, sector, **overrides)

    def submitted(self, user=None, sector: str = "goods"):
        from certification import services

        application = self.draft(user, sector)
        services.submit_application(user or self.supplier_a, application_id=application.pk)
        return application

    def under_review(self, user=None, sector: str = "goods"):
        from certification import services

        application = self.submitted(user, sector)
        services.start_review(self.reviewer, application_id=application.pk)
        return application

    def certificate(self, user=None, sector: str = "goods"):
        return make_certificate(user or self.supplier_a, self.partner, self.reviewer, sector)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def reg(db) -> Registry:
    return Registry()


@pytest.fixture
def pdf_bytes() -> bytes:
    return PDF_BYTES
