"""Facet counts per sector, kept in step by triggers, on PostgreSQL (issue 18).

``0013_postgres_facet_summary`` serves the facets of every visible row; a search filtered by one sector
(browsing a sector, its price order) still hashed every row of that sector per request: ~200 ms for the
70,000 goods of the 100,000-product bench, the slowest browsing request. ``search_facet_count_sector`` is
the same summary with the sector as the first key: the facets of ``sector = X`` (and no other filter or
text condition) are a range of its primary key. Its rows are those of ``search_facet_count`` split by
sector (48,015 rows at 100,000 products against 33,235).

Kept exact the way 0013 keeps its table: statement triggers on ``INSERT``, ``UPDATE`` and ``DELETE`` of the
search table add the new rows' counts and subtract the old rows' in the writer's transaction, keys upserted
in one order; ``TRUNCATE`` empties it; counts that fall to 0 stay until a rebuild removes them
(``PostgresTextSearch.after_rebuild``). On SQLite (and any other database) the migration does nothing.
"""

from django.db import migrations

from search.migrations._postgres import postgres_only

TABLE = "search_searchentry"
SUMMARY = "search_facet_count_sector"

# the (dimension, value) pairs of one row come from 0013's search_facet_keys
ROWS = """SELECT changed.sector, keys.dimension, keys.value, changed.issued_on, changed.expires_on, {sign} AS n
    FROM {rows} AS changed, search_facet_keys(changed.sector, changed.classification_segment,
        changed.classification_family, changed.supplier_id, changed.partner_id, changed.unit_price,
        changed.regions_array) AS keys"""


def _apply(rows: str) -> str:
    return f"""INSERT INTO {SUMMARY} AS summary (sector, dimension, value, issued_on, expires_on, n)
            SELECT sector, dimension, value, issued_on, expires_on, sum(n) FROM ({rows}) AS delta
            GROUP BY sector, dimension, value, issued_on, expires_on HAVING sum(n) <> 0
            ORDER BY sector, dimension, value, issued_on, expires_on
            ON CONFLICT (sector, dimension, value, issued_on, expires_on)
            DO UPDATE SET n = summary.n + excluded.n;"""


FORWARD = [
    f"""CREATE TABLE {SUMMARY} (
        sector text NOT NULL, dimension text NOT NULL, value text NOT NULL, issued_on date NOT NULL,
        expires_on date NOT NULL, n integer NOT NULL,
        PRIMARY KEY (sector, dimension, value, issued_on, expires_on))""",
    f"""CREATE FUNCTION search_facet_count_sector_insert() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {_apply(ROWS.format(sign=1, rows="written"))} RETURN NULL; END $$""",
    f"""CREATE FUNCTION search_facet_count_sector_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {_apply(ROWS.format(sign=-1, rows="removed"))} RETURN NULL; END $$""",
    f"""CREATE FUNCTION search_facet_count_sector_update() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {_apply(ROWS.format(sign=1, rows="written") + " UNION ALL " + ROWS.format(sign=-1, rows="removed"))}
        RETURN NULL; END $$""",
    f"""CREATE TRIGGER search_facet_count_sector_on_insert AFTER INSERT ON {TABLE}
        REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION search_facet_count_sector_insert()""",
    f"""CREATE TRIGGER search_facet_count_sector_on_delete AFTER DELETE ON {TABLE}
        REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION search_facet_count_sector_delete()""",
    f"""CREATE TRIGGER search_facet_count_sector_on_update AFTER UPDATE ON {TABLE}
        REFERENCING NEW TABLE AS written OLD TABLE AS removed
        FOR EACH STATEMENT EXECUTE FUNCTION search_facet_count_sector_update()""",
    f"""CREATE FUNCTION search_facet_count_sector_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN DELETE FROM {SUMMARY}; RETURN NULL; END $$""",
    f"""CREATE TRIGGER search_facet_count_sector_on_truncate AFTER TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION search_facet_count_sector_truncate()""",
    # the existing rows, under a SHARE lock so no writer runs in between
    f"LOCK TABLE {TABLE} IN SHARE MODE",
    _apply(ROWS.format(sign=1, rows=TABLE)).rstrip(";"),
]

BACKWARD = [
    *(
        f"DROP TRIGGER IF EXISTS search_facet_count_sector_on_{event} ON {TABLE}"
        for event in ("insert", "delete", "update", "truncate")
    ),
    *(
        f"DROP FUNCTION IF EXISTS search_facet_count_sector_{event}()"
        for event in ("insert", "delete", "update", "truncate")
    ),
    f"DROP TABLE IF EXISTS {SUMMARY}",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0013_postgres_facet_summary")]

    operations = [postgres_only(FORWARD, BACKWARD)]
