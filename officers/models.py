"""What a procurement officer keeps: shortlists of products (관심 제품) and saved searches.

A shortlist item keeps the listing's id and a snapshot of its public face (name, specification, supplier,
certificate number) taken when it was added, while the product was listed. A product that later leaves the
catalog, or is deleted, therefore stays on the list under the name the officer saw, marked with the reason,
and nothing the supplier changes after it left the catalog reaches the list.

A saved search keeps the search contract's query (text, filters, sort) rather than a page URL, so the
daily alert job runs it through the search backend exactly as the search page would. ``SavedSearchMatch``
holds every listing the search has already reported (or found when it was saved): one row per product,
unique, so a product is never announced twice, even if it leaves the catalog and comes back.
"""

from django.conf import settings
from django.db import models


class Shortlist(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shortlists")
    name = models.CharField(max_length=100)
    # the read-only link's secret (secrets.token_urlsafe); empty when the list is not shared. Revoking
    # clears it, so an old link is a 404 for good; sharing again makes a new one.
    share_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="shortlist_name_per_owner")]

    def __str__(self) -> str:
        return self.name


class ShortlistItem(models.Model):
    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="items")
    # SET_NULL: a deleted product stays on the list (marked "deleted"); listing_ref keeps its id
    listing = models.ForeignKey(
        "catalog.ProductListing", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    listing_ref = models.PositiveBigIntegerField(help_text="the listing's id, kept after it is deleted")
    # the public face of the product when it was added (it was listed then)
    name = models.CharField(max_length=200)
    specification = models.CharField(max_length=300, blank=True)
    supplier_name = models.CharField(max_length=200, blank=True)
    certificate_number = models.CharField(max_length=40, blank=True)
    note = models.CharField(max_length=1000, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shortlist", "listing_ref"], name="shortlist_item_once")
        ]

    def __str__(self) -> str:
        return self.name


class SavedSearch(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=100)
    text = models.CharField(max_length=200, blank=True)
    # search.backends.base.SearchFilters as a dict (only the fields that are set)
    filters = models.JSONField(default=dict, blank=True)
    sort = models.CharField(max_length=20, default="relevance")
    alert = models.BooleanField(default=False, help_text="e-mail when new products match")
    created_at = models.DateTimeField(auto_now_add=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_search_name_per_owner")]

    def __str__(self) -> str:
        return self.name


class SavedSearchMatch(models.Model):
    """A listing the saved search has already seen; never reported (again)."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="matches")
    # no foreign key: a deleted listing's id stays seen, and the rows never block a deletion
    listing_id = models.PositiveBigIntegerField()
    seen_at = models.DateTimeField(auto_now_add=True)
    alerted = models.BooleanField(default=False, help_text="reported by e-mail (not only the baseline)")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "listing_id"], name="saved_search_match_once")
        ]

    def __str__(self) -> str:
        return f"{self.saved_search_id}: {self.listing_id}"
