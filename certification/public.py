"""Public certificate verification: what anyone, signed in or not, may learn about a certificate.

Bid evaluators award points against a certificate and institutions check it before buying, so a
certificate's number, holder, partner, item, validity and status are public facts (the ministry's own
look-up answers them by business number and reference date). Everything here reads issued certificates
only: an application becomes a certificate on approval, so nothing still private to an applicant can be
found, and an unknown number and a company without certificates get the same "not found".

The lookups parse and normalise what people type (``123-45-67890``, ``ww-2026-000001``) and raise
:class:`~core.domain.RuleViolation` naming the field for malformed input; the API and the pages turn
that into a 400 / form error. What a response may carry is the allow-list in ``certification.api.public``.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from certification.codes import classification_number
from certification.models import Certificate, CertificateStatus, ClassificationCode
from certification.validators import normalize_business_number, validate_business_number
from core.domain import RuleViolation
from core.identifiers import normalize_identifier

# ``WW-2026-000123`` as issued (certification.services.certificates); the bench generator's numbers carry
# more digits, so the serial part takes 6 to 10
CERTIFICATE_NUMBER_RE = re.compile(r"[A-Z]{2}-\d{4}-\d{6,10}")
# the dashes people paste from word processors and Korean input methods, read as "-"
_DASHES = re.compile(r"[\u2010-\u2015\u2212\uff0d]")
# the days a reference date may name: the scheme began long after 2000, and the history's arithmetic
# (the end of the day asked about) must stay far from the calendar's ends
EARLIEST_AS_OF = date(2000, 1, 1)
LATEST_AS_OF = date(2099, 12, 31)
#: at most this many certificates answer one business number (newest first)
MAX_CERTIFICATES_PER_HOLDER = 100


class CertificateNotFound(Exception):
    """No issued certificate answers the number; the message never says why (unknown or not issued)."""

    code = "certificate_not_found"
    message = "등록된 인증서를 찾을 수 없습니다 (no certificate matches this number)."


def normalize_certificate_number(value: str) -> str:
    return _DASHES.sub("-", (value or "").strip()).upper()


def parse_certificate_number(value: str, field: str = "number") -> str:
    number = normalize_certificate_number(value)
    if not CERTIFICATE_NUMBER_RE.fullmatch(number):
        raise RuleViolation(
            "인증번호 형식이 올바르지 않습니다 (a certificate number looks like WW-2026-000123).",
            code="invalid_certificate_number",
            field=field,
        )
    return number


def parse_business_number(value: str, field: str = "business_number") -> str:
    """The 10 digits of a business registration number typed with or without dashes, check digit checked."""
    digits = normalize_business_number(_DASHES.sub("-", (value or "").strip()))
    try:
        validate_business_number(digits)
    except ValidationError as exc:  # the same sentence, under the field that was typed
        raise RuleViolation(" ".join(exc.messages), code="invalid_business_number", field=field) from exc
    return digits


def looks_like_business_number(value: str) -> bool:
    """Whether one search box's text is a business number (digits and separators) rather than a
    certificate number (letters first)."""
    return bool(re.fullmatch(r"[0-9\s\-]+", _DASHES.sub("-", normalize_identifier(value))))


def parse_as_of(value: str | None, field: str = "as_of") -> date | None:
    """A reference date ``YYYY-MM-DD`` (empty: none) between 2000-01-01 and 2099-12-31."""
    if value is None or not value.strip():
        return None
    try:
        day = date.fromisoformat(value.strip()) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()) else None
    except ValueError:
        day = None
    if day is None:
        raise RuleViolation(
            "기준일은 YYYY-MM-DD 형식의 날짜여야 합니다 (the reference date must be a date as YYYY-MM-DD).",
            code="invalid_date",
            field=field,
        )
    if not EARLIEST_AS_OF <= day <= LATEST_AS_OF:
        raise RuleViolation(
            f"기준일은 {EARLIEST_AS_OF}부터 {LATEST_AS_OF}까지입니다 "
            f"(the reference date must fall between {EARLIEST_AS_OF} and {LATEST_AS_OF}).",
            code="invalid_date",
            field=field,
        )
    return day


def public_certificates() -> QuerySet[Certificate]:
    """Every issued certificate with what verification shows of it joined in."""
    return Certificate.objects.select_related("supplier", "partner", "renewed_from", "renewed_by")


def certificate_by_number(number: str) -> Certificate:
    certificate = public_certificates().filter(number=parse_certificate_number(number)).first()
    if certificate is None:
        raise CertificateNotFound
    return certificate


def certificates_of_holder(business_number: str) -> list[Certificate]:
    """The certificates a supplier holds, newest first; none is "not found" like an unknown number."""
    digits = parse_business_number(business_number)
    found = list(
        public_certificates()
        .filter(supplier__business_number=digits)
        .order_by("-issued_on", "-id")[:MAX_CERTIFICATES_PER_HOLDER]
    )
    if not found:
        raise CertificateNotFound
    return found


def current_status(certificate: Certificate, today: date | None = None) -> str:
    """The status in force today: the status column (the services keep it current), and ``expired`` for
    a certificate past its last day even before the daily job has marked it."""
    today = today or timezone.localdate()
    if certificate.status == CertificateStatus.ACTIVE and not (
        certificate.issued_on <= today <= certificate.expires_on
    ):
        return CertificateStatus.EXPIRED
    return certificate.status


def api_status_label(status: str) -> str:
    """The public API's label of a certificate status, "유효 (active)", in every language: API clients
    read it as it always was. The pages show one language at a time (``CertificateStatus`` labels)."""
    label = CertificateStatus(status).label
    with translation.override("ko"):
        korean = str(label)
    with translation.override("en"):
        english = str(label).lower()
    return f"{korean} ({english})"


@dataclass(frozen=True)
class AsOf:
    """What the history says of one day: the status in force at its end (None: not issued yet)."""

    day: date
    status: str | None

    @property
    def valid(self) -> bool:
        return self.status == CertificateStatus.ACTIVE

    @property
    def status_label(self) -> str:
        if self.status is None:
            return "미발급 (not issued yet)"
        return api_status_label(self.status)


@dataclass(frozen=True)
class Verification:
    """One certificate as verification answers it, with the day asked about if one was."""

    certificate: Certificate
    status: str
    item_name: str
    url: str
    as_of: AsOf | None

    @property
    def valid(self) -> bool:
        return self.status == CertificateStatus.ACTIVE

    @property
    def status_label(self) -> str:
        return api_status_label(self.status)


def verification_url(number: str) -> str:
    """The absolute address of a certificate's verification page: what its document's QR code holds.
    The route is the pages' (``web``), named here only by its URL name: no import of the web app."""
    return settings.SITE_BASE_URL + reverse("web:verify-certificate", kwargs={"number": number})


def verify(certificates: list[Certificate], as_of: date | None = None) -> list[Verification]:
    today = timezone.localdate()
    # a 10-digit 세부품명번호 is named by its 8-digit 물품분류번호 when the table has no row of its own
    codes = {c.classification_code for c in certificates} | {
        classification_number(c.classification_code) for c in certificates
    }
    names = dict(ClassificationCode.objects.filter(code__in=codes).values_list("code", "name"))
    return [
        Verification(
            certificate=certificate,
            status=current_status(certificate, today),
            item_name=names.get(certificate.classification_code)
            or names.get(classification_number(certificate.classification_code), ""),
            url=verification_url(certificate.number),
            as_of=AsOf(as_of, certificate.status_on(as_of)) if as_of else None,
        )
        for certificate in certificates
    ]
