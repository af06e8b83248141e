"""Evaluation panels through the API: a reviewer seats appointed evaluators, each scores the call's
criteria, and closing the panel records the stage's result as the average against the call's pass score."""

from decimal import Decimal

import pytest
from django.conf import settings

from certification.models import Certificate, Membership
from certification.panels import EvaluationCriterion
from certification.roles import Role
from tests.factories import make_evaluators, make_user

pytestmark = pytest.mark.django_db


def url(application, action: str = "") -> str:
    return f"/api/v1/applications/{application.pk}/{action + '/' if action else ''}"


def criteria(application, stage: str) -> list[EvaluationCriterion]:
    return list(EvaluationCriterion.objects.filter(call_id=application.call_id, stage=stage))


def sheet(application, stage: str, mark: int) -> dict:
    """Every criterion scored at ``mark`` percent of its points."""
    return {
        "stage": stage,
        "scores": [
            {"criterion": c.pk, "points": str(Decimal(c.weight * mark) / 100)}
            for c in criteria(application, stage)
        ],
    }


def form(reg, application, stage: str, evaluators) -> object:
    return reg.client(reg.reviewer).post(
        url(application, "form-panel"),
        {"stage": stage, "evaluators": [e.pk for e in evaluators]},
        format="json",
    )


def score(reg, evaluator, application, stage: str, mark: int):
    return reg.client(evaluator).post(
        url(application, "score-stage"), sheet(application, stage, mark), format="json"
    )


def close(reg, application, stage: str, comment: str = ""):
    return reg.client(reg.reviewer).post(
        url(application, "record-stage"), {"stage": stage, "comment": comment}, format="json"
    )


def run_stage(reg, application, stage: str, marks=(85, 85, 85)):
    evaluators = make_evaluators(len(marks))
    assert form(reg, application, stage, evaluators).status_code == 200
    for evaluator, mark in zip(evaluators, marks, strict=True):
        assert score(reg, evaluator, application, stage, mark).status_code == 200
    return close(reg, application, stage)


def test_a_stage_is_scored_by_its_panel_and_passes_on_the_average(reg):
    application = reg.under_review()
    evaluators = make_evaluators(3)
    response = form(reg, application, "presentation", evaluators)
    assert response.status_code == 200, response.json()
    assert response.json()["available_actions"] == [
        "request_supplement",
        "form_panel",
        "record_stage",
        "approve",
        "reject",
    ]

    # each evaluator finds the assignment and the sheet to fill in
    mine = reg.client(evaluators[0]).get("/api/v1/evaluations/").json()["results"]
    assert [(a["application"], a["stage"], a["panel_open"], a["submitted_at"]) for a in mine] == [
        (application.pk, "presentation", True, None)
    ]
    detail = reg.client(evaluators[0]).get(url(application)).json()
    assert detail["available_actions"] == ["score_stage"]
    [panel] = detail["panels"]
    assert sum(c["weight"] for c in panel["criteria"]) == 100
    assert [seat["evaluator"] for seat in panel["seats"]] == [evaluators[0].username]

    for evaluator, mark in zip(evaluators, (90, 80, 61), strict=True):
        response = score(reg, evaluator, application, "presentation", mark)
        assert response.status_code == 200, response.json()
    # an evaluator sees their own sheet only; the reviewer sees every seat and the average
    [own] = reg.client(evaluators[2]).get(url(application)).json()["panels"]
    assert [(s["evaluator"], s["total"]) for s in own["seats"]] == [(evaluators[2].username, "61.00")]
    assert own["average"] is None
    [panel] = reg.client(reg.reviewer).get(url(application)).json()["panels"]
    assert sorted(s["total"] for s in panel["seats"]) == ["61.00", "80.00", "90.00"]
    assert (panel["average"], panel["pass_score"], panel["closed_at"]) == ("77.00", "70.00", None)

    response = close(reg, application, "presentation", comment="기술성 우수")
    assert response.status_code == 200, response.json()
    [stage] = response.json()["stages"]
    assert (stage["stage"], stage["passed"], stage["score"]) == ("presentation", True, "77.00")
    assert response.json()["panels"][0]["closed_at"] is not None
    assert response.json()["status"] == "under_review"


