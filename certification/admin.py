"""Django admin for reviewers and admins.

Transitions are admin actions that call the same services as the API, so the admin cannot bypass a
rule; records that only services may change are shown read-only.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from certification import services
from certification.models import (
    AuditEvent,
    Certificate,
    CertificateNumberSequence,
    CertificateStatusChange,
    CertificationApplication,
    ClassificationCode,
    Company,
    EvidenceDocument,
    Membership,
    ReviewStageResult,
)
from certification.partners import PartnerConfirmation
from certification.roles import is_admin
from certification.validators import normalize_business_number
from certification.workflow import Actor, Input, Subject, Transition, transitions
from core.domain import DomainError


class CommentActionForm(ActionForm):
    """Adds a comment box beside the action dropdown: rejections, supplement requests and certificate
    status changes must say why."""

    comment = forms.CharField(
        required=False, label="comment / reason", widget=forms.TextInput(attrs={"size": 60})
    )
    until = forms.DateField(
        required=False,
        label="suspended until (YYYY-MM-DD, optional)",
        widget=forms.DateInput(attrs={"size": 10}),
    )


def _inputs(transition: Transition, request: HttpRequest) -> dict[str, Any]:
    """What the action form carries for this action: the comment box is its comment or reason; a
    suspension also takes its optional last day."""
    inputs: dict[str, Any] = {transition.input.text_param: request.POST.get("comment", "").strip()}
    if transition.input is Input.SUSPENSION:
        inputs["until"] = forms.DateField(required=False).clean(request.POST.get("until"))
    return inputs


def _admin_action(transition: Transition) -> Callable[[admin.ModelAdmin, HttpRequest, QuerySet], None]:
    """The admin action for one reviewer action of the workflow table; the comment box carries its
    comment or reason."""

    def run(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
        done = 0
        for obj in queryset.order_by("pk"):
            try:
                services.perform(
                    request.user, transition.name, record_id=obj.pk, **_inputs(transition, request)
                )
            except (DomainError, ValidationError) as exc:
                message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                modeladmin.message_user(request, f"{obj}: {message}", messages.ERROR)
            else:
                done += 1
        if done:
            modeladmin.message_user(request, f"{transition.past_en}: {done}", messages.SUCCESS)

    required = transition.required_text
    suffix = f" — {required.value} required" if required else ""
    run.__name__ = transition.name
    return admin.action(description=f"{transition.label_en} ({transition.label_ko}){suffix}")(run)


def admin_actions(subject: Subject) -> list[Callable[[admin.ModelAdmin, HttpRequest, QuerySet], None]]:
    """Reviewers' actions that need nothing but a comment or reason, in table order; stage results need
    a form of their own (the review page)."""
    return [
        _admin_action(t)
        for t in transitions(subject)
        if Actor.REVIEWER in t.actors
        and t.input in (Input.COMMENT, Input.REASON, Input.SUSPENSION, Input.SUPPLEMENT)
    ]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# ------------------------------------------------------------------ companies
class CompanyForm(forms.ModelForm):
    # wider than the 10-digit column so that a dashed number reaches clean_business_number
    business_number = forms.CharField(max_length=20, help_text="123-45-67890 or 1234567890")

    class Meta:
        model = Company
        fields = list(services.COMPANY_FIELDS)

    def clean_business_number(self) -> str:
        # people type 123-45-67890; the column holds the 10 digits
        return normalize_business_number(self.cleaned_data["business_number"])


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    form = CompanyForm
    list_display = ["name", "name_en", "business_number_display", "size", "region", "representative"]
    list_filter = ["size", "region"]
    search_fields = ["name", "name_en", "business_number", "representative"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MembershipInline]

    @admin.display(description="business number", ordering="business_number")
    def business_number_display(self, obj: Company) -> str:
        return obj.business_number_display

    def save_model(self, request: HttpRequest, obj: Company, form: forms.ModelForm, change: bool) -> None:
        # through the services so name changes reach the catalog and search (company_changed signal)
        fields = {
            name: form.cleaned_data[name] for name in services.COMPANY_FIELDS if name in form.cleaned_data
        }
        if change:
            services.update_company(request.user, company_id=obj.pk, **fields)
        else:
            obj.pk = services.create_company(request.user, **fields).pk
        obj.refresh_from_db()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Company | None = None) -> bool:
        return is_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Company | None = None) -> bool:
        # companies are referenced by applications and certificates (PROTECT); only admins try
        return is_admin(request.user)


@admin.register(ClassificationCode)
class ClassificationCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "sector"]
    list_filter = ["sector"]
    search_fields = ["code", "name", "name_en"]


# --------------------------------------------------------------- applications
class StageInline(ReadOnlyInline):
    model = ReviewStageResult
    fields = ["stage", "passed", "score", "comment", "reviewer", "recorded_at"]
    readonly_fields = fields


class DocumentInline(ReadOnlyInline):
    model = EvidenceDocument
    fields = ["kind", "original_name", "file", "content_type", "size", "sha256", "uploaded_at"]
    readonly_fields = fields


class AuditInline(ReadOnlyInline):
    model = AuditEvent
    fk_name = "application"
    fields = ["at", "actor_name", "action", "from_state", "to_state", "comment"]
    readonly_fields = fields


class PartnerConfirmationInline(ReadOnlyInline):
    """The requests for the partner's confirmation and their answers, as the services wrote them."""

    model = PartnerConfirmation
    fields = ["partner", "status", "contact_email", "requested_at", "answered_at", "reason", "invalidated_at"]
    readonly_fields = fields


