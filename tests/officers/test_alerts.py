"""Saved searches and their daily alert: a new matching product reaches the officer once, by one e-mail
through the outbox (real SMTP), with a link to it; running the job again sends nothing new."""

from urllib.parse import urlsplit

from django.urls import reverse

from catalog import services as catalog_services
from notifications.kinds import Kind
from notifications.models import EmailDelivery, Notification, Preference
from officers import saved_searches, tasks
from officers.models import SavedSearch, SavedSearchMatch
from tests.conftest import dead_url
from tests.factories import make_listing


def _save_on_the_page(world, name="LED 조명", query="q=LED&sort=price_asc", alert=True):
    response = world.pages(world.officer).post(
        reverse("web:saved-searches"), {"name": name, "query": query, **({"alert": "on"} if alert else {})}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return SavedSearch.objects.get(owner=world.officer, name=name)


def _new_led(world, name="LED 투광등 신제품", **fields):
    listing = make_listing(world.supplier_a, world.cert_a, name=name, **fields)
    world.reindex()
    return listing


def _run(committed):
    with committed():
        return tasks.send_saved_search_alerts.delay().get()


def test_saving_from_the_search_page_keeps_the_query_and_runs_it_again(world):
    saved = _save_on_the_page(world, query="q=LED&region=11&price=&page=3&sort=price_asc", alert=False)
    assert saved.text == "LED" and saved.filters == {"region": "11"} and saved.sort == "price_asc"
    run = world.pages(world.officer).get(reverse("web:saved-search-run", args=[saved.pk]))
    assert run.status_code == 302 and run["Location"] == "/search/?q=LED&region=11&sort=price_asc"
    page = world.pages(world.officer).get(reverse("web:saved-searches")).content.decode()
    assert "LED 조명" in page and "알림 켜기" in page and "“LED” · 서울특별시" in page
    # the same name again: the form says so, the list is unchanged
    response = world.pages(world.officer).post(
        reverse("web:saved-searches"), {"name": "LED 조명", "query": "q=x"}
    )
    assert response.status_code == 400 and "같은 이름" in response.content.decode()
    assert SavedSearch.objects.count() == 1


def test_a_new_product_is_told_once_by_e_mail_with_its_link(world, mailbox, committed):
    saved = _save_on_the_page(world)
    # what matched when the search was saved is the baseline: not news
    baseline = set(saved.matches.values_list("listing_id", flat=True))
    assert world.listing_a.pk in baseline and baseline <= {world.listing_a.pk, world.listing_b.pk}
    assert _run(committed)["products"] == 0 and not mailbox.messages

    new = _new_led(world)
    _new_led(world, name="조명 없는 다른 제품", specification="무관", keywords="조명")  # no "LED" in it
    mailbox.clear()
    assert _run(committed) == {"searches": 1, "products": 1, "failed": []}
    mail = mailbox.single(to=world.officer.email)
    assert "LED 조명" in mail.subject and "새 제품 1개" in mail.subject
    assert new.name in mail.text and "조명 없는 다른 제품" not in mail.text
    product_link = mail.link_to("/products/")
    assert urlsplit(product_link).path == reverse("web:product", args=[new.pk])
    assert world.pages(world.officer).get(urlsplit(product_link).path).status_code == 200
    notification = Notification.objects.get(recipient=world.officer, kind=Kind.SAVED_SEARCH_MATCHES)
    assert urlsplit(notification.link).path == "/search/" and "q=LED" in notification.link
    assert EmailDelivery.objects.get(notification=notification).status == "sent"

    # again: nothing new, nothing sent
    mailbox.clear()
    assert _run(committed)["products"] == 0
    assert not mailbox.messages and Notification.objects.filter(kind=Kind.SAVED_SEARCH_MATCHES).count() == 1


def test_a_product_that_leaves_and_comes_back_is_not_news_again(world, mailbox, committed):
    _save_on_the_page(world)
    new = _new_led(world)
    _run(committed)
    catalog_services.update_listing(world.supplier_a, listing_id=new.pk, published=False)
    world.reindex()
    _run(committed)
    catalog_services.update_listing(world.supplier_a, listing_id=new.pk, published=True)
    world.reindex()
    mailbox.clear()
    assert _run(committed)["products"] == 0 and not mailbox.messages


def test_one_e_mail_lists_at_most_the_bound_and_counts_the_rest(world, mailbox, committed, settings):
    settings.SAVED_SEARCH_ALERT_MAX_PRODUCTS = 2
    _save_on_the_page(world)
    for number in range(3):
        make_listing(world.supplier_a, world.cert_a, name=f"LED 신제품 {number}")
    world.reindex()
    mailbox.clear()
    assert _run(committed)["products"] == 3
    mail = mailbox.single(to=world.officer.email)
    assert "새 제품 3개" in mail.subject and "그 밖에 1개가 더" in mail.text
    assert len([link for link in mail.links() if "/products/" in link]) == 2


def test_a_muted_kind_stays_in_the_inbox_and_an_alert_off_is_silent(world, mailbox, committed):
    saved = _save_on_the_page(world)
    Preference.objects.create(user=world.officer, muted_kinds=[Kind.SAVED_SEARCH_MATCHES])
    _new_led(world)
    mailbox.clear()
    assert _run(committed)["products"] == 1
    assert not mailbox.messages
    assert Notification.objects.filter(recipient=world.officer, kind=Kind.SAVED_SEARCH_MATCHES).count() == 1

    saved_searches.set_alert(world.officer, saved_search_id=saved.pk, alert=False)
    _new_led(world, name="LED 또 다른 신제품")
    assert _run(committed) == {"searches": 0, "products": 0, "failed": []}
    # turned on again, what arrived meanwhile is the new baseline
    saved_searches.set_alert(world.officer, saved_search_id=saved.pk, alert=True)
    assert _run(committed)["products"] == 0


def test_while_the_search_engine_is_down_the_search_waits_for_the_next_run(
    world, mailbox, committed, settings
):
    _save_on_the_page(world)
    new = _new_led(world)
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = dead_url()
    settings.SEARCH_FALLBACK_TO_DATABASE = False
    mailbox.clear()
    run = _run(committed)
    assert run["failed"] and run["products"] == 0 and not mailbox.messages
    assert not SavedSearchMatch.objects.filter(listing_id=new.pk).exists()
    settings.SEARCH_BACKEND = "database"
    assert _run(committed)["products"] == 1
    assert new.name in mailbox.single(to=world.officer.email).text


def test_an_officer_who_lost_the_role_hears_nothing(world, mailbox, committed):
    _save_on_the_page(world)
    world.officer.groups.clear()
    _new_led(world)
    mailbox.clear()
    assert _run(committed)["searches"] == 0 and not mailbox.messages


def test_the_job_is_on_the_daily_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["officers-saved-search-alerts"]
    assert entry["task"] == tasks.send_saved_search_alerts.name
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
