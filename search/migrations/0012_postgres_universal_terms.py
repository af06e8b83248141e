"""The lexemes every search row holds, kept in step by a trigger, on PostgreSQL (issue 18).

A text whose terms every product carries (상생, 협력, 제품: the programme's own words are in every
description) made the database test ``search_vector @@ …`` on every row for the page, and again for the
total and the facets, which then could not be read from the covering index of the facet columns.
``search_universal_term`` lists lexemes that are in **every** row of ``search_searchentry``; the text
search drops such a term's condition (it is true of every row) and its ``CASE`` in the score
(``search.backends.fulltext.postgres``).

Exactness: the table may miss a universal lexeme (that only costs speed) but never lists one that some
row lacks. Inserts and updates run a statement trigger in the writer's transaction that deletes the listed
lexemes some new row lacks; deletes cannot break the rule. The set is recomputed from ``ts_stat`` (under a
SHARE lock, so no writer runs in between) by this migration and after each rebuild of the database
backend (``PostgresTextSearch.after_rebuild``).

On SQLite (and any other database) the migration does nothing.
"""

from django.db import migrations

from search.migrations._postgres import postgres_only

TABLE = "search_searchentry"
TERMS = "search_universal_term"

FORWARD = [
    f"CREATE TABLE {TERMS} (lexeme text PRIMARY KEY, query tsquery NOT NULL)",
    # transition tables hold the stored generated columns, so the new rows' search_vector is there
    f"""CREATE FUNCTION search_universal_term_check() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM {TERMS} AS term
                WHERE EXISTS (SELECT 1 FROM written WHERE NOT coalesce(written.search_vector @@ term.query, false));
            RETURN NULL;
        END $$""",
    f"""CREATE TRIGGER search_universal_term_on_insert AFTER INSERT ON {TABLE}
        REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION search_universal_term_check()""",
    f"""CREATE TRIGGER search_universal_term_on_update AFTER UPDATE ON {TABLE}
        REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION search_universal_term_check()""",
    # the refresh (also run by search.backends.fulltext.postgres after a rebuild)
    f"""CREATE FUNCTION search_universal_term_refresh() RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            LOCK TABLE {TABLE} IN SHARE MODE;
            DELETE FROM {TERMS};
            INSERT INTO {TERMS} (lexeme, query)
                SELECT word, ('''' || replace(replace(word, '\\', '\\\\'), '''', '''''') || '''')::tsquery
                FROM ts_stat('SELECT search_vector FROM {TABLE}')
                WHERE ndoc = (SELECT count(*) FROM {TABLE});
        END $$""",
    "SELECT search_universal_term_refresh()",
]

BACKWARD = [
    f"DROP TRIGGER IF EXISTS search_universal_term_on_insert ON {TABLE}",
    f"DROP TRIGGER IF EXISTS search_universal_term_on_update ON {TABLE}",
    "DROP FUNCTION IF EXISTS search_universal_term_check()",
    "DROP FUNCTION IF EXISTS search_universal_term_refresh()",
    f"DROP TABLE IF EXISTS {TERMS}",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0011_postgres_regions_mask")]

    operations = [postgres_only(FORWARD, BACKWARD)]
