"""``manage.py reencode_listing_images``: images stored before the intake (in the private default storage,
as they used to be) are re-encoded into the public storage, or dropped when refused or missing."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from catalog.models import ProductListing
from tests import images
from tests.factories import make_listing


@pytest.fixture(autouse=True)
def _media(media_in_tmp):
    pass


def _legacy(listing, name: str, data: bytes | None) -> str:
    if data is not None:
        name = default_storage.save(name, ContentFile(data))
    ProductListing.objects.filter(pk=listing.pk).update(image=name)
    return name


def _run() -> str:
    out = io.StringIO()
    call_command("reencode_listing_images", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_stored_images_are_re_encoded_or_dropped(world, django_capture_on_commit_callbacks):
    third = make_listing(world.supplier_a, world.cert_a, name="세번째")
    photo = _legacy(world.listing_a, "listings/2025/01/camera.jpg", images.jpeg_with_gps())
    polyglot = _legacy(world.listing_b, "listings/2025/01/polyglot.png", images.png() + images.HTML)
    _legacy(third, "listings/2025/01/gone.png", None)

    with django_capture_on_commit_callbacks(execute=True):
        output = _run()
    assert output.split() == ["kept:", "0", "reencoded:", "1", "refused:", "1", "missing:", "1"]

    listing = ProductListing.objects.get(pk=world.listing_a.pk)
    assert listing.image.name != photo and listing.image.name.endswith(".jpg")
    with listing.image.open("rb") as handle:
        stored = handle.read()
    assert b"TestCam" not in stored and images.decoded(stored).format == "JPEG"
    assert not default_storage.exists(photo) and not default_storage.exists(polyglot)
    assert not ProductListing.objects.get(pk=world.listing_b.pk).image
    assert not ProductListing.objects.get(pk=third.pk).image

    # once is enough: a second run keeps what the first re-encoded (no second lossy pass)
    assert _run().split() == ["kept:", "1", "reencoded:", "0", "refused:", "0", "missing:", "0"]
    assert ProductListing.objects.get(pk=world.listing_a.pk).image.name == listing.image.name
