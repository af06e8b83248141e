"""Fixtures for the search contract suite: every backend, the same catalog, the same expectations."""

import pytest
from django.conf import settings as django_settings

from catalog.generator.bulk import load_catalog
from catalog.models import ProductListing
from certification.models import Certificate, Company
from certification.roles import Role
from search import sync
from search.backends import get_backend
from search.backends.base import SearchBackend, SearchFilters, SearchQuery, SearchResult
from tests.factories import make_certificate, make_company, make_listing, make_user, today_plus
from tests.worlds import World

BACKENDS = ["database", "elasticsearch"]

HOSTILE_INPUTS = [
    '"',
    "*",
    "{",
    "}",
    "[",
    "\\",
    "/",
    "~",
    "a:b",
    "(((",
    "LED AND OR NOT",
    "' OR 1=1 --",
    "'; DROP TABLE search_searchentry; --",
    "%",
    "_",
    "😀",
    "😀 공기청정기 🚀",
    "x" * 5000,
    "공기청정기" * 1000,
    "조명 " * 400,
    "\u200b\u200b",
    "<script>alert(1)</script>",
    "name:LED^10",
]


def _drop_es_indices(prefix: str) -> None:
    from search.es_client import get_client

    get_client().indices.delete(index=f"{prefix}-products*", ignore_unavailable=True, allow_no_indices=True)


@pytest.fixture(params=BACKENDS)
def backend(request, settings) -> SearchBackend:
    """A backend with an empty live index of its own; the ES one fails under REQUIRE_SERVICES=1 when down."""
    settings.SEARCH_BACKEND = request.param
    settings.SEARCH_FALLBACK_TO_DATABASE = False
    settings.SEARCH_SYNC_ON_COMMIT = False  # tests drain explicitly, for both backends alike
    if request.param == "elasticsearch":
        request.getfixturevalue("es_client")
        settings.ELASTICSEARCH_INDEX_PREFIX = request.getfixturevalue("es_index_name")
    search_backend = get_backend()
    search_backend.ensure()
    yield search_backend
    if request.param == "elasticsearch":
        _drop_es_indices(django_settings.ELASTICSEARCH_INDEX_PREFIX)


def generated_database(settings, *, size: int, seed: int) -> SearchBackend:
    """The database backend alone over a freshly generated catalog of ``size`` listings, rebuilt."""
    settings.SEARCH_BACKEND = "database"
    settings.SEARCH_FALLBACK_TO_DATABASE = False
    backend = get_backend("database")
    load_catalog(size=size, seed=seed)
    sync.rebuild(backend)
    return backend


def sync_now(backend: SearchBackend) -> sync.DrainStats:
    stats = sync.drain()
    assert stats.ok, stats.error
    backend.refresh()
    return stats


def run(backend: SearchBackend, text: str = "", **kwargs) -> SearchResult:
    filters = {key: kwargs.pop(key) for key in list(kwargs) if key in SearchFilters.__dataclass_fields__}
    return backend.search(SearchQuery(text=text, filters=SearchFilters(**filters), **kwargs))


def ids(result: SearchResult) -> list[int]:
    return [hit.id for hit in result.hits]


class Catalog(World):
    """Four suppliers' five listings in every sector under two partner enterprises (the shared partner
    and 미래가전): enough for ranking, facets and filters to tell results apart. The shared suppliers A and
    B list nothing here."""

    def __init__(self) -> None:
        super().__init__()
        self.partner_b = make_company("미래가전", size="large")
        self.lighting, self.lighting_user, self.led_cert = self._supplier(
            "한빛전기", self.partner, classification_code="3911160501"
        )
        self.air, self.air_user, self.air_cert = self._supplier(
            "청정에어", self.partner_b, classification_code="4016150501", product_name="공기청정기"
        )
        self.it, it_user, self.it_cert = self._supplier(
            "누리소프트", self.partner, "services", classification_code="8111180001", product_name="유지관리"
        )
        self.builder, build_user, self.build_cert = self._supplier(
            "바른건설", self.partner_b, "construction", product_name="실내건축"
        )
        self.panel = self._listing(
            self.lighting_user,
            self.led_cert,
            regions=("11", "41"),
            name="고효율 LED 평판조명",
            name_en="High-efficiency LED flat panel light",
            specification="LED-PL-640, 40W, 640x640mm",
            unit_price=125_000,
            description="대기업과 공동개발한 상생협력제품을 공공기관에 납품합니다.",
            keywords="LED,조명,절전",
        )
        self.street = self._listing(
            self.lighting_user,
            self.led_cert,
            regions=("26",),
            name="LED 가로등",
            specification="LED-ST-120, 120W",
            unit_price=850_000,
            description="도로용 가로등 기구",
            keywords="LED,가로등",
        )
        self.purifier = self._listing(
            self.air_user,
            self.air_cert,
            regions=("11",),
            name="가정용 공기청정기",
            name_en="Home air purifier",
            specification="AP-300 Air Purifier, HEPA H13",
            unit_price=450_000,
            description="미세먼지를 제거하는 HEPA 필터 장착",
            keywords="공기청정기,미세먼지",
        )
        # the services and construction listings keep their sector's default name (listing_fields)
        self.maintenance = self._listing(
            it_user,
            self.it_cert,
            regions=("30",),
            unit_price=3_000_000,
            keywords="유지보수,점검",
            description="정보시스템 유지관리 용역",
        )
        self.interior = self._listing(
            build_user,
            self.build_cert,
            regions=("41",),
            unit_price=150_000_000,
            keywords="리모델링",
            description="학교 교실 리모델링",
        )

    def _supplier(self, name: str, partner: Company, sector: str = "goods", **application):
        """A supplier company, its user and its certificate with ``partner``."""
        company = make_company(name)
        user = make_user(Role.SUPPLIER, company)
        return company, user, make_certificate(user, partner, self.reviewer, sector, **application)

    @staticmethod
    def _listing(user, certificate: Certificate, **fields) -> ProductListing:
        """Every catalog product is made by its supplier."""
        return make_listing(user, certificate, manufacturer=certificate.supplier.name, **fields)

    @property
    def all(self) -> list[ProductListing]:
        return [self.panel, self.street, self.purifier, self.maintenance, self.interior]


@pytest.fixture
def catalog(db) -> Catalog:
    return Catalog()


@pytest.fixture
def indexed(backend, catalog) -> Catalog:
    """The catalog, drained into the backend through the outbox (the production path)."""
    sync_now(backend)
    return catalog


def expire_soon(certificate: Certificate, days: int = 30) -> None:
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=today_plus(days))


def travel_to(monkeypatch, day) -> None:
    """Let the calendar move on: everything that asks for today's date (visibility rule, backends) sees ``day``."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
