"""The program dashboard's charts in a real browser: every figure draws on its canvas (Chart.js from our
own static files), without console errors, in Korean and in English, and fits a phone's width."""

import pytest

from tests.browser.conftest import PHONE
from tests.program.conftest import ProgramWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DRAWN = """() => Array.from(document.querySelectorAll('canvas[data-chart]')).map(canvas => {
    const chart = window.Chart && window.Chart.getChart(canvas);
    return {id: canvas.dataset.chart, drawn: !!chart && canvas.width > 0 && canvas.height > 0,
            labels: chart ? chart.data.labels : []};
})"""


def charts(page) -> list[dict]:
    page.wait_for_function("() => document.querySelectorAll('.program-figure.has-chart').length > 0")
    return page.evaluate(DRAWN)


def assert_all_drawn(page, minimum: int) -> list[dict]:
    drawn = charts(page)
    assert len(drawn) >= minimum, drawn
    assert all(chart["drawn"] for chart in drawn), drawn
    return drawn


def test_the_charts_render_in_both_languages(session_factory):
    world = ProgramWorld()
    web = session_factory()
    web.login(world.admin.username)
    page = web.page
    page.goto("/program/")
    page.get_by_role("heading", level=1, name="프로그램 현황").wait_for()
    drawn = assert_all_drawn(page, 8)
    funnel = next(chart for chart in drawn if chart["id"] == "fig-funnel-data")
    assert funnel["labels"][:2] == ["작성", "제출"]
    # the scripts come from our own static files, never a CDN
    sources = page.evaluate("() => Array.from(document.scripts).map(s => s.src).filter(Boolean)")
    assert sources and all(src.startswith(web.base_url) for src in sources)
    web.shot("program-dashboard-ko")

    page.select_option("#language-select", "en")
    page.get_by_role("heading", level=1, name="Program overview").wait_for()
    drawn = assert_all_drawn(page, 8)
    funnel = next(chart for chart in drawn if chart["id"] == "fig-funnel-data")
    assert funnel["labels"][:2] == ["Drafted", "Submitted"]
    web.shot("program-dashboard-en")

    page.goto("/program/search/")
    assert_all_drawn(page, 2)
    assert web.errors == []


def test_the_dashboard_fits_a_phone_and_public_statistics_draw(session_factory):
    world = ProgramWorld()
    phone = session_factory({"width": 375, "height": PHONE["height"]})
    phone.login(world.program_staff.username)
    page = phone.page
    page.goto("/program/")
    assert_all_drawn(page, 8)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"
    phone.shot("program-dashboard-phone")

    anonymous = session_factory()
    anonymous.page.goto("/statistics/")
    assert_all_drawn(anonymous.page, 1)
    assert phone.errors == [] and anonymous.errors == []
