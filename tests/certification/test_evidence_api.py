"""Evidence uploads are recognised by content, limited in size, hashed, and scoped to their owner."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from certification.evidence import sniff_evidence_type
from certification.models import EvidenceDocument
from tests.certification.conftest import (
    EXE_BYTES,
    PNG_BYTES,
    lying_zip_bomb_xlsx_bytes,
    xlsx_bytes,
    zip_bomb_xlsx_bytes,
)
from tests.factories import PDF_BYTES

pytestmark = pytest.mark.django_db

JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
HWP_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200 + b"HWP Document File" + b"\x00" * 100


def upload(
    reg, application, name: str, content: bytes, content_type: str = "application/octet-stream", **extra
):
    file = SimpleUploadedFile(name, content, content_type)
    return reg.client(reg.supplier_a).post(
        "/api/v1/documents/", {"application": application.pk, "kind": "test_report", "file": file, **extra}
    )


@pytest.mark.parametrize(
    "name, content, extension, content_type",
    [
        ("시험성적서.pdf", PDF_BYTES, "pdf", "application/pdf"),
        ("사진.png", PNG_BYTES, "png", "image/png"),
        ("사진.jpeg", JPEG_BYTES, "jpg", "image/jpeg"),
        ("실적.xlsx", None, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("협약서.hwp", HWP_BYTES, "hwp", "application/x-hwp"),
        ("no-extension", PDF_BYTES, "pdf", "application/pdf"),
    ],
)
def test_allowed_types_are_accepted_and_hashed(reg, name, content, extension, content_type):
    content = content if content is not None else xlsx_bytes()
    application = reg.draft(with_evidence=False)
    # the client's claimed type is ignored: everything is sent as octet-stream
    response = upload(reg, application, name, content)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["extension"] == extension
    assert body["content_type"] == content_type
    assert body["size"] == len(content)
    assert body["original_name"] == name
    document = EvidenceDocument.objects.get(pk=body["id"])
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    # the stored name never reuses the client's name
    assert name not in document.file.name
    with document.file.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(
    "name, content",
    [
        ("계약서.pdf", EXE_BYTES),  # an executable renamed .pdf
        ("사진.pdf", PNG_BYTES),  # a real PNG that claims to be a PDF
        ("문서.pdf.exe", PDF_BYTES),  # a PDF hiding behind an exe name
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),  # OLE2 but not HWP
        ("broken.xlsx", b"PK\x03\x04garbage"),
        ("archive.xlsx", None),  # a zip bomb dressed as a workbook
    ],
)
def test_disguised_or_dangerous_files_are_400(reg, name, content):
    content = content if content is not None else zip_bomb_xlsx_bytes()
    application = reg.draft(with_evidence=False)
    response = upload(reg, application, name, content, "application/pdf")
    assert response.status_code == 400, response.json()
    assert "file" in response.json()["errors"]
    assert not EvidenceDocument.objects.filter(application=application).exists()


def test_zip_bomb_is_small_on_the_wire_but_refused():
    assert len(zip_bomb_xlsx_bytes()) < 100 * 1024


def test_oversized_file_is_400(reg, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    application = reg.draft(with_evidence=False)
    response = upload(reg, application, "big.pdf", PDF_BYTES + b"0" * 2048)
    assert response.status_code == 400
    assert "file" in response.json()["errors"]
    # exactly at the limit is fine
    response = upload(reg, application, "ok.pdf", PDF_BYTES + b"0" * (1024 - len(PDF_BYTES)))
    assert response.status_code == 201


def test_empty_file_and_missing_file_are_400(reg):
    application = reg.draft(with_evidence=False)
    assert upload(reg, application, "empty.pdf", b"").status_code == 400
    response = reg.client(reg.supplier_a).post("/api/v1/documents/", {"application": application.pk})
    assert response.status_code == 400
    assert "file" in response.json()["errors"]


def test_unknown_upload_field_and_bad_kind_are_400(reg):
    application = reg.draft(with_evidence=False)
    response = upload(reg, application, "a.pdf", PDF_BYTES, owner="me")
    assert response.json()["errors"] == {"owner": ["unknown field"]}
    response = upload(reg, application, "a.pdf", PDF_BYTES, kind="selfie")
    assert response.status_code == 400
    assert "kind" in response.json()["errors"]


def test_upload_to_a_submitted_application_is_409(reg):
    application = reg.submitted()
    response = upload(reg, application, "late.pdf", PDF_BYTES)
    assert response.status_code == 409


def test_download_returns_the_bytes_as_attachment(reg):
    application = reg.draft(with_evidence=False)
    document_id = upload(reg, application, "협약서.pdf", PDF_BYTES).json()["id"]
    response = reg.client(reg.reviewer).get(f"/api/v1/documents/{document_id}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def test_delete_own_document_while_editable_only(reg):
    application = reg.draft(with_evidence=False)
    first = upload(reg, application, "a.pdf", PDF_BYTES).json()["id"]
    second = upload(reg, application, "b.png", PNG_BYTES).json()["id"]
    client = reg.client(reg.supplier_a)
    assert client.delete(f"/api/v1/documents/{first}/").status_code == 204
    assert not EvidenceDocument.objects.filter(pk=first).exists()
    client.post(f"/api/v1/applications/{application.pk}/submit/")
    assert client.delete(f"/api/v1/documents/{second}/").status_code == 409
    assert EvidenceDocument.objects.filter(pk=second).exists()
    assert application.audit_events.filter(action="remove_evidence").count() == 1


def test_documents_listed_in_application_detail_and_filterable(reg):
    application = reg.draft()
    other = reg.draft()
    detail = reg.client(reg.supplier_a).get(f"/api/v1/applications/{application.pk}/").json()
    assert [d["original_name"] for d in detail["documents"]] == ["협약서.pdf"]
    assert detail["documents"][0]["download_url"].endswith(
        f"/documents/{detail['documents'][0]['id']}/download/"
    )
    listed = reg.client(reg.reviewer).get("/api/v1/documents/", {"application": other.pk}).json()
    assert {d["application"] for d in listed["results"]} == {other.pk}


@pytest.mark.parametrize("application_id", ["99999999999999999999999", "abc", "", "-1"])
def test_upload_to_a_bad_application_id_is_400(reg, application_id):
    file = SimpleUploadedFile("a.pdf", PDF_BYTES)
    response = reg.client(reg.supplier_a).post(
        "/api/v1/documents/", {"application": application_id, "file": file}
    )
    assert response.status_code == 400
    assert "application" in response.json()["errors"]


def test_a_failed_evidence_save_leaves_no_file(tmp_path, settings, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import DatabaseError

    from certification import services
    from certification.models import EvidenceDocument
    from certification.roles import Role
    from tests.factories import PDF_BYTES, make_application, make_company, make_user

    settings.MEDIA_ROOT = tmp_path
    supplier_user = make_user(Role.SUPPLIER, make_company())
    application = make_application(supplier_user, make_company(size="large"), with_evidence=False)

    def refuse(self, *args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(EvidenceDocument, "save", refuse)
    with pytest.raises(DatabaseError):
        services.attach_evidence(
            supplier_user, application_id=application.pk, upload=SimpleUploadedFile("a.pdf", PDF_BYTES)
        )
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


# ------------------------------------------------------------- archives that lie about their sizes
def test_a_zip_bomb_that_declares_small_sizes_is_refused_by_what_it_inflates_to(reg):
    content = lying_zip_bomb_xlsx_bytes()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:  # the lie: 100 bytes declared for 150 MiB
        assert sum(entry.file_size for entry in archive.infolist()) < 1024
    assert len(content) < 1024 * 1024
    application = reg.draft(with_evidence=False)
    response = upload(reg, application, "sheet.xlsx", content)
    assert response.status_code == 400
    assert "zip bomb" in response.json()["errors"]["file"][0]
    assert not EvidenceDocument.objects.filter(application=application).exists()


def test_an_entry_declaring_more_than_it_holds_is_refused():
    # an honest-looking small archive whose entry inflates to less than declared: a consumer trusting the
    # declared size would read past it
    content = lying_zip_bomb_xlsx_bytes(real_size=1000, declared_size=2000)
    with pytest.raises(ValidationError) as caught:
        sniff_evidence_type(SimpleUploadedFile("sheet.xlsx", content))
    assert "declared size" in str(caught.value)


def test_an_entry_declaring_less_than_it_holds_within_the_cap_is_refused():
    content = lying_zip_bomb_xlsx_bytes(real_size=2000, declared_size=1000)
    with pytest.raises(ValidationError) as caught:
        sniff_evidence_type(SimpleUploadedFile("sheet.xlsx", content))
    assert "declared size" in str(caught.value)


def test_an_honest_workbook_still_passes():
    assert sniff_evidence_type(SimpleUploadedFile("sheet.xlsx", xlsx_bytes())).extension == "xlsx"
