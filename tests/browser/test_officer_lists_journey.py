"""The officer's shortlist and saved-search journey in a real browser: search → save a result to a new list
with a note → open the list → share its read-only link, which opens for a visitor who is not signed in;
then save the search with an e-mail alert."""

import re

import pytest
from playwright.sync_api import expect

from officers.models import SavedSearch, ShortlistItem
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_officer_shortlists_a_product_shares_the_list_and_saves_the_search(web, catalog, session_factory):
    web.login("officer")
    page = web.page
    page.goto("/search/?q=조명")
    first = page.locator(".card").filter(has_text="LED 평판조명").first
    first.get_by_role("link", name="관심 제품에 담기").click()
    page.get_by_role("heading", level=1, name="관심 제품에 담기").wait_for()
    # no list yet: a new one is offered
    expect(page.get_by_role("combobox", name=re.compile("^담을 목록"))).to_have_value("new")
    page.get_by_role("textbox", name="새 목록 이름").fill("조명 교체 검토")
    page.get_by_role("textbox", name="메모").fill("3층 사무실 200개 견적 요청")
    web.shot("officer-shortlist-add")
    page.get_by_role("button", name="담기").click()
    # back on the results, with the confirmation
    page.wait_for_url(re.compile(r".*/search/\?q=.*"))
    expect(page.get_by_role("status").filter(has_text="조명 교체 검토")).to_be_visible()

    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="관심 제품").click()
    page.get_by_role("link", name="조명 교체 검토").click()
    page.get_by_role("heading", level=1, name="조명 교체 검토").wait_for()
    expect(page.get_by_role("textbox", name="메모")).to_have_value("3층 사무실 200개 견적 요청")
    page.get_by_role("button", name="링크 만들기").click()
    share_url = page.get_by_label("공유 링크").input_value()
    assert "/shared/shortlists/" in share_url
    web.shot("officer-shortlist")

    # a colleague without an account opens the link: the list, read-only
    visitor = session_factory()
    visitor.page.goto(share_url)
    visitor.page.get_by_role("heading", level=1, name="조명 교체 검토").wait_for()
    expect(visitor.page.get_by_text("LED 평판조명")).to_be_visible()
    expect(visitor.page.get_by_text("3층 사무실 200개 견적 요청")).to_be_visible()
    assert visitor.page.get_by_role("button", name="메모 저장").count() == 0
    visitor.shot("shared-shortlist")

    # the search, saved with an alert
    page.goto("/search/?q=조명&sector=goods")
    page.get_by_text("이 검색 저장").click()
    page.get_by_label("검색 이름").fill("물품 조명")
    page.get_by_label("새 제품이 나오면 e-메일로 알림").check()
    page.get_by_role("button", name="저장", exact=True).click()
    page.get_by_role("heading", level=1, name="저장한 검색").wait_for()
    expect(page.get_by_text("알림 켜짐")).to_be_visible()
    web.shot("officer-saved-searches")
    page.get_by_role("link", name="물품 조명").click()
    page.wait_for_url(re.compile(r".*/search/\?q=.*sector=goods.*"))
    assert not web.errors and not visitor.errors, (web.errors, visitor.errors)

    saved = SavedSearch.objects.get(name="물품 조명")
    assert saved.alert and saved.text == "조명" and saved.filters == {"sector": "goods"}
    assert ShortlistItem.objects.get().note == "3층 사무실 200개 견적 요청"


def test_the_shared_list_on_a_phone_has_no_sideways_scroll(session_factory, catalog):
    from catalog.models import ProductListing
    from officers import shortlists

    officer = catalog.officer
    shortlist = shortlists.create_shortlist(officer, name="현장 검토")
    for listing in ProductListing.objects.all()[:3]:
        shortlists.add_item(officer, shortlist_id=shortlist.pk, listing_id=listing.pk, note="메모 " * 30)
    token = shortlists.share_shortlist(officer, shortlist_id=shortlist.pk).share_token
    phone = session_factory(PHONE)
    phone.page.goto(f"/shared/shortlists/{token}/")
    phone.page.get_by_role("heading", level=1, name="현장 검토").wait_for()
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    phone.shot("shared-shortlist-phone")
