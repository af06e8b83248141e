"""Listing image intake: every image a supplier or admin uploads is decoded by Pillow, checked and
re-encoded before it is stored, and only the re-encoded file is kept.

The file is public (Nara Marketplace shows it; anyone may fetch it), so nothing the uploader sent but the
pixels survives: no EXIF (GPS position, camera serial), no text chunks, no colour profile, no comment, no
bytes after the image's end. What cannot be decoded as a still JPEG, PNG or WebP within the bounds below
is refused with a field error on ``image`` carrying a stable code (``ImageCode``), and nothing is stored.

Bounds are checked on the header, before any pixel is decoded, so a small file declaring 50,000 × 50,000
pixels (a decompression bomb) costs nothing. Pillow's own process-wide ``Image.MAX_IMAGE_PIXELS`` stays
untouched; ours is ``LISTING_IMAGE_MAX_PIXELS``.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from core.domain import RuleViolation

# WebP cannot hold a side longer than 16,383 pixels, and no product photo needs one.
MAX_IMAGE_SIDE = 16_383
PADDING = b"\x00\xff\r\n\t "  # what some encoders leave after the end of an image; harmless


class ImageCode:
    TOO_LARGE = "image_too_large"
    UNREADABLE = "image_unreadable"
    FORMAT = "image_format_not_allowed"
    TOO_MANY_PIXELS = "image_too_many_pixels"
    ANIMATED = "image_animated"
    TRAILING_DATA = "image_trailing_data"


@dataclass(frozen=True)
class Family:
    """A format we keep, and how its re-encoded file is written and served."""

    format: str
    extension: str
    content_type: str
    modes: tuple[str, ...]  # the modes its encoder writes as they are; others are converted
    fallback_mode: str
    options: tuple[tuple[str, object], ...]


JPEG = Family("JPEG", "jpg", "image/jpeg", ("L", "RGB", "CMYK"), "RGB", (("quality", 90),))
PNG = Family(
    "PNG",
    "png",
    "image/png",
    ("1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"),
    "RGBA",
    (("compress_level", 6),),
)
WEBP = Family("WEBP", "webp", "image/webp", ("RGB", "RGBA"), "RGBA", (("quality", 90),))
# MPO is a JPEG carrying further pictures (some cameras' depth or preview frames): its first is the photo
FAMILIES = {"JPEG": JPEG, "MPO": JPEG, "PNG": PNG, "WEBP": WEBP}
OPENERS = ("JPEG", "PNG", "WEBP")
ALLOWED = "JPEG, PNG, WebP"
# picture formats a supplier may well try, named in the refusal (anything else reads as "not an image")
OTHER_FORMATS = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x00\x00\x01\x00", "ICO"),
)


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    family: Family
    width: int
    height: int

    @property
    def extension(self) -> str:
        return self.family.extension

    @property
    def content_type(self) -> str:
        return self.family.content_type


def _refuse(code: str, message: str) -> RuleViolation:
    return RuleViolation(message, code=code, field="image")


def _unreadable() -> RuleViolation:
    return _refuse(
        ImageCode.UNREADABLE,
        f"이미지로 읽을 수 없는 파일입니다: {ALLOWED} 사진만 받습니다. SVG, HTML 등은 받지 않습니다 "
        f"(not a readable image: {ALLOWED} only; SVG, HTML and other files are refused).",
    )


def _too_many_pixels() -> RuleViolation:
    limit = settings.LISTING_IMAGE_MAX_PIXELS
    return _refuse(
        ImageCode.TOO_MANY_PIXELS,
        f"이미지 해상도가 너무 큽니다: 최대 {limit // 10_000:,}만 화소, 한 변 {MAX_IMAGE_SIDE:,}픽셀 "
        f"(image dimensions too large: at most {limit:,} pixels and {MAX_IMAGE_SIDE:,} pixels a side).",
    )


def _too_large() -> RuleViolation:
    mib = settings.LISTING_IMAGE_MAX_BYTES / (1024 * 1024)
    return _refuse(
        ImageCode.TOO_LARGE,
        f"이미지 파일이 너무 큽니다: 최대 {mib:g} MiB (image file too large: at most {mib:g} MiB).",
    )


def read_upload(upload: UploadedFile) -> bytes:
    """The uploaded bytes, refused above ``LISTING_IMAGE_MAX_BYTES`` before they are read."""
    limit = settings.LISTING_IMAGE_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise _too_large()
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:  # the declared size lied
        raise _too_large()
    return data


def clean_image(upload: UploadedFile) -> CleanImage:
    """Checks an uploaded image and returns it re-encoded; raises ``RuleViolation`` (field ``image``)."""
    return clean_image_bytes(read_upload(upload))


def clean_image_bytes(data: bytes) -> CleanImage:
    family = _probe(data)
    end = image_end(family, data)
    if end is None:
        raise _unreadable()
    if data[end:].strip(PADDING):
        raise _refuse(
            ImageCode.TRAILING_DATA,
            "이미지 끝에 다른 데이터가 붙어 있습니다. 사진을 다시 저장해 올려 주세요 "
            "(the file carries other data after the end of the image; save the picture again and upload it).",
        )
    return _reencode(data, family)


def _open(data: bytes) -> Image.Image:
    # Pillow warns (and past twice its bound raises) about huge images; both mean "too many pixels" here
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # the JPEG opener also opens MPO; no other decoder is even tried
            return Image.open(io.BytesIO(data), formats=OPENERS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_many_pixels() from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise _unreadable() from exc


def _other_format(data: bytes) -> str | None:
    """The name of a picture format we do not take, recognised by its signature (None: not a picture)."""
    for signature, name in OTHER_FORMATS:
        if data.startswith(signature):
            return name
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"avif"):
        return "HEIC/AVIF"
    return None


def _probe(data: bytes) -> Family:
    """The header checks: format family, dimensions, animation. No pixel is decoded here."""
    if not data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"RIFF")):
        # only these signatures reach Pillow: SVG and HTML are refused whatever their name says
        other = _other_format(data)
        if other is None:
            raise _unreadable()
        raise _refuse(
            ImageCode.FORMAT,
            f"{other} 형식은 받지 않습니다: {ALLOWED} 이미지로 저장해 올려 주세요 "
            f"({other} is not accepted: save the picture as {ALLOWED}).",
        )
    with _open(data) as image:
        family = FAMILIES.get(image.format or "")
        if family is None:  # the opener list makes this unreachable; kept as the rule's statement
            raise _unreadable()
        width, height = image.size
        if width * height > settings.LISTING_IMAGE_MAX_PIXELS or max(width, height) > MAX_IMAGE_SIDE:
            raise _too_many_pixels()
        if image.format != "MPO" and getattr(image, "n_frames", 1) > 1:
            raise _refuse(
                ImageCode.ANIMATED,
                "움직이는 이미지는 받지 않습니다: 정지 사진을 올려 주세요 "
                "(animated images are refused: upload a still picture).",
            )
    return family


def _reencode(data: bytes, family: Family) -> CleanImage:
    try:
        with _open(data) as image:
            image.verify()  # structure and checksums, before the pixels are decoded
        with _open(data) as image:
            image.load()
            # the orientation tag goes with the EXIF, so turn the pixels the way the camera meant
            pixels = ImageOps.exif_transpose(image)
    except RuleViolation:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise _unreadable() from exc
    if pixels.mode not in family.modes:
        pixels = pixels.convert(family.fallback_mode)
    # Pillow's PNG writer falls back to the source's info (colour profile); keep only transparency
    pixels.info = {key: value for key, value in pixels.info.items() if key == "transparency"}
    output = io.BytesIO()
    pixels.save(output, family.format, **dict(family.options))
    return CleanImage(output.getvalue(), family, pixels.width, pixels.height)


# ------------------------------------------------------------- where an image's bytes end
def image_end(family: Family, data: bytes) -> int | None:
    """The offset just past the image in ``data`` (None when its structure does not hold together), so
    bytes appended after it (a PNG followed by HTML) can be told from the image."""
    if data.startswith(b"RIFF"):
        return _riff_end(data)
    if family is PNG:
        return _png_end(data)
    end = _jpeg_end(data, 0)
    # an MPO's further pictures are whole JPEGs, one after the other
    while end is not None and data.startswith(b"\xff\xd8\xff", end):
        end = _jpeg_end(data, end)
    return end


def _riff_end(data: bytes) -> int | None:
    if len(data) < 12 or data[8:12] != b"WEBP":
        return None
    size = int.from_bytes(data[4:8], "little")
    end = 8 + size + (size & 1)
    return end if end <= len(data) + (size & 1) else None


def _png_end(data: bytes) -> int | None:
    position = 8
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        position += 12 + length
        if kind == b"IEND":
            return position if position <= len(data) else None
    return None


def _jpeg_end(data: bytes, start: int) -> int | None:
    """Walks the marker segments; after each start of scan, skips the entropy-coded data (where 0xFF is
    followed by 0x00 or a restart marker) to the next marker, up to the end of image (EOI)."""
    size = len(data)
    position = start + 2  # after SOI
    while position < size:
        if data[position] != 0xFF:
            return None
        while position < size and data[position] == 0xFF:  # fill bytes
            position += 1
        if position >= size:
            return None
        marker = data[position]
        position += 1
        if marker == 0xD9:  # EOI
            return position
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            continue
        if position + 2 > size:
            return None
        position += int.from_bytes(data[position : position + 2], "big")
        if marker != 0xDA:  # not a start of scan
            continue
        while True:
            position = data.find(b"\xff", position)
            if position < 0 or position + 1 >= size:
                return None
            following = data[position + 1]
            if following == 0x00 or 0xD0 <= following <= 0xD7:
                position += 2
            elif following == 0xFF:
                position += 1
            else:
                break
    return None
