"""Shortlists through the pages: an officer adds from a result card and the product page, writes notes,
shares a read-only link; the list is the owner's alone; a product that leaves the catalog stays, marked
with the reason and shown as it was when added."""

import re

import pytest
from django.urls import reverse

from catalog import services as catalog_services
from certification import services as registry
from certification.models import Certificate
from officers import shortlists
from officers.models import Shortlist, ShortlistItem
from tests.factories import bulk_listings, today_plus


def _add(world, listing, list_name="검토 1차", note=""):
    shortlist = Shortlist.objects.filter(owner=world.officer, name=list_name).first()
    if shortlist is None:
        shortlist = shortlists.create_shortlist(world.officer, name=list_name)
    shortlists.add_item(world.officer, shortlist_id=shortlist.pk, listing_id=listing.pk, note=note)
    return shortlist


def test_a_result_card_and_the_product_page_offer_the_list_to_officers_only(world):
    search = world.pages(world.officer).get("/search/?q=LED")
    add_url = reverse("web:shortlist-add", args=[world.listing_a.pk])
    assert add_url in search.content.decode()
    assert "이 검색 저장" in search.content.decode()
    product = world.pages(world.officer).get(reverse("web:product", args=[world.listing_a.pk]))
    assert add_url in product.content.decode()
    for user in (None, world.supplier_a, world.reviewer):
        page = world.pages(user).get("/search/?q=LED").content.decode()
        assert add_url not in page and "이 검색 저장" not in page


