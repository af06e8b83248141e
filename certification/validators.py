"""Format rules for identifiers of the scheme: business registration numbers and classification codes."""

import re

from django.core.exceptions import ValidationError

BIZNO_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def normalize_business_number(value: str) -> str:
    """Strips the separators people type (``123-45-67890``, spaces) and returns the 10 digits."""
    return re.sub(r"[\s\-]", "", value or "")


def business_number_check_digit(first_nine: str) -> int:
    digits = [int(ch) for ch in first_nine]
    total = sum(d * w for d, w in zip(digits, BIZNO_WEIGHTS, strict=True)) + (digits[8] * 5) // 10
    return (10 - total % 10) % 10


def validate_business_number(value: str) -> None:
    digits = normalize_business_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError(
            "사업자등록번호는 10자리 숫자여야 합니다 (business registration number must be 10 digits).",
            code="format",
        )
    if business_number_check_digit(digits[:9]) != int(digits[9]):
        raise ValidationError(
            "사업자등록번호 검증번호가 맞지 않습니다 (check digit does not match).", code="check_digit"
        )


def format_business_number(digits: str) -> str:
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}" if len(digits) == 10 else digits
