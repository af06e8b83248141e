"""The API's transition routes, derived from ``certification.workflow``: one POST sub-route per action a
user takes (``/applications/{id}/start-review/``), whose body is what the action takes (a comment, a
reason, a stage result or nothing) and whose answer is the record's detail after it; an action that
opens a new record (a renewal) answers 201 with that record."""

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.viewsets import GenericViewSet

from certification import selectors, services
from certification.api.partner_serializers import ContactSerializer, PartnerRequestSerializer
from certification.api.serializers import (
    ApplicationDetailSerializer,
    CertificateDetailSerializer,
    CommentSerializer,
    EmptySerializer,
    PanelFormSerializer,
    ReasonSerializer,
    ScoreSheetSerializer,
    StageSerializer,
    SupplementSerializer,
    SuspensionSerializer,
)
from certification.workflow import Actor, Input, Subject, Transition, transitions

INPUT_SERIALIZERS: dict[Input, type[Serializer]] = {
    Input.NONE: EmptySerializer,
    Input.COMMENT: CommentSerializer,
    Input.REASON: ReasonSerializer,
    Input.STAGE: StageSerializer,
    Input.PANEL: PanelFormSerializer,
    Input.SCORES: ScoreSheetSerializer,
    Input.SUSPENSION: SuspensionSerializer,
    Input.SUPPLEMENT: SupplementSerializer,
    Input.CONTACT: ContactSerializer,
}
DETAIL_SERIALIZERS: dict[Subject, type[Serializer]] = {
    Subject.APPLICATION: ApplicationDetailSerializer,
    Subject.CERTIFICATE: CertificateDetailSerializer,
}


def detail_response(
    view: GenericViewSet, subject: Subject, pk: int, status_code: int = status.HTTP_200_OK
) -> Response:
    """The record's detail as this user may see it, re-read after a write."""
    user = view.request.user
    if subject is Subject.APPLICATION:
        record = selectors.application_detail(selectors.visible_applications(user), user).get(pk=pk)
    else:
        record = selectors.visible_certificates(user).get(pk=pk)
    serializer = DETAIL_SERIALIZERS[subject](record, context=view.get_serializer_context())
    return Response(serializer.data, status=status_code)


def routed(subject: Subject, partner: bool = False) -> list[Transition]:
    """The subject's actions that users take on a route of their own; editing has the record's own
    update endpoints and system actions have no caller. The partner's answers are routed apart
    (``partner=True``), on the partner's own view of the application (``certification.api.partners``)."""
    return [
        t
        for t in transitions(subject)
        if t.by_users and t.input in INPUT_SERIALIZERS and (Actor.PARTNER in t.actors) == partner
    ]


def _route(transition: Transition, partner: bool) -> Callable[..., Response]:
    body = INPUT_SERIALIZERS[transition.input]

    def route(self: GenericViewSet, request: Request, pk: str | None = None) -> Response:
        record = self.get_object()
        result = services.perform(request.user, transition.name, record_id=record.pk, **self.validated(body))
        if transition.opens is not None:
            return detail_response(self, transition.opens, result.pk, status.HTTP_201_CREATED)
        if partner:
            return self.after_transition(transition.subject, record.pk)
        return detail_response(self, transition.subject, record.pk)

    route.__name__ = route.__qualname__ = transition.name
    if transition.opens is not None:
        responses: Any = {201: DETAIL_SERIALIZERS[transition.opens]}
    elif partner:
        responses = PartnerRequestSerializer
    else:
        responses = DETAIL_SERIALIZERS[transition.subject]
    routed_action = action(detail=True, methods=["post"], url_path=transition.name.replace("_", "-"))(route)
    return extend_schema(request=body, responses=responses)(routed_action)


def with_transition_routes(subject: Subject, partner: bool = False) -> Callable[[type], type]:
    """Class decorator: adds a POST route to the viewset for each of the subject's routed actions (the
    partner's answers with ``partner=True``: the viewset then provides ``after_transition``)."""

    def add_routes(viewset_class: type) -> type:
        for transition in routed(subject, partner):
            setattr(viewset_class, transition.name, _route(transition, partner))
        return viewset_class

    return add_routes
