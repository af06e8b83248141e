from django.urls import path
from rest_framework.routers import SimpleRouter

from program.api.views import ProgramFiguresView, PublicStatisticsView, TargetViewSet

urlpatterns = [
    path("program/figures/", ProgramFiguresView.as_view(), name="program-figures"),
    path("public/statistics/", PublicStatisticsView.as_view(), name="public-statistics"),
]
router = SimpleRouter(trailing_slash=True)
router.register("program/targets", TargetViewSet, basename="program-target")
urlpatterns += router.urls
