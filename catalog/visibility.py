"""The visibility rule, in one place: when a certificate is valid, when a listing is listed (may be bought
now), why it is not, and when a certificate counts as expiring soon.

A listing is listed while it is published and its certificate is active and within its validity dates.
Today that reads the certificate's status column (indexed, kept current by the services); any other day
(a feed's ``as_of``) reads the certificate's status history, which ``Certificate.status_on`` reads too.
The catalog API, the admin, the pages, the search index and the Nara feed all ask here; the search
backends apply :data:`VALIDITY_BOUNDS` to their own stores, so a certificate that expires overnight
disappears at midnight without a write.
"""

from datetime import date, timedelta
from typing import Protocol

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from catalog.models import ProductListing
from certification.models import CertificateStatus, active_at, end_of_day

# A certificate's validity dates against the day asked about, as (date field, comparison): the comparison
# names are both Django lookups and Elasticsearch range operators, so every store states the same bounds.
VALIDITY_BOUNDS: tuple[tuple[str, str], ...] = (("issued_on", "lte"), ("expires_on", "gte"))


class DelistReason:
    UNPUBLISHED = "unpublished"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"


class CertificateTerms(Protocol):
    """What validity reads of a certificate (a model instance, or one built from feed columns)."""

    status: str
    issued_on: date
    expires_on: date


def certificate_valid_on(certificate: CertificateTerms, day: date) -> bool:
    """The certificate part of :func:`listed_q` (:data:`VALIDITY_BOUNDS`) for one loaded certificate, by
    its present status (ask ``Certificate.status_on`` about another day's)."""
    return (
        certificate.status == CertificateStatus.ACTIVE
        and certificate.issued_on <= day <= certificate.expires_on
    )


def validity_q(day: date, prefix: str = "") -> Q:
    """The validity dates as a Q object on a model holding ``issued_on`` / ``expires_on`` (the search table
    keeps copies of the certificate's dates)."""
    return Q(**{f"{prefix}{field}__{comparison}": day for field, comparison in VALIDITY_BOUNDS})


def certificate_valid_q(day: date, prefix: str = "") -> Q:
    """:func:`certificate_valid_on` as a Q object on certificates (or through ``prefix`` to one); for a
    day other than today, active by the history at the end of that day (``Certificate.status_on``)."""
    if day == timezone.localdate():
        active = Q(**{f"{prefix}status": CertificateStatus.ACTIVE})
    else:
        active = Q(**{f"{prefix}pk__in": active_at(end_of_day(day))})
    return active & validity_q(day, prefix)


def listed_q(today: date | None = None, prefix: str = "") -> Q:
    """The visibility rule as a Q object; ``prefix`` lets other models reach a listing through a relation."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}published": True}) & certificate_valid_q(today, f"{prefix}certificate__")


def annotate_listed(
    queryset: QuerySet[ProductListing], today: date | None = None
) -> QuerySet[ProductListing]:
    return queryset.annotate(is_listed=ExpressionWrapper(listed_q(today), output_field=BooleanField()))


def delist_reason(listing: ProductListing, today: date | None = None) -> str | None:
    """Why a listing is not listed, or None when it is. Mirrors ``listed_q`` for one loaded row."""
    today = today or timezone.localdate()
    certificate = listing.certificate
    status = certificate.status if today == timezone.localdate() else certificate.status_on(today)
    if status == CertificateStatus.REVOKED:
        return DelistReason.REVOKED
    if status == CertificateStatus.SUSPENDED:
        return DelistReason.SUSPENDED
    if status == CertificateStatus.EXPIRED or certificate.expires_on < today:
        return DelistReason.EXPIRED
    if status is None or certificate.issued_on > today:
        return DelistReason.NOT_YET_VALID
    if not listing.published:
        return DelistReason.UNPUBLISHED
    return None


def expiring_soon_cutoff(today: date | None = None) -> date:
    """The last expiry date that counts as expiring soon (within CERTIFICATE_EXPIRING_SOON_DAYS)."""
    return (today or timezone.localdate()) + timedelta(days=settings.CERTIFICATE_EXPIRING_SOON_DAYS)


def expiry_state(
    expires_on: date | None, status: str = CertificateStatus.ACTIVE, today: date | None = None
) -> str:
    """``expired`` (by status or date), ``expiring`` (within CERTIFICATE_EXPIRING_SOON_DAYS) or ``valid``."""
    if expires_on is None:
        return "valid"
    today = today or timezone.localdate()
    if status == CertificateStatus.EXPIRED or expires_on < today:
        return "expired"
    if expires_on <= expiring_soon_cutoff(today):
        return "expiring"
    return "valid"
