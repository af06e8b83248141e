"""The reviewer list pages and the registry API filter with the same filtersets: the same ``q`` finds
the same records on both; a value the filterset refuses is a 400 on the API and is left out on a page."""

import pytest

from certification import services as registry_services


@pytest.fixture
def queue(world):
    """Both drafts submitted, one of them under review; the certificates' applications are decided."""
    registry_services.submit_application(world.supplier_a, application_id=world.draft_a.pk)
    registry_services.submit_application(world.supplier_b, application_id=world.draft_b.pk)
    registry_services.start_review(world.reviewer, application_id=world.draft_b.pk)
    return world


def page_ids(client, path: str, **params) -> set[int]:
    response = client.get(path, params)
    assert response.status_code == 200
    return {record.pk for record in response.context["page"].object_list}


def api_ids(client, path: str, **params) -> set[int]:
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return {record["id"] for record in response.json()["results"]}


def application_queries(world) -> list[str]:
    return [
        "조명",  # product name
        "LED",  # product name of the decided applications
        "가나",  # supplier name
        world.company_b.business_number,
        world.company_a.business_number_display,  # dashes optional
        "없는 제품",
    ]


@pytest.mark.parametrize(
    ("tab", "statuses"),
    [("open", ["submitted", "under_review"]), ("decided", ["approved", "rejected"])],
)
def test_queue_and_api_find_the_same_applications(queue, tab, statuses):
    client = queue.client(queue.reviewer)
    found_any = False
    for text in application_queries(queue):
        on_page = page_ids(client, "/review/", status=tab, q=text)
        assert on_page == api_ids(client, "/api/v1/applications/", status=statuses, q=text), text
        found_any = found_any or bool(on_page)
    assert found_any


def test_application_q_covers_product_supplier_and_business_number(queue):
    client = queue.client(queue.reviewer)
    assert page_ids(client, "/review/", q="신청중인") == {queue.draft_a.pk}
    assert page_ids(client, "/review/", q="다라설비") == {queue.draft_b.pk}
    assert page_ids(client, "/review/", q=queue.company_a.business_number_display) == {queue.draft_a.pk}


def test_certificate_page_and_api_find_the_same_certificates(queue):
    client = queue.client(queue.reviewer)
    queries = [queue.cert_a.number, queue.cert_b.number[:7], queue.cert_b.product_name, "다라", "없는 번호"]
    for text in queries:
        on_page = page_ids(client, "/review/certificates/", q=text)
        assert on_page == api_ids(client, "/api/v1/certificates/", q=text), text
    assert page_ids(client, "/review/certificates/", q=queue.cert_a.number) == {queue.cert_a.pk}
    assert page_ids(client, "/review/certificates/", q="다라") == {queue.cert_b.pk}


def test_the_status_filter_agrees_too(queue):
    client = queue.client(queue.reviewer)
    registry_services.suspend_certificate(queue.reviewer, certificate_id=queue.cert_b.pk, reason="품질 점검")
    for status in ("active", "suspended"):
        on_page = page_ids(client, "/review/certificates/", status=status)
        assert on_page == api_ids(client, "/api/v1/certificates/", status=status)
    assert page_ids(client, "/review/certificates/", status="suspended") == {queue.cert_b.pk}
    on_page = page_ids(client, "/review/", status="under_review", sector="services")
    assert on_page == api_ids(client, "/api/v1/applications/", status="under_review", sector="services")


@pytest.mark.parametrize(
    ("page", "api", "params", "field"),
    [
        ("/review/", "/api/v1/applications/", {"sector": "bogus"}, "sector"),
        ("/review/certificates/", "/api/v1/certificates/", {"status": "bogus"}, "status"),
        ("/review/", "/api/v1/applications/", {"sector": ["goods", "bogus"]}, "sector"),
    ],
)
def test_a_refused_value_is_left_out_on_the_page_and_a_400_on_the_api(queue, page, api, params, field):
    client = queue.client(queue.reviewer)
    assert page_ids(client, page, **params) == page_ids(client, page)
    response = client.get(api, params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_an_unknown_tab_is_the_open_tab(queue):
    client = queue.client(queue.reviewer)
    assert page_ids(client, "/review/", status="bogus") == {queue.draft_a.pk, queue.draft_b.pk}