def test_officer_adds_to_a_new_list_with_a_note_and_back_to_the_results(world):
    client = world.pages(world.officer)
    url = reverse("web:shortlist-add", args=[world.listing_a.pk])
    form = client.get(url, {"next": "/search/?q=LED"})
    assert form.status_code == 200 and "새 목록 만들기" in form.content.decode()
    response = client.post(
        url,
        {
            "shortlist": "new",
            "new_name": "  조명 교체  사업 ",
            "note": "3층 사무실용",
            "next": "/search/?q=LED",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/search/?q=LED"
    item = ShortlistItem.objects.get(shortlist__owner=world.officer)
    assert item.shortlist.name == "조명 교체 사업" and item.note == "3층 사무실용"
    # a link back to another site is not followed
    response = client.post(
        reverse("web:shortlist-add", args=[world.listing_b.pk]),
        {"shortlist": str(item.shortlist_id), "note": "", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("web:shortlist", args=[item.shortlist_id])
    page = client.get(reverse("web:shortlist", args=[item.shortlist_id])).content.decode()
    assert world.listing_a.name in page and "3층 사무실용" in page and world.listing_b.name in page


def test_a_new_list_is_not_left_behind_when_the_item_is_refused(world, settings):
    settings.OFFICER_SHORTLIST_ITEMS_MAX = 0
    response = world.pages(world.officer).post(
        reverse("web:shortlist-add", args=[world.listing_a.pk]), {"shortlist": "new", "new_name": "빈 목록"}
    )
    assert response.status_code == 400 and "최대" not in response.content.decode()
    assert "목록에는 제품을 0개까지" in response.content.decode()
    assert not Shortlist.objects.filter(owner=world.officer).exists()


def test_adding_twice_the_same_product_is_a_form_error(world):
    shortlist = _add(world, world.listing_a)
    response = world.pages(world.officer).post(
        reverse("web:shortlist-add", args=[world.listing_a.pk]), {"shortlist": str(shortlist.pk)}
    )
    assert response.status_code == 400 and "이미" in response.content.decode()


def test_rename_note_remove_and_delete(world):
    shortlist = _add(world, world.listing_a)
    item = shortlist.items.get()
    client = world.pages(world.officer)
    client.post(reverse("web:shortlist-rename", args=[shortlist.pk]), {"name": "최종 후보"})
    client.post(reverse("web:shortlist-item-note", args=[item.pk]), {"note": "단가 협의 필요"})
    shortlist.refresh_from_db()
    item.refresh_from_db()
    assert shortlist.name == "최종 후보" and item.note == "단가 협의 필요"
    # a note beyond the limit is refused with a message, the old one kept
    response = client.post(
        reverse("web:shortlist-item-note", args=[item.pk]), {"note": "가" * 1001}, follow=True
    )
    assert "메모" in response.content.decode()
    item.refresh_from_db()
    assert item.note == "단가 협의 필요"
    client.post(reverse("web:shortlist-item-remove", args=[item.pk]))
    assert not shortlist.items.exists()
    client.post(reverse("web:shortlist-delete", args=[shortlist.pk]))
    assert not Shortlist.objects.filter(pk=shortlist.pk).exists()


def test_the_bound_on_lists_is_a_clear_form_error(world, settings):
    settings.OFFICER_SHORTLISTS_MAX = 1
    client = world.pages(world.officer)
    assert client.post(reverse("web:shortlists"), {"name": "하나"}).status_code == 302
    response = client.post(reverse("web:shortlists"), {"name": "둘"})
    assert response.status_code == 400 and "관심 목록은 1개까지" in response.content.decode()


@pytest.mark.parametrize("who", ["other_officer", "admin"])
def test_another_officers_list_is_not_found(world, who):
    shortlist = _add(world, world.listing_a)
    item = shortlist.items.get()
    client = world.pages(getattr(world, who))
    for name, target in [
        ("web:shortlist", shortlist.pk),
    ]:
        assert client.get(reverse(name, args=[target])).status_code == 404
    for name, target in [
        ("web:shortlist-rename", shortlist.pk),
        ("web:shortlist-delete", shortlist.pk),
        ("web:shortlist-share", shortlist.pk),
        ("web:shortlist-unshare", shortlist.pk),
        ("web:shortlist-item-note", item.pk),
        ("web:shortlist-item-remove", item.pk),
    ]:
        assert client.post(reverse(name, args=[target]), {"name": "x", "note": "x"}).status_code == 404
    # and nothing changed
    shortlist.refresh_from_db()
    assert shortlist.name == "검토 1차" and shortlist.share_token is None and shortlist.items.count() == 1
    # adding into another officer's list: the choice is not one of theirs
    response = client.post(
        reverse("web:shortlist-add", args=[world.listing_b.pk]), {"shortlist": str(shortlist.pk)}
    )
    assert response.status_code == 400 and shortlist.items.count() == 1


def test_suppliers_reviewers_and_anonymous_visitors_keep_no_lists(world):
    shortlist = _add(world, world.listing_a)
    urls = [
        reverse("web:shortlists"),
        reverse("web:shortlist", args=[shortlist.pk]),
        reverse("web:shortlist-add", args=[world.listing_a.pk]),
        reverse("web:saved-searches"),
    ]
    for url in urls:
        assert world.pages(world.supplier_a).get(url).status_code == 403
        assert world.pages(world.reviewer).get(url).status_code == 403
        assert world.pages().get(url).status_code == 302  # to sign in


def test_shared_link_is_read_only_public_and_revocable(world):
    shortlist = _add(world, world.listing_a, note="동료 검토용 메모")
    client = world.pages(world.officer)
    client.post(reverse("web:shortlist-share", args=[shortlist.pk]))
    shortlist.refresh_from_db()
    token = shortlist.share_token
    assert token and len(token) >= 43
    owner_page = client.get(reverse("web:shortlist", args=[shortlist.pk])).content.decode()
    shared_url = reverse("web:shortlist-shared", args=[token])
    assert shared_url in owner_page

    response = world.pages().get(shared_url)
    page = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert world.listing_a.name in page and "동료 검토용 메모" in page
    assert reverse("web:product", args=[world.listing_a.pk]) in page
    # read-only: no form of the owner's, and nothing private of the supplier
    assert 'action="/shortlists/' not in page and 'name="note"' not in page
    for private in (
        world.company_a.representative,
        world.company_a.contact_email,
        world.company_a.contact_phone,
    ):
        if private:
            assert private not in page

    # sharing again keeps the link; revoking ends it at once; sharing anew makes a new one
    client.post(reverse("web:shortlist-share", args=[shortlist.pk]))
    shortlist.refresh_from_db()
    assert shortlist.share_token == token
    client.post(reverse("web:shortlist-unshare", args=[shortlist.pk]))
    assert world.pages().get(shared_url).status_code == 404
    client.post(reverse("web:shortlist-share", args=[shortlist.pk]))
    shortlist.refresh_from_db()
    assert shortlist.share_token and shortlist.share_token != token
    assert world.pages().get(shared_url).status_code == 404
    assert world.pages().get(reverse("web:shortlist-shared", args=["x" * 43])).status_code == 404


def _delist(world, how: str):
    listing = world.listing_a
    if how == "suspended":
        registry.suspend_certificate(world.reviewer, certificate_id=world.cert_a.pk, reason="품질 점검")
    elif how == "revoked":
        registry.revoke_certificate(world.reviewer, certificate_id=world.cert_a.pk, reason="허위 서류")
    elif how == "expired":
        Certificate.objects.filter(pk=world.cert_a.pk).update(expires_on=today_plus(-1))
    elif how == "unpublished":
        catalog_services.update_listing(world.supplier_a, listing_id=listing.pk, published=False)
    elif how == "deleted":
        catalog_services.delete_listing(world.supplier_a, listing_id=listing.pk)


@pytest.mark.parametrize(
    ("how", "label"),
    [
        ("suspended", "인증 정지"),
        ("revoked", "인증 취소"),
        ("unpublished", "게시 중지"),
        ("deleted", "삭제됨"),
    ],
)
def test_a_product_that_leaves_the_catalog_stays_marked_with_the_reason(world, how, label):
    shortlist = _add(world, world.listing_a, note="메모")
    shortlists.share_shortlist(world.officer, shortlist_id=shortlist.pk)
    shortlist.refresh_from_db()
    _delist(world, how)
    if how == "unpublished":
        # what the supplier changes while the product is out of the catalog is private: the list keeps
        # the name it had
        catalog_services.update_listing(
            world.supplier_a, listing_id=world.listing_a.pk, name="비공개 새 이름"
        )
    for page in (
        world.pages(world.officer).get(reverse("web:shortlist", args=[shortlist.pk])).content.decode(),
        world.pages().get(reverse("web:shortlist-shared", args=[shortlist.share_token])).content.decode(),
    ):
        assert "고효율 LED 평판조명" in page and label in page and "목록에서 내려감" in page
        assert "비공개 새 이름" not in page
        # no price and no link to a page that is gone
        assert reverse("web:product", args=[world.listing_a.pk]) not in page
    item = ShortlistItem.objects.get(shortlist=shortlist)
    assert item.listing_ref == world.listing_a.pk


def test_a_listed_product_shows_its_current_public_face(world):
    shortlist = _add(world, world.listing_a)
    catalog_services.update_listing(world.supplier_a, listing_id=world.listing_a.pk, unit_price=123_456)
    page = world.pages(world.officer).get(reverse("web:shortlist", args=[shortlist.pk])).content.decode()
    assert re.search(r"123,456", page) and "목록에서 내려감" not in page


def _fill(world, shortlist, count: int) -> None:
    ids = bulk_listings(world.listing_a, count)
    for listing_id in ids:
        shortlists.add_item(world.officer, shortlist_id=shortlist.pk, listing_id=listing_id)


def test_list_pages_take_the_same_number_of_queries_for_1_or_20_items(world, django_assert_num_queries):
    small = _add(world, world.listing_a, list_name="작은 목록")
    large = shortlists.create_shortlist(world.officer, name="큰 목록")
    _fill(world, large, 20)
    shortlists.share_shortlist(world.officer, shortlist_id=small.pk)
    shortlists.share_shortlist(world.officer, shortlist_id=large.pk)
    small.refresh_from_db()
    large.refresh_from_db()
    client = world.pages(world.officer)
    anonymous = world.pages()
    client.get(reverse("web:shortlists"))  # session warm-up

    def counted(client, url) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        # the anonymous rate limit's counter (a database cache here) is not the page's own reading
        return len(
            [query for query in queries if "cache" not in query["sql"] and "SAVEPOINT" not in query["sql"]]
        )

    for view in ("web:shortlist",):
        assert counted(client, reverse(view, args=[small.pk])) == counted(
            client, reverse(view, args=[large.pk])
        )
    assert counted(anonymous, reverse("web:shortlist-shared", args=[small.share_token])) == counted(
        anonymous, reverse("web:shortlist-shared", args=[large.share_token])
    )
    # the items: one query for the list and one for its items with their products, whatever their number
    assert counted(anonymous, reverse("web:shortlist-shared", args=[large.share_token])) == 2
    two_lists = counted(client, reverse("web:shortlists"))
    for name in ("셋", "넷", "다섯"):
        _fill(world, shortlists.create_shortlist(world.officer, name=name), 2)
    assert counted(client, reverse("web:shortlists")) == two_lists