def test_a_stage_average_below_the_pass_score_rejects_the_application_with_its_reasons(reg):
    application = reg.under_review()
    assert run_stage(reg, application, "presentation").status_code == 200
    response = run_stage(reg, application, "site", marks=(70, 69, 70))  # 69.67 < 70
    assert response.status_code == 200
    detail = response.json()
    assert detail["status"] == "rejected" and detail["decided_at"]
    assert detail["stages"][-1]["passed"] is False and detail["stages"][-1]["score"] == "69.67"
    last = detail["audit_events"][-1]
    assert (last["action"], last["to_state"]) == ("fail_stage", "rejected")
    assert "69.67" in last["comment"] and "70" in last["comment"]
    assert reg.client(reg.reviewer).post(url(application, "approve"), {}, format="json").status_code == 409
    assert not Certificate.objects.filter(application=application).exists()


def test_the_average_exactly_at_the_calls_pass_score_passes(reg):
    application = reg.under_review()
    application.call.pass_score = Decimal("80")
    application.call.save()
    assert run_stage(reg, application, "presentation", marks=(80, 80, 80)).json()["stages"][0]["passed"]
    failed = run_stage(reg, application, "site", marks=(80, 80, 79)).json()
    assert failed["stages"][-1]["passed"] is False and failed["status"] == "rejected"


def test_stages_run_in_order_and_approval_needs_the_committee(reg):
    application = reg.under_review()
    for stage, waits_for in (("site", "presentation"), ("committee", "site")):
        response = form(reg, application, stage, make_evaluators(3))
        assert response.status_code == 409 and response.json()["code"] == "stage_out_of_order"
        assert f"{waits_for} must pass before {stage}" in response.json()["detail"]
        response = close(reg, application, stage)
        assert response.json()["code"] == "stage_out_of_order"
    assert run_stage(reg, application, "presentation").status_code == 200
    again = close(reg, application, "presentation")
    assert again.status_code == 409 and again.json()["code"] == "stage_already_recorded"
    assert (
        form(reg, application, "presentation", make_evaluators(3)).json()["code"] == "stage_already_recorded"
    )
    assert run_stage(reg, application, "site").status_code == 200
    approve = reg.client(reg.reviewer).post(url(application, "approve"), {}, format="json")
    assert approve.status_code == 409 and approve.json()["code"] == "committee_not_passed"
    assert run_stage(reg, application, "committee").status_code == 200
    approved = reg.client(reg.reviewer).post(url(application, "approve"), {}, format="json")
    assert approved.status_code == 200 and approved.json()["certificate"]["number"].startswith("WW-")


@pytest.mark.parametrize(
    ("make_panel", "code"),
    [
        (lambda reg: make_evaluators(settings.EVALUATION_PANEL_MINIMUM - 1), "panel_incomplete"),
        (lambda reg: [*make_evaluators(2), make_user(Role.REVIEWER)], "not_an_evaluator"),
        (lambda reg: [*make_evaluators(2), reg.supplier_a], "not_an_evaluator"),
        (lambda reg: make_evaluators(2) + [make_evaluators(1)[0]] * 2, "evaluator_listed_twice"),
    ],
)
def test_a_panel_needs_enough_appointed_evaluators(reg, make_panel, code):
    application = reg.under_review()
    response = form(reg, application, "presentation", make_panel(reg))
    assert response.status_code == 400
    assert response.json()["code"] == code and "evaluators" in response.json()["errors"]
    assert not application.panels.exists()


@pytest.mark.parametrize("company", ["company_a", "partner"])
def test_an_evaluator_who_belongs_to_either_company_cannot_sit_on_its_panel(reg, company):
    application = reg.under_review()
    tied = make_user(Role.EVALUATOR, getattr(reg, company), username="tied-evaluator")
    response = form(reg, application, "presentation", [*make_evaluators(3), tied])
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "conflict_of_interest" and "tied-evaluator" in body["errors"]["evaluators"][0]
    # the reviewer's list of evaluators says so before the panel is formed
    listed = reg.client(reg.reviewer).get("/api/v1/evaluators/", {"application": application.pk}).json()
    flags = {row["username"]: row["conflict_of_interest"] for row in listed["results"]}
    assert flags["tied-evaluator"] is True and list(flags.values()).count(True) == 1


