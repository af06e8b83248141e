"""``/sitemap.xml``: every product page of the public catalog, with the day it last changed.

URLs are absolute from ``SITE_BASE_URL`` (not the request's host), so a sitemap fetched through a proxy
or an internal address still names the public site.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from catalog.models import ProductListing
from catalog.selectors import listed_listings


class PublicProductSitemap(Sitemap):
    changefreq = "daily"
    limit = 50_000  # the protocol's most per file; beyond it Django pages the sitemap (?p=2)

    def items(self):
        # only what the location and lastmod read: the listed rows and four update times
        return (
            listed_listings()
            .select_related("certificate__partner", "supplier")
            .only(
                "pk",
                "updated_at",
                "certificate__updated_at",
                "supplier__updated_at",
                "certificate__partner__updated_at",
            )
            .order_by("pk")
        )

    def location(self, item: ProductListing) -> str:
        return reverse("web:product", args=[item.pk])

    def lastmod(self, item: ProductListing):
        # the page shows the certificate and both companies too, so their changes count
        return max(
            item.updated_at,
            item.certificate.updated_at,
            item.supplier.updated_at,
            item.certificate.partner.updated_at,
        )

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_BASE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        base = urlsplit(settings.SITE_BASE_URL)
        return base.netloc + base.path.rstrip("/")


SITEMAPS = {"products": PublicProductSitemap}
