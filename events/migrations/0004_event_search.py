"""PostgreSQL full-text and fuzzy search on events (see events.search); nothing on SQLite.

`search_vector` is a STORED generated column, so it is always in step with the row and never a
model field: the ORM neither selects nor writes it, and other databases simply lack it.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    ALTER TABLE events_event ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')
        || setweight(to_tsvector('simple'::regconfig, coalesce(search_actors, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX events_event_search_vector_idx ON events_event USING gin (search_vector)",
    # Misspelt names and titles ("Zelenski" for "Zelenskyy"): trigram word similarity.
    "CREATE INDEX events_event_actors_trgm_idx ON events_event "
    "USING gin (search_actors gin_trgm_ops)",
    "CREATE INDEX events_event_title_trgm_idx ON events_event USING gin (title gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS events_event_title_trgm_idx",
    "DROP INDEX IF EXISTS events_event_actors_trgm_idx",
    "DROP INDEX IF EXISTS events_event_search_vector_idx",
    "ALTER TABLE events_event DROP COLUMN IF EXISTS search_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("events", "0003_change_stamp")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
