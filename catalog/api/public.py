"""The public listing API (``/api/v1/public/listings/``): anyone may read the listed catalog, through
serializers whose fields are the allow-lists of ``catalog.public``."""

from django.utils.http import http_date
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from catalog.api.conditional import listing_validators, not_modified
from catalog.filtersets import ListingFilterSet
from catalog.models import DeliveryRegion, ProductListing
from catalog.public import (
    PUBLIC_CERTIFICATE_FIELDS,
    PUBLIC_COMPANY_FIELDS,
    PUBLIC_LISTING_FIELDS,
    PUBLIC_REGION_FIELDS,
    find_public_listing,
    public_listings,
)
from certification.models import Certificate, Company
from core.schema import NOT_MODIFIED
from core.throttling import PublicAPIMixin

# Lists and searches may sit in shared caches for a minute. A product's own answer is revalidated every
# time (its ETag makes that a cheap 304): a revoked certificate must show at once, not a minute later, to
# the bid evaluator checking it. Signed-in answers are the user's own.
PUBLIC_CACHE_CONTROL = "public, max-age=60"
PUBLIC_REVALIDATE = "public, no-cache"
PRIVATE_CACHE_CONTROL = "private, no-cache"


class PublicRegionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="official_name", read_only=True)

    class Meta:
        model = DeliveryRegion
        fields = PUBLIC_REGION_FIELDS


class PublicCertificateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certificate
        fields = PUBLIC_CERTIFICATE_FIELDS


class PublicCompanySerializer(serializers.ModelSerializer):
    business_number = serializers.CharField(source="business_number_display", read_only=True)

    class Meta:
        model = Company
        fields = PUBLIC_COMPANY_FIELDS


class PublicListingSerializer(serializers.ModelSerializer):
    """A listed product as anyone may read it: the fields are ``PUBLIC_LISTING_FIELDS``, nothing else."""

    delivery_regions = PublicRegionSerializer(many=True, read_only=True)
    keywords = serializers.ListField(source="keyword_list", child=serializers.CharField(), read_only=True)
    classification_name = serializers.CharField(read_only=True, allow_null=True)
    certificate = PublicCertificateSerializer(read_only=True)
    supplier = PublicCompanySerializer(read_only=True)
    partner = PublicCompanySerializer(source="certificate.partner", read_only=True)

    class Meta:
        model = ProductListing
        fields = PUBLIC_LISTING_FIELDS
        read_only_fields = PUBLIC_LISTING_FIELDS


def cache_control(request: Request, public: str = PUBLIC_CACHE_CONTROL) -> str:
    return PRIVATE_CACHE_CONTROL if request.user.is_authenticated else public


class PublicListingViewSet(
    PublicAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The listed catalog for everyone, signed in or not; a product that left it answers 410."""

    serializer_class = PublicListingSerializer
    filterset_class = ListingFilterSet
    ordering_fields = {"unit_price": "unit_price", "created_at": "created_at", "name": "name"}
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return public_listings()

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        response["Cache-Control"] = cache_control(request)
        return response

    @extend_schema(
        responses={
            200: PublicListingSerializer,
            404: OpenApiResponse(description="no such product, or one that was never public"),
            304: NOT_MODIFIED,
            410: OpenApiResponse(
                description='the product left the catalog: `{"detail", "code": "gone", "reason"}` with '
                "reason revoked, suspended, expired, unpublished or not_yet_valid"
            ),
        }
    )
    def retrieve(self, request, *args, **kwargs):
        raw = kwargs["pk"]
        # ASCII digits only: int() would also read "１２" or " 12" as 12
        pk = int(raw) if raw.isascii() and raw.isdigit() else 0
        lookup = find_public_listing(pk)
        if lookup.gone_reason:
            body = {"detail": lookup.gone_detail, "code": "gone", "reason": lookup.gone_reason, "errors": {}}
            return Response(body, status=status.HTTP_410_GONE)
        if lookup.listing is None:
            body = {"detail": "제품을 찾을 수 없습니다 (Not found).", "code": "not_found", "errors": {}}
            return Response(body, status=status.HTTP_404_NOT_FOUND)
        etag, last_modified = listing_validators(lookup.listing)
        if not_modified(request, etag, last_modified):
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        else:
            response = Response(self.get_serializer(lookup.listing).data)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        response["Cache-Control"] = cache_control(request, PUBLIC_REVALIDATE)
        return response
