"""Recognises evidence files by their content, never by the name or the type the client claims."""

import copy
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Limits for zip-based formats (XLSX, HWPX): a small archive that expands enormously is a zip bomb.
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200
ZIP_READ_CHUNK = 1024 * 1024
ZIP_BOMB_MESSAGE = "압축을 풀면 지나치게 커지는 파일입니다 (archive expands too much: possible zip bomb)."


@dataclass(frozen=True)
class EvidenceType:
    extension: str
    content_type: str


PDF = EvidenceType("pdf", "application/pdf")
PNG = EvidenceType("png", "image/png")
JPEG = EvidenceType("jpg", "image/jpeg")
XLSX = EvidenceType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
HWP = EvidenceType("hwp", "application/x-hwp")
HWPX = EvidenceType("hwpx", "application/hwp+zip")

EVIDENCE_TYPES = (PDF, PNG, JPEG, XLSX, HWP, HWPX)
NAME_ALIASES = {"jpeg": "jpg"}
ALLOWED = "PDF, PNG, JPEG, XLSX, HWP, HWPX"


def _reject(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def _expansion_budget(upload: UploadedFile) -> int:
    return min(MAX_ZIP_EXPANDED_BYTES, MAX_ZIP_RATIO * max(upload.size or 0, 1))


def _check_expansion(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], budget: int) -> None:
    """Decompresses every entry, streaming and discarding, and counts what decompression actually
    produces: the sizes an archive declares are the attacker's to choose (a central directory may say
    100 bytes for a 150 MiB entry), so they are never trusted. Each entry is opened as if it declared one
    byte more than the remaining budget, so the reader stops at the cap, not at the declared size; then an
    entry whose real size differs from its declared one is refused too (a consumer trusting either number
    would be misled)."""
    produced = 0
    for entry in entries:
        if entry.is_dir():
            continue
        capped = copy.copy(entry)
        capped.file_size = budget - produced + 1
        # the reader would check the CRC when it stops at the cap (and fail there, as "corrupt"); it is
        # checked here instead, once the whole entry has been read
        del capped.CRC
        size, crc = 0, 0
        with archive.open(capped) as stream:
            while chunk := stream.read(ZIP_READ_CHUNK):
                size += len(chunk)
                if produced + size > budget:
                    raise _reject(ZIP_BOMB_MESSAGE)
                crc = zlib.crc32(chunk, crc)
        if size != entry.file_size:
            raise _reject(
                "압축 항목의 선언된 크기와 실제 크기가 다릅니다 (an archive entry's declared size is not its real size)."
            )
        if crc != entry.CRC:
            raise zipfile.BadZipFile(f"bad CRC-32 for {entry.filename!r}")
        produced += size


def _zip_type(upload: UploadedFile) -> EvidenceType:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise _reject("압축 항목이 너무 많습니다 (too many archive entries).")
            budget = _expansion_budget(upload)
            # the declared sizes first: an honest large archive is refused without decompressing it
            if sum(entry.file_size for entry in entries) > budget:
                raise _reject(ZIP_BOMB_MESSAGE)
            _check_expansion(archive, entries, budget)
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names):
                return XLSX
            if "mimetype" in names and archive.read("mimetype").strip() == b"application/hwp+zip":
                return HWPX
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        RuntimeError,
        NotImplementedError,
    ) as exc:
        # a corrupt, encrypted (RuntimeError: password required) or oddly compressed archive
        raise _reject("손상된 압축 파일입니다 (corrupt archive).") from exc
    finally:
        upload.seek(0)
    raise _reject(f"허용되지 않는 파일 형식입니다: {ALLOWED}만 가능합니다 (file type not allowed).")


def _detect(upload: UploadedFile) -> EvidenceType:
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(upload)
    if head.startswith(OLE2_MAGIC):
        # HWP 5 is an OLE2 compound file whose FileHeader stream starts with this signature; other OLE2
        # files (old .doc/.xls, .msg) are not accepted.
        upload.seek(0)
        body = upload.read(1024 * 1024)
        upload.seek(0)
        if b"HWP Document File" in body:
            return HWP
    raise _reject(f"허용되지 않는 파일 형식입니다: {ALLOWED}만 가능합니다 (file type not allowed).")


def sniff_evidence_type(upload: UploadedFile) -> EvidenceType:
    """Returns the detected type; rejects unknown content and a name whose extension disagrees with it."""
    detected = _detect(upload)
    suffix = PurePath(upload.name or "").suffix.lower().lstrip(".")
    suffix = NAME_ALIASES.get(suffix, suffix)
    if suffix and suffix != detected.extension:
        raise _reject(
            f"파일 이름(.{suffix})과 실제 내용({detected.extension})이 다릅니다 (file name does not match its content)."
        )
    return detected
