"""Shortlists (관심 제품): an officer's named lists of products, their notes, and the read-only link.

Every change is the owner's: a list or item of another user raises ``DoesNotExist`` (the views answer
404, never confirming it exists). Only a product listed now may be added, and its public face is copied
onto the item (``officers.models``), so the list can still name it after it leaves the catalog.
"""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from catalog.selectors import listed_listings
from core.domain import RuleViolation
from officers.access import OwnedNames, require_officer
from officers.models import Shortlist, ShortlistItem

MAX_NOTE = 1000


LISTS = OwnedNames(Shortlist, "관심 목록", "list", "OFFICER_SHORTLISTS_MAX", "too_many_lists")


def own_shortlist(actor: AbstractBaseUser, shortlist_id: int, *, lock: bool = False) -> Shortlist:
    return LISTS.own(actor, shortlist_id, lock=lock)


@transaction.atomic
def create_shortlist(actor: AbstractBaseUser, *, name: str) -> Shortlist:
    require_officer(actor)
    LISTS.check_room(actor)
    name = LISTS.unique_name(actor, name)
    with LISTS.writing():
        return Shortlist.objects.create(owner=actor, name=name)


def rename_shortlist(actor: AbstractBaseUser, *, shortlist_id: int, name: str) -> Shortlist:
    return LISTS.rename(actor, shortlist_id, name)


@transaction.atomic
def delete_shortlist(actor: AbstractBaseUser, *, shortlist_id: int) -> None:
    require_officer(actor)
    own_shortlist(actor, shortlist_id, lock=True).delete()


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise RuleViolation(
            f"메모는 {MAX_NOTE}자 이하로 입력하세요 (a note is at most {MAX_NOTE} characters).",
            code="note_too_long",
            field="note",
        )
    return note


@transaction.atomic
def add_item(actor: AbstractBaseUser, *, shortlist_id: int, listing_id: int, note: str = "") -> ShortlistItem:
    """Adds a product listed now; a product already on the list is refused (its note can be edited)."""
    require_officer(actor)
    shortlist = own_shortlist(actor, shortlist_id, lock=True)
    note = _clean_note(note)
    listing = listed_listings().select_related("supplier", "certificate").filter(pk=listing_id).first()
    if listing is None:
        raise RuleViolation(
            "현재 목록에 있는 제품만 담을 수 있습니다 (only a product in the catalog now can be added).",
            code="not_listed",
            field="listing",
        )
    if shortlist.items.filter(listing_ref=listing.pk).exists():
        raise RuleViolation(
            f"이미 '{shortlist.name}' 목록에 있는 제품입니다 (this product is already on the list).",
            code="already_on_list",
            field="listing",
        )
    limit = settings.OFFICER_SHORTLIST_ITEMS_MAX
    if shortlist.items.count() >= limit:
        raise RuleViolation(
            f"한 목록에는 제품을 {limit}개까지 담을 수 있습니다 (a list holds at most {limit} products).",
            code="list_full",
            field="listing",
        )
    item = ShortlistItem.objects.create(
        shortlist=shortlist,
        listing=listing,
        listing_ref=listing.pk,
        name=listing.name,
        specification=listing.specification,
        supplier_name=listing.supplier.name,
        certificate_number=listing.certificate.number,
        note=note,
    )
    shortlist.save(update_fields=["updated_at"])
    return item


def own_item(actor: AbstractBaseUser, item_id: int) -> ShortlistItem:
    return ShortlistItem.objects.select_related("shortlist").get(pk=item_id, shortlist__owner=actor)


@transaction.atomic
def update_note(actor: AbstractBaseUser, *, item_id: int, note: str) -> ShortlistItem:
    require_officer(actor)
    item = own_item(actor, item_id)
    item.note = _clean_note(note)
    item.save(update_fields=["note"])
    return item


@transaction.atomic
def remove_item(actor: AbstractBaseUser, *, item_id: int) -> None:
    require_officer(actor)
    own_item(actor, item_id).delete()


@transaction.atomic
def share_shortlist(actor: AbstractBaseUser, *, shortlist_id: int) -> Shortlist:
    """Gives the list a read-only link (kept if it has one): an unguessable token of 256 bits."""
    require_officer(actor)
    shortlist = own_shortlist(actor, shortlist_id, lock=True)
    if not shortlist.share_token:
        shortlist.share_token = secrets.token_urlsafe(32)
        shortlist.shared_at = timezone.now()
        shortlist.save(update_fields=["share_token", "shared_at", "updated_at"])
    return shortlist


@transaction.atomic
def revoke_share(actor: AbstractBaseUser, *, shortlist_id: int) -> Shortlist:
    """The link stops working at once; sharing again makes a different one."""
    require_officer(actor)
    shortlist = own_shortlist(actor, shortlist_id, lock=True)
    shortlist.share_token = None
    shortlist.shared_at = None
    shortlist.save(update_fields=["share_token", "shared_at", "updated_at"])
    return shortlist
