"""Search's own tables: the outbox of pending index work, the database backend's search table, the stored
documents and the rebuild jobs."""

from django.db import models
from django.utils.translation import pgettext_lazy

from core.jobs import TrackedJob


class IndexOutbox(models.Model):
    """A listing whose search documents may be stale. Written by the ``listings_changed`` receiver in the
    same transaction as the change, so a rollback leaves no row and a commit always leaves one; drained by
    ``search.sync`` (the ``search_sync`` worker), which deletes rows only after the backends took the work.
    """

    listing_id = models.BigIntegerField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "index outbox"

    def __str__(self) -> str:
        return f"#{self.pk} listing {self.listing_id}"


class SearchEntry(models.Model):
    """One row per listed product for the database search backend.

    Keyed by the listing id without a foreign key: this is derived data, written by the outbox worker and
    rebuilds that may race a listing's deletion; a constraint would turn that race into an error, while the
    outbox already removes the row right after.

    Morpheme columns hold the analysed text padded with spaces (`` 상생 협력 제품 ``) so one token matches
    with ``LIKE '% 제품 %'`` on SQLite and PostgreSQL alike, never a substring of another token.
    """

    listing_id = models.BigIntegerField(primary_key=True)
    name = models.CharField(max_length=200)
    name_morph = models.TextField()
    spec_morph = models.TextField()
    body_morph = models.TextField()
    company_morph = models.TextField()
    all_morph = models.TextField(help_text="every morpheme field, for the AND-match across fields")
    codes = models.TextField(help_text="space-padded exact identifiers, lowercased")
    name_chosung = models.TextField(
        default="", help_text="the name's initial consonants, for 초성 autocomplete"
    )
    regions = models.CharField(max_length=100, help_text="space-padded region codes")

    sector = models.CharField(max_length=20)
    classification_code = models.CharField(max_length=10)
    classification_segment = models.CharField(max_length=10)
    classification_family = models.CharField(max_length=10)
    supplier_id = models.BigIntegerField()
    supplier_name = models.CharField(max_length=200)
    partner_id = models.BigIntegerField()
    partner_name = models.CharField(max_length=200)
    unit_price = models.BigIntegerField()
    issued_on = models.DateField()
    expires_on = models.DateField()
    created_at = models.DateTimeField()
    document = models.JSONField(help_text="the full document, rendered into hits without catalog joins")

    class Meta:
        indexes = [
            models.Index(fields=["expires_on", "issued_on"]),
            models.Index(fields=["sector"]),
            models.Index(fields=["classification_code"]),
            models.Index(fields=["unit_price"]),
            models.Index(fields=["created_at"]),
            models.Index(fields=["supplier_id"]),
            models.Index(fields=["partner_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.listing_id} {self.name}"


class BulkTextField(models.TextField):
    """A TextField that PostgreSQL bulk inserts as ordinary parameters. Django 5.2 bulk inserts through
    ``UNNEST`` of arrays, and psycopg escapes every quote of each array element in Python: for JSON texts
    that cost ~0.3 ms per row, a quarter of building a document. A placeholder opts out of ``UNNEST``."""

    def get_placeholder(self, value, compiler, connection) -> str:
        return "%s"


class StoredDocument(models.Model):
    """The last search document built for a listed product, as JSON, so building it again (a full
    rebuild, an outbox pass) can skip the work, mostly Kiwi analysis (~80% of building a document).

    A memo with exact keys, never trusted blindly; both are checked against a fresh read of the catalog:

    * ``source_digest`` matches: everything the document is built from is unchanged, the body is reused;
    * only ``inputs_digest`` matches (say, a new price): the texts are unchanged, so the body's morpheme
      fields are reused and the rest is built afresh;
    * neither, or another ``builder`` (the code or analyser changed): built from scratch.

    Keyed by listing id without a foreign key, like ``SearchEntry``: derived data written by the outbox
    worker and rebuilds that may race a deletion.
    """

    listing_id = models.BigIntegerField(primary_key=True)
    builder = models.CharField(max_length=16, help_text="fingerprint of the document code and analyser")
    source_digest = models.CharField(max_length=32, help_text="digest of every value the body is built from")
    inputs_digest = models.CharField(max_length=32, help_text="digest of the texts that were analysed")
    body = BulkTextField(help_text="the document as JSON, sent to Elasticsearch as it is")

    def __str__(self) -> str:
        return f"listing {self.listing_id} ({self.builder})"


class RebuildPhase(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("rebuild phase", "대기")
    COUNTING = "counting", pgettext_lazy("rebuild phase", "대상 집계")
    INDEXING = "indexing", pgettext_lazy("rebuild phase", "색인")
    CATCHING = "catching", pgettext_lazy("rebuild phase", "변경분 반영")
    DONE = "done", pgettext_lazy("rebuild phase", "끝")


class RebuildJob(TrackedJob):
    """A full rebuild of one search backend's index, run by a worker (``search.rebuilds``)."""

    backend = models.CharField(max_length=20)
    reuse_stored = models.BooleanField(
        default=True, help_text="reuse stored documents of unchanged listings (off: analyse everything again)"
    )
    phase = models.CharField(max_length=10, choices=RebuildPhase.choices, default=RebuildPhase.QUEUED)
    indexed = models.PositiveIntegerField(default=0, help_text="documents in the new index")
    index = models.CharField(max_length=200, blank=True, help_text="the index (or table) that now serves")

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # one rebuild of a backend at a time: a second would race the first's alias swap
            models.UniqueConstraint(
                fields=["backend"],
                condition=models.Q(status__in=["queued", "running"]),
                name="search_one_unfinished_rebuild_per_backend",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} rebuild {self.backend} ({self.status})"


class Synonym(models.Model):
    """One set of interchangeable words (CCTV, 씨씨티비, 폐쇄회로카메라): a query for any of them finds every
    one. Applied when a query is planned (``search.synonyms``), never at indexing, so an edit here takes
    effect without a reindex."""

    variants = models.TextField(
        help_text="comma-separated words or short phrases that mean the same thing (CCTV, 씨씨티비)"
    )
    note = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.variants

    def variant_list(self) -> list[str]:
        return list(dict.fromkeys(word.strip() for word in self.variants.split(",") if word.strip()))

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if len(self.variant_list()) < 2:
            raise ValidationError(
                {
                    "variants": "쉼표로 구분한 두 개 이상의 낱말을 입력하세요 (Enter two or more comma-separated words)."
                }
            )


class SearchSource(models.TextChoices):
    API = "api", "검색 API (search API)"
    PAGE = "page", "검색 화면 (search page)"


class SearchLogEntry(models.Model):
    """One search as the program sees it: what was asked and how many products answered, never who asked.

    Personal-data free by construction: no user, no address, no session, no cookie; the columns below are
    all there is (``search.log`` writes them, ``tests/search/test_search_log.py`` checks the list). Kept
    ``SEARCH_LOG_RETENTION_DAYS`` days, pruned daily by the ``search.prune_search_log`` beat task."""

    created_at = models.DateTimeField(db_index=True)
    query = models.CharField(max_length=200, blank=True, help_text="the search text, spaces collapsed")
    filters = models.JSONField(default=dict, blank=True, help_text="the filters that were set")
    result_count = models.PositiveIntegerField()
    backend = models.CharField(max_length=20)
    source = models.CharField(max_length=10, choices=SearchSource.choices)
    took_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "search log entries"
        indexes = [models.Index(fields=["query", "created_at"], name="search_log_query_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.query!r} → {self.result_count}"
