"""Listing images are decoded, checked and re-encoded on every path that sets one (API, supplier pages,
admin); hostile files are refused with a clear ``image`` error and a stable code, and nothing is stored."""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.images import ImageCode
from catalog.models import ProductListing
from catalog.storage import public_media_storage
from tests import images
from tests.worlds import page_client

URL = "/api/v1/listings/"

HOSTILE = {
    "polyglot PNG + HTML": (images.png() + images.HTML, "photo.png", ImageCode.TRAILING_DATA),
    "polyglot JPEG + HTML": (images.jpeg() + images.HTML, "photo.jpg", ImageCode.TRAILING_DATA),
    "polyglot WebP + HTML": (images.webp() + images.HTML, "photo.webp", ImageCode.TRAILING_DATA),
    "HTML renamed .png": (images.HTML, "photo.png", ImageCode.UNREADABLE),
    "SVG with a script": (images.SVG_WITH_SCRIPT, "photo.svg", ImageCode.UNREADABLE),
    "SVG renamed .png": (images.SVG_WITH_SCRIPT, "photo.png", ImageCode.UNREADABLE),
    "decompression bomb 50,000 x 50,000": (images.png_declaring(50_000, 50_000), "bomb.png", "too_many"),
    "7,000 x 7,000 (over 40 megapixels)": (images.png_declaring(7_000, 7_000), "big.png", "too_many"),
    "20,000 x 10 (a side WebP cannot hold)": (images.png_declaring(20_000, 10), "wide.png", "too_many"),
    "animated PNG": (images.animated("PNG"), "moving.png", ImageCode.ANIMATED),
    "animated WebP": (images.animated("WEBP"), "moving.webp", ImageCode.ANIMATED),
    "GIF": (images.animated("GIF"), "moving.gif", ImageCode.FORMAT),
    "truncated PNG": (images.png((64, 64))[:-40], "cut.png", ImageCode.UNREADABLE),
}


@pytest.fixture(autouse=True)
def _media(media_in_tmp):
    pass


def _stored_files() -> list[Path]:
    root = Path(public_media_storage.location)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _upload(client, listing_id: int, data: bytes, name: str):
    upload = io.BytesIO(data)
    upload.name = name
    return client.patch(f"{URL}{listing_id}/", {"image": upload}, format="multipart")


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_images_are_refused_through_the_api_and_nothing_is_stored(world, case):
    data, name, code = HOSTILE[case]
    code = ImageCode.TOO_MANY_PIXELS if code == "too_many" else code
    response = _upload(world.client(world.supplier_a), world.listing_a.pk, data, name)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == code, body
    [message] = body["errors"]["image"]
    assert "(" in message and message.endswith(").")  # 한국어 (English).
    assert not ProductListing.objects.get(pk=world.listing_a.pk).image
    assert _stored_files() == []


def test_a_file_over_the_byte_bound_is_refused_before_it_is_decoded(world, settings):
    data = images.noise_png(1400, 1400)  # about 5.6 MiB of incompressible pixels
    assert len(data) > settings.LISTING_IMAGE_MAX_BYTES
    response = _upload(world.client(world.supplier_a), world.listing_a.pk, data, "huge.png")
    assert response.status_code == 400
    assert response.json()["code"] == ImageCode.TOO_LARGE
    assert "MiB" in response.json()["errors"]["image"][0]
    assert _stored_files() == []


def test_exif_gps_and_text_are_stripped_and_the_orientation_applied(world):
    client = world.client(world.supplier_a)
    original = images.jpeg_with_gps(orientation=6)  # 16 x 8, to be shown turned a quarter: 8 x 16
    assert b"TestCam" in original and images.decoded(original).getexif().get_ifd(0x8825)
    response = _upload(client, world.listing_a.pk, original, "../../camera photo.JPG")
    assert response.status_code == 200, response.content
    listing = ProductListing.objects.get(pk=world.listing_a.pk)
    # a name of ours, in the public storage: nothing of the upload's name survives
    assert listing.image.name.startswith("listings/") and listing.image.name.endswith(".jpg")
    assert "camera" not in listing.image.name and ".." not in listing.image.name
    with listing.image.open("rb") as handle:
        stored = handle.read()
    assert b"TestCam" not in stored and b"<script>" not in stored and b"Exif" not in stored
    image = images.decoded(stored)
    assert image.format == "JPEG" and not image.getexif() and not image.getexif().get_ifd(0x8825)
    assert image.size == (8, 16)
    assert "icc_profile" not in image.info and "exif" not in image.info


def test_png_text_chunks_are_dropped_and_transparency_kept(world):
    response = _upload(world.client(world.supplier_a), world.listing_a.pk, images.png_with_text(), "a.png")
    assert response.status_code == 200
    with ProductListing.objects.get(pk=world.listing_a.pk).image.open("rb") as handle:
        stored = handle.read()
    assert b"<script>" not in stored and b"xmpmeta" not in stored and b"tEXt" not in stored
    image = images.decoded(stored)
    assert image.format == "PNG" and image.mode == "RGBA" and image.getpixel((0, 0)) == (0, 0, 255, 128)


