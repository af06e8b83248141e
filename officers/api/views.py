"""``/api/v1/shortlists/``, ``/api/v1/shortlist-items/`` and ``/api/v1/saved-searches/``: an officer's own
records. Other users (suppliers, reviewers, anonymous) get 403; another officer's record is a 404, even for
an administrator. Writes go through the services (``officers.shortlists``, ``officers.saved_searches``)."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from core.identifiers import ID_PATH_REGEX
from officers import saved_searches, selectors, shortlists
from officers.access import keeps_lists
from officers.api.serializers import (
    SavedSearchCreateSerializer,
    SavedSearchSerializer,
    SavedSearchUpdateSerializer,
    ShortlistDetailSerializer,
    ShortlistItemCreateSerializer,
    ShortlistItemNoteSerializer,
    ShortlistItemSerializer,
    ShortlistSerializer,
)
from officers.models import ShortlistItem
from search.api.serializers import SearchParamsSerializer
from search.backends.base import SearchQuery


class IsOfficer(BasePermission):
    message = "조달 담당자만 쓸 수 있습니다 (procurement officers only)."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and keeps_lists(request.user))


class OfficerViewSet(viewsets.GenericViewSet):
    permission_classes = [IsOfficer]
    lookup_value_regex = ID_PATH_REGEX
    filter_backends: list = []
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


class ShortlistViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, OfficerViewSet
):
    """The officer's shortlists (관심 제품): create, rename, delete, read with items, share."""

    def get_queryset(self) -> QuerySet:
        return selectors.shortlists_of(self.request.user)

    def get_serializer_class(self):
        return ShortlistDetailSerializer if self.action == "retrieve" else ShortlistSerializer

    def _detail(self, shortlist, code: int = status.HTTP_200_OK) -> Response:
        shortlist = self.get_queryset().get(pk=shortlist.pk)
        context = {**self.get_serializer_context(), "entries": selectors.entries(shortlist)}
        return Response(ShortlistDetailSerializer(shortlist, context=context).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(request=ShortlistSerializer, responses={201: ShortlistDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ShortlistSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        shortlist = shortlists.create_shortlist(request.user, name=serializer.validated_data["name"])
        return self._detail(shortlist, status.HTTP_201_CREATED)

    @extend_schema(request=ShortlistSerializer, responses={200: ShortlistDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        shortlist = self.get_object()
        serializer = ShortlistSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        shortlists.rename_shortlist(
            request.user, shortlist_id=shortlist.pk, name=serializer.validated_data["name"]
        )
        return self._detail(shortlist)

    def perform_destroy(self, instance) -> None:
        shortlists.delete_shortlist(self.request.user, shortlist_id=instance.pk)

    @extend_schema(request=ShortlistItemCreateSerializer, responses={201: ShortlistDetailSerializer})
    @action(detail=True, methods=["post"], url_path="items", url_name="items")
    def add_item(self, request, pk=None):
        shortlist = self.get_object()
        serializer = ShortlistItemCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        shortlists.add_item(
            request.user,
            shortlist_id=shortlist.pk,
            listing_id=serializer.validated_data["listing"],
            note=serializer.validated_data["note"],
        )
        return self._detail(shortlist, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ShortlistDetailSerializer})
    @action(detail=True, methods=["post"], url_path="share", url_name="share")
    def share(self, request, pk=None):
        """Makes (or keeps) the read-only link anyone holding it may open; ``share_url`` is it."""
        shortlist = shortlists.share_shortlist(request.user, shortlist_id=self.get_object().pk)
        return self._detail(shortlist)

    @extend_schema(request=None, responses={200: ShortlistDetailSerializer})
    @action(detail=True, methods=["post"], url_path="revoke-share", url_name="revoke-share")
    def revoke_share(self, request, pk=None):
        """The link stops working at once (404); sharing again makes a new one."""
        shortlist = shortlists.revoke_share(request.user, shortlist_id=self.get_object().pk)
        return self._detail(shortlist)


class ShortlistItemViewSet(mixins.RetrieveModelMixin, mixins.DestroyModelMixin, OfficerViewSet):
    """One item of the officer's lists: read, change its note, remove it."""

    serializer_class = ShortlistItemSerializer

    def get_queryset(self) -> QuerySet:
        return ShortlistItem.objects.filter(shortlist__owner=self.request.user).select_related(
            "listing", "listing__certificate", "listing__supplier"
        )

    def retrieve(self, request, *args, **kwargs):
        return Response(ShortlistItemSerializer(selectors.entry_of(self.get_object())).data)

    @extend_schema(request=ShortlistItemNoteSerializer, responses={200: ShortlistItemSerializer})
    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        serializer = ShortlistItemNoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        shortlists.update_note(request.user, item_id=item.pk, note=serializer.validated_data["note"])
        return Response(ShortlistItemSerializer(selectors.entry_of(self.get_queryset().get(pk=item.pk))).data)

    def perform_destroy(self, instance) -> None:
        shortlists.remove_item(self.request.user, item_id=instance.pk)


class SavedSearchViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, OfficerViewSet
):
    """The officer's saved searches: save (with an optional e-mail alert), rename, turn the alert on or off,
    delete; ``api_url`` runs one through the search API, ``page_url`` opens it on the search page."""

    serializer_class = SavedSearchSerializer

    def get_queryset(self) -> QuerySet:
        return selectors.saved_searches_of(self.request.user)

    @extend_schema(request=SavedSearchCreateSerializer, responses={201: SavedSearchSerializer})
    def create(self, request, *args, **kwargs):
        serializer = SavedSearchCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        query = SearchQuery()
        if "query" in request.data:
            params = SearchParamsSerializer(data=request.data["query"])
            params.is_valid(raise_exception=True)
            query = params.to_query()
        saved = saved_searches.save_search(
            request.user,
            name=serializer.validated_data["name"],
            query=query,
            alert=serializer.validated_data["alert"],
        )
        return Response(SavedSearchSerializer(saved).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SavedSearchUpdateSerializer, responses={200: SavedSearchSerializer})
    def partial_update(self, request, *args, **kwargs):
        saved = self.get_object()
        serializer = SavedSearchUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "name" in data:
            saved = saved_searches.rename_saved_search(
                request.user, saved_search_id=saved.pk, name=data["name"]
            )
        if "alert" in data:
            saved = saved_searches.set_alert(request.user, saved_search_id=saved.pk, alert=data["alert"])
        return Response(SavedSearchSerializer(saved).data)

    def perform_destroy(self, instance) -> None:
        saved_searches.delete_saved_search(self.request.user, saved_search_id=instance.pk)
