"""Reads of the catalog. ``listed_listings`` applies the visibility rule (``catalog.visibility``) for the
catalog API, the search index and the Nara feed alike."""

from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr

from catalog.models import ProductListing
from catalog.visibility import annotate_listed, listed_q
from certification.models import ClassificationCode


def listed_listings(today: date | None = None) -> QuerySet[ProductListing]:
    return ProductListing.objects.filter(listed_q(today))


def with_related(queryset: QuerySet[ProductListing]) -> QuerySet[ProductListing]:
    """Everything a listing's representation needs, fetched in a constant number of queries."""
    return queryset.select_related("certificate", "certificate__partner", "supplier").prefetch_related(
        "delivery_regions"
    )


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


def card_details(listing_ids: list[int]) -> dict[int, dict]:
    """What a result card shows beyond the search document, for one page of hits in one query: the
    delivery lead time, the minimum order and whether there is an image. Read from the listings rather
    than added to every backend's document, so the card does not wait for a reindex; only listed products
    answer, so a hit that left the catalog since it was indexed shows no extra detail."""
    rows = (
        listed_listings()
        .filter(pk__in=listing_ids)
        .values("pk", "delivery_lead_days", "min_order_quantity", "image")
    )
    return {
        row["pk"]: {
            "delivery_lead_days": row["delivery_lead_days"],
            "min_order_quantity": row["min_order_quantity"],
            "has_image": bool(row["image"]),
        }
        for row in rows
    }
