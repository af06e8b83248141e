"""Writes to the catalog: suppliers maintain their own listings; admins record Nara's identification
numbers. Every write announces the listings it touched (``catalog.signals.listings_changed``) inside the
transaction, which is how search stays in step."""

import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from catalog import audit
from catalog.images import clean_image
from catalog.models import EDITABLE_FIELDS, DeliveryRegion, ListingChange, PriceChange, ProductListing
from catalog.rules import listing_errors
from catalog.signals import listings_changed
from catalog.visibility import certificate_valid_on, listed_q
from certification import signals as certification_signals
from certification.identity import company_of
from certification.models import Certificate, Company
from certification.roles import Role, has_role
from core.domain import Conflict, NotPermitted


def _announce(listing_ids) -> None:
    ids = sorted(set(listing_ids))
    if ids:
        _mark_first_listed(ids)
        listings_changed.send(sender=ProductListing, listing_ids=ids)


def _mark_first_listed(ids: list[int]) -> None:
    """Every write that can list a listing announces it, so this is where a listing's first day in the
    public catalog is recorded (what tells a product that left the catalog from one never shown)."""
    ProductListing.objects.filter(listed_q(), pk__in=ids, first_listed_at__isnull=True).update(
        first_listed_at=timezone.now()
    )


def _require_listing_owner(actor: AbstractBaseUser, supplier_id: int) -> None:
    if has_role(actor, Role.ADMIN):
        return
    company = company_of(actor)
    if not has_role(actor, Role.SUPPLIER) or company is None or company.pk != supplier_id:
        raise NotPermitted("only the certified supplier may maintain its listings")


def _delete_image_after_commit(name: str) -> None:
    """A replaced or removed image leaves storage once the change is committed (a rollback keeps it)."""
    if name:
        storage = ProductListing._meta.get_field("image").storage
        transaction.on_commit(lambda: storage.delete(name))


def _apply(
    actor,
    listing: ProductListing,
    fields: dict[str, Any],
    regions,
    image: UploadedFile | None,
    remove_image: bool = False,
) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: ["unknown field"] for name in sorted(unknown)})
    old_price = listing.unit_price
    for field, value in fields.items():
        setattr(listing, field, value)
    # only the re-encoded picture is stored, under a name of ours (the upload's name says nothing safe)
    clean = clean_image(image) if image is not None else None
    listing.full_clean(exclude=["image", "certificate", "supplier"])
    errors = listing_errors(listing)
    if errors:
        raise ValidationError(errors)
    old_image = listing.image.name or ""
    if clean is not None:
        listing.image.save(f"{uuid.uuid4().hex}.{clean.extension}", ContentFile(clean.content), save=False)
    elif remove_image:
        listing.image = ""
    if old_image != (listing.image.name or ""):
        _delete_image_after_commit(old_image)
    listing.save()
    if regions is not None:
        listing.delivery_regions.set(_regions(regions))
    if old_price is not None and old_price != listing.unit_price:
        PriceChange.objects.create(
            listing=listing,
            old_price=old_price,
            new_price=listing.unit_price,
            changed_by=actor if actor.is_authenticated else None,
        )


