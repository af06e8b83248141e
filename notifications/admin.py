"""Operators look at deliveries (what failed, why) and inboxes; they change nothing by hand."""

from django.contrib import admin

from notifications.models import EmailDelivery, ExpiryReminder, Notification, Preference


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "subject", "read_at")
    list_filter = ("kind",)
    search_fields = ("subject", "recipient__username", "source")


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "to_address", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status",)
    search_fields = ("to_address", "idempotency_key")


@admin.register(ExpiryReminder)
class ExpiryReminderAdmin(ReadOnlyAdmin):
    list_display = ("certificate", "days_before", "recorded_at")


@admin.register(Preference)
class PreferenceAdmin(ReadOnlyAdmin):
    list_display = ("user", "language", "muted_kinds")
