"""Validation of a listing against its certificate and sector."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from catalog.models import ProductListing
from certification.codes import Sector, covers_item, validate_classification_code

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_IMAGE_PIXELS = 40_000_000


def listing_errors(listing: ProductListing) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    certificate = listing.certificate
    code = listing.classification_code or ""
    try:
        validate_classification_code(listing.sector, code)
    except ValidationError as exc:
        errors["classification_code"] = exc.messages
    else:
        if not covers_item(certificate.classification_code, code):
            errors["classification_code"] = [
                f"인증서의 품목({certificate.classification_code})과 맞지 않습니다 "
                "(must be the certificate's item)."
            ]
    if listing.goods_identification_number and listing.sector != Sector.GOODS:
        errors["goods_identification_number"] = [
            "물품식별번호는 물품에만 부여됩니다 (only goods carry a goods identification number)."
        ]
    if listing.sector == Sector.SERVICES:
        if not listing.service_period_months:
            errors["service_period_months"] = ["용역 기간(개월)을 입력하세요 (service period is required)."]
        if not listing.service_scope.strip():
            errors["service_scope"] = ["용역 범위를 입력하세요 (service scope is required)."]
    if listing.sector == Sector.CONSTRUCTION:
        if not listing.licence_number.strip():
            errors["licence_number"] = ["건설업 등록번호를 입력하세요 (construction licence is required)."]
        if listing.work_type and listing.work_type != certificate.classification_code:
            errors["work_type"] = [
                "인증서의 공사 업종과 같아야 합니다 (must match the certificate's work type)."
            ]
    return errors


def validate_image(upload: UploadedFile) -> None:
    if upload.size > settings.LISTING_IMAGE_MAX_BYTES:
        raise ValidationError(
            {
                "image": [
                    f"이미지가 너무 큽니다: 최대 {settings.LISTING_IMAGE_MAX_BYTES // (1024 * 1024)} MiB (image too large)."
                ]
            }
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError({"image": ["이미지 파일이 아닙니다 (not a valid image)."]}) from exc
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError({"image": ["JPEG, PNG, WEBP 이미지만 가능합니다 (JPEG, PNG or WEBP only)."]})
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError({"image": ["이미지 해상도가 너무 큽니다 (image dimensions too large)."]})
