"""``/api/v1/notifications/``: one's own notifications (another user's are 404), marking them read, and
one's preferences."""

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.identifiers import ID_PATH_REGEX
from notifications import selectors, services
from notifications.api.serializers import NotificationSerializer, PreferenceSerializer


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in user's notifications, newest first; ``?unread=true`` for the unread ones only."""

    serializer_class = NotificationSerializer
    lookup_value_regex = ID_PATH_REGEX
    filter_backends: list = []

    def get_queryset(self) -> QuerySet:
        queryset = selectors.inbox(self.request.user).order_by("-created_at", "-id")
        if self.action == "list" and self.request.query_params.get("unread", "").lower() in {
            "1",
            "true",
            "yes",
        }:
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description="only unread notifications")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"], url_path="read", url_name="read")
    def read(self, request, pk=None):
        notification = services.mark_read(request.user, notification_id=self.get_object().pk)
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None, responses={200: inline_serializer("MarkedRead", {"marked": serializers.IntegerField()})}
    )
    @action(detail=False, methods=["post"], url_path="read-all", url_name="read-all")
    def read_all(self, request):
        return Response({"marked": services.mark_all_read(request.user)})

    @extend_schema(methods=["GET"], responses={200: PreferenceSerializer})
    @extend_schema(methods=["PUT"], request=PreferenceSerializer, responses={200: PreferenceSerializer})
    @action(detail=False, methods=["get", "put"], url_path="preferences", url_name="preferences")
    def preferences(self, request):
        if request.method == "PUT":
            serializer = PreferenceSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            preference = services.update_preferences(request.user, **serializer.validated_data)
        else:
            preference = services.preference_of(request.user)
        return Response(PreferenceSerializer(preference).data)
