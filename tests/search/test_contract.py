"""The search contract, run against every backend: same catalog, same queries, same answers."""

import pytest
from django.db import transaction

from catalog import services as catalog_services
from certification import services as certification_services
from search import sync
from search.backends.base import MAX_RESULT_WINDOW, InvalidQuery, SearchQuery, SortOrder
from search.models import IndexOutbox
from tests.factories import today_plus
from tests.search.conftest import HOSTILE_INPUTS, expire_soon, ids, run, sync_now, travel_to

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------------ text
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("협력제품", ["panel"]),  # inside 상생협력제품을 in the description
        ("상생 협력", ["panel"]),
        ("상생협력제품", ["panel"]),
        ("공기청정기", ["purifier"]),
        ("청정기", ["purifier"]),
        ("공기청정기를", ["purifier"]),  # particle dropped
        ("LED 조명", ["panel"]),  # 가로등 has LED but no 조명
        ("평판조명", ["panel"]),
        ("평판 조명", ["panel"]),
        ("가정용", ["purifier"]),
        ("유지관리", ["maintenance"]),
        ("실내건축", ["interior"]),
        ("미세먼지", ["purifier"]),
    ],
)
def test_korean_queries(backend, indexed, text, expected):
    assert set(ids(run(backend, text))) == {getattr(indexed, name).pk for name in expected}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LED", ["panel", "street"]),
        ("led", ["panel", "street"]),
        ("ＬＥＤ", ["panel", "street"]),  # full-width, as some IMEs type it
        ("air purifier", ["purifier"]),
        ("HEPA", ["purifier"]),
        ("flat panel", ["panel"]),
    ],
)
def test_english_queries(backend, indexed, text, expected):
    assert set(ids(run(backend, text))) == {getattr(indexed, name).pk for name in expected}


def test_identifiers_match_verbatim(backend, indexed):
    assert set(ids(run(backend, indexed.air_cert.number))) == {indexed.purifier.pk}
    assert set(ids(run(backend, "4016150501"))) == {indexed.purifier.pk}


def test_company_names_are_searchable(backend, indexed):
    assert set(ids(run(backend, "청정에어"))) == {indexed.purifier.pk}
    assert set(ids(run(backend, "대한전자"))) == {indexed.panel.pk, indexed.street.pk, indexed.maintenance.pk}


def test_no_match_and_empty_query(backend, indexed):
    assert run(backend, "냉장고").total == 0
    everything = run(backend, "")
    assert everything.total == 5
    assert {hit.id for hit in everything.hits} == {listing.pk for listing in indexed.all}


def test_name_outranks_description(backend, indexed):
    # 유지관리 is in the services listing's name; a description-only match must rank lower
    catalog_services.update_listing(
        indexed.lighting_user, listing_id=indexed.street.pk, description="유지관리 쉬운 가로등"
    )
    sync_now(backend)
    result = run(backend, "유지관리")
    assert ids(result) == [indexed.maintenance.pk, indexed.street.pk]


def test_latin_typos_are_tolerated(backend, indexed):
    # both backends correct a word against their vocabulary (search.plan)
    assert indexed.purifier.pk in ids(run(backend, "purifer"))
    assert indexed.purifier.pk in ids(run(backend, "HEPPA"))


# --------------------------------------------------------------------------------- filters
def test_filters(backend, indexed):
    c = indexed
    assert set(ids(run(backend, sector="services"))) == {c.maintenance.pk}
    assert set(ids(run(backend, classification="39"))) == {c.panel.pk, c.street.pk}
    assert set(ids(run(backend, classification="4016"))) == {c.purifier.pk}
    assert set(ids(run(backend, classification="CS02"))) == {c.interior.pk}
    assert set(ids(run(backend, region="11"))) == {c.panel.pk, c.purifier.pk}
    assert set(ids(run(backend, region="41"))) == {c.panel.pk, c.interior.pk}
    assert set(ids(run(backend, supplier_id=c.lighting.pk))) == {c.panel.pk, c.street.pk}
    assert set(ids(run(backend, partner_id=c.partner_b.pk))) == {c.purifier.pk, c.interior.pk}
    assert set(ids(run(backend, price_min=400_000, price_max=1_000_000))) == {c.street.pk, c.purifier.pk}
    assert set(ids(run(backend, "LED", region="26"))) == {c.street.pk}
    assert run(backend, "공기청정기", sector="construction").total == 0


def test_expiring_soon_filter_and_facet(backend, indexed):
    expire_soon(indexed.air_cert, days=30)
    sync.enqueue([indexed.purifier.pk])  # as a renewal or correction would announce it
    sync_now(backend)
    result = run(backend)
    assert result.expiring_soon == 1
    assert ids(run(backend, expiring_soon=True)) == [indexed.purifier.pk]
    assert indexed.purifier.pk not in ids(run(backend, expiring_soon=False))


