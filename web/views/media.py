"""A listing's image, the one stored file anyone may fetch.

Public (no account) while the product is listed, as the product page is, so Nara Marketplace and any
browser can show it; a signed-in user also gets the images of the listings they may see (a supplier's own
unpublished ones). The bytes were re-encoded on intake (``catalog.images``); they are served with the type
their signature names, ``nosniff`` and a CSP that lets nothing run, so even a file that slipped past intake
(stored before it) cannot act as a page of this site.
"""

import hashlib
import logging

from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponse, HttpResponseGone
from django.utils.cache import get_conditional_response, patch_cache_control

from catalog.images import FAMILIES, Family
from catalog.models import ProductListing
from catalog.selectors import listed_listings, visible_listings
from catalog.visibility import DelistReason, delist_reason

logger = logging.getLogger(__name__)

IMAGE_CSP = "default-src 'none'; sandbox"
PUBLIC_MAX_AGE = 3600  # a delisted product's picture may linger this long in caches; it is public anyway
# a listing that left the catalog for one of these reasons answers 410, as its product page does
GONE_REASONS = {DelistReason.REVOKED, DelistReason.SUSPENDED, DelistReason.EXPIRED}
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", FAMILIES["PNG"]),
    (b"\xff\xd8\xff", FAMILIES["JPEG"]),
)


def _family(head: bytes) -> Family | None:
    """The image family the stored bytes begin with; None for anything else (never served)."""
    for signature, family in SIGNATURES:
        if head.startswith(signature):
            return family
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return FAMILIES["WEBP"]
    return None


def _find(request, pk: int):
    """(listing, public) or a 404/410: listed products for everyone, otherwise what the user may see."""
    listing = listed_listings().filter(pk=pk).only("pk", "image").first()
    if listing is not None:
        return listing, True
    if request.user.is_authenticated:
        listing = visible_listings(request.user).filter(pk=pk).first()
        if listing is not None:
            return listing, False
    gone = ProductListing.objects.select_related("certificate").filter(pk=pk).first()
    if gone is not None and delist_reason(gone) in GONE_REASONS:
        raise _Gone
    raise Http404


class _Gone(Exception):
    pass


def _secure(response: HttpResponse) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = IMAGE_CSP
    # Nara Marketplace's pages embed the picture from another origin
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def product_image(request, pk: int):
    try:
        listing, public = _find(request, pk)
    except _Gone:
        return _secure(HttpResponseGone("이 제품은 판매가 중지되었습니다 (this product left the catalog).\n"))
    name = listing.image.name
    if not name:
        raise Http404
    # stored names are ours and never reused (catalog.services), so the name identifies the content
    etag = '"' + hashlib.blake2b(name.encode(), digest_size=12).hexdigest() + '"'
    cache = {"public": True, "max_age": PUBLIC_MAX_AGE} if public else {"private": True, "no_cache": True}
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        not_modified["ETag"] = etag
        patch_cache_control(not_modified, **cache)
        return _secure(not_modified)
    try:
        handle = listing.image.open("rb")
    except (FileNotFoundError, SuspiciousFileOperation) as exc:
        logger.error("listing image missing from storage: listing %s, %r: %s", pk, name, exc)
        raise Http404 from exc
    family = _family(handle.read(16))
    if family is None:
        handle.close()
        logger.error("listing image is no JPEG, PNG or WebP (not served): listing %s, %r", pk, name)
        raise Http404
    handle.seek(0)
    response = FileResponse(handle, content_type=family.content_type)
    response["Content-Disposition"] = f'inline; filename="product-{pk}.{family.extension}"'
    response["ETag"] = etag
    patch_cache_control(response, **cache)
    return _secure(response)
