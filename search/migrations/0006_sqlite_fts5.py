"""SQLite only: FTS5 indexes over the search table, kept in step by triggers (``search.backends.fulltext.sqlite``).

Does nothing on other databases. Fills both indexes from the rows already there, so an upgraded database
searches through the index at once. The DDL is written out here (not imported) so this migration stays what
it was when it ran.
"""

import string

from django.db import migrations

# every ASCII punctuation mark is part of a token: the morpheme text is split on spaces only (3.5, 1/2 and
# 123-45-67890 are one term each), as the LIKE translation and Elasticsearch's whitespace analyser split it
_TOKENCHARS = string.punctuation.replace("'", "''")
_TOKENIZE = ("unicode61 remove_diacritics 0 tokenchars '" + _TOKENCHARS + "'").replace('"', '""')
_COLUMNS = ("name", "name_morph", "spec_morph", "body_morph", "company_morph", "codes", "regions")
_COLUMN_LIST = ", ".join(_COLUMNS)
# the words typo correction knows (search.vocabulary.words_of): split on anything not a letter or digit
_WORDS = "{row}.name || ' ' || {row}.name_morph || ' ' || {row}.spec_morph"


def _values(row):
    return ", ".join(f"{row}.{column}" for column in _COLUMNS)


_INSERT = (
    f"INSERT INTO search_fts(rowid, {_COLUMN_LIST}) VALUES (new.listing_id, {_values('new')});"
    f" INSERT INTO search_fts_words(rowid, words) VALUES (new.listing_id, {_WORDS.format(row='new')});"
)
_DELETE = (
    f"INSERT INTO search_fts(search_fts, rowid, {_COLUMN_LIST}) VALUES ('delete', old.listing_id, {_values('old')});"
    " INSERT INTO search_fts_words(search_fts_words, rowid, words)"
    f" VALUES ('delete', old.listing_id, {_WORDS.format(row='old')});"
)

CREATE = [
    f"""CREATE VIRTUAL TABLE search_fts USING fts5({_COLUMN_LIST},
        content='search_searchentry', content_rowid='listing_id', tokenize="{_TOKENIZE}")""",
    "CREATE VIRTUAL TABLE search_fts_words USING fts5(words, content='', tokenize='unicode61 remove_diacritics 0')",
    "CREATE VIRTUAL TABLE search_fts_words_vocab USING fts5vocab(search_fts_words, row)",
    f"CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN {_INSERT} END",
    f"CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN {_DELETE} END",
    f"CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN {_DELETE} {_INSERT} END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    f"INSERT INTO search_fts_words(rowid, words) SELECT listing_id, {_WORDS.format(row='search_searchentry')}"
    " FROM search_searchentry",
]
DROP = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts_words_vocab",
    "DROP TABLE IF EXISTS search_fts_words",
    "DROP TABLE IF EXISTS search_fts",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
        if not cursor.fetchone()[0]:
            raise RuntimeError(
                "This SQLite build lacks FTS5 full-text search, which the database search backend needs: "
                "use a Python whose sqlite3 module has FTS5 (python.org and Debian builds do), or PostgreSQL."
            )
    for statement in CREATE:
        schema_editor.execute(statement, params=None)  # no parameters: the % in the tokenizer is literal


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in DROP:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_merge_0003_rebuild_job_0004_synonym_starter_set")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
