"""Every transition through the API: allowed from the right state, 409 from any other."""

from datetime import timedelta

import pytest

from certification import services
from certification.models import ApplicationStatus, Certificate, CertificationApplication, ReviewStageResult
from tests.factories import make_evaluators, open_call, pass_all_stages

pytestmark = pytest.mark.django_db

ALL_STATES = [s.value for s in ApplicationStatus]


def drive_to(reg, state: str) -> CertificationApplication:
    """An application of supplier A brought to ``state`` through the services."""
    application = reg.draft()
    path = {
        "draft": [],
        "withdrawn": ["withdraw"],
        "submitted": ["submit"],
        "under_review": ["submit", "start", "stages"],
        "supplement_requested": ["submit", "start", "supplement"],
        "approved": ["submit", "start", "stages", "approve"],
        "rejected": ["submit", "start", "reject"],
    }[state]
    steps = {
        "withdraw": lambda: services.withdraw_application(reg.supplier_a, application_id=application.pk),
        "submit": lambda: services.submit_application(reg.supplier_a, application_id=application.pk),
        "start": lambda: services.start_review(reg.reviewer, application_id=application.pk),
        "stages": lambda: pass_all_stages(reg.reviewer, application),
        "supplement": lambda: services.request_supplement(
            reg.reviewer, application_id=application.pk, comment="시험성적서 보완"
        ),
        "approve": lambda: services.approve_application(
            reg.reviewer, application_id=application.pk, comment="적합"
        ),
        "reject": lambda: services.reject_application(
            reg.reviewer, application_id=application.pk, comment="부적합"
        ),
    }
    for step in path:
        steps[step]()
    application.refresh_from_db()
    assert application.status == state
    return application


# (action, actor attribute, body, allowed from, resulting state)
TRANSITIONS = [
    ("submit", "supplier_a", {}, {"draft", "supplement_requested"}, "submitted"),
    ("withdraw", "supplier_a", {}, {"draft"}, "withdrawn"),
    ("start-review", "reviewer", {}, {"submitted"}, "under_review"),
    ("request-supplement", "reviewer", {"comment": "보완 필요"}, {"under_review"}, "supplement_requested"),
    ("approve", "reviewer", {"comment": "적합"}, {"under_review"}, "approved"),
    ("reject", "reviewer", {"comment": "부적합"}, {"under_review"}, "rejected"),
]


@pytest.mark.parametrize("action, actor, body, allowed, result", TRANSITIONS, ids=[t[0] for t in TRANSITIONS])
@pytest.mark.parametrize("state", ALL_STATES)
def test_transition_from_every_state(reg, action, actor, body, allowed, result, state):
    application = drive_to(reg, state)
    audit_before = application.audit_events.count()
    response = reg.client(getattr(reg, actor)).post(
        f"/api/v1/applications/{application.pk}/{action}/", body, format="json"
    )
    application.refresh_from_db()
    if state in allowed:
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == result
        assert application.status == result
        events = response.json()["audit_events"]
        assert events[-1 if action != "approve" else -2]["from_state"] == state
        assert application.audit_events.count() > audit_before
    else:
        assert response.status_code == 409, response.json()
        assert response.json()["code"] == "conflict"
        assert application.status == state
        assert application.audit_events.count() == audit_before


