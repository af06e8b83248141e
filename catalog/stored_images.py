"""Bringing images stored before the intake (``catalog.images``) in line: each is read from wherever it
is (the public storage, or the private ``default`` storage where images used to live beside evidence),
checked and re-encoded like an upload, and stored in the public storage under a new name. An image the
intake refuses, or whose file is gone, is dropped from its listing: it is never served.

Run once after migrating to ``catalog.0003`` (``manage.py reencode_listing_images``); running it again
skips the images it already re-encoded.
"""

import re
import uuid
from collections import Counter

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from catalog import audit
from catalog.images import clean_image_bytes
from catalog.models import ListingChange, ProductListing
from core.domain import RuleViolation

# the names catalog.services gives re-encoded images
CLEAN_NAME = re.compile(r"^listings/\d{4}/\d{2}/[0-9a-f]{32}\.(png|jpg|webp)$")


def _read(storages, name: str) -> tuple[object, bytes] | None:
    for storage in storages:
        try:
            if storage.exists(name):
                with storage.open(name, "rb") as handle:
                    return storage, handle.read()
        except (OSError, ValueError):  # SuspiciousFileOperation is a ValueError: a name outside storage
            continue
    return None


def _set_image(pk: int, old: str, new: str) -> bool:
    """Replaces the listing's image if it is still ``old``, audited (the system's change) in the same
    transaction; False when the listing changed its image meanwhile."""
    with transaction.atomic():
        if not ProductListing.objects.filter(pk=pk, image=old).update(image=new):
            return False
        audit.record(None, ListingChange.Action.UPDATED, pk, {"image": [old, new]})
    return True


def reencode_stored_images(log=lambda message: None) -> Counter:
    """Re-encodes every listing image not yet re-encoded; counts ``kept``, ``reencoded``, ``refused`` and
    ``missing``. ``log`` receives a line per dropped image."""
    field = ProductListing._meta.get_field("image")
    public = field.storage
    counts: Counter = Counter()
    for pk, name in ProductListing.objects.exclude(image="").values_list("pk", "image").iterator():
        if CLEAN_NAME.match(name) and public.exists(name):
            counts["kept"] += 1
            continue
        found = _read((public, default_storage), name)
        if found is None:
            _set_image(pk, name, "")
            counts["missing"] += 1
            log(f"listing {pk}: image {name!r} is missing from storage; dropped")
            continue
        storage, data = found
        try:
            clean = clean_image_bytes(data)
        except RuleViolation as exc:
            with transaction.atomic():
                _set_image(pk, name, "")
                transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
            counts["refused"] += 1
            log(f"listing {pk}: image {name!r} refused ({exc.code}); dropped")
            continue
        listing = ProductListing(pk=pk)
        new_name = field.generate_filename(listing, f"{uuid.uuid4().hex}.{clean.extension}")
        new_name = public.save(new_name, ContentFile(clean.content))
        with transaction.atomic():
            if not _set_image(pk, name, new_name):
                public.delete(new_name)  # the listing changed its image meanwhile
                continue
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
        counts["reencoded"] += 1
    return counts
