from django.urls import path

from search.api.public import PublicSearchView, PublicSuggestView
from search.api.views import SearchView, SuggestView

urlpatterns = [
    path("search/", SearchView.as_view(), name="search"),
    path("search/suggest/", SuggestView.as_view(), name="search-suggest"),
    path("public/search/", PublicSearchView.as_view(), name="public-search"),
    path("public/search/suggest/", PublicSuggestView.as_view(), name="public-search-suggest"),
]