# ---------------------------------------------------------------------------------- facets
def _facet(result, name):
    return {bucket.value: bucket.count for bucket in result.facets[name]}


def test_facet_counts(backend, indexed):
    c = indexed
    result = run(backend)
    assert _facet(result, "sector") == {"goods": 3, "services": 1, "construction": 1}
    assert _facet(result, "region") == {"11": 2, "41": 2, "26": 1, "30": 1}
    assert _facet(result, "classification_segment") == {"39": 2, "40": 1, "81": 1, "CS02": 1}
    assert _facet(result, "classification_family") == {"3911": 2, "4016": 1, "8111": 1, "CS02": 1}
    assert _facet(result, "supplier")[str(c.lighting.pk)] == 2
    assert _facet(result, "partner") == {str(c.partner.pk): 3, str(c.partner_b.pk): 2}
    assert _facet(result, "price") == {
        "lt_100k": 0,
        "100k_1m": 3,
        "1m_10m": 1,
        "10m_100m": 0,
        "gte_100m": 1,
    }
    assert result.expiring_soon == 0
    labels = {bucket.value: bucket.label for bucket in result.facets["supplier"]}
    assert labels[str(c.lighting.pk)] == "한빛전기"
    assert {b.value: b.label for b in result.facets["sector"]}["goods"].startswith("물품")
    segments = {b.value: b.label for b in result.facets["classification_segment"]}
    assert segments["CS02"] == "실내건축공사업"
    assert segments["39"] == "전기·조명"
    assert {b.value: b.label for b in result.facets["region"]}["11"] == "서울특별시"


def test_facets_follow_the_query(backend, indexed):
    result = run(backend, "LED")
    assert result.total == 2
    assert _facet(result, "sector") == {"goods": 2}
    assert _facet(result, "region") == {"11": 1, "41": 1, "26": 1}


FAMILIES_OF_GOODS = {"3911": 2, "4016": 1}
REGIONS_OF_GOODS = {"11": 2, "26": 1, "41": 1}
PRICES_OF_GOODS = {"lt_100k": 0, "100k_1m": 3, "1m_10m": 0, "10m_100m": 0, "gte_100m": 0}


def test_facets_of_one_sector_alone(backend, indexed):
    """Browsing one sector (the database backend on PostgreSQL reads it from the per-sector summary,
    migration 0014): the facets of that sector's rows only, equal on every backend."""
    for sort in (SortOrder.RELEVANCE, SortOrder.PRICE_ASC):
        result = run(backend, sector="goods", sort=sort)
        assert result.total == 3 and len(result.hits) == 3
        assert _facet(result, "sector") == {"goods": 3}
        assert _facet(result, "classification_segment") == {"39": 2, "40": 1}
        assert _facet(result, "classification_family") == FAMILIES_OF_GOODS
        assert _facet(result, "region") == REGIONS_OF_GOODS
        assert _facet(result, "partner") == {str(indexed.partner.pk): 2, str(indexed.partner_b.pk): 1}
        assert sorted(_facet(result, "supplier").values()) == [1, 2]
        assert result.expiring_soon == 0
        assert _facet(result, "price") == PRICES_OF_GOODS
    assert run(backend, sector="nothing").total == 0


# ----------------------------------------------------------------------- sorting and paging
def test_sorting(backend, indexed):
    c = indexed
    by_price = [c.panel.pk, c.purifier.pk, c.street.pk, c.maintenance.pk, c.interior.pk]
    assert ids(run(backend, sort=SortOrder.PRICE_ASC)) == by_price
    assert ids(run(backend, sort=SortOrder.PRICE_DESC)) == by_price[::-1]
    newest = sorted(c.all, key=lambda listing: (listing.created_at, listing.pk), reverse=True)
    assert ids(run(backend, sort=SortOrder.NEWEST)) == [listing.pk for listing in newest]


@pytest.mark.parametrize("sort", SortOrder.CHOICES)
def test_page_and_cursor_paging_cover_everything_once(backend, indexed, sort):
    expected = ids(run(backend, sort=sort, page_size=100))
    pages = [ids(run(backend, sort=sort, page=page, page_size=2)) for page in (1, 2, 3)]
    assert [pk for page in pages for pk in page] == expected
    seen, cursor = [], None
    for _ in range(5):
        result = run(backend, sort=sort, page_size=2, search_after=cursor)
        seen += ids(result)
        cursor = result.next_cursor
        if cursor is None:
            break
    assert seen == expected


