from django.urls import path
from rest_framework.routers import SimpleRouter

from search.api.public import PublicSearchView, PublicSuggestView
from search.api.rebuilds import RebuildJobViewSet
from search.api.views import SearchView, SuggestView

urlpatterns = [
    path("search/", SearchView.as_view(), name="search"),
    path("search/suggest/", SuggestView.as_view(), name="search-suggest"),
    path("public/search/", PublicSearchView.as_view(), name="public-search"),
    path("public/search/suggest/", PublicSuggestView.as_view(), name="public-search-suggest"),
]
router = SimpleRouter(trailing_slash=True)
router.register("search/rebuilds", RebuildJobViewSet, basename="search-rebuild")
urlpatterns += router.urls
