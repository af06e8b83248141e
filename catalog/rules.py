"""Validation of a listing against its certificate and sector (its image: ``catalog.images``)."""

from django.core.exceptions import ValidationError

from catalog.models import ProductListing
from certification.codes import Sector, covers_item, validate_classification_code


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
    product_code = listing.supplier_product_code
    if (
        product_code
        and ProductListing.objects.filter(supplier_id=listing.supplier_id, supplier_product_code=product_code)
        .exclude(pk=listing.pk)
        .exists()
    ):
        errors["supplier_product_code"] = [
            f"상품코드 {product_code}는 이미 다른 제품에 쓰였습니다 (the product code is already in use)."
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
