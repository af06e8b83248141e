"""The synonym dictionary is edited by administrators; it takes effect on the next query (no reindex).
The search log is read-only here (written by searches, pruned by its scheduled task)."""

from django.contrib import admin

from search.models import SearchLogEntry, Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ("variants", "note", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("variants", "note")


@admin.register(SearchLogEntry)
class SearchLogEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "query", "result_count", "backend", "source", "took_ms")
    list_filter = ("source", "backend")
    search_fields = ("query",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
