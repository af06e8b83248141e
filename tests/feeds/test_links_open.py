"""Every URL in a fresh Nara feed answers 200 to an anonymous client: a Nara buyer follows
``product_url`` to the public product page and Nara shows ``prdctImgUrl`` as the product's picture."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve

from catalog import services as catalog_services
from tests import images
from tests.feeds.conftest import read_job

BASE = "https://sangsaeng.example"  # SITE_BASE_URL of the feed tests


@pytest.fixture
def feed_rows(world) -> list[dict]:
    for listing, data in ((world.goods, images.jpeg_with_gps()), (world.services, images.webp())):
        catalog_services.update_listing(
            world.supplier_a, listing_id=listing.pk, image=SimpleUploadedFile("p", data, "image/jpeg")
        )
    rows = read_job(world.export("jsonl"))
    assert len(rows) == 3
    return rows


def _path(url: str) -> str:
    assert url.startswith(BASE + "/"), url
    return url[len(BASE) :]


def test_every_image_url_in_a_fresh_feed_answers_200_with_an_image(feed_rows, world):
    urls = [row["prdctImgUrl"] for row in feed_rows if row["prdctImgUrl"]]
    assert len(urls) == 2  # the construction listing has no picture: its column is empty
    assert next(r for r in feed_rows if r["listing_id"] == world.construction.pk)["prdctImgUrl"] == ""
    client = Client()
    for url in urls:
        response = client.get(_path(url))
        assert response.status_code == 200, url
        assert response["Content-Type"] in ("image/jpeg", "image/webp")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert images.decoded(b"".join(response.streaming_content)).format in ("JPEG", "WEBP")


def test_product_urls_name_the_product_page_of_their_listing(feed_rows, world):
    """The product page route itself (officers see it today; the public, once H1's catalog lands)."""
    client = Client()
    client.force_login(world.admin)
    for row in feed_rows:
        match = resolve(_path(row["product_url"]))
        assert (match.view_name, match.kwargs) == ("web:product", {"pk": row["listing_id"]})
        assert client.get(_path(row["product_url"])).status_code == 200


def test_every_product_url_in_a_fresh_feed_answers_200(feed_rows):
    client = Client()
    for row in feed_rows:
        response = client.get(_path(row["product_url"]))
        assert response.status_code == 200, (row["product_url"], response.status_code)
