"""The partner enterprise's API: its members read the applications and certificates that name their
company (``selectors.partner_requests`` / ``partner_certificates``: anything else is a 404) and answer the
applicant's request for confirmation on the routes the workflow table gives the partner
(``/partner-requests/{id}/confirm-partnership/``, ``/decline-partnership/``). Nothing here edits an
application."""

from rest_framework import mixins, status
from rest_framework.response import Response

from certification import selectors
from certification.api.partner_serializers import PartnerCertificateSerializer, PartnerRequestSerializer
from certification.api.transitions import with_transition_routes
from certification.api.views import RegistryViewSet
from certification.filtersets import ApplicationFilterSet, CertificateFilterSet
from certification.workflow import Subject


@with_transition_routes(Subject.APPLICATION, partner=True)
class PartnerRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegistryViewSet):
    """Applications naming the user's company as partner, read-only, with the requests for its
    confirmation; members confirm or decline an open request. Any signed-in user may ask: a user without
    a company, or of another company, sees none of them."""

    serializer_class = PartnerRequestSerializer
    filterset_class = ApplicationFilterSet
    ordering_fields = ["created_at", "submitted_at", "updated_at", "product_name", "status"]
    ordering = ["-created_at", "-id"]
    allowed_roles = None  # scoped by the company the user acts for, whatever the role

    def get_queryset(self):
        return selectors.partner_requests(self.request.user)

    def after_transition(self, subject: Subject, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        """The request as the partner reads it after its answer."""
        serializer = self.get_serializer(self.get_queryset().get(pk=pk))
        return Response(serializer.data, status=status_code)


class PartnerCertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegistryViewSet):
    """Certificates naming the user's company as partner, read-only."""

    serializer_class = PartnerCertificateSerializer
    filterset_class = CertificateFilterSet
    ordering_fields = ["issued_on", "expires_on", "number", "product_name"]
    ordering = ["-issued_on", "-id"]
    allowed_roles = None

    def get_queryset(self):
        return selectors.partner_certificates(self.request.user)
