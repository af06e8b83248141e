"""The workflow table drives the services, the pages' actions, the admin, the API routes and the docs."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError

from certification import services, workflow
from certification.api.partners import PartnerRequestViewSet
from certification.api.views import ApplicationViewSet, CertificateViewSet
from certification.models import (
    ApplicationStatus,
    Certificate,
    CertificateStatus,
    CertificationApplication,
)
from certification.panels import EvaluationPanel, PanelSeat
from certification.roles import Role
from certification.workflow import Actor, Input, Subject
from certification.workflow_doc import DOC_PATH, render
from core.domain import Conflict
from tests.factories import make_user

pytestmark = pytest.mark.django_db

INPUTS = {
    Input.NONE: {},
    Input.COMMENT: {"comment": "사유"},
    Input.REASON: {"reason": "사유"},
    Input.SUPPLEMENT: {"comment": "사유"},
    Input.STAGE: {"stage": "site", "comment": ""},
    Input.PANEL: {"stage": "site", "evaluators": []},
    Input.SCORES: {"stage": "site", "scores": {}},
    Input.SUSPENSION: {"reason": "사유"},
    Input.CONTACT: {"contact_email": ""},
}


def seated_evaluator(application, stage: str):
    evaluator = make_user(Role.EVALUATOR)
    panel = EvaluationPanel.objects.create(application=application, stage=stage)
    PanelSeat.objects.create(panel=panel, evaluator=evaluator)
    return evaluator


def in_state(record, state: str):
    """Puts the record in ``state`` directly: this checks the table, not the way there."""
    type(record).objects.filter(pk=record.pk).update(status=state)
    record.refresh_from_db()
    return record


def services_routed(subject: Subject) -> list[workflow.Transition]:
    return [t for t in workflow.transitions(subject) if t.name in services.SERVICE_OF]


STATES = {Subject.APPLICATION: ApplicationStatus.values, Subject.CERTIFICATE: CertificateStatus.values}
REFUSED = [
    (t.name, state)
    for subject, states in STATES.items()
    for t in services_routed(subject)
    for state in states
    if state not in t.sources
]


@pytest.mark.parametrize(("action", "state"), REFUSED)
def test_every_action_outside_the_table_is_a_conflict(reg, action, state):
    transition = workflow.transition(action)
    record = reg.draft() if transition.subject is Subject.APPLICATION else reg.certificate()
    in_state(record, state)
    actor = reg.admin
    if Actor.EVALUATOR in transition.actors:  # admins do not score for evaluators: seat one
        actor = seated_evaluator(record, "site")
    if Actor.PARTNER in transition.actors:  # nor answer for the partner
        actor = reg.partner_member
    with pytest.raises(Conflict) as raised:
        services.perform(actor, action, record_id=record.pk, **INPUTS[transition.input])
    assert f"allowed from: {', '.join(transition.sources)}" in str(raised.value)
    record.refresh_from_db()
    assert record.status == state


@pytest.mark.parametrize("state", ApplicationStatus.values)
def test_editing_follows_the_table(reg, state, pdf_bytes):
    application = in_state(reg.draft(), state)
    document = application.documents.get()
    calls = [
        lambda: services.update_application(
            reg.supplier_a, application_id=application.pk, description="고침"
        ),
        lambda: services.remove_evidence(reg.supplier_a, document_id=document.pk),
    ]
    for call in calls:
        if state in workflow.EDITABLE_STATUSES:
            call()
        else:
            with pytest.raises(Conflict, match="allowed from: draft, supplement_requested"):
                call()


@pytest.mark.parametrize("state", [CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED])
def test_certificate_actions_from_their_states(reg, state):
    for transition in services_routed(Subject.CERTIFICATE):
        if state not in transition.sources or transition.opens:
            continue
        certificate = in_state(reg.certificate(), state)
        services.perform(reg.reviewer, transition.name, record_id=certificate.pk, reason="사유")
        certificate.refresh_from_db()
        assert certificate.status == transition.target


def test_a_required_text_is_checked_before_the_state(reg):
    application = reg.draft()
    with pytest.raises(ValidationError) as raised:
        services.reject_application(reg.reviewer, application_id=application.pk, comment=" ")
    assert "반려 사유를 입력하세요" in str(raised.value)


# the actions each user has on supplier A's records, by state; everything else offers nothing
APPLICATION_ACTIONS = {
    "supplier_a": {
        "draft": ("edit", "request_partner_confirmation", "submit", "withdraw"),
        "supplement_requested": ("edit", "request_partner_confirmation", "submit"),
    },
    # whether a request is open is checked when the partner answers (and the partner's pages show it)
    "partner_member": {
        "draft": ("confirm_partnership", "decline_partnership"),
        "supplement_requested": ("confirm_partnership", "decline_partnership"),
    },
    "reviewer": {
        "submitted": ("start_review",),
        "under_review": ("request_supplement", "form_panel", "record_stage", "approve", "reject"),
    },
    "admin": {
        "draft": ("edit", "request_partner_confirmation", "submit", "withdraw"),
        "supplement_requested": ("edit", "request_partner_confirmation", "submit"),
        "submitted": ("start_review",),
        "under_review": ("request_supplement", "form_panel", "record_stage", "approve", "reject"),
    },
}
CERTIFICATE_ACTIONS = {
    "supplier_a": {"active": ("renew",), "suspended": ("renew",), "expired": ("renew",)},
    "reviewer": {"active": ("suspend", "revoke"), "suspended": ("reinstate", "revoke")},
    "admin": {
        "active": ("suspend", "revoke", "renew"),
        "suspended": ("reinstate", "revoke", "renew"),
        "expired": ("renew",),
    },
}
USERS = ["supplier_a", "supplier_b", "partner_member", "reviewer", "officer", "admin"]


@pytest.mark.parametrize("user", USERS)
def test_available_application_actions_per_role_and_state(reg, user):
    application = reg.draft()
    for state in ApplicationStatus.values:
        in_state(application, state)
        expected = APPLICATION_ACTIONS.get(user, {}).get(state, ())
        assert workflow.available_actions(application, getattr(reg, user)) == expected, state


def test_an_evaluator_scores_only_the_applications_they_sit_on(reg):
    application, elsewhere = reg.draft(), reg.draft()
    evaluator = seated_evaluator(application, "presentation")
    for state in ApplicationStatus.values:
        in_state(application, state)
        in_state(elsewhere, state)
        expected = ("score_stage",) if state == ApplicationStatus.UNDER_REVIEW else ()
        assert workflow.available_actions(application, evaluator) == expected, state
        assert workflow.available_actions(elsewhere, evaluator) == (), state


@pytest.mark.parametrize("user", USERS)
def test_available_certificate_actions_per_role_and_state(reg, user):
    certificate = reg.certificate()
    for state in CertificateStatus.values:
        in_state(certificate, state)
        expected = CERTIFICATE_ACTIONS.get(user, {}).get(state, ())
        assert workflow.available_actions(certificate, getattr(reg, user)) == expected, state


def test_details_in_the_api_list_the_available_actions(reg):
    application = reg.draft()
    response = reg.client(reg.supplier_a).get(f"/api/v1/applications/{application.pk}/")
    assert response.json()["available_actions"] == [
        "edit",
        "request_partner_confirmation",
        "submit",
        "withdraw",
    ]
    certificate = reg.certificate()
    response = reg.client(reg.reviewer).get(f"/api/v1/certificates/{certificate.pk}/")
    assert response.json()["available_actions"] == ["suspend", "revoke"]
    response = reg.client(reg.reviewer).post(
        f"/api/v1/certificates/{certificate.pk}/suspend/", {"reason": "점검"}, format="json"
    )
    assert response.json()["available_actions"] == ["reinstate", "revoke"]


def test_admin_actions_are_the_tables_reviewer_actions():
    expected = {
        CertificationApplication: ["start_review", "request_supplement", "approve", "reject"],
        Certificate: ["suspend", "reinstate", "revoke"],
    }
    for model, names in expected.items():
        actions = admin.site._registry[model].actions
        assert [action.__name__ for action in actions] == names
        for action in actions:
            transition = workflow.transition(action.__name__)
            assert transition.label_ko in action.short_description
            assert workflow.Actor.REVIEWER in transition.actors


def test_api_routes_are_the_tables_user_actions():
    def partners(t: workflow.Transition) -> bool:
        return Actor.PARTNER in t.actors

    for viewset, subject, on_partner_route in (
        (ApplicationViewSet, Subject.APPLICATION, False),
        (CertificateViewSet, Subject.CERTIFICATE, False),
        # the partner answers on its own view of the application
        (PartnerRequestViewSet, Subject.APPLICATION, True),
    ):
        # reads (an evidence download, the certificate document) are routes but no transitions
        routes = {a.__name__: a.url_path for a in viewset.get_extra_actions() if set(a.mapping) != {"get"}}
        expected = [t for t in services_routed(subject) if partners(t) == on_partner_route]
        assert routes == {t.name: t.name.replace("_", "-") for t in expected}
    assert set(services.SERVICE_OF) == {
        t.name for t in workflow.TABLE if t.by_users and t.input is not Input.FIELDS
    }


def test_docs_workflow_md_matches_the_table():
    assert DOC_PATH.read_text(encoding="utf-8") == render(), (
        "docs/workflow.md disagrees with certification/workflow.py: "
        "run `python manage.py workflow_doc` and commit the result"
    )