def test_full_lifecycle_through_the_api(reg, pdf_bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    supplier, reviewer = reg.client(reg.supplier_a), reg.client(reg.reviewer)
    body = {
        "call": open_call().pk,
        "partner": reg.partner.pk,
        "partner_kind": "mentor",
        "sector": "services",
        "task_type": "tech_convergence",
        "cooperation_type": "technology_transfer",
        "product_name": "공공 클라우드 운영 용역",
        "classification_code": "8111150001",
        "agreement_start": "2025-03-01",
        "agreement_end": "2028-02-28",
    }
    created = supplier.post("/api/v1/applications/", body, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]

    # submitting without evidence is a field error, not a state error
    response = supplier.post(f"/api/v1/applications/{pk}/submit/", {}, format="json")
    assert response.status_code == 400
    assert "documents" in response.json()["errors"]

    upload = SimpleUploadedFile("협약서.pdf", pdf_bytes, "application/pdf")
    response = supplier.post("/api/v1/documents/", {"application": pk, "kind": "agreement", "file": upload})
    assert response.status_code == 201, response.json()

    # the partner confirms taking part before the application may be submitted
    response = supplier.post(f"/api/v1/applications/{pk}/submit/")
    assert response.status_code == 409 and response.json()["code"] == "partner_not_confirmed"
    response = supplier.post(f"/api/v1/applications/{pk}/request-partner-confirmation/", {}, format="json")
    assert response.json()["partner_confirmations"][0]["status"] == "requested"
    partner = reg.client(reg.partner_member)
    response = partner.post(f"/api/v1/partner-requests/{pk}/confirm-partnership/", {}, format="json")
    assert response.status_code == 200 and response.json()["confirmations"][0]["status"] == "confirmed"

    assert supplier.post(f"/api/v1/applications/{pk}/submit/").json()["status"] == "submitted"
    assert reviewer.post(f"/api/v1/applications/{pk}/start-review/").json()["status"] == "under_review"
    response = reviewer.post(
        f"/api/v1/applications/{pk}/request-supplement/", {"comment": "실적 증빙 보완"}, format="json"
    )
    assert response.json()["status"] == "supplement_requested"
    # while supplement is requested the supplier may edit, then resubmits
    response = supplier.patch(f"/api/v1/applications/{pk}/", {"description": "보완함"}, format="json")
    assert response.status_code == 200
    assert response.json()["description"] == "보완함"
    assert supplier.post(f"/api/v1/applications/{pk}/submit/").json()["status"] == "submitted"
    assert reviewer.post(f"/api/v1/applications/{pk}/start-review/").status_code == 200
    evaluators = make_evaluators()
    for stage in ("presentation", "site", "committee"):
        response = reviewer.post(
            f"/api/v1/applications/{pk}/form-panel/",
            {"stage": stage, "evaluators": [e.pk for e in evaluators]},
            format="json",
        )
        assert response.status_code == 200, response.json()
        for evaluator in evaluators:
            sheet = [
                {"criterion": c["id"], "points": c["weight"] * 0.9}
                for c in response.json()["panels"][-1]["criteria"]
            ]
            scored = reg.client(evaluator).post(
                f"/api/v1/applications/{pk}/score-stage/", {"stage": stage, "scores": sheet}, format="json"
            )
            assert scored.status_code == 200, scored.json()
        response = reviewer.post(
            f"/api/v1/applications/{pk}/record-stage/", {"stage": stage, "comment": "적합"}, format="json"
        )
        assert response.status_code == 200, response.json()
    assert [s["stage"] for s in response.json()["stages"]] == ["presentation", "site", "committee"]
    response = reviewer.post(f"/api/v1/applications/{pk}/approve/", {"comment": "인증"}, format="json")
    assert response.status_code == 200
    detail = response.json()
    assert detail["status"] == "approved"
    assert detail["certificate"]["number"].startswith("WW-")
    assert detail["certificate"]["status"] == "active"
    actions = [event["action"] for event in detail["audit_events"]]
    assert actions[0] == "create"
    assert actions[-2:] == ["approve", "issue"]
    assert actions.count("submit") == 2
    for event in detail["audit_events"]:
        assert set(event) >= {"actor_name", "at", "from_state", "to_state", "comment"}
    # the application is no longer editable
    response = supplier.patch(f"/api/v1/applications/{pk}/", {"description": "변경"}, format="json")
    assert response.status_code == 409


def test_request_supplement_and_reject_need_a_comment(reg):
    application = reg.under_review()
    client = reg.client(reg.reviewer)
    for action in ("request-supplement", "reject"):
        response = client.post(
            f"/api/v1/applications/{application.pk}/{action}/", {"comment": "  "}, format="json"
        )
        assert response.status_code == 400
        assert "comment" in response.json()["errors"]
    application.refresh_from_db()
    assert application.status == "under_review"


def test_record_stage_validates_shape_and_state(reg):
    application = reg.under_review()
    client = reg.client(reg.reviewer)
    url = f"/api/v1/applications/{application.pk}/record-stage/"
    assert client.post(url, {"stage": "lunch"}, format="json").status_code == 400
    assert client.post(url, {}, format="json").status_code == 400
    # the result comes from the panel: a client cannot say it passed or give the score
    response = client.post(url, {"stage": "presentation", "passed": True, "score": 90}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"passed", "score"}
    draft = reg.draft()
    response = client.post(f"/api/v1/applications/{draft.pk}/record-stage/", {"stage": "site"}, format="json")
    assert response.status_code == 409


def test_a_failed_stage_recorded_before_the_rule_still_blocks_approval(reg):
    """Results recorded in any order by the old code stay in the database: approval still refuses them."""
    application = reg.under_review()
    for stage, passed in (("presentation", True), ("site", False), ("committee", True)):
        ReviewStageResult.objects.create(application=application, stage=stage, passed=passed, score=50)
    response = reg.client(reg.reviewer).post(
        f"/api/v1/applications/{application.pk}/approve/", {}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "stage_failed" and "site" in response.json()["detail"]


# ------------------------------------------------------------- certificates
CERT_ACTIONS = [
    ("suspend", {"active"}, "suspended"),
    ("reinstate", {"suspended"}, "active"),
    ("revoke", {"active", "suspended"}, "revoked"),
]


def certificate_in(reg, state: str) -> Certificate:
    certificate = reg.certificate()
    if state in ("suspended", "revoked"):
        services.suspend_certificate(reg.reviewer, certificate_id=certificate.pk, reason="품질 점검")
    if state == "revoked":
        services.revoke_certificate(reg.reviewer, certificate_id=certificate.pk, reason="부정 인증")
    if state == "expired":
        services.expire_due_certificates(certificate.expires_on + timedelta(days=1))
    certificate.refresh_from_db()
    assert certificate.status == state
    return certificate


@pytest.mark.parametrize("action, allowed, result", CERT_ACTIONS, ids=[a[0] for a in CERT_ACTIONS])
@pytest.mark.parametrize("state", ["active", "suspended", "revoked", "expired"])
def test_certificate_transition_from_every_state(reg, action, allowed, result, state):
    certificate = certificate_in(reg, state)
    response = reg.client(reg.reviewer).post(
        f"/api/v1/certificates/{certificate.pk}/{action}/", {"reason": "사유"}, format="json"
    )
    certificate.refresh_from_db()
    if state in allowed:
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == result
        assert response.json()["status_reason"] == "사유"
        assert certificate.audit_events.filter(action=action, from_state=state, to_state=result).exists()
    else:
        assert response.status_code == 409
        assert certificate.status == state


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_certificate_actions_need_a_reason(reg, body):
    certificate = reg.certificate()
    response = reg.client(reg.reviewer).post(
        f"/api/v1/certificates/{certificate.pk}/suspend/", body, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    certificate.refresh_from_db()
    assert certificate.status == "active"


def test_company_update_by_own_user_and_admin_only(reg):
    url = f"/api/v1/companies/{reg.company_a.pk}/"
    response = reg.client(reg.supplier_a).patch(url, {"contact_phone": "02-123-4567"}, format="json")
    assert response.status_code == 200
    assert response.json()["contact_phone"] == "02-123-4567"
    response = reg.client(reg.supplier_b).patch(url, {"contact_phone": "000"}, format="json")
    assert response.status_code == 403
    # only an admin may change the business registration number
    response = reg.client(reg.supplier_a).patch(url, {"business_number": "220-81-62517"}, format="json")
    assert response.status_code == 403
    response = reg.client(reg.admin).patch(url, {"business_number": "220-81-62517"}, format="json")
    assert response.status_code == 200
    assert response.json()["business_number"] == "220-81-62517"
