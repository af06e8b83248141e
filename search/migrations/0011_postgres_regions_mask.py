"""The delivery regions of a search row as a bit mask, for the region facet on PostgreSQL (issue 18).

The facets group the matched rows by their regions (``search.backends.fulltext.postgres_facets``). Hashing
``regions_array`` (a ``text[]``) for every row was half the cost of all the facets at 100,000 products;
``regions_mask`` holds the same set as one ``bigint`` (bit *n* for region code *n*: the 시·도 codes are
two-digit numbers below 63), cheap to hash and read from the covering index of the facet columns.

On SQLite (and any other database) the migration does nothing.
"""

from django.db import migrations

from search.migrations._postgres import postgres_only

TABLE = "search_searchentry"
COVERING = (
    "sector, classification_segment, classification_family, supplier_id, supplier_name, partner_id, "
    "partner_name, unit_price, regions_array"
)

FORWARD = [
    # codes that are not a number below 63 have no bit; the facet then counts from regions_array instead
    """CREATE FUNCTION search_regions_mask(regions text) RETURNS bigint
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT coalesce(bit_or(1::bigint << code::int), 0) FROM unnest(string_to_array(btrim(regions), ' '))
              AS code WHERE code ~ '^[0-9]{1,2}$' AND code::int < 63 $$""",
    f"""ALTER TABLE {TABLE} ADD COLUMN regions_mask bigint
        GENERATED ALWAYS AS (search_regions_mask(regions::text)) STORED""",
    "DROP INDEX IF EXISTS search_entry_facets_covering",
    f"""CREATE INDEX search_entry_facets_covering ON {TABLE} (expires_on, issued_on)
        INCLUDE ({COVERING}, regions_mask)""",
    f"VACUUM (ANALYZE) {TABLE}",
]

BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_facets_covering",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS regions_mask",
    "DROP FUNCTION IF EXISTS search_regions_mask(text)",
    f"CREATE INDEX search_entry_facets_covering ON {TABLE} (expires_on, issued_on) INCLUDE ({COVERING})",
]


class Migration(migrations.Migration):
    # VACUUM cannot run inside a transaction
    atomic = False

    dependencies = [("search", "0010_postgres_narrow_rows_and_sort_indexes")]

    operations = [postgres_only(FORWARD, BACKWARD)]
