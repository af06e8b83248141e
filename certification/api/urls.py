from django.urls import path
from rest_framework.routers import DefaultRouter

from certification.api import public, reference, views
from certification.api.calls import CallViewSet
from certification.api.evaluations import EvaluationViewSet, EvaluatorViewSet
from certification.api.partners import PartnerCertificateViewSet, PartnerRequestViewSet

router = DefaultRouter(trailing_slash=True)
router.register("companies", views.CompanyViewSet, basename="company")
router.register("calls", CallViewSet, basename="call")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("certificates", views.CertificateViewSet, basename="certificate")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("evaluations", EvaluationViewSet, basename="evaluation")
router.register("evaluators", EvaluatorViewSet, basename="evaluator")
router.register("audit-events", views.AuditEventViewSet, basename="audit-event")
# the partner enterprise's members: what names their company, read-only, and their answers
router.register("partner-requests", PartnerRequestViewSet, basename="partner-request")
router.register("partner-certificates", PartnerCertificateViewSet, basename="partner-certificate")

# open to anyone (certification.api.public)
public_urls = [
    path("public/certificates/", public.HolderVerificationView.as_view(), name="public-certificates"),
    path(
        "public/certificates/<str:number>/",
        public.CertificateVerificationView.as_view(),
        name="public-certificate",
    ),
    path("public/certificate-events/", public.StatusEventsView.as_view(), name="public-certificate-events"),
    path(
        "reference/classifications/",
        reference.ClassificationSearchView.as_view(),
        name="reference-classifications",
    ),
]

urlpatterns = public_urls + router.urls
