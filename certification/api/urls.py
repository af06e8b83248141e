from rest_framework.routers import DefaultRouter

from certification.api import views
from certification.api.calls import CallViewSet
from certification.api.evaluations import EvaluationViewSet, EvaluatorViewSet

router = DefaultRouter(trailing_slash=True)
router.register("companies", views.CompanyViewSet, basename="company")
router.register("calls", CallViewSet, basename="call")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("certificates", views.CertificateViewSet, basename="certificate")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("evaluations", EvaluationViewSet, basename="evaluation")
router.register("evaluators", EvaluatorViewSet, basename="evaluator")
router.register("audit-events", views.AuditEventViewSet, basename="audit-event")

urlpatterns = router.urls
