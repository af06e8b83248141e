from rest_framework.routers import DefaultRouter

from catalog.api.views import ListingViewSet

router = DefaultRouter(trailing_slash=True)
router.register("listings", ListingViewSet, basename="listing")

urlpatterns = router.urls
