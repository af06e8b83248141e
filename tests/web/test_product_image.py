"""``/products/<pk>/image/``: public while the product is listed, served with its real image type, nosniff,
a CSP that lets nothing run, inline, with an ETag; evidence is never reachable, whatever the URL."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog import services as catalog_services
from catalog.models import ProductListing
from certification import services as certification_services
from certification.models import EvidenceDocument
from tests import images
from tests.worlds import page_client

ANONYMOUS = None


def _with_image(world, data: bytes = b"", name: str = "p.png", listing=None) -> ProductListing:
    listing = listing or world.listing_a
    return catalog_services.update_listing(
        world.supplier_a,
        listing_id=listing.pk,
        image=SimpleUploadedFile(name, data or images.png(), "image/png"),
    )


def _url(listing) -> str:
    return f"/products/{listing.pk}/image/"


@pytest.mark.parametrize(
    ("data", "name", "content_type", "extension"),
    [
        (images.png(), "p.png", "image/png", "png"),
        (images.jpeg_with_gps(), "p.jpg", "image/jpeg", "jpg"),
        (images.webp(), "p.webp", "image/webp", "webp"),
    ],
)
def test_a_listed_products_image_is_public_with_safe_headers(world, data, name, content_type, extension):
    listing = _with_image(world, data, name)
    response = page_client(ANONYMOUS).get(_url(listing))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"] == f'inline; filename="product-{listing.pk}.{extension}"'
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert images.decoded(body).format == content_type.split("/")[1].upper()
    assert b"TestCam" not in body
    assert int(response["Content-Length"]) == len(body)


def test_the_etag_answers_304_and_changes_with_the_image(world):
    listing = _with_image(world)
    client = page_client(ANONYMOUS)
    first = client.get(_url(listing))
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    again = client.get(_url(listing), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag and again["X-Content-Type-Options"] == "nosniff"
    _with_image(world, images.jpeg(), "q.jpg")
    changed = client.get(_url(listing), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_without_an_image_or_a_listing_the_answer_is_404(world):
    client = page_client(ANONYMOUS)
    assert client.get(_url(world.listing_b)).status_code == 404  # listed, no image
    assert client.get("/products/999999/image/").status_code == 404


def test_an_unpublished_listing_is_private_to_its_supplier(world):
    listing = _with_image(world)
    catalog_services.update_listing(world.supplier_a, listing_id=listing.pk, published=False)
    assert page_client(ANONYMOUS).get(_url(listing)).status_code == 404
    assert page_client(world.officer).get(_url(listing)).status_code == 404
    assert page_client(world.supplier_b).get(_url(listing)).status_code == 404
    own = page_client(world.supplier_a).get(_url(listing))
    assert own.status_code == 200 and own["Content-Type"] == "image/png"
    assert "private" in own["Cache-Control"] and "public" not in own["Cache-Control"]


def test_a_revoked_products_image_is_gone(world):
    listing = _with_image(world)
    certification_services.revoke_certificate(world.admin, certificate_id=world.cert_a.pk, reason="부정 취득")
    response = page_client(ANONYMOUS).get(_url(listing))
    assert response.status_code == 410
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_stored_file_that_is_no_image_is_never_served(world, caplog):
    """A file stored before the intake (or put there by hand): not served at all, never as HTML."""
    listing = world.listing_a
    storage = ProductListing._meta.get_field("image").storage
    name = storage.save("listings/legacy/page.png", ContentFile(images.HTML))
    ProductListing.objects.filter(pk=listing.pk).update(image=name)
    response = page_client(ANONYMOUS).get(_url(listing))
    assert response.status_code == 404
    assert b"<script>" not in response.content
    assert "not served" in caplog.text


def test_a_missing_file_is_404_not_500(world):
    listing = _with_image(world)
    ProductListing.objects.filter(pk=listing.pk).update(image="listings/2026/01/" + "0" * 32 + ".png")
    assert page_client(ANONYMOUS).get(_url(listing)).status_code == 404
    ProductListing.objects.filter(pk=listing.pk).update(image="../../evidence/x.pdf")
    assert page_client(ANONYMOUS).get(_url(listing)).status_code == 404


def test_the_image_comes_from_the_configured_storage(world, settings):
    """Any Django storage works (S3 in production): the view reads through the storage, never a path."""
    settings.STORAGES = {
        **settings.STORAGES,
        "public_media": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    listing = _with_image(world, images.webp(), "w.webp")
    storage = ProductListing._meta.get_field("image").storage
    assert storage.__class__.__name__ == "InMemoryStorage" and storage.exists(listing.image.name)
    response = page_client(ANONYMOUS).get(_url(listing))
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert images.decoded(b"".join(response.streaming_content)).format == "WEBP"


# ------------------------------------------------------------------ evidence stays private
def _evidence_urls(document: EvidenceDocument) -> list[str]:
    name = document.file.name
    return [
        f"/media/{name}",
        f"/media/evidence/{name.rsplit('/', 1)[-1]}",
        "/media/evidence/",
        f"/media/public/../{name}",
        f"/{name}",
        f"/static/../media/{name}",
        f"/products/{document.pk}/image/",
        f"/products/{document.pk}/image/../../../media/{name}",
        f"/documents/{document.pk}/",
        f"/api/v1/documents/{document.pk}/download/",
    ]


@pytest.mark.parametrize("who", ["anonymous", "officer", "supplier_b"])
def test_evidence_is_not_reachable_whatever_the_url(world, who):
    document = world.document_a
    with document.file.open("rb") as handle:
        secret = handle.read()
    client = page_client(world.user(who))
    for url in _evidence_urls(document):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert secret not in body, url
        assert response.status_code in (302, 401, 403, 404), (url, response.status_code)
