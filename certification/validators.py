"""Format rules for identifiers of the scheme: business registration numbers and classification codes."""

import re

from django.core.exceptions import ValidationError

from core.identifiers import is_ascii_digits, normalize_identifier

BIZNO_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def normalize_business_number(value: str) -> str:
    """Reads a typed number as a person meant it (full-width digits and hyphens are the same number, NFKC)
    and strips the separators people type (``123-45-67890``, spaces): the 10 digits, when it is a number."""
    return re.sub(r"[\s\-]", "", normalize_identifier(value))


def business_number_check_digit(first_nine: str) -> int:
    digits = [int(ch) for ch in first_nine]
    total = sum(d * w for d, w in zip(digits, BIZNO_WEIGHTS, strict=True)) + (digits[8] * 5) // 10
    return (10 - total % 10) % 10


def validate_business_number(value: str) -> None:
    # separators only, no NFKC: a stored number in look-alike digits (the feed validates stored rows) is
    # refused, not silently read as ASCII
    digits = re.sub(r"[ \-]", "", value or "")
    if not is_ascii_digits(digits, 10):
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
