"""Shortlists (관심 제품): an officer's named lists of products, their notes, and the read-only link.

Every change is the owner's: a list or item of another user raises ``DoesNotExist`` (the views answer
404, never confirming it exists). Only a product listed now may be added, and its public face is copied
onto the item (``officers.models``), so the list can still name it after it leaves the catalog.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog.selectors import listed_listings
from core.domain import RuleViolation
from officers.access import clean_name, require_officer
from officers.models import Shortlist, ShortlistItem

MAX_NOTE = 1000


def _lock_owner(actor: AbstractBaseUser) -> None:
    # counts per owner are checked under the owner's row lock, so two tabs cannot both pass the bound
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()


def own_shortlist(actor: AbstractBaseUser, shortlist_id: int, *, lock: bool = False) -> Shortlist:
    queryset = Shortlist.objects.select_for_update() if lock else Shortlist.objects
    return queryset.get(pk=shortlist_id, owner=actor)


def _unique_name(actor: AbstractBaseUser, name: str, exclude: int | None = None) -> str:
    name = clean_name(name)
    if Shortlist.objects.filter(owner=actor, name=name).exclude(pk=exclude).exists():
        raise RuleViolation(
            f"같은 이름의 관심 목록이 있습니다: {name} (you already have a list with this name).",
            code="duplicate_name",
            field="name",
        )
    return name


@transaction.atomic
def create_shortlist(actor: AbstractBaseUser, *, name: str) -> Shortlist:
    require_officer(actor)
    _lock_owner(actor)
    limit = settings.OFFICER_SHORTLISTS_MAX
    if Shortlist.objects.filter(owner=actor).count() >= limit:
        raise RuleViolation(
            f"관심 목록은 {limit}개까지 만들 수 있습니다. 쓰지 않는 목록을 지우세요 "
            f"(at most {limit} lists; delete one you no longer use).",
            code="too_many_lists",
            field="name",
        )
    try:
        with transaction.atomic():
            return Shortlist.objects.create(owner=actor, name=_unique_name(actor, name))
    except IntegrityError as exc:  # the same name created meanwhile in another request
        raise RuleViolation(
            "같은 이름의 관심 목록이 있습니다 (you already have a list with this name).",
            code="duplicate_name",
            field="name",
        ) from exc


@transaction.atomic
def rename_shortlist(actor: AbstractBaseUser, *, shortlist_id: int, name: str) -> Shortlist:
    require_officer(actor)
    shortlist = own_shortlist(actor, shortlist_id, lock=True)
    shortlist.name = _unique_name(actor, name, exclude=shortlist.pk)
    shortlist.save(update_fields=["name", "updated_at"])
    return shortlist


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