@admin.register(CertificationApplication)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["id", "product_name", "supplier", "partner", "sector", "status", "submitted_at"]
    list_filter = ["status", "call", "sector", "task_type", "cooperation_type"]
    search_fields = ["product_name", "supplier__name", "partner__name", "supplier__business_number"]
    list_select_related = ["supplier", "partner"]
    date_hierarchy = "created_at"
    inlines = [StageInline, DocumentInline, PartnerConfirmationInline, AuditInline]
    action_form = CommentActionForm
    actions = admin_actions(Subject.APPLICATION)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # suppliers edit through the API while a draft; here the record is reviewed, not rewritten
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --------------------------------------------------------------- certificates
class CertificateAuditInline(AuditInline):
    fk_name = "certificate"


class StatusHistoryInline(ReadOnlyInline):
    model = CertificateStatusChange
    fields = ["effective_at", "kind", "from_status", "to_status", "actor_name", "reason", "suspended_until"]
    readonly_fields = fields


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "product_name",
        "supplier",
        "partner",
        "sector",
        "status",
        "issued_on",
        "expires_on",
    ]
    list_filter = ["status", "sector"]
    search_fields = ["number", "product_name", "supplier__name", "supplier__business_number"]
    list_select_related = ["supplier", "partner"]
    date_hierarchy = "issued_on"
    inlines = [StatusHistoryInline, CertificateAuditInline]
    action_form = CommentActionForm
    actions = admin_actions(Subject.CERTIFICATE)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # certificates are issued only by approving an application

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CertificateNumberSequence)
class CertificateNumberSequenceAdmin(admin.ModelAdmin):
    list_display = ["year", "last_value"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a hand-edited counter would issue duplicate or skipped numbers

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# ------------------------------------------------------------------ documents
@admin.register(EvidenceDocument)
class EvidenceDocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "application", "kind", "content_type", "size", "uploaded_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["original_name", "sha256", "application__product_name"]
    list_select_related = ["application"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # uploads are sniffed and hashed by the service; use the API

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# ---------------------------------------------------------------- audit trail
@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "application", "certificate", "from_state", "to_state"]
    list_filter = ["action", "to_state"]
    search_fields = ["actor_name", "comment", "certificate__number", "application__product_name"]
    list_select_related = ["application", "certificate"]
    date_hierarchy = "at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# registered on import: the admin of calls and evaluation panels lives in its own module
from certification import admin_calls  # noqa: E402, F401
