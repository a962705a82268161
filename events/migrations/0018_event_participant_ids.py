"""Each event's participant actor ids on the event row, and (PostgreSQL) one GIN index that
holds them beside the search vector, so that a search with an actor is one bitmap index scan
(see events.search and docs/benchmarks.md, "Plans before and after (issue 8)").

The ids are derived like `search_actors` (EventQuerySet.refresh_search_actors keeps both). The
fill is one statement per database; it rewrites every event row (on PostgreSQL the generated
`search_vector` is recomputed with it), so on a large table run VACUUM ANALYZE afterwards.
"""

from django.db import migrations

import events.models.fields

FILL = {
    # Events without participations keep the column's default, [] / '{}'.
    "postgresql": """
        UPDATE events_event e SET participant_ids = p.ids
          FROM (SELECT event_id, array_agg(DISTINCT actor_id ORDER BY actor_id) AS ids
                  FROM events_participation GROUP BY event_id) p
         WHERE p.event_id = e.id
    """,
    # json_group_array aggregates in the order of the ordered subquery, as SortedIds relies on.
    "sqlite": """
        UPDATE events_event SET participant_ids = (
            SELECT json_group_array(actor_id) FROM (
                SELECT DISTINCT actor_id FROM events_participation
                 WHERE event_id = events_event.id ORDER BY actor_id))
         WHERE id IN (SELECT event_id FROM events_participation)
    """,
}
INDEX = (
    "CREATE INDEX events_event_search_participants_idx ON events_event "
    "USING gin (search_vector, participant_ids)"
)
DROP_INDEX = "DROP INDEX IF EXISTS events_event_search_participants_idx"


def fill(apps, schema_editor):
    schema_editor.execute(FILL[schema_editor.connection.vendor])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


class Migration(migrations.Migration):
    dependencies = [("events", "0017_merge_snapshots_and_slug_redirects")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="participant_ids",
            field=events.models.fields.IdSetField(
                blank=True,
                default=list,
                editable=False,
                help_text="Participants' actor ids, sorted and distinct, for search with an actor.",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
