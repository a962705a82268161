"""(PostgreSQL) Drop the GIN index on `search_vector` alone: the two-column GIN index of
migration 0018, `(search_vector, participant_ids)`, answers a search without an actor with the
same plan and speed (a multicolumn GIN index serves a condition on any of its columns; at
1,000,000 events `q=sanctions` reads the same 59,167 pages in 284–291 ms against 282–315 ms),
and every new or changed event paid for both. docs/benchmarks.md, "Imports".
"""

from django.db import migrations

INDEX = "CREATE INDEX events_event_search_vector_idx ON events_event USING gin (search_vector)"
DROP_INDEX = "DROP INDEX IF EXISTS events_event_search_vector_idx"


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


class Migration(migrations.Migration):
    dependencies = [("events", "0018_event_participant_ids")]

    operations = [migrations.RunPython(drop_index, create_index)]
