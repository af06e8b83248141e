from django.contrib import admin

from officers.models import SavedSearch, Shortlist


@admin.register(Shortlist)
class ShortlistAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "created_at", "shared_at"]
    search_fields = ["name", "owner__username"]
    # the share token is a secret: not shown
    exclude = ["share_token"]
    readonly_fields = ["owner", "shared_at"]

    def has_add_permission(self, request) -> bool:
        return False  # an officer's own record: made on the pages or the API


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "alert", "last_checked_at", "last_alerted_at"]
    list_filter = ["alert"]
    search_fields = ["name", "owner__username"]
    readonly_fields = ["owner", "last_checked_at", "last_alerted_at"]

    def has_add_permission(self, request) -> bool:
        return False
