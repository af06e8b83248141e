"""The figure generation: a one-row table whose token triggers renew on every write to certificates (their
validity dates, sector, supplier) and to their status history, in the writing transaction
(``program.models.FigureGeneration``). PostgreSQL: statement triggers (TRUNCATE too), fired BEFORE the
statement so a transaction takes the row's lock before any certificate row lock (two transactions never
hold one each and wait for the other); SQLite (one writer at a time): row triggers.
"""

from django.db import migrations, models

WATCHED = {
    # table → the columns whose update can change a past day's count (None: any write, append-only trail)
    "certification_certificate": "id, issued_on, expires_on, sector, supplier_id",
    "certification_certificatestatuschange": None,
}
POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION program_renew_figure_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO program_figuregeneration (id, token) VALUES (1, md5(random()::text || clock_timestamp()::text))
    ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
    RETURN NULL;
END $$;
"""
SQLITE_RENEW = (
    "INSERT INTO program_figuregeneration (id, token) VALUES (1, lower(hex(randomblob(16)))) "
    "ON CONFLICT(id) DO UPDATE SET token = excluded.token;"
)


def _trigger_names(table: str) -> list[str]:
    model = table.split("_", 1)[1]
    return [f"program_gen_{model}_{event}" for event in ("insert", "update", "delete", "truncate")]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    execute = schema_editor.execute
    if vendor == "postgresql":
        execute(POSTGRESQL_FUNCTION)
    for table, columns in WATCHED.items():
        insert, update, delete, truncate = _trigger_names(table)
        update_of = f"UPDATE OF {columns}" if columns else "UPDATE"
        if vendor == "postgresql":
            action = "FOR EACH STATEMENT EXECUTE FUNCTION program_renew_figure_generation()"
            execute(f"CREATE TRIGGER {insert} BEFORE INSERT OR {update_of} OR DELETE ON {table} {action}")
            execute(f"CREATE TRIGGER {truncate} BEFORE TRUNCATE ON {table} {action}")
        elif vendor == "sqlite":
            for name, event in ((insert, "INSERT"), (update, update_of), (delete, "DELETE")):
                execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {SQLITE_RENEW} END")
        else:
            raise NotImplementedError(f"figure generation triggers for {vendor}")
    execute("INSERT INTO program_figuregeneration (id, token) VALUES (1, 'initial')")


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in WATCHED:
        for name in _trigger_names(table):
            suffix = f" ON {table}" if vendor == "postgresql" else ""
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}{suffix}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS program_renew_figure_generation()")


class Migration(migrations.Migration):
    dependencies = [
        ("program", "0002_single_language_labels"),
        ("certification", "0009_single_language_labels"),
    ]

    operations = [
        migrations.CreateModel(
            name="FigureGeneration",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=64)),
            ],
        ),
        migrations.RunPython(install, uninstall),
    ]
