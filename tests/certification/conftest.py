import functools
import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certification import services
from certification.roles import Role
from tests.factories import PDF_BYTES, confirm_partner, make_user, pass_all_stages
from tests.worlds import World

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


@functools.cache
def lying_zip_bomb_xlsx_bytes(real_size: int = 150 * 1024 * 1024, declared_size: int = 100) -> bytes:
    """A workbook whose sheet entry inflates to ``real_size`` bytes while the archive's local header and
    central directory both declare ``declared_size``: a check that trusts the declared sizes accepts it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            chunk = b"\x00" * (1024 * 1024)
            for offset in range(0, real_size, len(chunk)):
                entry.write(chunk[: real_size - offset])
    data = bytearray(buffer.getvalue())
    lied = 0
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if struct.unpack_from("<I", data, start + size_at)[0] == real_size:
                struct.pack_into("<I", data, start + size_at, declared_size)
                lied += 1
            start += 4
    assert lied == 2, "the sheet's local header and central directory entry both lie"
    return bytes(data)


class Registry(World):
    """The shared cast plus a second reviewer, for two reviewers acting on one application at once."""

    def __init__(self) -> None:
        super().__init__()
        self.reviewer2 = make_user(Role.REVIEWER, username="reviewer2")


@pytest.fixture(autouse=True)
def _media(media_in_tmp):
    """Every registry test may upload evidence."""


@pytest.fixture
def reg(db) -> Registry:
    return Registry()


def renewed(reg: World, old):
    """Supplier A renews ``old`` and a reviewer approves the renewal: the new certificate."""
    renewal = services.start_renewal(reg.supplier_a, certificate_id=old.pk)
    services.attach_evidence(
        reg.supplier_a, application_id=renewal.pk, upload=SimpleUploadedFile("갱신.pdf", PDF_BYTES)
    )
    confirm_partner(reg.supplier_a, renewal)
    services.submit_application(reg.supplier_a, application_id=renewal.pk)
    services.start_review(reg.reviewer, application_id=renewal.pk)
    pass_all_stages(reg.reviewer, renewal)
    return services.approve_application(reg.reviewer, application_id=renewal.pk)


@pytest.fixture
def pdf_bytes() -> bytes:
    return PDF_BYTES
