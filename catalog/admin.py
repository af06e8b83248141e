import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from catalog import services
from catalog.images import clean_image
from catalog.models import PriceChange, ProductListing
from catalog.visibility import annotate_listed
from core.domain import DomainError, RuleViolation
from core.identifiers import IdentifierFormField

AUDIT_TRAIL_SHOWN = 50


class PriceChangeInline(admin.TabularInline):
    model = PriceChange
    extra = 0
    can_delete = False
    readonly_fields = ["old_price", "new_price", "changed_at", "changed_by"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ProductListingForm(forms.ModelForm):
    # a plain file field: the upload goes through the catalog's image intake, which words the refusals
    image = forms.FileField(required=False, widget=forms.ClearableFileInput)
    # typed by an admin from Nara's screen: full-width digits are the same number; the model's validator
    # then accepts ASCII digits only
    goods_identification_number = IdentifierFormField(
        required=False, max_length=8, label="goods identification number (물품식별번호)"
    )

    class Meta:
        model = ProductListing
        fields = ["image"]  # the admin passes the whole field list

    def clean_image(self):
        """Refusals show beside the field; the service checks the same upload again when it saves."""
        upload = self.cleaned_data.get("image")
        if isinstance(upload, UploadedFile):
            try:
                clean_image(upload)
            except RuleViolation as exc:
                raise ValidationError(str(exc), code=exc.code) from exc
        return upload


@admin.register(ProductListing)
class ProductListingAdmin(admin.ModelAdmin):
    form = ProductListingForm
    list_display = [
        "name",
        "specification",
        "supplier",
        "sector",
        "unit_price",
        "unit",
        "certificate",
        "published",
        "listed",
    ]
    list_filter = ["sector", "published", "certificate__status", "unit"]
    search_fields = [
        "name",
        "specification",
        "supplier__name",
        "certificate__number",
        "classification_code",
        "goods_identification_number",
    ]
    list_select_related = ["supplier", "certificate"]
    readonly_fields = ["certificate", "supplier", "sector", "created_at", "updated_at", "audit_trail"]
    filter_horizontal = ["delivery_regions"]
    inlines = [PriceChangeInline]
    actions = ["unpublish"]

    def get_queryset(self, request):
        return annotate_listed(super().get_queryset(request))

    @admin.display(description="audit trail (latest first)")
    def audit_trail(self, obj: ProductListing) -> str:
        # read-only text rather than an inline: the trail is append-only and has no form to post
        entries = obj.changes.order_by("-at", "-id")[:AUDIT_TRAIL_SHOWN] if obj.pk else []
        return (
            format_html_join(
                mark_safe("<br>"),
                "{} · {} · {} · {}",
                (
                    (
                        f"{entry.at:%Y-%m-%d %H:%M}",
                        entry.actor_name,
                        entry.action,
                        json.dumps(entry.changes, ensure_ascii=False),
                    )
                    for entry in entries
                ),
            )
            or "—"
        )

    @admin.display(boolean=True, description="listed")
    def listed(self, obj: ProductListing) -> bool:
        return obj.is_listed

    def has_add_permission(self, request) -> bool:
        # listings are born under a certificate through the supplier's API or pages, not typed in here
        return False

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name] for name in form.changed_data if name in services.EDITABLE_FIELDS
        }
        try:
            if "goods_identification_number" in form.changed_data:
                services.assign_goods_identification_number(
                    request.user,
                    listing_id=obj.pk,
                    number=form.cleaned_data["goods_identification_number"] or "",
                )
            if "image" in form.changed_data:
                # an upload (re-encoded by the service) or the "clear" box (False)
                upload = form.cleaned_data["image"]
                if isinstance(upload, UploadedFile):
                    fields["image"] = upload
                elif upload is False:
                    fields["remove_image"] = True
            services.update_listing(request.user, listing_id=obj.pk, delivery_regions=None, **fields)
        except (DomainError, ValidationError) as exc:
            self.message_user(request, f"not saved: {exc}", messages.ERROR)

    def save_related(self, request, form, formsets, change):
        if "delivery_regions" in form.changed_data:
            services.update_listing(
                request.user,
                listing_id=form.instance.pk,
                delivery_regions=[r.code for r in form.cleaned_data["delivery_regions"]],
            )
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    @admin.action(description="Unpublish selected listings")
    def unpublish(self, request, queryset):
        for listing_id in queryset.values_list("pk", flat=True):
            services.update_listing(request.user, listing_id=listing_id, published=False)
        self.message_user(request, "unpublished", messages.SUCCESS)
