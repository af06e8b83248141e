"""Narrow rows and ordered indexes for the database search backend on PostgreSQL (issue 18).

Queries over (nearly) every product — browsing, sorting, texts every product matches — read the whole
search table; at 100,000 products its rows averaged 3.3 KB (the JSON document and the morpheme texts inline
beside the ``tsvector``), 299 MB of heap: reading it was most of such a query. Here:

* ``toast_tuple_target = 1024``: PostgreSQL moves a row's large values to the TOAST table until the row
  fits 1 KB. What a scan reads (``search_vector``, names, facet and filter columns) is ``STORAGE MAIN`` so
  it stays in the row; what only the page of results reads (the document, the morpheme texts, the code
  text) goes out of line, read for the 20 rows shown. 96 MB of heap instead of 299 MB at 100,000 rows.
  Existing rows are rewritten (an ``UPDATE`` that changes nothing, then ``VACUUM FULL`` to compact), so
  the migration runs outside a transaction;
* ordered indexes matching the sorts of browsing exactly, tie-breaker included, so a page is an index
  scan that stops after the page (``Limit``) instead of a sort of every row: relevance without text
  (``length(name), listing_id DESC``) and price (``unit_price, listing_id``; backwards for the descending
  sort). Newest is served by the ``created_at`` index with an incremental sort of the (rare) equal times.

On SQLite (and any other database) the migration does nothing.
"""

from django.db import migrations

from search.migrations._postgres import postgres_only

TABLE = "search_searchentry"
# read by scans of many rows: kept in the row
INLINE_COLUMNS = (
    "name",
    "sector",
    "classification_code",
    "classification_segment",
    "classification_family",
    "supplier_name",
    "partner_name",
    "regions",
    "name_chosung",
    "search_vector",
    "codes_array",
    "regions_array",
)

FORWARD = [
    f"ALTER TABLE {TABLE} SET (toast_tuple_target = 1024)",
    f"ALTER TABLE {TABLE} " + ", ".join(f"ALTER COLUMN {column} SET STORAGE MAIN" for column in INLINE_COLUMNS),
    # storage settings apply to rows written from now on: rewrite the existing ones, then compact
    f"UPDATE {TABLE} SET listing_id = listing_id",
    f"VACUUM FULL {TABLE}",
    f"CREATE INDEX search_entry_name_length_order ON {TABLE} ((length(name)), listing_id DESC)",
    f"CREATE INDEX search_entry_price_order ON {TABLE} (unit_price, listing_id)",
    f"VACUUM (ANALYZE) {TABLE}",
]

BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_price_order",
    "DROP INDEX IF EXISTS search_entry_name_length_order",
    f"ALTER TABLE {TABLE} RESET (toast_tuple_target)",
    f"ALTER TABLE {TABLE} "
    + ", ".join(f"ALTER COLUMN {column} SET STORAGE EXTENDED" for column in INLINE_COLUMNS),
]


class Migration(migrations.Migration):
    # VACUUM cannot run inside a transaction
    atomic = False

    dependencies = [("search", "0009_merge_single_language_labels")]

    operations = [postgres_only(FORWARD, BACKWARD)]