def test_an_evaluator_who_joins_either_company_after_assignment_cannot_score(reg):
    application = reg.under_review()
    evaluators = make_evaluators(3)
    form(reg, application, "presentation", evaluators)
    Membership.objects.create(user=evaluators[0], company=reg.partner)
    response = score(reg, evaluators[0], application, "presentation", 90)
    assert response.status_code == 409 and response.json()["code"] == "conflict_of_interest"


def test_a_panel_is_formed_only_against_a_sheet_of_100_points(reg):
    application = reg.under_review()
    EvaluationCriterion.objects.filter(call_id=application.call_id, stage="presentation").first().delete()
    response = form(reg, application, "presentation", make_evaluators(3))
    assert response.status_code == 409 and response.json()["code"] == "criteria_incomplete"


def test_re_forming_an_open_panel_changes_only_the_evaluators_who_have_not_scored(reg):
    application = reg.under_review()
    first = make_evaluators(3)
    form(reg, application, "presentation", first)
    score(reg, first[0], application, "presentation", 90)
    replacement = make_evaluators(1)
    response = form(reg, application, "presentation", [first[0], first[1], replacement[0]])
    assert response.status_code == 200
    seated = set(application.panels.get().seats.values_list("evaluator__username", flat=True))
    assert seated == {first[0].username, first[1].username, replacement[0].username}
    # the one who left no longer sees the application
    assert reg.client(first[2]).get(url(application)).status_code == 404
    response = form(reg, application, "presentation", [first[1], *make_evaluators(2)])
    assert response.status_code == 409 and response.json()["code"] == "evaluator_has_scored"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda rows: rows[0].update(points="30.5"), "0–30"),  # the first criterion is worth 30
        (lambda rows: rows.pop(), "every criterion needs a score"),
        (lambda rows: rows.append({"criterion": 999999, "points": "1"}), "not criteria of this stage"),
        (lambda rows: rows.append(dict(rows[0])), "scored twice"),
        (lambda rows: rows[0].update(points="-1"), ""),
        (lambda rows: rows[0].update(points="1e400"), ""),
    ],
)
def test_a_sheet_scores_every_criterion_once_within_its_points(reg, change, message):
    application = reg.under_review()
    evaluators = make_evaluators(3)
    form(reg, application, "presentation", evaluators)
    body = sheet(application, "presentation", 80)
    change(body["scores"])
    response = reg.client(evaluators[0]).post(url(application, "score-stage"), body, format="json")
    assert response.status_code == 400, response.json()
    assert "scores" in response.json()["errors"]
    assert message in str(response.json()["errors"]["scores"])
    assert not application.panels.get().seats.filter(submitted_at__isnull=False).exists()


def test_only_the_seated_evaluator_scores_and_only_while_the_panel_is_open(reg):
    application = reg.under_review()
    evaluators = make_evaluators(3)
    form(reg, application, "presentation", evaluators)
    body = sheet(application, "presentation", 80)
    for user in (reg.supplier_a, reg.reviewer, reg.admin):
        assert reg.client(user).post(url(application, "score-stage"), body, format="json").status_code == 403
    outsider = make_evaluators(1)[0]
    assert reg.client(outsider).post(url(application, "score-stage"), body, format="json").status_code == 404
    wrong_stage = {**sheet(application, "site", 80), "stage": "site"}
    response = reg.client(evaluators[0]).post(url(application, "score-stage"), wrong_stage, format="json")
    assert response.status_code == 409 and response.json()["code"] == "not_on_panel"

    incomplete = close(reg, application, "presentation")
    assert incomplete.status_code == 409 and incomplete.json()["code"] == "panel_incomplete"
    for evaluator in evaluators:
        assert score(reg, evaluator, application, "presentation", 80).status_code == 200
    # a sheet may be submitted again until the panel closes
    assert score(reg, evaluators[0], application, "presentation", 95).status_code == 200
    assert close(reg, application, "presentation").json()["stages"][0]["score"] == "85.00"
    late = score(reg, evaluators[0], application, "presentation", 50)
    assert late.status_code == 409 and late.json()["code"] == "panel_closed"


def test_closing_needs_a_formed_panel(reg):
    application = reg.under_review()
    response = close(reg, application, "presentation")
    assert response.status_code == 409 and response.json()["code"] == "panel_incomplete"


