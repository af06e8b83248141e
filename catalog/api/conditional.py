"""HTTP validators (ETag, Last-Modified) for a listing, so clients and caches can revalidate cheaply."""

import hashlib

from django.utils.http import http_date, parse_http_date_safe, quote_etag
from rest_framework.request import Request
from rest_framework.response import Response

from catalog.models import ProductListing


def listing_validators(listing: ProductListing) -> tuple[str, int]:
    # the representation also shows the certificate and the companies, so their changes count too
    stamps = [
        listing.updated_at,
        listing.certificate.updated_at,
        listing.supplier.updated_at,
        listing.certificate.partner.updated_at,
    ]
    last_modified = int(max(stamps).timestamp())
    # visibility can change with the date alone (expiry), so the listed flag is part of the tag
    basis = f"{listing.pk}:{':'.join(s.isoformat() for s in stamps)}:{getattr(listing, 'is_listed', '')}"
    return quote_etag(hashlib.sha256(basis.encode()).hexdigest()[:32]), last_modified


def not_modified(request: Request, etag: str, last_modified: int) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*"
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and last_modified <= since


def with_validators(response: Response, etag: str, last_modified: int) -> Response:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "private, no-cache"
    return response
