"""Public pages for buyers: up to four products side by side, and a product's A4 page to print.

Both are open to everyone, as the catalog is: they read the public projection only (``catalog.public``'s
allow-lists through the public serializer), whoever asks, so a shared or printed page holds nothing private.
"""

import base64
from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from catalog.api.public import PublicListingSerializer
from catalog.comparison import MAX_COMPARED, compare
from catalog.models import Unit
from catalog.public import find_public_listing
from catalog.visibility import expiry_state
from certification.codes import Sector
from certification.document import qr_png
from certification.models import CertificateStatus
from certification.public import verification_url

UNIT_NAMES = {value: str(label).split(" (")[0] for value, label in Unit.choices}
SECTOR_LABELS = dict(Sector.choices)
STATUS_LABELS = dict(CertificateStatus.choices)


def _labelled(product: dict) -> dict:
    """The serializer's output with the labels a page shows beside the codes."""
    product["unit_name"] = UNIT_NAMES.get(product["unit"], product["unit"])
    product["sector_label"] = SECTOR_LABELS.get(product["sector"], product["sector"])
    product["status_label"] = STATUS_LABELS.get(
        product["certificate"]["status"], product["certificate"]["status"]
    )
    product["region_names"] = [region["name"] for region in product["delivery_regions"]]
    product["expires_date"] = date.fromisoformat(product["certificate"]["expires_on"])
    product["expiry_state"] = expiry_state(product["expires_date"], product["certificate"]["status"])
    return product


def compare_products(request: HttpRequest) -> HttpResponse:
    comparison = compare(request.GET.getlist("ids"))
    products = [_labelled(product) for product in comparison.products]
    ids = comparison.ids
    for product in products:
        others = [str(pk) for pk in ids if pk != product["id"]]
        product["without"] = ",".join(others)
    response = render(
        request,
        "web/tools/compare.html",
        {
            "products": products,
            "not_found": comparison.not_found,
            "dropped": comparison.dropped,
            "max_compared": MAX_COMPARED,
            "ids": ",".join(str(pk) for pk in ids),
        },
    )
    # the same URL answers everyone alike, but the listed catalog changes: revalidate rather than store long
    response["Cache-Control"] = "private, no-cache" if request.user.is_authenticated else "public, max-age=60"
    return response


def product_print(request: HttpRequest, pk: int) -> HttpResponse:
    lookup = find_public_listing(pk)
    if lookup.gone_reason:
        return render(request, "web/search/gone.html", {"reason": lookup.gone_label}, status=410)
    if lookup.listing is None:
        raise Http404
    product = _labelled(PublicListingSerializer(lookup.listing).data)
    url = verification_url(product["certificate"]["number"])
    return render(
        request,
        "web/tools/product_print.html",
        {
            "product": product,
            "verification_url": url,
            # the certificate document's QR code (certification.document), inline: CSP allows data: images
            "qr_data_uri": "data:image/png;base64," + base64.b64encode(qr_png(url)).decode("ascii"),
            "printed_at": timezone.localtime(),
        },
    )
