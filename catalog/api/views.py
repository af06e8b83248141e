from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from catalog import services
from catalog.api.conditional import listing_validators, not_modified, with_validators
from catalog.api.serializers import (
    IdentificationNumberSerializer,
    ListingSerializer,
    ListingWriteSerializer,
    PriceChangeSerializer,
)
from catalog.filtersets import ListingFilterSet
from catalog.selectors import visible_listings
from core.identifiers import ID_PATH_REGEX
from core.schema import NOT_MODIFIED


class ListingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Product listings. Everyone signed in reads the listed catalog; suppliers also see and maintain
    their own listings in any state; admins see everything."""

    serializer_class = ListingSerializer
    filterset_class = ListingFilterSet
    lookup_value_regex = ID_PATH_REGEX
    ordering_fields = {
        "unit_price": "unit_price",
        "created_at": "created_at",
        "name": "name",
        "updated_at": "updated_at",
    }
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return visible_listings(self.request.user)

    def get_serializer_class(self):
        if self.action in {"create", "update", "partial_update"}:
            return ListingWriteSerializer
        return super().get_serializer_class()

    def _read(self, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        listing = self.get_queryset().get(pk=pk)
        return Response(
            ListingSerializer(listing, context=self.get_serializer_context()).data, status=status_code
        )

    @extend_schema(responses={200: ListingSerializer, 304: NOT_MODIFIED})
    def retrieve(self, request, *args, **kwargs):
        listing = self.get_object()
        etag, last_modified = listing_validators(listing)
        if not_modified(request, etag, last_modified):
            return with_validators(Response(status=status.HTTP_304_NOT_MODIFIED), etag, last_modified)
        return with_validators(Response(self.get_serializer(listing).data), etag, last_modified)

    @extend_schema(request=ListingWriteSerializer, responses={201: ListingSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ListingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        listing = services.create_listing(request.user, certificate_id=data.pop("certificate"), **data)
        return self._read(listing.pk, status.HTTP_201_CREATED)

    def _update(self, request, partial: bool) -> Response:
        listing = self.get_object()
        serializer = ListingWriteSerializer(listing, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        services.update_listing(request.user, listing_id=listing.pk, **serializer.validated_data)
        return self._read(listing.pk)

    @extend_schema(request=ListingWriteSerializer, responses=ListingSerializer)
    def update(self, request, *args, **kwargs):
        return self._update(request, partial=False)

    @extend_schema(request=ListingWriteSerializer, responses=ListingSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self._update(request, partial=True)

    def destroy(self, request, *args, **kwargs):
        services.delete_listing(request.user, listing_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=PriceChangeSerializer(many=True))
    # the whole history as a plain list: neither the catalog's pagination nor its filters apply here
    @action(detail=True, methods=["get"], url_path="price-history", pagination_class=None, filter_backends=[])
    def price_history(self, request, pk=None):
        listing = self.get_object()
        return Response(PriceChangeSerializer(listing.price_history.all(), many=True).data)

    @extend_schema(request=IdentificationNumberSerializer, responses=ListingSerializer)
    @action(detail=True, methods=["post"], url_path="identification-number")
    def identification_number(self, request, pk=None):
        """Admins record the 물품식별번호 Nara Marketplace assigned to this specification."""
        serializer = IdentificationNumberSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        listing = services.assign_goods_identification_number(
            request.user,
            listing_id=self.get_object().pk,
            number=serializer.validated_data["goods_identification_number"],
        )
        return self._read(listing.pk)
