"""Bulk uploads in the admin: a read-only audit record (who uploaded and committed what, and the outcome).
Uploads are made and committed by suppliers on their pages or the API, never here."""

from django.contrib import admin

from catalog.uploads.models import BulkUpload


@admin.register(BulkUpload)
class BulkUploadAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "supplier", "original_name", "status", "rows_total", "committed_at"]
    list_filter = ["status"]
    search_fields = ["original_name", "supplier__name"]
    list_select_related = ["supplier"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
