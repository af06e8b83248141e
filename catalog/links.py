"""A listing's public addresses: its product page and its image, the routes the ``web`` app serves
(``web:product``, ``web:product-image``), made absolute with ``SITE_BASE_URL`` for what leaves the site
(the Nara feed, the API).

The catalog names the routes rather than importing the pages, so the import direction stays as it is.
Feeds build thousands of links: :func:`absolute_template` reverses a route once and gives a format
string, so each row's link is one ``str.format`` call.
"""

from django.conf import settings
from django.urls import reverse

PRODUCT_PAGE = "web:product"
PRODUCT_IMAGE = "web:product-image"
_SENTINEL = 987_654_321  # a listing id no route can confuse with the rest of its path


def _escaped(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def absolute_template(route: str, base: str | None = None) -> str:
    """``SITE_BASE_URL`` + the route's path with ``{id}`` for the listing id (a ``str.format`` template)."""
    path = reverse(route, kwargs={"pk": _SENTINEL})
    before, sentinel, after = path.partition(str(_SENTINEL))
    if not sentinel:
        raise ValueError(f"route {route} does not carry the listing id in its path: {path}")
    base = settings.SITE_BASE_URL if base is None else base
    return _escaped(base.rstrip("/") + before) + "{id}" + _escaped(after)


def image_url(listing_id: int) -> str:
    return settings.SITE_BASE_URL.rstrip("/") + reverse(PRODUCT_IMAGE, kwargs={"pk": listing_id})


def nara_item_url(goods_identification_number: str) -> str:
    """Where a product registered on Nara Marketplace (it has a 물품식별번호) is found there, from
    ``NARA_ITEM_URL_TEMPLATE``; empty when the product has no number or no template is configured."""
    template = getattr(settings, "NARA_ITEM_URL_TEMPLATE", "")
    if not goods_identification_number or not template:
        return ""
    return template.format(number=goods_identification_number)