def _regions(codes) -> list[DeliveryRegion]:
    codes = list(dict.fromkeys(codes))
    found = {region.code: region for region in DeliveryRegion.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise ValidationError(
            {"delivery_regions": [f"알 수 없는 지역 코드: {', '.join(missing)} (unknown region)."]}
        )
    return [found[code] for code in codes]


@transaction.atomic
def create_listing(
    actor: AbstractBaseUser,
    *,
    certificate_id: int,
    delivery_regions=None,
    image: UploadedFile | None = None,
    **fields: Any,
) -> ProductListing:
    certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
    _require_listing_owner(actor, certificate.supplier_id)
    if not certificate_valid_on(certificate, timezone.localdate()):
        raise Conflict(
            f"listings can only be added under a valid certificate; {certificate.number} is "
            f"{certificate.status}"
        )
    fields.setdefault("classification_code", certificate.classification_code)
    if certificate.sector == "construction":
        fields.setdefault("work_type", certificate.classification_code)
    listing = ProductListing(
        certificate=certificate, supplier_id=certificate.supplier_id, sector=certificate.sector
    )
    _apply(actor, listing, fields, delivery_regions, image)
    audit.record(actor, ListingChange.Action.CREATED, listing.pk, audit.diff({}, audit.snapshot(listing)))
    _announce([listing.pk])
    return listing


@transaction.atomic
def update_listing(
    actor: AbstractBaseUser,
    *,
    listing_id: int,
    delivery_regions=None,
    image: UploadedFile | None = None,
    remove_image: bool = False,
    **fields: Any,
) -> ProductListing:
    """``image`` replaces the listing's picture (checked and re-encoded); ``remove_image`` drops it."""
    listing = ProductListing.objects.select_for_update().select_related("certificate").get(pk=listing_id)
    _require_listing_owner(actor, listing.supplier_id)
    before = audit.snapshot(listing)
    _apply(actor, listing, fields, delivery_regions, image, remove_image)
    audit.record(actor, ListingChange.Action.UPDATED, listing.pk, audit.diff(before, audit.snapshot(listing)))
    _announce([listing.pk])
    return listing


@transaction.atomic
def delete_listing(actor: AbstractBaseUser, *, listing_id: int) -> None:
    listing = ProductListing.objects.select_for_update().get(pk=listing_id)
    _require_listing_owner(actor, listing.supplier_id)
    audit.record(actor, ListingChange.Action.DELETED, listing.pk, audit.diff(audit.snapshot(listing), {}))
    _announce([listing.pk])
    _delete_image_after_commit(listing.image.name or "")
    listing.delete()


@transaction.atomic
def assign_goods_identification_number(
    actor: AbstractBaseUser, *, listing_id: int, number: str
) -> ProductListing:
    """Records the 물품식별번호 Nara Marketplace assigned. Set once; only an admin may correct it."""
    if not has_role(actor, Role.ADMIN):
        raise NotPermitted("only an admin records goods identification numbers")
    listing = ProductListing.objects.select_for_update().select_related("certificate").get(pk=listing_id)
    before = audit.snapshot(listing)
    listing.goods_identification_number = number or None
    listing.full_clean(exclude=["image", "certificate", "supplier"])
    errors = listing_errors(listing)
    if errors:
        raise ValidationError(errors)
    listing.save(update_fields=["goods_identification_number", "updated_at"])
    changes = audit.diff(before, audit.snapshot(listing))
    if changes:
        audit.record(actor, ListingChange.Action.IDENTIFICATION_NUMBER, listing.pk, changes)
    _announce([listing.pk])
    return listing


# ---------------------------------------------- following the registry
@receiver(certification_signals.certificate_changed)
def _certificate_changed(sender, certificate: Certificate, **kwargs) -> None:
    _announce(certificate.listings.values_list("pk", flat=True))


@receiver(certification_signals.certificate_issued)
def _certificate_issued(sender, certificate: Certificate, **kwargs) -> None:
    """A renewal carries the old certificate's listings over, so buyers see no gap."""
    if certificate.renewed_from_id is None:
        return
    moved = list(
        ProductListing.objects.filter(certificate_id=certificate.renewed_from_id).values_list("pk", flat=True)
    )
    ProductListing.objects.filter(pk__in=moved).update(certificate=certificate, updated_at=timezone.now())
    for listing_id in moved:
        audit.record(
            None,
            ListingChange.Action.CERTIFICATE_RENEWED,
            listing_id,
            {"certificate_id": [certificate.renewed_from_id, certificate.pk]},
        )
    _announce(moved)


@receiver(certification_signals.company_changed)
def _company_changed(sender, company: Company, **kwargs) -> None:
    _announce(
        ProductListing.objects.filter(Q(supplier=company) | Q(certificate__partner=company)).values_list(
            "pk", flat=True
        )
    )