@pytest.mark.parametrize(("data", "extension", "image_format"), [
    (images.png(), "png", "PNG"),
    (images.jpeg(), "jpg", "JPEG"),
    (images.webp(), "webp", "WEBP"),
    (images.png() + b"\x00\x00", "png", "PNG"),  # padding some encoders leave is no payload
])  # fmt: skip
def test_each_family_is_kept_and_re_encoded(world, data, extension, image_format):
    response = _upload(world.client(world.supplier_a), world.listing_a.pk, data, f"x.{extension}")
    assert response.status_code == 200, response.content
    listing = ProductListing.objects.get(pk=world.listing_a.pk)
    assert listing.image.name.endswith(f".{extension}")
    with listing.image.open("rb") as handle:
        assert images.decoded(handle.read()).format == image_format
    # the API links to the public image route, not to a storage address nothing serves
    assert response.json()["image"] == f"http://testserver/products/{listing.pk}/image/"


def test_a_replaced_image_leaves_storage(world, django_capture_on_commit_callbacks):
    client = world.client(world.supplier_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert _upload(client, world.listing_a.pk, images.png(), "a.png").status_code == 200
    [first] = _stored_files()
    with django_capture_on_commit_callbacks(execute=True):
        assert _upload(client, world.listing_a.pk, images.jpeg(), "b.jpg").status_code == 200
    [second] = _stored_files()
    assert second != first and second.suffix == ".jpg"


def test_evidence_and_images_are_stored_apart(world, settings):
    from certification.models import EvidenceDocument
    from tests.factories import make_application

    make_application(world.supplier_a, world.partner)
    document = EvidenceDocument.objects.latest("pk")
    assert (
        _upload(world.client(world.supplier_a), world.listing_a.pk, images.png(), "a.png").status_code == 200
    )
    image_path = Path(ProductListing.objects.get(pk=world.listing_a.pk).image.path).resolve()
    public_root = Path(public_media_storage.location).resolve()
    assert image_path.is_relative_to(public_root)
    assert not Path(document.file.path).resolve().is_relative_to(public_root)


# ------------------------------------------------------------------ the supplier pages
def test_the_listing_page_shows_the_refusal_beside_the_image_field(world):
    client = page_client(world.supplier_a)
    listing = world.listing_a
    page = client.get(f"/supplier/listings/{listing.pk}/edit/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["delivery_regions"] = ["11"]
    data["published"] = "on"
    data["image"] = SimpleUploadedFile("photo.png", images.png() + images.HTML, "image/png")
    response = client.post(f"/supplier/listings/{listing.pk}/edit/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["image"][0].startswith("이미지 끝에 다른 데이터가")
    assert "after the end of the image" in response.content.decode()
    assert not ProductListing.objects.get(pk=listing.pk).image


# ------------------------------------------------------------------ the admin
def test_the_admin_refuses_a_hostile_image_beside_the_field_and_re_encodes_a_good_one(
    world, django_capture_on_commit_callbacks
):
    client = page_client(get_user_model().objects.create_superuser("root", "root@example.com", "pw-1234-x"))
    listing = world.listing_a
    url = f"/admin/catalog/productlisting/{listing.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if value is None or name == "image":
            continue
        if isinstance(value, list):
            data[name] = [getattr(item, "pk", item) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    data.update({"price_history-TOTAL_FORMS": "0", "price_history-INITIAL_FORMS": "0"})
    data["image"] = SimpleUploadedFile("x.svg", images.SVG_WITH_SCRIPT, "image/svg+xml")
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "SVG, HTML" in str(refused.context["adminform"].form.errors["image"])
    assert not ProductListing.objects.get(pk=listing.pk).image
    data["image"] = SimpleUploadedFile("camera.jpg", images.jpeg_with_gps(), "image/jpeg")
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors if saved.context else saved
    stored = ProductListing.objects.get(pk=listing.pk).image
    assert stored.name.endswith(".jpg")
    with stored.open("rb") as handle:
        assert b"TestCam" not in handle.read()
    # the "clear" box removes the image through the service, and its file once committed
    del data["image"]
    data["image-clear"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert not ProductListing.objects.get(pk=listing.pk).image
    assert _stored_files() == []


def test_pillow_is_never_asked_to_decode_the_bomb(world, monkeypatch):
    """The 50,000 x 50,000 header is refused before any pixel buffer exists."""
    loads = []
    original = Image.Image.load

    def counting_load(self):
        loads.append(self.size)
        return original(self)

    monkeypatch.setattr(Image.Image, "load", counting_load)
    response = _upload(
        world.client(world.supplier_a), world.listing_a.pk, images.png_declaring(50_000, 50_000), "b.png"
    )
    assert response.status_code == 400
    assert (50_000, 50_000) not in loads
