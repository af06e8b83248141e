from django.contrib import admin, messages

from accounts import services
from accounts.models import Invitation, OfficerRequest, OfficerRequestStatus
from core.domain import DomainError


@admin.register(OfficerRequest)
class OfficerRequestAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "status", "created_at", "decided_by", "automatic")
    list_filter = ("status", "automatic")
    search_fields = ("user__username", "user__email", "organisation")
    readonly_fields = ("user", "status", "created_at", "decided_at", "decided_by", "automatic")
    actions = ["approve", "reject"]

    def _decide(self, request, queryset, action, label: str) -> None:
        done = 0
        for officer_request in queryset.filter(status=OfficerRequestStatus.PENDING):
            try:
                action(request.user, officer_request=officer_request)
            except DomainError as exc:
                self.message_user(request, f"{officer_request}: {exc}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"{done} {label}")

    @admin.action(description="선택한 담당자 승인 (approve the selected officers)")
    def approve(self, request, queryset) -> None:
        self._decide(request, queryset, services.approve_officer, "승인 (approved)")

    @admin.action(description="선택한 요청 거절 (reject the selected requests)")
    def reject(self, request, queryset) -> None:
        self._decide(request, queryset, services.reject_officer, "거절 (rejected)")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = (
        "email",
        "company",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    )
    search_fields = ("email", "company__name", "company__business_number")
    readonly_fields = ("accepted_at", "accepted_by", "invited_by", "created_at")
