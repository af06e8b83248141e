"""The public product page: what anyone may read of a listed product, its 410 once it left the catalog,
and the validators (ETag, Last-Modified) that let browsers and caches revalidate it cheaply.

The template receives the public serializer's output (``catalog.public``'s allow-lists), never a model
instance, so it cannot reach a private field by following a relation.
"""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.http import http_date

from catalog.api.conditional import listing_validators, not_modified
from catalog.api.public import PUBLIC_REVALIDATE, PublicListingSerializer, cache_control
from catalog.models import Unit
from catalog.public import find_public_listing
from certification.codes import Sector
from certification.models import CertificateStatus, Region


def public_product(request: HttpRequest, pk: int) -> HttpResponse:
    lookup = find_public_listing(pk)
    if lookup.gone_reason:
        response = render(request, "web/search/gone.html", {"reason": lookup.gone_label}, status=410)
        response["Cache-Control"] = PUBLIC_REVALIDATE
        return response
    if lookup.listing is None:
        raise Http404
    etag, last_modified = listing_validators(lookup.listing)
    if not_modified(request, etag, last_modified):
        response = HttpResponseNotModified()
    else:
        product = PublicListingSerializer(lookup.listing).data
        response = render(
            request,
            "web/search/product_public.html",
            {
                "product": product,
                "unit_label": dict(Unit.choices).get(product["unit"], product["unit"]),
                "sector_label": dict(Sector.choices).get(product["sector"], product["sector"]),
                "status_label": dict(CertificateStatus.choices).get(
                    product["certificate"]["status"], product["certificate"]["status"]
                ),
                "regions": [Region(region["code"]).label for region in product["delivery_regions"]],
                "back": request.GET.get("back", ""),
            },
        )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = cache_control(request, PUBLIC_REVALIDATE)
    return response
