"""The document store: stored documents (or their analyses) are reused only for exactly the same catalog
rows (or texts) and exactly the same code; everything else is built from a fresh read of the catalog."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog import services as catalog_services
from catalog.models import ProductListing
from certification import services as certification_services
from certification.models import Certificate, CertificateStatus, Company
from search import documents, store, sync
from search.documents import documents_for, listed_ids
from search.models import SearchEntry, StoredDocument
from tests.search.conftest import ids, run

pytestmark = pytest.mark.django_db

database_only = pytest.mark.parametrize("backend", ["database"], indirect=True)
MARKER = "저장분석표지"  # a term no real text yields: finding it proves a stored document was used


def stored_bodies() -> dict[int, dict]:
    return {pk: json.loads(body) for pk, body in StoredDocument.objects.values_list("listing_id", "body")}


def stored_morphs() -> dict[int, dict]:
    return {
        pk: {field: body[field] for field in documents.MORPH_SOURCES} for pk, body in stored_bodies().items()
    }


def mark(listing_id: int) -> None:
    """Edits a stored document's analysis behind the builder's back, keeping its keys: a reuse shows."""
    row = StoredDocument.objects.get(listing_id=listing_id)
    body = json.loads(row.body)
    row.body = store.dumps({**body, "name_morph": f"{body['name_morph']} {MARKER}"})
    row.save(update_fields=["body"])


def documents_in_table() -> dict[int, dict]:
    return dict(SearchEntry.objects.values_list("listing_id", "document"))


@database_only
def test_the_outbox_stores_documents_of_listed_products_and_forgets_delisted_ones(backend, indexed):
    assert stored_bodies() == documents_for(list(listed_ids()))
    assert set(StoredDocument.objects.values_list("builder", flat=True)) == {store.builder_fingerprint()}

    certification_services.revoke_certificate(
        indexed.reviewer, certificate_id=indexed.it_cert.pk, reason="위반"
    )
    sync.drain()
    assert indexed.maintenance.pk not in stored_morphs()
    assert set(stored_morphs()) == set(listed_ids())


def test_a_rebuild_reuses_stored_documents_of_unchanged_rows(backend, indexed):
    mark(indexed.panel.pk)
    sync.rebuild(backend)
    assert ids(run(backend, MARKER)) == [indexed.panel.pk]

    sync.rebuild(backend, reuse_stored=False)
    assert ids(run(backend, MARKER)) == []
    assert MARKER not in stored_morphs()[indexed.panel.pk]["name_morph"]


@database_only
def test_an_outbox_pass_reuses_the_analysis_when_only_a_price_changed(backend, indexed):
    mark(indexed.panel.pk)
    catalog_services.update_listing(indexed.lighting_user, listing_id=indexed.panel.pk, unit_price=99_000)
    sync.drain()
    assert ids(run(backend, MARKER)) == [indexed.panel.pk]
    assert run(backend, MARKER).hits[0].unit_price == 99_000
    assert stored_bodies()[indexed.panel.pk]["unit_price"] == 99_000

    catalog_services.update_listing(
        indexed.lighting_user, listing_id=indexed.panel.pk, name="고효율 LED 평판등"
    )
    sync.drain()
    assert ids(run(backend, MARKER)) == []
    assert ids(run(backend, "평판등")) == [indexed.panel.pk]


@database_only
def test_changes_behind_the_outbox_and_its_timestamps_still_reach_a_rebuild(backend, indexed):
    # bulk updates with no signal and no updated_at: the document is built from the catalog anyway
    Company.objects.filter(pk=indexed.partner.pk).update(name="대한전자홀딩스")
    expires = timezone.localdate() + timedelta(days=20)
    Certificate.objects.filter(pk=indexed.led_cert.pk).update(expires_on=expires)
    sync.rebuild(backend)
    assert documents_in_table() == documents_for(list(listed_ids()))
    assert indexed.panel.pk in ids(run(backend, "홀딩스"))
    assert indexed.panel.pk in ids(run(backend, expiring_soon=True))


@database_only
def test_documents_built_by_other_code_are_built_again(backend, indexed):
    mark(indexed.panel.pk)
    StoredDocument.objects.filter(listing_id=indexed.panel.pk).update(builder="0" * 16)
    sync.rebuild(backend)
    assert ids(run(backend, MARKER)) == []
    assert StoredDocument.objects.get(listing_id=indexed.panel.pk).builder == store.builder_fingerprint()


@database_only
def test_a_complete_rebuild_prunes_documents_of_products_no_longer_listed(backend, indexed):
    StoredDocument.objects.create(
        listing_id=10**9, builder="x", source_digest="x", inputs_digest="x", body="{}"
    )
    # revoked behind the outbox's back: the rebuild's own reading of the catalog decides
    Certificate.objects.filter(pk=indexed.it_cert.pk).update(status=CertificateStatus.REVOKED)
    sync.rebuild(backend, apply=False)
    assert set(stored_morphs()) == set(listed_ids())
    assert indexed.maintenance.pk not in stored_morphs()
    assert ProductListing.objects.filter(pk=indexed.maintenance.pk).exists()


@database_only
def test_the_reanalyze_option_builds_every_document_again(backend, indexed):
    mark(indexed.street.pk)
    call_command("search_index", "rebuild", "--no-progress", stdout=StringIO())
    assert MARKER in stored_morphs()[indexed.street.pk]["name_morph"]
    call_command("search_index", "rebuild", "--no-progress", "--reanalyze", stdout=StringIO())
    assert MARKER not in stored_morphs()[indexed.street.pk]["name_morph"]


def test_the_builder_fingerprint_follows_the_analyser_version(monkeypatch):
    import kiwipiepy

    current = store.builder_fingerprint()
    store.builder_fingerprint.cache_clear()
    monkeypatch.setattr(kiwipiepy, "__version__", "0.0.0")
    try:
        assert store.builder_fingerprint() != current
    finally:
        store.builder_fingerprint.cache_clear()
