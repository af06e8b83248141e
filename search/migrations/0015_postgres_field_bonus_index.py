"""The lexemes outside the description, indexed, on PostgreSQL (issue 18).

A text whose terms every product holds (상생협력제품을 찾습니다, 제품: ``search_universal_term``, 0012) has no
text condition, but the score still adds each term's field bonus per row (name 16, specification 6,
description 2, company 1), so PostgreSQL read every row's ``search_vector`` to order them (~75 ms at
100,000 products). On that catalog such a term sits in the description of (almost) every row and nowhere
else, so every such row has the same score.

``search_entry_vector_abd_gin`` indexes ``ts_filter(search_vector, '{a,b,d}')``: the lexemes of the name,
the specification and the company. A row whose universal terms are none of them in those fields holds them
in its description only (they are in every row), so its score is known without reading it; the few rows
that do hold one there come from this index and are scored whole (``search.backends.fulltext.
postgres_partition``). An expression index: ``ts_filter`` is immutable, the table keeps its width and its
writes need no trigger. On SQLite (and any other database) the migration does nothing.
"""

from django.db import migrations

from search.migrations._postgres import postgres_only

TABLE = "search_searchentry"

FORWARD = [
    f"CREATE INDEX search_entry_vector_abd_gin ON {TABLE} USING gin (ts_filter(search_vector, '{{a,b,d}}'))",
    f"ANALYZE {TABLE}",
]

BACKWARD = ["DROP INDEX IF EXISTS search_entry_vector_abd_gin"]


class Migration(migrations.Migration):
    dependencies = [("search", "0014_postgres_facet_summary_by_sector")]

    operations = [postgres_only(FORWARD, BACKWARD)]
