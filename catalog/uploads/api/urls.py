from rest_framework.routers import SimpleRouter

from catalog.uploads.api.views import BulkUploadViewSet

router = SimpleRouter(trailing_slash=True)
router.register("listing-uploads", BulkUploadViewSet, basename="listing-upload")

urlpatterns = router.urls
