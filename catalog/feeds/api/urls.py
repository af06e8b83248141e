from rest_framework.routers import DefaultRouter

from catalog.feeds.api.views import ExportJobViewSet

router = DefaultRouter(trailing_slash=True)
router.register("exports", ExportJobViewSet, basename="export-job")

urlpatterns = router.urls
