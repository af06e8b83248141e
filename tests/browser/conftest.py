"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

Needs the pip package ``playwright`` (no ``playwright install``: we launch the system browser) and the
Debian package ``chromium`` (``CHROMIUM_PATH`` overrides /usr/bin/chromium). Without them these tests
skip, or fail under REQUIRE_SERVICES=1. Screenshots go to test-output/screenshots/.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches

from certification.roles import Role
from tests.conftest import missing_service
from tests.factories import PASSWORD, make_listing, make_user

# real Celery workers for the export progress journey (fixtures, shared with tests/jobs)
from tests.jobs.conftest import broker, on_postgresql, redis_url, start_worker  # noqa: F401
from tests.worlds import World

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-output" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives a real browser (Playwright + Chromium)")


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        missing_service("the Python package playwright is not installed (pip install playwright)")
    if not (os.path.exists(CHROMIUM_PATH) or shutil.which(CHROMIUM_PATH)):
        missing_service(f"Chromium not found at {CHROMIUM_PATH} (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
    # synchronous and safe, so tell Django not to refuse them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    manager = sync_playwright().start()
    try:
        try:
            chromium = manager.chromium.launch(
                executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
            )
        except Error as exc:
            missing_service(f"Chromium at {CHROMIUM_PATH} does not start: {exc}")
        yield chromium
        chromium.close()
    finally:
        manager.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Session:
    """One browser context (Korean, desktop or phone size) against the live server."""

    def __init__(self, browser, base_url: str, viewport=DESKTOP):
        self.base_url = base_url
        self.context = browser.new_context(
            viewport=viewport, locale="ko-KR", accept_downloads=True, base_url=base_url
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.accept()

    def login(self, username: str, password: str = PASSWORD) -> None:
        self.page.goto("/accounts/login/")
        self.page.get_by_label("아이디").fill(username)
        self.page.get_by_label("비밀번호").fill(password)
        self.page.get_by_role("button", name="로그인").click()
        self.page.wait_for_url(re.compile(r"^(?!.*accounts/login).*$"))

    def logout(self) -> None:
        self.page.get_by_role("button", name="로그아웃").click()
        self.page.wait_for_url(re.compile(r".*/accounts/login/.*"))

    def shot(self, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session_factory(browser, live_server):
    # Sign-in budgets (core.throttling) count per client address in the shared cache, which outlives each
    # test's database flush: every browser signs in from 127.0.0.1, so a journey signing in seven people
    # right after other journeys would be refused by the limit it is not testing.
    caches[settings.THROTTLE_CACHE].clear()
    sessions: list[Session] = []

    def make(viewport=DESKTOP) -> Session:
        session = Session(browser, live_server.url, viewport)
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        session.close()


@pytest.fixture
def web(session_factory) -> Session:
    return session_factory()


class BrowserWorld(World):
    """A small listed catalog in two sectors (supplier A's goods, supplier B's services), one product
    named like a script, built through the services (index sync on commit); three evaluators and one
    tied to the partner."""

    def __init__(self) -> None:
        super().__init__()
        goods_cert = self.certificate(self.supplier_a, "goods")
        services_cert = self.certificate(self.supplier_b, "services")
        make_listing(self.supplier_a, goods_cert, name="LED 평판조명", description="사무실용 절전 조명")
        make_listing(
            self.supplier_a, goods_cert, name="LED 투광조명", specification="FL-200, 200W", unit_price=480_000
        )
        make_listing(
            self.supplier_b,
            services_cert,
            name="조명 설비 유지관리 용역",
            keywords="조명,유지관리",
            unit_price=2_500_000,
        )
        make_listing(self.supplier_a, goods_cert, name="<script>alert('xss')</script> 조명 스탠드")
        # the panel journey's evaluators, and one who works at the partner: a conflict on its panels
        self.evaluators = [make_user(Role.EVALUATOR, username=f"evaluator{n}") for n in (1, 2, 3)]
        self.tied_evaluator = make_user(Role.EVALUATOR, self.partner, username="evaluator-tied")


@pytest.fixture
def catalog(media_in_tmp, settings) -> BrowserWorld:
    settings.SEARCH_BACKEND = "database"
    return BrowserWorld()
