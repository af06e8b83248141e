"""The document store: rebuilds re-send stored documents only while they are provably current."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.models import ProductListing
from certification import services as certification_services
from certification.models import Certificate, CertificateStatus, Company
from search import store, sync
from search.documents import documents_for, listed_ids
from search.models import StoredDocument
from tests.search.conftest import ids, run

pytestmark = pytest.mark.django_db

database_only = pytest.mark.parametrize("backend", ["database"], indirect=True)


def stored_bodies() -> dict[int, dict]:
    return {pk: json.loads(body) for pk, body in StoredDocument.objects.values_list("listing_id", "body")}


def tamper(listing_id: int, **changes) -> None:
    """Edits a stored document behind the builder's back, keeping its stamps: a reuse shows."""
    row = StoredDocument.objects.get(listing_id=listing_id)
    row.body = store.dumps({**json.loads(row.body), **changes})
    row.save(update_fields=["body"])


def settle(backend) -> None:
    """Dates the catalog an hour back and rebuilds, so a rebuild's catch-up (which re-reads everything
    changed in its last minutes) leaves the stored documents alone."""
    hour_ago = timezone.now() - timedelta(hours=1)
    for model in (ProductListing, Certificate, Company):
        model.objects.update(updated_at=hour_ago)
    sync.rebuild(backend)


def hit_names(backend, text: str) -> dict[int, str]:
    return {hit.id: hit.name for hit in run(backend, text).hits}


@database_only
def test_the_outbox_stores_listed_documents_and_forgets_delisted_ones(backend, indexed):
    assert stored_bodies() == documents_for(list(listed_ids()))
    assert set(StoredDocument.objects.values_list("builder", flat=True)) == {store.builder_fingerprint()}

    certification_services.revoke_certificate(indexed.reviewer, indexed.it_cert.pk, "위반")
    sync.drain()
    assert indexed.maintenance.pk not in stored_bodies()
    assert set(stored_bodies()) == set(listed_ids())


def test_a_rebuild_resends_current_stored_documents_instead_of_analysing_again(backend, indexed):
    settle(backend)
    tamper(indexed.panel.pk, name="저장된 문서")
    sync.rebuild(backend)
    assert hit_names(backend, "평판조명") == {indexed.panel.pk: "저장된 문서"}

    sync.rebuild(backend, reuse_documents=False)
    assert hit_names(backend, "평판조명") == {indexed.panel.pk: indexed.panel.name}
    assert stored_bodies()[indexed.panel.pk]["name"] == indexed.panel.name


@database_only
def test_a_change_the_outbox_missed_is_seen_by_its_source_stamp(backend, indexed):
    # a bulk update with no signal: the outbox never hears of it, the stamp does
    Company.objects.filter(pk=indexed.partner_a.pk).update(name="대한전자홀딩스", updated_at=timezone.now())
    sync.rebuild(backend)
    partners = {document["partner_id"]: document["partner_name"] for document in stored_bodies().values()}
    assert partners[indexed.partner_a.pk] == "대한전자홀딩스"
    assert stored_bodies() == documents_for(list(listed_ids()))
    assert indexed.panel.pk in ids(run(backend, "홀딩스"))


@database_only
def test_documents_built_by_other_code_are_built_again(backend, indexed):
    tamper(indexed.panel.pk, name="옛 코드의 문서")
    StoredDocument.objects.filter(listing_id=indexed.panel.pk).update(builder="0" * 16)
    sync.rebuild(backend)
    assert stored_bodies()[indexed.panel.pk]["name"] == indexed.panel.name
    assert StoredDocument.objects.get(listing_id=indexed.panel.pk).builder == store.builder_fingerprint()


@database_only
def test_a_complete_rebuild_prunes_documents_of_products_no_longer_listed(backend, indexed):
    StoredDocument.objects.create(
        listing_id=10**9, builder=store.builder_fingerprint(), source_updated_at=timezone.now(), body="{}"
    )
    # revoked behind the outbox's back: the rebuild's own listing decides
    indexed.it_cert.status = CertificateStatus.REVOKED
    indexed.it_cert.save(update_fields=["status", "updated_at"])
    sync.rebuild(backend, apply=False)
    assert set(stored_bodies()) == set(listed_ids())
    assert indexed.maintenance.pk not in stored_bodies()


@database_only
def test_rebuild_documents_option_analyses_everything_again(backend, indexed):
    settle(backend)
    tamper(indexed.street.pk, name="저장된 문서")
    call_command("search_index", "rebuild", "--no-progress", stdout=StringIO())
    assert stored_bodies()[indexed.street.pk]["name"] == "저장된 문서"
    call_command("search_index", "rebuild", "--no-progress", "--rebuild-documents", stdout=StringIO())
    assert stored_bodies()[indexed.street.pk]["name"] == indexed.street.name


def test_the_builder_fingerprint_follows_the_analyser_version(monkeypatch):
    import kiwipiepy

    current = store.builder_fingerprint()
    store.builder_fingerprint.cache_clear()
    monkeypatch.setattr(kiwipiepy, "__version__", "0.0.0")
    try:
        assert store.builder_fingerprint() != current
    finally:
        store.builder_fingerprint.cache_clear()