def test_evaluators_see_only_the_applications_assigned_to_them(reg):
    assigned, other = reg.under_review(), reg.under_review()
    evaluators = make_evaluators(3)
    form(reg, assigned, "presentation", evaluators)
    client = reg.client(evaluators[0])
    listed = client.get("/api/v1/applications/").json()["results"]
    assert [row["id"] for row in listed] == [assigned.pk]
    assert client.get(url(other)).status_code == 404
    documents = client.get("/api/v1/documents/").json()["results"]
    assert {d["application"] for d in documents} == {assigned.pk}
    assert client.get("/api/v1/audit-events/").status_code == 403
    assert client.get("/api/v1/evaluators/").status_code == 403
    # an evaluator changes nothing else about the application
    assert client.post(url(assigned, "approve"), {}, format="json").status_code == 403
    assert client.patch(url(assigned), {"description": "x"}, format="json").status_code == 403


def test_the_applicant_sees_its_stage_results_but_not_who_evaluated(reg):
    application = reg.under_review()
    evaluators = make_evaluators(3)
    form(reg, application, "presentation", evaluators)
    for evaluator in evaluators:
        score(reg, evaluator, application, "presentation", 88)
    close(reg, application, "presentation")
    response = reg.client(reg.supplier_a).get(url(application))
    detail = response.json()
    assert detail["panels"] == []
    assert [(s["stage"], s["score"]) for s in detail["stages"]] == [("presentation", "88.00")]
    assert not {e["action"] for e in detail["audit_events"]} & {"form_panel", "score_stage"}
    for evaluator in evaluators:
        assert evaluator.username not in response.content.decode()
    trail = reg.client(reg.supplier_a).get("/api/v1/audit-events/").json()["results"]
    assert not {e["action"] for e in trail} & {"form_panel", "score_stage"}


def test_calls_carry_their_evaluation_sheet_and_pass_score(reg):
    application = reg.under_review()
    client = reg.client(reg.admin)
    call = client.get(f"/api/v1/calls/{application.call_id}/").json()
    assert call["pass_score"] == "70.00"
    assert {c["stage"] for c in call["criteria"]} == {"presentation", "site", "committee"}
    own = [
        {"stage": stage, "name": name, "weight": weight}
        for stage in ("presentation", "site", "committee")
        for name, weight in (("기술성", 60), ("협력성", 40))
    ]
    response = client.patch(
        f"/api/v1/calls/{application.call_id}/", {"criteria": own, "pass_score": "75"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert [c["weight"] for c in response.json()["criteria"]] == [60, 40] * 3
    short = [row for row in own if row["name"] != "협력성" or row["stage"] != "site"]
    response = client.patch(f"/api/v1/calls/{application.call_id}/", {"criteria": short}, format="json")
    assert response.status_code == 400 and "criteria" in response.json()["errors"]
    assert "60" in str(response.json()["errors"]["criteria"])
    # once evaluators have scored against the sheet it stays as it is
    run_stage(reg, application, "presentation")
    response = client.patch(f"/api/v1/calls/{application.call_id}/", {"criteria": own}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "criteria_in_use"


def test_a_new_call_starts_with_the_schemes_sheet(reg):
    body = {
        "title": "2027년 1차",
        "year": 2027,
        "round": 1,
        "opens_at": "2027-03-02T09:00:00+09:00",
        "closes_at": "2027-03-31T18:00:00+09:00",
        "sectors": ["goods"],
        "task_types": [{"task_type": "innovative_growth", "any_item": True}],
    }
    response = reg.client(reg.admin).post("/api/v1/calls/", body, format="json")
    assert response.status_code == 201, response.json()
    by_stage: dict[str, int] = {}
    for row in response.json()["criteria"]:
        by_stage[row["stage"]] = by_stage.get(row["stage"], 0) + row["weight"]
    assert by_stage == {"presentation": 100, "site": 100, "committee": 100}
    assert response.json()["pass_score"] == "70.00"


def test_an_evaluator_list_for_reviewers_only(reg):
    make_evaluators(2)
    assert reg.client(reg.reviewer).get("/api/v1/evaluators/").json()["count"] == 2
    for user in (reg.supplier_a, reg.officer):
        assert reg.client(user).get("/api/v1/evaluators/").status_code == 403
    for bad in ("abc", "-1", "99999999999", "999999"):
        response = reg.client(reg.reviewer).get("/api/v1/evaluators/", {"application": bad})
        assert response.status_code == 400 and "application" in response.json()["errors"]
