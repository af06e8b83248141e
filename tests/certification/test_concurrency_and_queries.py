"""Two reviewers approving at once issue exactly one certificate; list queries do not grow with rows."""

import threading
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification import services
from certification.models import AuditEvent, Certificate, CertificationApplication, ReviewStageResult
from certification.panels import EvaluationCriterion, EvaluationPanel, PanelSeat
from certification.roles import Role
from core.domain import Conflict
from tests.factories import (
    evaluate_stage,
    make_application,
    make_company,
    make_evaluators,
    make_user,
    pass_all_stages,
)
from tests.worlds import api_client


def at_once(*calls) -> list[object]:
    """Runs the calls in threads released together, each on its own connection; returns what each
    returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = []
    lock = threading.Lock()

    def run(call) -> None:
        try:
            barrier.wait(timeout=10)
            result: object = call()
        except Exception as exc:  # recorded so the main thread reports it, not swallowed
            result = exc
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == len(calls)
    return outcomes


def under_review_with_two_reviewers():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite serialises whole transactions")
    partner = make_company(size="large")
    supplier = make_user(Role.SUPPLIER, make_company())
    reviewers = [make_user(Role.REVIEWER), make_user(Role.REVIEWER)]
    application = make_application(supplier, partner)
    services.submit_application(supplier, application_id=application.pk)
    services.start_review(reviewers[0], application_id=application.pk)
    return application, reviewers


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviewers_approving_at_once_issue_one_certificate():
    application, reviewers = under_review_with_two_reviewers()
    pass_all_stages(reviewers[0], application)
    outcomes = at_once(
        *[
            lambda reviewer=reviewer: services.approve_application(
                reviewer, application_id=application.pk, comment="동시 승인"
            )
            for reviewer in reviewers
        ]
    )
    certificates = [o for o in outcomes if isinstance(o, Certificate)]
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(certificates) == 1 and len(conflicts) == 1, outcomes
    assert Certificate.objects.filter(application_id=application.pk).count() == 1
    assert AuditEvent.objects.filter(application_id=application.pk, action="approve").count() == 1
    assert CertificationApplication.objects.get(pk=application.pk).status == "approved"


def scored_panel(reviewer, application, stage: str, marks: tuple[int, ...]) -> list:
    """A panel whose evaluators have all scored ``marks`` percent, ready to be closed."""
    evaluators = make_evaluators(len(marks))
    services.form_panel(
        reviewer, application_id=application.pk, stage=stage, evaluators=[e.pk for e in evaluators]
    )
    for evaluator, mark in zip(evaluators, marks, strict=True):
        score(evaluator, application, stage, mark)
    return evaluators


def score(evaluator, application, stage: str, mark: int):
    criteria = EvaluationCriterion.objects.filter(call_id=application.call_id, stage=stage)
    return services.score_stage(
        evaluator,
        application_id=application.pk,
        stage=stage,
        scores={c.pk: Decimal(c.weight * mark) / 100 for c in criteria},
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("marks", [(90, 80, 75), (50, 60, 40)])
def test_two_reviewers_recording_the_same_stage_at_once_record_it_once(marks):
    application, reviewers = under_review_with_two_reviewers()
    scored_panel(reviewers[0], application, "presentation", marks)
    outcomes = at_once(
        *[
            lambda reviewer=reviewer: services.record_review_stage(
                reviewer, application_id=application.pk, stage="presentation"
            )
            for reviewer in reviewers
        ]
    )
    recorded = [o for o in outcomes if isinstance(o, ReviewStageResult)]
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(recorded) == 1 and len(conflicts) == 1, outcomes
    assert ReviewStageResult.objects.filter(application_id=application.pk).count() == 1
    # the loser was told why it lost: the stage was taken, or (a failed result) the review had ended
    expected_status, expected_code = (
        ("under_review", "stage_already_recorded") if recorded[0].passed else ("rejected", "conflict")
    )
    assert CertificationApplication.objects.get(pk=application.pk).status == expected_status
    assert conflicts[0].code == expected_code


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_late_sheet_racing_the_panel_closing_either_counts_or_is_refused():
    """The reviewer closes the panel while the last evaluator resubmits: the result is the average of
    the sheets as they stood when it closed, and a sheet arriving after is refused (panel_closed)."""
    application, reviewers = under_review_with_two_reviewers()
    evaluators = scored_panel(reviewers[0], application, "presentation", (80, 80, 80))
    outcomes = at_once(
        lambda: services.record_review_stage(
            reviewers[0], application_id=application.pk, stage="presentation"
        ),
        lambda: score(evaluators[2], application, "presentation", 50),
    )
    result = next(o for o in outcomes if isinstance(o, ReviewStageResult))
    late = next(o for o in outcomes if not isinstance(o, ReviewStageResult))
    assert isinstance(late, (Conflict, PanelSeat)), outcomes
    if isinstance(late, Conflict):
        assert late.code == "panel_closed" and result.score == Decimal("80.00")
    else:
        assert result.score == Decimal("70.00")  # (80 + 80 + 50) / 3
    assert EvaluationPanel.objects.get(application=application).closed_at is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviewers_forming_the_same_panel_at_once_leave_one_panel():
    application, reviewers = under_review_with_two_reviewers()
    first, second = make_evaluators(), make_evaluators()
    outcomes = at_once(
        *[
            lambda reviewer=reviewer, chosen=chosen: services.form_panel(
                reviewer,
                application_id=application.pk,
                stage="presentation",
                evaluators=[e.pk for e in chosen],
            )
            for reviewer, chosen in zip(reviewers, (first, second), strict=True)
        ]
    )
    assert all(isinstance(o, EvaluationPanel) for o in outcomes), outcomes
    panel = EvaluationPanel.objects.get(application=application)
    # the later formation replaced the earlier members: one panel of three, all from one choice
    seated = set(panel.seats.values_list("evaluator_id", flat=True))
    assert seated in ({e.pk for e in first}, {e.pk for e in second})


@pytest.mark.django_db
def test_second_approval_after_the_first_is_a_conflict(reg):
    """The same race, sequentially (this one also runs on SQLite)."""
    application = reg.reviewed()
    first = reg.client(reg.reviewer).post(f"/api/v1/applications/{application.pk}/approve/")
    second = reg.client(reg.reviewer2).post(f"/api/v1/applications/{application.pk}/approve/")
    assert (first.status_code, second.status_code) == (200, 409)
    assert Certificate.objects.filter(application=application).count() == 1


def count_queries(user, path: str, params: dict | None = None) -> int:
    # a fresh user object per request, as in production, so no cache carries over between requests
    client = api_client(get_user_model().objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["reviewer", "supplier_a"])
def test_application_list_query_count_is_flat(reg, role):
    user = getattr(reg, role)
    reg.certificate()
    reg.draft()
    few = count_queries(user, "/api/v1/applications/")
    for sector in ("goods", "services", "construction", "goods", "services"):
        reg.certificate(sector=sector)
        reg.draft(sector=sector)
    many = count_queries(user, "/api/v1/applications/")
    assert reg.client(user).get("/api/v1/applications/").json()["count"] == 12
    assert many == few
    assert many <= 6


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/v1/certificates/", "/api/v1/documents/", "/api/v1/audit-events/", "/api/v1/companies/"]
)
def test_other_list_query_counts_are_flat(reg, path):
    reg.certificate()
    few = count_queries(reg.reviewer, path)
    for sector in ("goods", "services", "construction"):
        reg.certificate(sector=sector)
    assert count_queries(reg.reviewer, path) == few


@pytest.mark.django_db
def test_application_detail_query_count_is_flat(reg):
    """However many panels, seats and sheets an application has, its detail costs the same queries."""
    small = reg.under_review()
    evaluate_stage(reg.reviewer, small, "presentation")
    big = reg.under_review()
    pass_all_stages(reg.reviewer, big)
    assert count_queries(reg.reviewer, f"/api/v1/applications/{small.pk}/") == count_queries(
        reg.reviewer, f"/api/v1/applications/{big.pk}/"
    )
