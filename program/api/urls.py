from django.urls import path
from rest_framework.routers import SimpleRouter

from program.api.views import ProgramFiguresView, PublicStatisticsCSVView, PublicStatisticsView, TargetViewSet

urlpatterns = [
    path("program/figures/", ProgramFiguresView.as_view(), name="program-figures"),
    path("public/statistics/", PublicStatisticsView.as_view(), name="public-statistics"),
    path("public/statistics.csv", PublicStatisticsCSVView.as_view(), name="public-statistics-csv"),
]
router = SimpleRouter(trailing_slash=True)
router.register("program/targets", TargetViewSet, basename="program-target")
urlpatterns += router.urls
