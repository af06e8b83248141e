"""Reviewer and admin pages: the queue, the workflow actions with the audit trail, certificate actions."""

import pytest

from certification import services as registry_services
from certification.models import ApplicationStatus, Certificate, CertificateStatus
from tests.factories import evaluate_stage, make_evaluators


@pytest.fixture
def submitted(world):
    registry_services.submit_application(world.supplier_a, application_id=world.draft_a.pk)
    return world.draft_a


@pytest.fixture
def under_review(world, submitted):
    registry_services.start_review(world.reviewer, application_id=submitted.pk)
    return submitted


def test_queue_shows_open_applications_oldest_first(world, submitted):
    registry_services.submit_application(world.supplier_b, application_id=world.draft_b.pk)
    html = world.client(world.reviewer).get("/review/").content.decode()
    assert html.index("신청중인 조명") < html.index("다른 회사 신청")
    assert "가나조명" in html


def test_queue_tabs_and_filters(world, submitted):
    client = world.client(world.reviewer)
    assert "신청중인 조명" not in client.get("/review/?status=under_review").content.decode()
    assert "신청중인 조명" in client.get("/review/?status=submitted").content.decode()
    assert "신청중인 조명" not in client.get("/review/?sector=services").content.decode()
    assert "신청중인 조명" in client.get("/review/?q=가나").content.decode()
    decided = client.get("/review/?status=decided").content.decode()
    assert world.cert_a.product_name in decided


def test_start_review(world, submitted):
    response = world.client(world.reviewer).post(f"/review/applications/{submitted.pk}/start/")
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.UNDER_REVIEW


def test_stages_through_panels_then_approve(world, under_review):
    """Each stage's result comes from its panel (the pages of that: test_panel_pages); the review page
    lists the results and approval issues the certificate."""
    evaluators = make_evaluators()
    for stage in ("presentation", "site", "committee"):
        evaluate_stage(world.reviewer, under_review, stage, marks=(85, 86, 86), evaluators=evaluators)
    client = world.client(world.reviewer)
    url = f"/review/applications/{under_review.pk}/"
    html = client.get(url).content.decode()
    assert "85.67" in html
    assert "대면평가" in html
    response = client.post(url + "approve/", {"comment": "적합"}, follow=True)
    certificate = Certificate.objects.get(application=under_review)
    assert certificate.number in response.content.decode()
    under_review.refresh_from_db()
    assert under_review.status == ApplicationStatus.APPROVED


def test_approval_before_the_committee_is_refused_with_a_message(world, under_review):
    client = world.client(world.reviewer)
    url = f"/review/applications/{under_review.pk}/"
    evaluate_stage(world.reviewer, under_review, "presentation")
    response = client.post(url + "approve/", follow=True)
    assert "현재 상태에서는 이 작업을 할 수 없습니다" in response.content.decode()
    assert not Certificate.objects.filter(application=under_review).exists()


def test_invalid_record_form_is_reported(world, under_review):
    response = world.client(world.reviewer).post(
        f"/review/applications/{under_review.pk}/stage/", {"stage": "final"}, follow=True
    )
    html = response.content.decode()
    assert "심사 단계" in html
    assert "올바르게 선택해 주세요" in html
    assert not under_review.stages.exists()


def test_reject_needs_a_reason(world, under_review):
    client = world.client(world.reviewer)
    response = client.post(f"/review/applications/{under_review.pk}/reject/", {"comment": ""}, follow=True)
    assert "반려 사유를 입력하세요" in response.content.decode()
    client.post(f"/review/applications/{under_review.pk}/reject/", {"comment": "협력 실적 부족"})
    under_review.refresh_from_db()
    assert under_review.status == ApplicationStatus.REJECTED


def test_request_supplement(world, under_review):
    world.client(world.reviewer).post(
        f"/review/applications/{under_review.pk}/supplement/", {"comment": "협약서 원본"}
    )
    under_review.refresh_from_db()
    assert under_review.status == ApplicationStatus.SUPPLEMENT_REQUESTED


def test_detail_shows_the_audit_trail_and_evidence(world, under_review):
    html = world.client(world.reviewer).get(f"/review/applications/{under_review.pk}/").content.decode()
    assert "처리 이력" in html
    assert "심사 시작" in html
    assert "제출" in html
    assert "협약서.pdf" in html


def test_actions_only_show_in_the_right_state(world, submitted):
    client = world.client(world.reviewer)
    html = client.get(f"/review/applications/{submitted.pk}/").content.decode()
    assert "/start/" in html
    assert "/approve/" not in html
    registry_services.start_review(world.reviewer, application_id=submitted.pk)
    html = client.get(f"/review/applications/{submitted.pk}/").content.decode()
    assert "/start/" not in html
    assert "/approve/" in html


def test_suppliers_and_officers_cannot_post_review_actions(world, under_review):
    for user in (world.supplier_a, world.officer):
        assert world.client(user).post(f"/review/applications/{under_review.pk}/approve/").status_code == 403
    under_review.refresh_from_db()
    assert under_review.status == ApplicationStatus.UNDER_REVIEW


def test_certificate_list_and_detail(world):
    client = world.client(world.reviewer)
    html = client.get("/review/certificates/?q=가나").content.decode()
    assert world.cert_a.number in html
    assert world.cert_b.number not in html
    detail = client.get(f"/review/certificates/{world.cert_a.pk}/").content.decode()
    assert "고효율 LED 평판조명" in detail
    assert "인증서 발급" in detail


def test_suspend_reinstate_revoke(world):
    client = world.client(world.reviewer)
    base = f"/review/certificates/{world.cert_a.pk}/"
    response = client.post(base + "suspend/", {"reason": ""}, follow=True)
    assert "사유를 입력하세요" in response.content.decode()
    client.post(base + "suspend/", {"reason": "품질 조사"})
    world.cert_a.refresh_from_db()
    assert world.cert_a.status == CertificateStatus.SUSPENDED
    client.post(base + "reinstate/", {"reason": "조사 완료"})
    world.cert_a.refresh_from_db()
    assert world.cert_a.status == CertificateStatus.ACTIVE
    client.post(base + "revoke/", {"reason": "부정 취득"})
    world.cert_a.refresh_from_db()
    assert world.cert_a.status == CertificateStatus.REVOKED
    html = client.get(base).content.decode()
    assert "이 상태의 인증서에는 조치할 수 없습니다" in html


def test_unknown_certificate_action_is_not_found(world):
    response = world.client(world.reviewer).post(f"/review/certificates/{world.cert_a.pk}/delete/")
    assert response.status_code == 404


def test_supplier_cannot_change_certificates(world):
    response = world.client(world.supplier_a).post(
        f"/review/certificates/{world.cert_a.pk}/revoke/", {"reason": "x"}
    )
    assert response.status_code == 403
