"""Registry API views: thin wrappers that scope querysets to the user, validate shape and call services.

Scoping happens in ``get_queryset`` (via ``certification.selectors``), so another company's record is a
404; role and state checks happen in the services, so a wrong role is a 403 and a wrong state a 409.
"""

from typing import Any

from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from certification import public, selectors, services
from certification.api.permissions import RolePermission
from certification.api.serializers import (
    ApplicationDetailSerializer,
    ApplicationSerializer,
    ApplicationWriteSerializer,
    AuditEventSerializer,
    CertificateDetailSerializer,
    CertificateSerializer,
    CompanySerializer,
    CompanyWriteSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
)
from certification.api.transitions import detail_response, with_transition_routes
from certification.document import pdf_response
from certification.evidence import EVIDENCE_TYPES
from certification.filtersets import (
    ApplicationFilterSet,
    AuditEventFilterSet,
    CertificateFilterSet,
    CompanyFilterSet,
    DocumentFilterSet,
)
from certification.roles import Role
from certification.workflow import Subject
from core.identifiers import ID_PATH_REGEX


class RegistryViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, RolePermission]
    # ids only: a non-numeric id is a 404 from the router, never a ValueError deeper down
    lookup_value_regex = ID_PATH_REGEX
    allowed_roles: tuple[Role, ...] | None = None
    action_roles: dict[str, tuple[Role, ...] | None] = {}

    def validated(self, serializer_class: type[Serializer], **context: Any) -> dict[str, Any]:
        serializer = serializer_class(
            data=self.request.data, context={**self.get_serializer_context(), **context}
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def validated_update(
        self, serializer_class: type[Serializer], instance: Any, partial: bool
    ) -> dict[str, Any]:
        """The fields of a PUT (all) or PATCH (those sent) in the service's terms."""
        serializer = serializer_class(instance, data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def read_back(self, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        """The record as this user reads it, after the service wrote it."""
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data, status=status_code)


# ------------------------------------------------------------------ companies
@extend_schema_view(
    create=extend_schema(request=CompanyWriteSerializer, responses={201: CompanySerializer}),
    update=extend_schema(request=CompanyWriteSerializer, responses=CompanySerializer),
    partial_update=extend_schema(request=CompanyWriteSerializer, responses=CompanySerializer),
)
class CompanyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    RegistryViewSet,
):
    """Supplier SMEs and partner enterprises. Everyone signed in reads; admins register companies;
    a company's own users (or admins) edit it, but only admins change a business number."""

    serializer_class = CompanySerializer
    filterset_class = CompanyFilterSet
    ordering_fields = ["name", "created_at", "business_number", "region"]
    ordering = ["name", "id"]
    action_roles = {"create": ()}  # admins only

    def get_queryset(self):
        return selectors.visible_companies(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        company = services.create_company(request.user, **self.validated(CompanyWriteSerializer))
        return self.read_back(company.pk, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        company = self.get_object()
        fields = self.validated_update(CompanyWriteSerializer, company, kwargs.get("partial", False))
        services.update_company(request.user, company_id=company.pk, **fields)
        return self.read_back(company.pk)


# --------------------------------------------------------------- applications
@with_transition_routes(Subject.APPLICATION)
@extend_schema_view(
    list=extend_schema(responses=ApplicationSerializer(many=True)),
    retrieve=extend_schema(responses=ApplicationDetailSerializer),
    create=extend_schema(request=ApplicationWriteSerializer, responses={201: ApplicationDetailSerializer}),
    update=extend_schema(request=ApplicationWriteSerializer, responses=ApplicationDetailSerializer),
    partial_update=extend_schema(request=ApplicationWriteSerializer, responses=ApplicationDetailSerializer),
)
class ApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    RegistryViewSet,
):
    """Certification applications. Suppliers see and file their own company's; reviewers and admins
    see all; procurement officers have no access. The workflow's actions are POST sub-routes
    (``certification.api.transitions``)."""

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilterSet
    ordering_fields = ["created_at", "submitted_at", "decided_at", "updated_at", "product_name", "status"]
    ordering = ["-created_at", "-id"]
    allowed_roles = (Role.SUPPLIER, Role.REVIEWER, Role.EVALUATOR)
    action_roles = {"create": (Role.SUPPLIER,)}

    def get_queryset(self):
        queryset = selectors.visible_applications(self.request.user)
        if self.action == "list":
            return selectors.application_list(queryset)
        if self.action == "retrieve":
            return selectors.application_detail(queryset, self.request.user)
        # writes and transitions lock and re-read the row in the service; the lookup only scopes it
        return queryset

    def get_serializer_class(self):
        return ApplicationDetailSerializer if self.action == "retrieve" else ApplicationSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        application = services.create_application(request.user, **self.validated(ApplicationWriteSerializer))
        return detail_response(self, Subject.APPLICATION, application.pk, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        application = self.get_object()
        fields = self.validated_update(ApplicationWriteSerializer, application, kwargs.get("partial", False))
        services.update_application(request.user, application_id=application.pk, **fields)
        return detail_response(self, Subject.APPLICATION, application.pk)


# --------------------------------------------------------------- certificates
@with_transition_routes(Subject.CERTIFICATE)
@extend_schema_view(retrieve=extend_schema(responses=CertificateDetailSerializer))
class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegistryViewSet):
    """Certificates. Suppliers see their own; reviewers, officers and admins see all. Reviewers and
    admins suspend, reinstate and revoke; the owning supplier opens a renewal."""

    serializer_class = CertificateSerializer
    filterset_class = CertificateFilterSet
    ordering_fields = ["issued_on", "expires_on", "number", "status_changed_at", "product_name"]
    ordering = ["-issued_on", "-id"]
    allowed_roles = (Role.SUPPLIER, Role.REVIEWER, Role.OFFICER)

    def get_queryset(self):
        if self.action == "document":
            # a certificate is a public fact (anyone verifies it), so another supplier learns nothing
            # from a 403 here; the document itself is the holder's
            return public.public_certificates()
        return selectors.visible_certificates(self.request.user)

    def get_serializer_class(self):
        return CertificateDetailSerializer if self.action == "retrieve" else CertificateSerializer

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def document(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The certificate document (지정 확인서) as a PDF, drawn from the certificate's current state:
        for its holder's members, reviewers and admins (others: 403)."""
        certificate = self.get_object()
        if not selectors.may_download_document(request.user, certificate):
            raise PermissionDenied("the certificate document is for its holder, reviewers and admins")
        return pdf_response(certificate)


# ------------------------------------------------------------------ documents
@extend_schema_view(
    create=extend_schema(request=DocumentUploadSerializer, responses={201: DocumentSerializer}),
)
class DocumentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    RegistryViewSet,
):
    """Evidence documents. The supplier uploads (multipart) to its own editable application and may
    delete while the application is editable; reviewers and admins read all."""

    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet
    ordering_fields = ["uploaded_at", "size", "original_name"]
    ordering = ["uploaded_at", "id"]
    allowed_roles = (Role.SUPPLIER, Role.REVIEWER, Role.EVALUATOR)
    action_roles = {"create": (Role.SUPPLIER,), "destroy": (Role.SUPPLIER,)}
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return selectors.visible_documents(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.validated(
            DocumentUploadSerializer, applications=selectors.visible_applications(request.user)
        )
        document = services.attach_evidence(
            request.user, application_id=data["application"].pk, upload=data["file"], kind=data["kind"]
        )
        return Response(self.get_serializer(document).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.remove_evidence(request.user, document_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # served with the type sniffed at upload, so the schema lists every accepted evidence type
    @extend_schema(
        responses={(200, kind.content_type): OpenApiResponse(OpenApiTypes.BINARY) for kind in EVIDENCE_TYPES}
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        document = self.get_object()
        try:
            handle = document.file.open("rb")
        except (FileNotFoundError, OSError) as exc:
            raise NotFound("the stored file is missing") from exc
        return FileResponse(
            handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
        )


# ---------------------------------------------------------------- audit trail
class AuditEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RegistryViewSet):
    """The append-only audit trail. Read-only: there is no way to create, change or delete an event
    through the API. Suppliers see the events of their own company's applications."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
    ordering_fields = ["at", "id"]
    ordering = ["-at", "-id"]
    allowed_roles = (Role.SUPPLIER, Role.REVIEWER)

    def get_queryset(self):
        return selectors.visible_audit_events(self.request.user)
