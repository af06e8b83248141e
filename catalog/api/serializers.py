from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.links import PRODUCT_IMAGE, image_url
from catalog.models import GOODS_IDENTIFICATION_MESSAGE, DeliveryRegion, PriceChange, ProductListing, Unit
from catalog.services import EDITABLE_FIELDS
from certification.models import Region
from core.serializers import DigitsField, IdField, StrictFieldsMixin


class RegionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="official_name", read_only=True)

    class Meta:
        model = DeliveryRegion
        fields = ["code", "name"]


class CertificateSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    issued_on = serializers.DateField()
    expires_on = serializers.DateField()


class CompanySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    business_number = serializers.CharField(source="business_number_display")


class ListingSerializer(serializers.ModelSerializer):
    """What buyers read: the listing with its certificate, supplier and partner, one query per page."""

    delivery_regions = RegionSerializer(many=True, read_only=True)
    keywords = serializers.ListField(source="keyword_list", child=serializers.CharField(), read_only=True)
    classification_name = serializers.CharField(read_only=True, allow_null=True)
    listed = serializers.BooleanField(source="is_listed", read_only=True)
    certificate = CertificateSummarySerializer(read_only=True)
    supplier = CompanySummarySerializer(read_only=True)
    partner = CompanySummarySerializer(source="certificate.partner", read_only=True)
    # the public image route (what the Nara feed links to), not the storage's own address
    image = serializers.SerializerMethodField()

    class Meta:
        model = ProductListing
        # what a supplier edits (the services' list), then what the registry derives
        fields = [
            "id",
            *EDITABLE_FIELDS,
            "delivery_regions",
            "classification_name",
            "goods_identification_number",
            "image",
            "sector",
            "listed",
            "certificate",
            "supplier",
            "partner",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_image(self, listing: ProductListing) -> str | None:
        if not listing.image:
            return None
        request = self.context.get("request")
        path = reverse(PRODUCT_IMAGE, kwargs={"pk": listing.pk})
        return request.build_absolute_uri(path) if request is not None else image_url(listing.pk)


class ListingWriteSerializer(StrictFieldsMixin, serializers.Serializer):
    """Shape checks for supplier edits; the rules (certificate, codes, sector fields) live in services."""

    certificate = IdField(required=True, write_only=True)
    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    specification = serializers.CharField(max_length=300)
    manufacturer = serializers.CharField(max_length=200)
    origin = serializers.CharField(max_length=100, required=False)
    unit = serializers.ChoiceField(choices=Unit.choices)
    unit_price = serializers.IntegerField(min_value=1, max_value=10**13)
    min_order_quantity = serializers.IntegerField(min_value=1, max_value=10**9, required=False)
    delivery_lead_days = serializers.IntegerField(min_value=1, max_value=3650, required=False)
    delivery_regions = serializers.ListField(
        child=serializers.ChoiceField(choices=Region.choices), required=False, max_length=len(Region.choices)
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    keywords = serializers.CharField(required=False, allow_blank=True, max_length=500)
    classification_code = serializers.CharField(required=False, max_length=10)
    service_period_months = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=120
    )
    service_scope = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    work_type = serializers.CharField(required=False, allow_blank=True, max_length=10)
    licence_number = serializers.CharField(required=False, allow_blank=True, max_length=50)
    published = serializers.BooleanField(required=False)
    supplier_product_code = serializers.CharField(required=False, allow_blank=True, max_length=50)
    image = serializers.FileField(required=False, allow_empty_file=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.partial or self.instance is not None:
            self.fields.pop("certificate")


class IdentificationNumberSerializer(StrictFieldsMixin, serializers.Serializer):
    goods_identification_number = DigitsField(8, message=GOODS_IDENTIFICATION_MESSAGE, allow_blank=True)


class PriceChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriceChange
        fields = ["old_price", "new_price", "changed_at"]
