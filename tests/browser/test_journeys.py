"""End-to-end journeys in a real browser: officer search; a supplier's application under an open call,
through three evaluation panels (reviewer seats them, evaluators score on their own pages, reviewer records)
to a certificate, a listing and the officer's search; admin export."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from certification.models import ApplicationStatus, CertificationApplication
from tests.browser.conftest import PHONE
from tests.browser.steps import fill_application
from tests.factories import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def result_names(page) -> list[str]:
    return [name.strip() for name in page.locator(".card h3").all_inner_texts()]


def test_officer_searches_in_korean_and_filters_by_sector(web, catalog):
    web.login("officer")
    page = web.page
    assert page.url.endswith("/search/")
    box = page.get_by_role("combobox", name="검색어")
    box.fill("조명")
    # autocomplete: a listbox of product names appears under the box
    suggestions = page.get_by_role("listbox")
    suggestions.wait_for(state="visible")
    assert any("조명" in text for text in suggestions.get_by_role("option").all_inner_texts())
    assert box.get_attribute("aria-expanded") == "true"
    web.shot("officer-autocomplete")
    box.press("Escape")
    box.press("Enter")
    page.wait_for_url(re.compile(r".*q=%EC%A1%B0%EB%AA%85.*"))
    names = result_names(page)
    assert "LED 평판조명" in names
    assert "조명 설비 유지관리 용역" in names
    assert page.locator(".card mark", has_text="조명").count() >= 3
    web.shot("officer-search-results")

    page.locator("#facet-sector + ul").get_by_role("link", name=re.compile("물품")).click()
    page.wait_for_url(re.compile(r".*sector=goods.*"))
    names = result_names(page)
    assert "LED 평판조명" in names
    assert "조명 설비 유지관리 용역" not in names
    assert page.locator(".facet-link.is-selected").count() == 1
    web.shot("officer-search-sector-goods")

    # the URL is the state: a fresh page with the same URL shows the same results
    shared = page.url
    page.goto(shared)
    assert result_names(page) == names

    page.get_by_role("link", name=re.compile("LED 평판조명")).first.click()
    page.get_by_role("heading", level=1, name="LED 평판조명").wait_for()
    assert page.get_by_text("WW-", exact=False).count() >= 1
    assert page.get_by_text("가나조명").count() >= 1
    web.shot("officer-product")
    assert not web.errors, web.errors


def test_script_in_a_product_name_stays_text(web, catalog):
    web.login("officer")
    web.page.goto("/search/?q=스탠드")
    heading = web.page.locator(".card h3").first
    assert "<script>alert('xss')</script>" in heading.inner_text()
    assert web.dialogs == []
    web.shot("officer-escaped-product-name")


def test_search_on_a_phone(session_factory, catalog):
    web = session_factory(PHONE)
    web.login("officer")
    web.page.goto("/search/?q=조명")
    # filters fold away so results come first; the menu hides behind a button
    assert web.page.locator(".facet-details").get_attribute("open") is None
    menu = web.page.get_by_role("button", name="메뉴")
    assert menu.is_visible()
    menu.click()
    assert web.page.get_by_role("navigation", name="주 메뉴").is_visible()
    web.shot("phone-search")
    web.page.locator(".facet-details > summary").click()
    web.shot("phone-search-filters")


def test_keyboard_users_can_skip_to_content(web, catalog):
    web.login("officer")
    web.page.keyboard.press("Tab")
    focused = web.page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "본문으로 건너뛰기"


def score_on_the_evaluation_page(evaluator, product: str, percent: int) -> None:
    """The evaluator opens their open assignment (listed first) and gives every criterion ``percent`` of
    its points."""
    page = evaluator.page
    page.goto("/evaluations/")
    page.get_by_role("region", name=re.compile("진행 중인 평가")).get_by_role("link", name=product).click()
    for field in page.locator(".score-sheet input[type=number]").all():
        field.fill(str(int(field.get_attribute("max")) * percent / 100))
    page.get_by_label("평가 의견").fill("협력 성과가 뚜렷함")
    page.get_by_role("button", name="평가표 제출").click()
    page.get_by_text("평가표를 제출했습니다").wait_for()


def test_supplier_application_approved_then_listed_and_found(session_factory, catalog):
    supplier = session_factory()
    supplier.login("supplier-a")
    page = supplier.page
    supplier.shot("supplier-dashboard")
    fill_application(page, "대한전자", "교실용 공기청정기")
    # first a mistake, to see the Korean error next to the field
    page.get_by_label("협약 종료일").fill("2024-01-01")
    page.get_by_role("button", name="초안 저장").click()
    page.get_by_text("협약 종료일은 시작일 이후여야 합니다").first.wait_for()
    supplier.shot("supplier-application-error")
    page.get_by_label("협약 종료일").fill("2028-02-28")
    page.get_by_role("button", name="초안 저장").click()
    page.get_by_text("신청서 초안을 저장했습니다").wait_for()

    page.get_by_label("서류 종류").select_option("agreement")
    page.get_by_label("파일").set_input_files(
        files=[{"name": "협약서.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_role("button", name="첨부").click()
    page.get_by_role("link", name="협약서.pdf").wait_for()
    # the partner enterprise confirms taking part before the application may be submitted
    page.get_by_role("button", name="심사 요청 제출").click()
    page.get_by_text("협력기업의 참여 확인 없이 제출할 수 없습니다").wait_for()
    page.get_by_role("button", name="참여 확인 요청").click()
    page.get_by_text("협력기업에 참여 확인을 요청했습니다").wait_for()
    partner = session_factory()
    partner.login("partner-member")
    partner.page.get_by_role("link", name="협력 요청").first.click()
    partner.page.get_by_role("region", name="답변을 기다리는 참여 확인 요청").get_by_role(
        "link", name="교실용 공기청정기"
    ).click()
    partner.shot("partner-request")
    partner.page.get_by_role("button", name="참여 확인").click()
    partner.page.get_by_text("참여를 확인했습니다").wait_for()
    page.reload()
    page.get_by_role("button", name="심사 요청 제출").click()
    page.get_by_text("신청서를 제출했습니다").wait_for()
    supplier.shot("supplier-application-submitted")
    application = CertificationApplication.objects.get(product_name="교실용 공기청정기")
    assert application.status == ApplicationStatus.SUBMITTED

    reviewer = session_factory()
    reviewer.login("reviewer")
    page = reviewer.page
    reviewer.shot("reviewer-queue")
    page.get_by_role("link", name="교실용 공기청정기").click()
    page.get_by_role("button", name="심사 시작").click()
    page.get_by_text("심사를 시작했습니다").wait_for()
    # the three stages in their order, each scored by a panel of three evaluators signed in on their own
    evaluators = []
    for n in (1, 2, 3):
        evaluators.append(session_factory())
        evaluators[-1].login(f"evaluator{n}")
    results = page.get_by_role("region", name="단계별 심사 결과").get_by_role("row")
    for recorded, stage in enumerate(("presentation", "site", "committee"), start=1):
        section = page.locator(f"#stage-{stage}")
        if stage == "presentation":
            # the evaluator who works at the partner enterprise is marked and cannot be seated
            tied = section.get_by_label("evaluator-tied", exact=False)
            expect(tied).to_be_disabled()
            expect(section.get_by_text("이해충돌 (conflict of interest)")).to_be_visible()
            reviewer.shot("reviewer-panel-form")
        for n in (1, 2, 3):
            section.get_by_label(f"evaluator{n}", exact=True).check()
        section.get_by_role("button", name="평가위원 배정").click()
        page.get_by_text("평가위원 3명을 배정했습니다").wait_for()
        for evaluator in evaluators:
            score_on_the_evaluation_page(evaluator, "교실용 공기청정기", percent=88)
        if stage == "presentation":
            evaluators[0].shot("evaluator-sheet-submitted")
        page.reload()
        page.locator(f"#stage-{stage}").get_by_role(
            "button", name=re.compile("평가 마감 및 결과 기록")
        ).click()
        page.get_by_text(re.compile(r"평가를 마감했습니다: 평균 88\.00점, 통과")).wait_for()
        expect(results).to_have_count(recorded + 1)  # and the header row
        if stage == "presentation":
            # the applicant sees where the review is, and no evaluator's name
            supplier.page.goto(f"/supplier/applications/{application.pk}/")
            supplier.page.get_by_text("현장평가 진행 중").wait_for()
            assert "evaluator" not in supplier.page.content()
            supplier.shot("supplier-stage-progress")
    reviewer.shot("reviewer-application")
    page.get_by_role("button", name="승인하고 인증서 발급").click()
    page.get_by_text("승인했습니다").wait_for()
    application.refresh_from_db()
    number = application.certificate.number
    assert page.get_by_text(number).count() >= 1
    reviewer.shot("reviewer-approved")

    page = supplier.page
    page.goto("/supplier/")
    row = page.get_by_role("row", name=re.compile(number))
    row.get_by_role("link", name="제품 등록").click()
    page.get_by_label(re.compile(r"^제품명")).fill("교실용 공기청정기 AP-30")
    page.get_by_label("규격").fill("AP-30, 30평형, H13 필터")
    page.get_by_label("제조사").fill("가나조명")
    page.get_by_label("단위").select_option("EA")
    page.get_by_label("단가 (원)").fill("890000")
    page.get_by_label("서울특별시").check()
    page.get_by_role("button", name="저장").click()
    page.get_by_text("교실용 공기청정기 AP-30").first.wait_for()
    supplier.shot("supplier-listings")

    officer = session_factory()
    officer.login("officer")
    officer.page.get_by_role("combobox", name="검색어").fill("공기청정기")
    officer.page.get_by_role("button", name="검색").click()
    officer.page.wait_for_url(re.compile(r".*q=.*"))
    assert "교실용 공기청정기 AP-30" in result_names(officer.page)
    card = officer.page.locator(".card", has_text="교실용 공기청정기 AP-30")
    assert number in card.inner_text()
    assert "890,000원" in card.inner_text()
    officer.shot("officer-finds-new-listing")
    for session in (supplier, reviewer, officer, *evaluators):
        assert not session.errors, session.errors


def test_admin_runs_a_feed_export_and_downloads_it(web, catalog, tmp_path):
    web.login("admin")
    page = web.page
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="나라장터 피드").click()
    page.get_by_label("CSV (UTF-8 BOM)").check()
    page.get_by_label("전체", exact=True).check()
    web.shot("admin-exports")
    page.get_by_role("button", name="내보내기 실행").click()
    page.get_by_text(re.compile(r"내보내기 #\d+ 완료")).wait_for()
    web.shot("admin-export-detail")
    with page.expect_download() as info:
        page.get_by_role("link", name="피드 파일 다운로드").click()
    download = info.value
    target = Path(tmp_path) / download.suggested_filename
    download.save_as(target)
    body = target.read_bytes()
    assert download.suggested_filename.endswith(".csv")
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert "LED 평판조명" in text
    assert "prdctClsfcNo" in text or "물품분류번호" in text

    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="나라장터 피드").click()
    assert page.locator("table").get_by_role("link", name=re.compile("다운로드")).count() == 1
    web.shot("admin-export-history")


def test_language_switch(web, catalog):
    web.login("officer")
    web.page.get_by_label("언어").select_option("en")
    web.page.get_by_role("heading", name="Filters").wait_for()
    assert web.page.locator("html").get_attribute("lang") == "en"
    assert web.page.get_by_role("button", name="Sign out").is_visible()
    web.shot("officer-search-english")
