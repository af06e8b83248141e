"""Reads of the catalog. ``listed_listings`` is the single definition of "may be bought now", used by
the catalog API, the search index and the Nara feed alike."""

from datetime import date

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr
from django.utils import timezone

from catalog.models import ProductListing
from certification.models import CertificateStatus, ClassificationCode


class DelistReason:
    UNPUBLISHED = "unpublished"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"


def listed_q(today: date | None = None, prefix: str = "") -> Q:
    """The visibility rule as a Q object; ``prefix`` lets other models reach a listing through a relation."""
    today = today or timezone.localdate()
    return Q(
        **{
            f"{prefix}published": True,
            f"{prefix}certificate__status": CertificateStatus.ACTIVE,
            f"{prefix}certificate__issued_on__lte": today,
            f"{prefix}certificate__expires_on__gte": today,
        }
    )


def listed_listings(today: date | None = None) -> QuerySet[ProductListing]:
    return ProductListing.objects.filter(listed_q(today))


def with_related(queryset: QuerySet[ProductListing]) -> QuerySet[ProductListing]:
    """Everything a listing's representation needs, fetched in a constant number of queries."""
    return queryset.select_related("certificate", "certificate__partner", "supplier").prefetch_related(
        "delivery_regions"
    )


def delist_reason(listing: ProductListing, today: date | None = None) -> str | None:
    """Why a listing is not listed, or None when it is. Mirrors ``listed_q`` for one loaded row."""
    today = today or timezone.localdate()
    certificate = listing.certificate
    if certificate.status == CertificateStatus.REVOKED:
        return DelistReason.REVOKED
    if certificate.status == CertificateStatus.SUSPENDED:
        return DelistReason.SUSPENDED
    if certificate.status == CertificateStatus.EXPIRED or certificate.expires_on < today:
        return DelistReason.EXPIRED
    if certificate.issued_on > today:
        return DelistReason.NOT_YET_VALID
    if not listing.published:
        return DelistReason.UNPUBLISHED
    return None


def annotate_listed(
    queryset: QuerySet[ProductListing], today: date | None = None
) -> QuerySet[ProductListing]:
    return queryset.annotate(is_listed=ExpressionWrapper(listed_q(today), output_field=BooleanField()))


def annotate_classification_name(queryset: QuerySet[ProductListing]) -> QuerySet[ProductListing]:
    """Adds the 8-digit classification number's name (or the work type's) in the same query."""
    name = ClassificationCode.objects.filter(code=Substr(OuterRef("classification_code"), 1, 8)).values(
        "name"
    )[:1]
    return queryset.annotate(classification_name=Subquery(name))


def visible_listings(user) -> QuerySet[ProductListing]:
    """What a user may read: admins everything, suppliers the listed catalog plus all their own listings,
    everyone else the listed catalog only."""
    from certification.identity import company_of
    from certification.roles import Role, has_role

    queryset = ProductListing.objects.all()
    if not has_role(user, Role.ADMIN):
        company = company_of(user) if has_role(user, Role.SUPPLIER) else None
        queryset = (
            queryset.filter(listed_q() | Q(supplier=company)) if company else queryset.filter(listed_q())
        )
    return annotate_classification_name(annotate_listed(with_related(queryset)))
