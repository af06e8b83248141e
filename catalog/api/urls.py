from rest_framework.routers import DefaultRouter, SimpleRouter

from catalog.api.public import PublicListingViewSet
from catalog.api.views import ListingViewSet

router = DefaultRouter(trailing_slash=True)
router.register("listings", ListingViewSet, basename="listing")

# the public catalog: a plain router (no second API root page)
public_router = SimpleRouter(trailing_slash=True)
public_router.register("public/listings", PublicListingViewSet, basename="public-listing")

urlpatterns = public_router.urls + router.urls
