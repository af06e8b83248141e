"""Product listings: what a certified supplier offers to public buyers, one row per model/specification.

Whether a listing may be bought is decided in one place, ``catalog.selectors.listed_listings``.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog.storage import public_media
from certification.codes import Sector
from certification.models import AppendOnly, Certificate, Company, Region, region_name_ko
from core.identifiers import DigitsValidator


class Unit(models.TextChoices):
    EA = "EA", pgettext_lazy("unit", "개")
    SET = "SET", pgettext_lazy("unit", "세트")
    BOX = "BOX", pgettext_lazy("unit", "상자")
    M = "m", pgettext_lazy("unit", "m")
    M2 = "m2", pgettext_lazy("unit", "m²")
    M3 = "m3", pgettext_lazy("unit", "m³")
    KG = "kg", pgettext_lazy("unit", "kg")
    TON = "ton", pgettext_lazy("unit", "톤")
    L = "L", pgettext_lazy("unit", "L")
    LOT = "식", pgettext_lazy("unit", "식")
    MONTH = "월", pgettext_lazy("unit", "월")
    MAN_MONTH = "MM", pgettext_lazy("unit", "인월")
    CASE = "건", pgettext_lazy("unit", "건")
    HOUR = "시간", pgettext_lazy("unit", "시간")


class DeliveryRegion(models.Model):
    """The 시·도 a listing delivers to, as rows so filters and facets join instead of parsing text."""

    code = models.CharField(max_length=2, primary_key=True, choices=Region.choices)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.get_code_display()

    @property
    def official_name(self) -> str:
        """The Korean name the API gives, in every language (pages use ``get_code_display``)."""
        return region_name_ko(self.code)


GOODS_IDENTIFICATION_MESSAGE = "물품식별번호는 8자리 숫자입니다 (goods identification number is 8 digits)."
goods_identification_validator = DigitsValidator(8, GOODS_IDENTIFICATION_MESSAGE)


class ProductListing(models.Model):
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="listings")
    # denormalised from the certificate: filters, permissions and facets need no join through it
    supplier = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="listings")
    sector = models.CharField(max_length=20, choices=Sector.choices)

    name = models.CharField(_("product name"), max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    specification = models.CharField(_("specification / model (규격)"), max_length=300)
    manufacturer = models.CharField(max_length=200)
    origin = models.CharField(_("origin (원산지)"), max_length=100, default="대한민국")
    unit = models.CharField(max_length=10, choices=Unit.choices)
    unit_price = models.PositiveBigIntegerField(_("unit price (KRW)"), validators=[MinValueValidator(1)])
    min_order_quantity = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    delivery_lead_days = models.PositiveIntegerField(default=30, validators=[MinValueValidator(1)])
    delivery_regions = models.ManyToManyField(DeliveryRegion, blank=True, related_name="listings")
    description = models.TextField(blank=True)
    keywords = models.CharField(max_length=500, blank=True, help_text="comma-separated")
    classification_code = models.CharField(
        _("classification / detailed item number"),
        max_length=10,
        help_text="8 or 10 digits; work type for construction",
    )
    goods_identification_number = models.CharField(
        _("goods identification number (물품식별번호)"),
        max_length=8,
        null=True,
        blank=True,
        unique=True,
        validators=[goods_identification_validator],
    )
    # public, re-encoded on intake (catalog.images), kept apart from evidence (catalog.storage)
    image = models.ImageField(upload_to="listings/%Y/%m/", storage=public_media, blank=True, max_length=300)

    # services (용역)
    service_period_months = models.PositiveIntegerField(null=True, blank=True)
    service_scope = models.TextField(blank=True)
    # construction (공사)
    work_type = models.CharField(max_length=10, blank=True)
    licence_number = models.CharField(_("construction licence number"), max_length=50, blank=True)

    # the supplier's own code for the product (its ERP's item code): what a bulk upload matches rows by
    supplier_product_code = models.CharField(
        _("supplier product code (자체 상품코드)"), max_length=50, blank=True, default=""
    )
    published = models.BooleanField(default=True)
    # when the listing first entered the listed catalog (set by catalog.services): a listing that left it
    # answers "gone" (410) on the public pages, one that was never public "not found" (404)
    first_listed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["sector", "unit_price"]),
            models.Index(fields=["classification_code"]),
            models.Index(fields=["published", "certificate"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "supplier_product_code"],
                condition=~models.Q(supplier_product_code=""),
                name="listing_supplier_product_code_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.specification}"

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


# what a supplier (or an admin for them) may change on a listing: the API, the forms, the bulk upload
# and the audit trail all read this one list
EDITABLE_FIELDS = (
    "name",
    "name_en",
    "specification",
    "manufacturer",
    "origin",
    "unit",
    "unit_price",
    "min_order_quantity",
    "delivery_lead_days",
    "description",
    "keywords",
    "classification_code",
    "service_period_months",
    "service_scope",
    "work_type",
    "licence_number",
    "published",
    "supplier_product_code",
)


class PriceChange(models.Model):
    listing = models.ForeignKey(ProductListing, on_delete=models.CASCADE, related_name="price_history")
    old_price = models.PositiveBigIntegerField()
    new_price = models.PositiveBigIntegerField()
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.listing_id}: {self.old_price} → {self.new_price}"


class ListingChange(AppendOnly):
    """Append-only trail of every change to a listing: who, when, what, and each changed value before and
    after (``{"name": ["old", "new"], ...}``). Kept after the listing is deleted (no constraint, nothing
    cascades): the deletion is itself the last entry."""

    class Action(models.TextChoices):
        CREATED = "created"
        UPDATED = "updated"
        DELETED = "deleted"
        IDENTIFICATION_NUMBER = "identification_number"
        CERTIFICATE_RENEWED = "certificate_renewed"

    listing = models.ForeignKey(
        ProductListing,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="changes",
        help_text="the listing's id, kept after it is deleted",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, help_text="kept even if the user is deleted")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=30, choices=Action.choices)
    changes = models.JSONField(default=dict, help_text="{field: [before, after]}")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} listing {self.listing_id}"
