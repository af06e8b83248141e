"""The listing audit trail: every change to a listing recorded with each changed value before and after
(``catalog.models.ListingChange``), written by the catalog services in the change's own transaction, so a
rolled-back change leaves no entry and a committed one always has one. Price changes keep their own
history too (``PriceChange``, what buyers see); this trail is the complete one."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from catalog.models import EDITABLE_FIELDS, ListingChange, ProductListing

# what a listing "is": every field a supplier or an admin can change, plus the Nara identification number
# an admin records and the certificate it is listed under (a renewal moves it); regions and image beside
TRACKED_FIELDS = (*EDITABLE_FIELDS, "goods_identification_number", "certificate_id")


def snapshot(listing: ProductListing) -> dict[str, Any]:
    """The tracked values of ``listing`` as JSON values; an unsaved listing has none."""
    if listing.pk is None:
        return {}
    values: dict[str, Any] = {field: getattr(listing, field) for field in TRACKED_FIELDS}
    values["image"] = listing.image.name or ""
    values["delivery_regions"] = sorted(listing.delivery_regions.values_list("code", flat=True))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` of the values that differ (a missing side is None)."""
    return {
        field: [before.get(field), after.get(field)]
        for field in sorted(before.keys() | after.keys())
        if before.get(field) != after.get(field)
    }


def record(
    actor: AbstractBaseUser | None, action: str, listing_id: int, changes: dict[str, list[Any]]
) -> ListingChange | None:
    """Appends one entry; a save that changed nothing is not a change and leaves none (creations and
    deletions are always recorded). ``actor`` None is the system (a certificate renewal)."""
    if not changes and action == ListingChange.Action.UPDATED:
        return None
    signed_in = actor is not None and actor.is_authenticated
    return ListingChange.objects.create(
        listing_id=listing_id,
        actor=actor if signed_in else None,
        actor_name=actor.get_username() if signed_in else "system",
        action=action,
        changes=changes,
    )
