"""The supplier sees the open calls and its eligibility before it starts; the reviewer sets the supplement
deadline on the review page and the supplier sees it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from certification import services as registry_services
from certification.models import ApplicationStatus, Company
from tests.factories import open_call

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_the_open_calls_only(world):
    now = timezone.now()
    current = open_call(title="2026년 2차 모집공고")
    open_call(
        title="2025년 1차 모집공고", opens_at=now - timedelta(days=90), closes_at=now - timedelta(days=1)
    )
    html = world.client(world.supplier_a).get("/supplier/").content.decode()
    assert "접수 중인 모집공고" in html
    assert current.title in html
    assert "2025년 1차 모집공고" not in html
    assert timezone.localtime(current.closes_at).strftime("%Y-%m-%d %H:%M") in html  # Korean time


def test_the_dashboard_and_the_form_show_the_sme_confirmation_before_starting(world):
    company = world.company_a
    until = company.sme_confirmed_until.isoformat()
    for path in ("/supplier/", "/supplier/applications/new/"):
        html = world.client(world.supplier_a).get(path).content.decode()
        assert f"중소기업 확인서 {company.sme_confirmation_number}: {until}까지 유효합니다" in html, path

    Company.objects.filter(pk=company.pk).update(sme_confirmed_until=timezone.localdate() - timedelta(days=1))
    html = world.client(world.supplier_a).get("/supplier/applications/new/").content.decode()
    assert "중소기업 확인서가" in html and "만료되었습니다" in html
    assert "callout-warning" in html


def test_the_form_offers_the_open_calls_and_the_partner_kinds(world):
    closed = open_call(
        title="마감된 공고",
        opens_at=timezone.now() - timedelta(days=9),
        closes_at=timezone.now() - timedelta(days=1),
    )
    limited = open_call(
        title="품목 제한 공고",
        task_types=[{"task_type": "innovative_growth", "eligible_items": ["3911160501"]}],
    )
    html = world.client(world.supplier_a).get("/supplier/applications/new/").content.decode()
    assert f'value="{open_call().pk}"' in html
    assert f'value="{limited.pk}"' in html
    assert "혁신성장과제: 3911160501" in html  # the task types and items each open call takes
    assert f'value="{closed.pk}"' not in html
    assert "멘토기업" in html and "소재·부품기업" in html


def test_the_reviewer_sets_the_supplement_deadline_in_korean_time(world):
    application = world.draft()
    registry_services.submit_application(world.supplier_a, application_id=application.pk)
    registry_services.start_review(world.reviewer, application_id=application.pk)
    reviewer = world.client(world.reviewer)
    path = f"/review/applications/{application.pk}/supplement/"
    assert 'name="deadline"' in reviewer.get(f"/review/applications/{application.pk}/").content.decode()

    reviewer.post(path, {"comment": "보완", "deadline": "not a date"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW

    year = timezone.localdate().year + 1
    reviewer.post(path, {"comment": "시험성적서를 보완하세요", "deadline": f"{year}-03-02T18:00"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUPPLEMENT_REQUESTED
    assert application.supplement_deadline == datetime(year, 3, 2, 18, 0, tzinfo=ZoneInfo("Asia/Seoul"))
    html = world.client(world.supplier_a).get(f"/supplier/applications/{application.pk}/").content.decode()
    assert f"보완 제출 기한: {year}-03-02 18:00" in html


def test_the_calls_and_eligibility_read_in_english(world):
    client = world.client(world.supplier_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/supplier/"})
    html = client.get("/supplier/").content.decode()
    until = world.company_a.sme_confirmed_until.isoformat()
    assert "Open calls for applications" in html
    assert f"SME confirmation {world.company_a.sme_confirmation_number}: valid until {until}." in html
