"""Facet counts of the whole search table, kept in step by triggers, on PostgreSQL (issue 18).

Browsing and texts every product matches (``0012_postgres_universal_terms``) count the facets of every
visible row: a hash of ~90,000 rows per request at 100,000 products, even from the covering index.
``search_facet_count`` holds, per facet value and per pair of visibility dates, how many rows of
``search_searchentry`` have it: a few tens of thousands of rows, the visible ones being those whose
``issued_on <= today <= expires_on`` (and expiring soon: ``expires_on <= cutoff``), so the summary stays
exact as days pass without being recomputed. Dimensions: ``total`` (value ``''``), ``sector``,
``classification_segment``, ``classification_family``, ``supplier_id``, ``partner_id``, ``band`` (the index
of the price band in ``search.backends.facets.PRICE_RANGES``, by ``search_price_band``) and ``region`` (one
row per code of ``regions_array``).

Statement triggers on ``INSERT``, ``UPDATE`` and ``DELETE`` of the search table add the new rows' counts
and subtract the old rows' in the writer's transaction (no TTL, no generation to compare: the summary is
what a fresh ``GROUP BY`` gives at every commit). Keys are upserted in one order, so two writers wait for
each other rather than deadlock. A count that drops to 0 stays as a row (the reader skips it; deleting it
in every write would scan the summary): a rebuild removes them (``PostgresTextSearch.after_rebuild``). On SQLite (and any other database) the migration does nothing.
"""

from django.db import migrations

from search.migrations._postgres import postgres_only

TABLE = "search_searchentry"
SUMMARY = "search_facet_count"

# the price bands of search.backends.facets.PRICE_RANGES (tests/search/test_postgres_facet_summary.py
# checks they agree): low inclusive, high exclusive
BAND = """CREATE FUNCTION search_price_band(price bigint) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT CASE WHEN price < 100000 THEN 0 WHEN price < 1000000 THEN 1 WHEN price < 10000000 THEN 2
                      WHEN price < 100000000 THEN 3 ELSE 4 END::smallint $$"""

# the (dimension, value) pairs of one row
KEYS = """CREATE FUNCTION search_facet_keys(
        sector text, segment text, family text, supplier bigint, partner bigint, price bigint, regions text[]
    ) RETURNS TABLE (dimension text, value text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ VALUES ('total', ''), ('sector', sector), ('classification_segment', segment),
                 ('classification_family', family), ('supplier_id', supplier::text),
                 ('partner_id', partner::text), ('band', search_price_band(price)::text)
          UNION ALL SELECT 'region', code FROM unnest(regions) AS code $$"""

ROWS = """SELECT keys.dimension, keys.value, changed.issued_on, changed.expires_on, {sign} AS n
    FROM {rows} AS changed, search_facet_keys(changed.sector, changed.classification_segment,
        changed.classification_family, changed.supplier_id, changed.partner_id, changed.unit_price,
        changed.regions_array) AS keys"""


def _apply(rows: str) -> str:
    return f"""INSERT INTO {SUMMARY} AS summary (dimension, value, issued_on, expires_on, n)
            SELECT dimension, value, issued_on, expires_on, sum(n) FROM ({rows}) AS delta
            GROUP BY dimension, value, issued_on, expires_on HAVING sum(n) <> 0
            ORDER BY dimension, value, issued_on, expires_on
            ON CONFLICT (dimension, value, issued_on, expires_on) DO UPDATE SET n = summary.n + excluded.n;"""


FORWARD = [
    f"""CREATE TABLE {SUMMARY} (
        dimension text NOT NULL, value text NOT NULL, issued_on date NOT NULL, expires_on date NOT NULL,
        n integer NOT NULL, PRIMARY KEY (dimension, value, issued_on, expires_on))""",
    BAND,
    KEYS,
    f"""CREATE FUNCTION search_facet_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {_apply(ROWS.format(sign=1, rows="written"))} RETURN NULL; END $$""",
    f"""CREATE FUNCTION search_facet_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {_apply(ROWS.format(sign=-1, rows="removed"))} RETURN NULL; END $$""",
    f"""CREATE FUNCTION search_facet_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {_apply(ROWS.format(sign=1, rows="written") + " UNION ALL " + ROWS.format(sign=-1, rows="removed"))}
        RETURN NULL; END $$""",
    f"""CREATE TRIGGER search_facet_count_on_insert AFTER INSERT ON {TABLE}
        REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION search_facet_count_insert()""",
    f"""CREATE TRIGGER search_facet_count_on_delete AFTER DELETE ON {TABLE}
        REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION search_facet_count_delete()""",
    f"""CREATE TRIGGER search_facet_count_on_update AFTER UPDATE ON {TABLE}
        REFERENCING NEW TABLE AS written OLD TABLE AS removed
        FOR EACH STATEMENT EXECUTE FUNCTION search_facet_count_update()""",
    # a TRUNCATE has no transition table: it empties the summary too
    f"""CREATE FUNCTION search_facet_count_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN DELETE FROM {SUMMARY}; RETURN NULL; END $$""",
    f"""CREATE TRIGGER search_facet_count_on_truncate AFTER TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION search_facet_count_truncate()""",
    # the existing rows, under a SHARE lock so no writer runs in between
    f"LOCK TABLE {TABLE} IN SHARE MODE",
    _apply(ROWS.format(sign=1, rows=TABLE)).rstrip(";"),
]

BACKWARD = [
    *(
        f"DROP TRIGGER IF EXISTS search_facet_count_on_{event} ON {TABLE}"
        for event in ("insert", "delete", "update", "truncate")
    ),
    *(
        f"DROP FUNCTION IF EXISTS search_facet_count_{event}()"
        for event in ("insert", "delete", "update", "truncate")
    ),
    "DROP FUNCTION IF EXISTS search_facet_keys(text, text, text, bigint, bigint, bigint, text[])",
    "DROP FUNCTION IF EXISTS search_price_band(bigint)",
    f"DROP TABLE IF EXISTS {SUMMARY}",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0012_postgres_universal_terms")]

    operations = [postgres_only(FORWARD, BACKWARD)]
