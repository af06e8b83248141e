from rest_framework.routers import DefaultRouter

from officers.api.views import SavedSearchViewSet, ShortlistItemViewSet, ShortlistViewSet

router = DefaultRouter(trailing_slash=True)
router.register("shortlists", ShortlistViewSet, basename="shortlist")
router.register("shortlist-items", ShortlistItemViewSet, basename="shortlist-item")
router.register("saved-searches", SavedSearchViewSet, basename="saved-search")

urlpatterns = router.urls