def test_cursor_with_text_query(backend, indexed):
    first = run(backend, "LED", page_size=1)
    assert first.total == 2 and first.next_cursor
    second = run(backend, "LED", page_size=1, search_after=first.next_cursor)
    assert second.next_cursor is None
    assert set(ids(first) + ids(second)) == {indexed.panel.pk, indexed.street.pk}


def test_bad_paging_is_invalid(backend, indexed):
    for cursor in [
        "garbage",
        "e30",
        "eyJiIjoieCJ9",
        "%%%",
        "eyJiIjogImRhdGFiYXNlIiwgInMiOiAicmVsZXZhbmNlIiwgInYiOiBbXX0",
    ]:
        with pytest.raises(InvalidQuery):
            run(backend, search_after=cursor)
    other_sort = run(backend, sort=SortOrder.PRICE_ASC, page_size=1).next_cursor
    with pytest.raises(InvalidQuery):
        run(backend, sort=SortOrder.NEWEST, search_after=other_sort)
    with pytest.raises(InvalidQuery):
        SearchQuery(page=MAX_RESULT_WINDOW, page_size=2)
    with pytest.raises(InvalidQuery):
        SearchQuery(page_size=101)


# ---------------------------------------------------------------------- highlights, suggest
def test_highlights_mark_the_words_the_user_reads(backend, indexed):
    hit = next(h for h in run(backend, "협력제품").hits if h.id == indexed.panel.pk)
    assert "상생<em>협력제품</em>을" in hit.highlights["description"]
    hit = run(backend, "공기청정기").hits[0]
    assert hit.highlights["name"] == "가정용 <em>공기청정기</em>"
    hit = next(h for h in run(backend, "LED").hits if h.id == indexed.panel.pk)
    assert hit.highlights["name"] == "고효율 <em>LED</em> 평판조명"
    assert "<em>LED</em>" in hit.highlights["specification"]


def test_highlights_escape_html(backend, indexed):
    catalog_services.update_listing(
        indexed.air_user, listing_id=indexed.purifier.pk, description="<script>alert(1)</script> 공기청정기"
    )
    sync_now(backend)
    hit = run(backend, "공기청정기").hits[0]
    assert "<script>" not in hit.highlights["description"]
    assert "&lt;script&gt;" in hit.highlights["description"]


def test_suggest(backend, indexed):
    assert backend.suggest("공기") == ["가정용 공기청정기"]
    assert backend.suggest("청정") == ["가정용 공기청정기"]
    assert set(backend.suggest("LED")) == {"LED 가로등", "고효율 LED 평판조명"}
    assert backend.suggest("가정용 공") == ["가정용 공기청정기"]
    assert backend.suggest("") == []
    assert backend.suggest("냉장") == []
    assert len(backend.suggest("LED", limit=1)) == 1


# ------------------------------------------------------------------- keeping in step (outbox)
def test_edits_reach_the_index(backend, indexed):
    catalog_services.update_listing(indexed.air_user, listing_id=indexed.purifier.pk, name="업소용 제습기")
    assert IndexOutbox.objects.exists()
    sync_now(backend)
    assert ids(run(backend, "제습기")) == [indexed.purifier.pk]
    assert run(backend, "가정용").total == 0
    assert not IndexOutbox.objects.exists()


def test_company_rename_reaches_the_index(backend, indexed):
    certification_services.update_company(indexed.air_user, company_id=indexed.air.pk, name="맑은공기")
    sync_now(backend)
    assert ids(run(backend, "맑은공기")) == [indexed.purifier.pk]
    hit = run(backend, "공기청정기").hits[0]
    assert hit.supplier_name == "맑은공기"


def test_new_and_deleted_listings(backend, indexed):
    from tests.factories import make_listing

    extra = make_listing(indexed.lighting_user, indexed.led_cert, name="LED 투광등", unit_price=300_000)
    sync_now(backend)
    assert extra.pk in ids(run(backend, "투광등"))
    catalog_services.delete_listing(indexed.lighting_user, listing_id=extra.pk)
    sync_now(backend)
    assert run(backend, "투광등").total == 0
    assert backend.count() == 5


@pytest.mark.parametrize("action", ["revoke", "suspend"])
def test_delisting_on_certificate_status(backend, indexed, action):
    getattr(certification_services, f"{action}_certificate")(
        indexed.reviewer, certificate_id=indexed.led_cert.pk, reason="품질 위반"
    )
    sync_now(backend)
    assert run(backend, "LED").total == 0
    assert backend.count() == 3
    assert "LED 가로등" not in backend.suggest("LED")
    if action == "suspend":
        certification_services.reinstate_certificate(
            indexed.reviewer, certificate_id=indexed.led_cert.pk, reason="시정 완료"
        )
        sync_now(backend)
        assert run(backend, "LED").total == 2


