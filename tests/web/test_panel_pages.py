"""Evaluation panels through the pages: the reviewer seats a stage's panel (a conflict of interest refused
on the page), the evaluators score on their own pages, the reviewer closes the panel and records the result;
evaluators see only their own seats, and the applicant sees the stage without evaluator names."""

from decimal import Decimal

import pytest

from certification import services as registry_services
from certification.models import ApplicationStatus, Certificate
from certification.panels import EvaluationCriterion, PanelSeat
from certification.roles import Role
from tests.factories import evaluate_stage, make_evaluators, make_user
from tests.web.test_access import PUBLIC_PAGES, urls


@pytest.fixture
def panel_world(world):
    registry_services.submit_application(world.supplier_a, application_id=world.draft_a.pk)
    registry_services.start_review(world.reviewer, application_id=world.draft_a.pk)
    world.application = world.draft_a
    world.evaluators = make_evaluators(3)
    # a member of the partner company: appointed, but never on this application's panels
    world.tied = make_user(Role.EVALUATOR, world.partner, username="tied-evaluator")
    return world


def review_url(world) -> str:
    return f"/review/applications/{world.application.pk}/"


def form(world, stage: str, evaluators) -> str:
    response = world.client(world.reviewer).post(
        review_url(world) + "panel/", {"stage": stage, "evaluators": [u.pk for u in evaluators]}, follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


def seat_of(world, evaluator, stage: str = "presentation") -> PanelSeat:
    return PanelSeat.objects.get(
        evaluator=evaluator, panel__application=world.application, panel__stage=stage
    )


def sheet(world, stage: str, percent: int, comment: str = "") -> dict:
    criteria = EvaluationCriterion.objects.filter(call_id=world.application.call_id, stage=stage)
    data = {f"criterion_{c.pk}": str(Decimal(c.weight * percent) / 100) for c in criteria}
    data["comment"] = comment
    return data


def score(world, evaluator, percent: int, stage: str = "presentation"):
    seat = seat_of(world, evaluator, stage)
    return world.client(evaluator).post(f"/evaluations/{seat.pk}/", sheet(world, stage, percent), follow=True)


def record(world, stage: str, comment: str = "") -> str:
    response = world.client(world.reviewer).post(
        review_url(world) + "stage/", {"stage": stage, "comment": comment}, follow=True
    )
    return response.content.decode()


def test_the_reviewer_sees_the_evaluators_with_the_conflict_marked(panel_world):
    html = panel_world.client(panel_world.reviewer).get(review_url(panel_world)).content.decode()
    assert "평가위원 배정" in html
    assert "tied-evaluator" in html
    assert "이해충돌 (conflict of interest)" in html
    # the tied evaluator's checkbox is disabled, the others are not
    tied_box = html[html.index(f'id="evaluator-presentation-{panel_world.tied.pk}"') :].split(">", 1)[0]
    assert "disabled" in tied_box
    free_box = html[html.index(f'id="evaluator-presentation-{panel_world.evaluators[0].pk}"') :]
    assert "disabled" not in free_box.split(">", 1)[0]


def test_a_conflict_of_interest_is_refused_with_the_message_on_the_page(panel_world):
    html = form(panel_world, "presentation", [*panel_world.evaluators[:2], panel_world.tied])
    assert "이해충돌" in html
    assert "tied-evaluator" in html
    assert "신청기업 또는 협력기업 소속인 평가위원은 배정할 수 없습니다" in html
    assert not panel_world.application.panels.exists()


def test_too_small_a_panel_is_refused_on_the_page(panel_world):
    html = form(panel_world, "presentation", panel_world.evaluators[:2])
    assert "평가위원은 3–15명이어야 합니다" in html
    assert not panel_world.application.panels.exists()


def test_a_later_stage_cannot_be_seated_first(panel_world):
    html = form(panel_world, "site", panel_world.evaluators)
    assert not panel_world.application.panels.exists()
    assert "현재 상태에서는 이 작업을 할 수 없습니다" in html


def test_a_full_stage_through_the_pages(panel_world):
    world = panel_world
    html = form(world, "presentation", world.evaluators)
    assert "평가위원 3명을 배정했습니다" in html
    assert all(u.get_username() in html for u in world.evaluators)
    assert "미제출" in html

    # closing early: refused, the missing sheets named
    html = record(world, "presentation")
    assert "평가표 3건이 아직 제출되지 않았습니다" in html
    assert not world.application.stages.exists()

    for evaluator, percent in zip(world.evaluators, (80, 90, 70), strict=True):
        html = score(world, evaluator, percent).content.decode()
        assert "평가표를 제출했습니다" in html
    # a sheet may be submitted again while the panel is open
    score(world, world.evaluators[2], 76)
    assert seat_of(world, world.evaluators[2]).total == Decimal("76.00")

    html = world.client(world.reviewer).get(review_url(world)).content.decode()
    assert "82.00" in html  # the running average of 80, 90, 76
    assert "평가 마감 및 결과 기록" in html
    html = record(world, "presentation", comment="기술성 우수")
    assert "평가를 마감했습니다: 평균 82.00점, 통과" in html
    result = world.application.stages.get()
    assert result.passed and result.score == Decimal("82.00")
    # the next stage is the one to seat now
    assert 'name="stage" value="site"' in html


def test_a_failed_stage_rejects_the_application(panel_world):
    world = panel_world
    form(world, "presentation", world.evaluators)
    for evaluator in world.evaluators:
        score(world, evaluator, 50)
    html = record(world, "presentation")
    assert "불합격" in html
    world.application.refresh_from_db()
    assert world.application.status == ApplicationStatus.REJECTED
    assert "평가 마감 및 결과 기록" not in html


def test_passing_every_stage_then_approval(panel_world):
    world = panel_world
    for stage in ("presentation", "site", "committee"):
        form(world, stage, world.evaluators)
        for evaluator in world.evaluators:
            score(world, evaluator, 85, stage)
        record(world, stage)
    response = world.client(world.reviewer).post(
        review_url(world) + "approve/", {"comment": "적합"}, follow=True
    )
    certificate = Certificate.objects.get(application=world.application)
    assert certificate.number in response.content.decode()


def test_evaluators_list_their_own_assignments_open_first(panel_world):
    world = panel_world
    evaluator = world.evaluators[0]
    # a closed seat on another application, and an open one on this
    other = world.under_review(world.supplier_b)
    evaluate_stage(world.reviewer, other, "presentation", evaluators=world.evaluators)
    form(world, "presentation", world.evaluators)
    client = world.client(evaluator)
    assert client.get("/").url == "/evaluations/"
    html = client.get("/evaluations/").content.decode()
    assert "내 평가" in html
    assert html.index(world.application.product_name) < html.index(other.product_name)
    assert "진행 중인 평가 (1)" in html and "마감된 평가 (1)" in html
    # someone else's assignment list is their own: the tied evaluator has none
    assert (
        world.application.product_name not in world.client(world.tied).get("/evaluations/").content.decode()
    )


def test_the_evaluation_page_shows_the_application_and_only_the_own_sheet(panel_world):
    world = panel_world
    form(world, "presentation", world.evaluators)
    first, second = world.evaluators[:2]
    score(world, second, 64)  # 64.00 is nowhere else on the page
    response = world.client(first).get(f"/evaluations/{seat_of(world, first).pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert world.application.product_name in html
    assert world.partner.name in html
    assert "협약서.pdf" in html
    assert "기술성: 기술개발 역량과 혁신성" in html
    assert 'max="30"' in html
    assert "64.00" not in html
    assert second.get_username() not in html
    # the evidence of an assigned application downloads
    document = world.application.documents.get()
    assert world.client(first).get(f"/documents/{document.pk}/").status_code == 200


def test_an_evaluator_cannot_open_what_is_not_assigned(panel_world):
    world = panel_world
    form(world, "presentation", world.evaluators)
    outsider = make_evaluators(1)[0]
    client = world.client(outsider)
    assert client.get(f"/evaluations/{seat_of(world, world.evaluators[0]).pk}/").status_code == 404
    assert client.post(f"/evaluations/{seat_of(world, world.evaluators[0]).pk}/", {}).status_code == 404
    assert client.get(f"/documents/{world.application.documents.get().pk}/").status_code == 404
    assert client.get(review_url(world)).status_code == 403
    # a seated evaluator still sees no other application's evidence
    assert world.client(world.evaluators[0]).get(f"/documents/{world.document_b.pk}/").status_code == 404


def test_out_of_range_scores_are_form_errors(panel_world):
    world = panel_world
    form(world, "presentation", world.evaluators)
    evaluator = world.evaluators[0]
    data = sheet(world, "presentation", 80)
    first_field = next(key for key in data if key.startswith("criterion_"))
    data[first_field] = "31"
    response = world.client(evaluator).post(f"/evaluations/{seat_of(world, evaluator).pk}/", data)
    assert response.status_code == 400
    assert "30 이하의 값을 입력해 주세요" in response.content.decode()
    assert not seat_of(world, evaluator).submitted


def test_no_scoring_after_the_panel_closes(panel_world):
    world = panel_world
    form(world, "presentation", world.evaluators)
    for evaluator in world.evaluators:
        score(world, evaluator, 80)
    record(world, "presentation")
    evaluator = world.evaluators[0]
    url = f"/evaluations/{seat_of(world, evaluator).pk}/"
    html = world.client(evaluator).get(url).content.decode()
    assert "평가가 마감되어 평가표를 고칠 수 없습니다" in html
    assert "평가표 다시 제출" not in html
    response = world.client(evaluator).post(url, sheet(world, "presentation", 100))
    assert response.status_code == 409
    assert "평가가 이미 마감되었습니다" in response.content.decode()
    assert seat_of(world, evaluator).total == Decimal("80.00")


def test_the_supplier_sees_the_stage_but_no_evaluator(panel_world):
    world = panel_world
    evaluate_stage(world.reviewer, world.application, "presentation", evaluators=world.evaluators)
    form(world, "site", world.evaluators)
    score(world, world.evaluators[0], 90, "site")
    html = (
        world.client(world.supplier_a).get(f"/supplier/applications/{world.application.pk}/").content.decode()
    )
    assert "심사 진행 상황" in html
    assert "현장평가 진행 중" in html
    assert "85.00" in html  # the presentation's recorded average
    for evaluator in world.evaluators:
        assert evaluator.get_username() not in html
    assert "평가위원 배정" not in html  # the trail leaves the panel entries out


def test_the_panel_pages_in_english(panel_world):
    world = panel_world
    form(world, "presentation", world.evaluators)
    evaluator = world.evaluators[0]
    client = world.client(evaluator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/evaluations/"})
    assert "Open evaluations" in client.get("/evaluations/").content.decode()
    html = client.get(f"/evaluations/{seat_of(world, evaluator).pk}/").content.decode()
    assert "Submit evaluation sheet" in html
    reviewer = world.client(world.reviewer)
    reviewer.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = reviewer.get(review_url(world)).content.decode()
    assert "Close the panel and record the result" in html
    assert "3 evaluation sheets still missing" in html


def test_an_evaluator_gets_no_other_page(panel_world):
    """The page × role table (test_access) for the evaluator: their own pages and, like anyone, the public
    catalog; nothing else."""
    client = panel_world.client(panel_world.evaluators[0])
    for page, url in urls(panel_world).items():
        assert client.get(url).status_code == (200 if page in PUBLIC_PAGES else 403), page
    assert client.get("/evaluations/").status_code == 200
    nav = client.get("/evaluations/").content.decode().split('id="site-nav"')[1].split("</nav>")[0]
    assert "내 평가" in nav and "심사 대기열" not in nav and "제품 검색" not in nav
    # and the evaluator's page is no one else's
    for user in (panel_world.officer, panel_world.supplier_a, panel_world.reviewer):
        assert panel_world.client(user).get("/evaluations/").status_code == 403


def test_the_review_page_queries_stay_flat_however_many_evaluators(panel_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = panel_world
    client = world.client(world.reviewer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(review_url(world)).status_code == 200
        return len(captured)

    form(world, "presentation", world.evaluators)
    for evaluator in world.evaluators:
        score(world, evaluator, 80)
    small = queries()
    more = make_evaluators(5)
    form(world, "presentation", [*world.evaluators, *more])
    for evaluator in more:
        score(world, evaluator, 75)
    assert queries() == small
