"""The synonym dictionary is edited by administrators; it takes effect on the next query (no reindex)."""

from django.contrib import admin

from search.models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ("variants", "note", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("variants", "note")
