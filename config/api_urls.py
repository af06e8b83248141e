"""Version 1 of the JSON API: each app contributes its own routes."""

from django.urls import include, path

from core.auth_api import ThrottledObtainAuthToken

urlpatterns = [
    path("auth/token/", ThrottledObtainAuthToken.as_view(), name="auth-token"),
    path("", include("certification.api.urls")),
    path("", include("catalog.api.urls")),
    path("", include("catalog.feeds.api.urls")),
    path("", include("search.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("catalog.uploads.api.urls")),
    path("", include("program.api.urls")),
    path("", include("officers.api.urls")),
]
