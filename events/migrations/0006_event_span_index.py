"""PostgreSQL: an index on each event's span (date_upper - date_lower), so the longest span is
one index probe. `EventQuerySet.overlapping` uses it to bound `date_lower` from below, which lets
"from" filters walk the (date_lower, id) index from near the window instead of from the start.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS events_event_span_idx "
            "ON events_event ((date_upper - date_lower))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS events_event_span_idx")


class Migration(migrations.Migration):
    dependencies = [("events", "0005_event_update_publish_indexes")]

    operations = [migrations.RunPython(create, drop)]