def test_expiry_by_date_hides_without_any_write(backend, indexed, monkeypatch):
    # the air purifier's certificate ends in 10 days (announced, so the index knows the date) …
    expire_soon(indexed.air_cert, days=10)
    sync.enqueue([indexed.purifier.pk])
    sync_now(backend)
    assert run(backend, "공기청정기").total == 1
    # … then the calendar passes it: no status change, no signal, no outbox row, no index write
    travel_to(monkeypatch, today_plus(11))
    assert not IndexOutbox.objects.exists()
    assert run(backend, "공기청정기").total == 0
    assert backend.suggest("공기") == []
    assert run(backend).total == 4
    assert sum(bucket.count for bucket in run(backend).facets["sector"]) == 4
    # the scheduled job then marks it expired, and the outbox removes it from the index for good
    certification_services.expire_due_certificates()
    sync_now(backend)
    assert backend.count() == 4


def test_unpublish_delists(backend, indexed):
    catalog_services.update_listing(indexed.lighting_user, listing_id=indexed.street.pk, published=False)
    sync_now(backend)
    assert ids(run(backend, "LED")) == [indexed.panel.pk]


def test_rolled_back_changes_index_nothing(backend, indexed):
    before = ids(run(backend, "공기청정기"))
    with pytest.raises(RuntimeError), transaction.atomic():
        catalog_services.update_listing(
            indexed.air_user, listing_id=indexed.purifier.pk, name="업소용 제습기"
        )
        assert IndexOutbox.objects.count() == 1
        raise RuntimeError("boom")
    assert not IndexOutbox.objects.exists()
    sync_now(backend)
    assert ids(run(backend, "공기청정기")) == before
    assert run(backend, "제습기").total == 0


def test_index_and_delete_contract(backend, indexed):
    backend.delete([indexed.panel.pk])
    backend.refresh()
    assert indexed.panel.pk not in ids(run(backend, "LED"))
    stats = backend.index([indexed.panel.pk, 999_999])
    backend.refresh()
    assert stats.indexed == 1
    assert indexed.panel.pk in ids(run(backend, "LED"))
    assert sorted(backend.iter_ids()) == sorted(listing.pk for listing in indexed.all)


# ---------------------------------------------------------------------------------- rebuild
def test_rebuild_while_searching(backend, indexed):
    before = run(backend, "LED")
    status_before = backend.status()
    during = []

    def progress(step):
        # mid-rebuild the live index must still answer in full
        if not during:
            during.append(run(backend, "LED").total)

    stats = sync.rebuild(backend, progress=progress)
    assert stats.indexed == 5
    assert during == [2]
    after = run(backend, "LED")
    assert ids(after) == ids(before)
    if backend.name == "elasticsearch":
        from search.es_client import get_client

        status_after = backend.status()
        assert status_after["alias_targets"] == [stats.index]
        assert status_before["alias_targets"] != status_after["alias_targets"]
        assert stats.removed_indices == status_before["alias_targets"]
        assert not get_client().indices.exists(index=status_before["alias_targets"][0])
    assert backend.count() == 5


def test_rebuild_catches_up_with_changes_during_it(backend, indexed):
    def progress(step):
        if progress.calls == 0:  # a revocation lands after the snapshot was read
            certification_services.revoke_certificate(
                indexed.reviewer, certificate_id=indexed.air_cert.pk, reason="위반"
            )
        progress.calls += 1

    progress.calls = 0
    sync.rebuild(backend, progress=progress)
    assert run(backend, "공기청정기").total == 0
    assert sorted(backend.iter_ids()) == sorted(
        listing.pk for listing in indexed.all if listing.pk != indexed.purifier.pk
    )


@pytest.mark.parametrize("backend", ["elasticsearch"], indirect=True)
def test_rebuilding_a_backend_that_is_not_the_configured_one_still_catches_up(backend, indexed, settings):
    settings.SEARCH_BACKEND = "database"  # e.g. preparing Elasticsearch before switching to it

    def progress(step):
        if progress.calls == 0:
            certification_services.revoke_certificate(
                indexed.reviewer, certificate_id=indexed.air_cert.pk, reason="위반"
            )
        progress.calls += 1

    progress.calls = 0
    sync.rebuild(backend, progress=progress)
    assert indexed.purifier.pk not in set(backend.iter_ids())


# ---------------------------------------------------------------------------------- hostile


@pytest.mark.parametrize("text", HOSTILE_INPUTS)
def test_hostile_queries_never_crash(backend, indexed, text):
    result = run(backend, text)
    assert result.total >= 0
    backend.suggest(text)
