"""Shapes of the officers' API: allow-lists of what a shortlist, its items and a saved search show."""

from django.urls import reverse
from rest_framework import serializers

from core.serializers import IdField, StrictFieldsMixin
from officers import saved_searches
from officers.models import SavedSearch, Shortlist
from search.api.serializers import SearchParamsSerializer


class ShortlistItemSerializer(serializers.Serializer):
    """An item as its owner reads it: the shared fields (``officers.selectors.SHARED_ITEM_FIELDS``) and its
    own id, for editing the note or removing it."""

    id = serializers.IntegerField(source="item.pk")
    listing_id = serializers.IntegerField()
    name = serializers.CharField()
    specification = serializers.CharField()
    supplier_name = serializers.CharField()
    certificate_number = serializers.CharField()
    unit_price = serializers.IntegerField(allow_null=True, help_text="null once the product left the catalog")
    unit = serializers.CharField()
    expires_on = serializers.DateField(allow_null=True)
    listed = serializers.BooleanField(help_text="in the catalog now")
    reason = serializers.CharField(
        allow_null=True,
        help_text="why it left the catalog: unpublished, suspended, revoked, expired, not_yet_valid, deleted",
    )
    reason_label = serializers.CharField()
    note = serializers.CharField()
    added_at = serializers.DateTimeField()

    def to_representation(self, entry):
        return super().to_representation({**entry.public(), "item": entry.item})


class ShortlistSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    item_count = serializers.IntegerField(read_only=True)
    share_url = serializers.SerializerMethodField()

    class Meta:
        model = Shortlist
        fields = ["id", "name", "item_count", "share_url", "shared_at", "created_at", "updated_at"]
        read_only_fields = ["id", "item_count", "share_url", "shared_at", "created_at", "updated_at"]
        # the name's uniqueness per owner is the service's rule (a field error with its own code)
        validators: list = []

    def get_share_url(self, shortlist: Shortlist) -> str | None:
        if not shortlist.share_token:
            return None
        path = reverse("web:shortlist-shared", args=[shortlist.share_token])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ShortlistDetailSerializer(ShortlistSerializer):
    items = serializers.SerializerMethodField()

    class Meta(ShortlistSerializer.Meta):
        fields = [*ShortlistSerializer.Meta.fields, "items"]
        read_only_fields = [*ShortlistSerializer.Meta.read_only_fields, "items"]

    def get_items(self, shortlist: Shortlist) -> list[dict]:
        return ShortlistItemSerializer(self.context["entries"], many=True).data


class ShortlistItemCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    listing = IdField(help_text="a listed product's id")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class ShortlistItemNoteSerializer(StrictFieldsMixin, serializers.Serializer):
    note = serializers.CharField(allow_blank=True, max_length=1000)


class SavedSearchSerializer(serializers.ModelSerializer):
    page_url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = SavedSearch
        fields = [
            "id",
            "name",
            "text",
            "filters",
            "sort",
            "alert",
            "page_url",
            "api_url",
            "created_at",
            "last_checked_at",
            "last_alerted_at",
        ]
        read_only_fields = fields

    def get_page_url(self, saved: SavedSearch) -> str:
        """The search page with the saved query."""
        return f"{reverse('web:search')}?{saved_searches.page_query_string(saved)}"

    def get_api_url(self, saved: SavedSearch) -> str:
        """Running it: the search API with the saved query."""
        return f"{reverse('search')}?{saved_searches.page_query_string(saved, api=True)}"


class SavedSearchCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    name = serializers.CharField(max_length=200)
    alert = serializers.BooleanField(default=False, help_text="e-mail me when new products match")
    query = SearchParamsSerializer(
        required=False, help_text="the search API's parameters (page, page_size and cursor are ignored)"
    )


class SavedSearchUpdateSerializer(StrictFieldsMixin, serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    alert = serializers.BooleanField(required=False)
