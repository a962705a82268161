"""History moves from django-simple-history to django-reversion (docs/history.md).

simple-history kept one record per row and save, model by model; a revision keeps a whole
aggregate (an event with its participations, citations, aid, vote record, country votes and
relations; a timeline with its entries; an actor with their posts; a source; an event type).
Every historical record is replayed, per aggregate and in order, into the state the aggregate
had after it; records of one aggregate by the same user with the same reason less than two
seconds apart (one admin save of an event and its inline rows) become one revision, dated at
the last of them, by the same user, with the same reason (or "Recorded before revisions").
Nothing is lost: the newest revision of every aggregate equals its last recorded state. Then
the historical tables are dropped.
"""

import json
from collections import defaultdict
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations, models
import django.db.models.deletion
from django.conf import settings

# The aggregates as in events.models.base.AGGREGATE_ROOTS, frozen here: part -> path to root.
PATHS = {
    "participation": ("event",),
    "citation": ("event",),
    "aidmeasure": ("event",),
    "voterecord": ("event",),
    "countryvote": ("vote_record", "event"),
    "eventrelation": ("from_event",),
    "timelineentry": ("timeline",),
    "role": ("person",),
}
ROOT_OF = {"vote_record": "voterecord", "event": "event", "from_event": "event",
           "timeline": "timeline", "person": "actor"}
ROOTS = ("event", "timeline", "actor", "source", "eventtype")
NOT_RECORDED = {"event": ("search_actors",), "actor": ("search_names",)}
M2M = {"timeline": ("query_actors", "query_types")}
SAME_SAVE = timedelta(seconds=2)
DEFAULT_REASON = "Recorded before revisions"


def _fields(model, row, m2m=None):
    skip = NOT_RECORDED.get(model._meta.model_name, ())
    fields = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in skip:
            continue
        fields[field.name] = row.get(field.attname)
    fields.update(m2m or {})
    return fields


def _repr(name, fields, names):
    if name in ("event", "source", "timeline"):
        return fields.get("title") or ""
    if name in ("actor", "eventtype"):
        return fields.get("name") or ""
    if name == "voterecord":
        return fields.get("document_symbol") or fields.get("title") or ""
    if name in ("participation", "countryvote"):
        actor = names.get(fields.get("actor"), f"#{fields.get('actor')}")
        return f"{actor} ({fields.get('role') or fields.get('option')})"
    if name == "citation":
        return f"Citation of source #{fields.get('source')}"
    if name == "timelineentry":
        return f"{fields.get('position')}. event #{fields.get('event')}"
    if name == "role":
        return fields.get("title") or ""
    return f"{name} #{fields.get('id', '')}"


def history_to_revisions(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("reversion", "Revision")
    Version = apps.get_model("reversion", "Version")
    db = schema_editor.connection.alias
    models = {name: apps.get_model("events", name) for name in (*ROOTS, *PATHS)}
    historical = {name: apps.get_model("events", f"Historical{model.__name__}")
                  for name, model in models.items()}
    if not any(h.objects.using(db).exists() for h in historical.values()):
        return
    names = dict(models["actor"].objects.using(db).values_list("pk", "name"))
    vote_event = {}
    for row in historical["voterecord"].objects.using(db).values("id", "event_id"):
        vote_event[row["id"]] = row["event_id"]
    for row in models["voterecord"].objects.using(db).values("id", "event_id"):
        vote_event[row["id"]] = row["event_id"]

    m2m_of = defaultdict(dict)  # history_id of a timeline record -> {field: [ids]}
    for field, through, column in (
        ("query_actors", "HistoricalTimeline_query_actors", "actor_id"),
        ("query_types", "HistoricalTimeline_query_types", "eventtype_id"),
    ):
        for row in apps.get_model("events", through).objects.using(db).values("history_id", column):
            m2m_of[row["history_id"]].setdefault(field, []).append(row[column])

    records = defaultdict(list)  # (root name, root id) -> [(date, history_id, name, row)]
    for name, model in historical.items():
        for row in model.objects.using(db).order_by("history_date", "history_id").values():
            if name in PATHS:
                path = PATHS[name]
                if name == "countryvote":
                    root = ("event", vote_event.get(row["vote_record_id"]))
                else:
                    root = (ROOT_OF[path[0]], row[f"{path[0]}_id"])
            else:
                root = (name, row["id"])
            if root[1] is not None:
                records[root].append(row | {"_name": name})

    types = {name: ContentType.objects.db_manager(db).get_or_create(
        app_label="events", model=name)[0] for name in models}
    for (root_name, root_id), rows in sorted(records.items(), key=lambda item: (item[0][0], item[0][1])):
        rows.sort(key=lambda row: (row["history_date"], row["history_id"]))
        state = {}  # (name, id) -> fields, or None once deleted
        groups, current = [], []
        for row in rows:
            if current and (
                row["history_user_id"] != current[0]["history_user_id"]
                or (row["history_change_reason"] or "") != (current[0]["history_change_reason"] or "")
                or row["history_date"] - current[0]["history_date"] > SAME_SAVE
            ):
                groups.append(current)
                current = []
            current.append(row)
        if current:
            groups.append(current)
        for group in groups:
            for row in group:
                name = row["_name"]
                key = (name, row["id"])
                if row["history_type"] == "-":
                    state[key] = None
                else:
                    m2m = m2m_of.get(row["history_id"]) if name in M2M else None
                    if name in M2M:
                        m2m = {field: (m2m or {}).get(field, []) for field in M2M[name]}
                    state[key] = _fields(models[name], row, m2m)
            root_key = (root_name, root_id)
            if state.get(root_key) is None:
                live = models[root_name].objects.using(db).filter(pk=root_id).values().first()
                if live is None:
                    continue  # the root is gone: its history goes with it
                root_fields = _fields(models[root_name], live)
            else:
                root_fields = state[root_key]
            last = group[-1]
            revision = Revision.objects.using(db).create(
                date_created=last["history_date"],
                user_id=last["history_user_id"],
                comment=last["history_change_reason"] or DEFAULT_REASON,
            )
            versions = []
            parts = [(key, fields) for key, fields in state.items() if key != root_key]
            for (name, pk), fields in [(root_key, root_fields), *parts]:
                if fields is None:
                    continue
                data = json.dumps(
                    [{"model": f"events.{name}", "pk": pk, "fields": fields}],
                    cls=DjangoJSONEncoder,
                )
                versions.append(Version(
                    revision=revision,
                    object_id=str(pk),
                    content_type=types[name],
                    db=db,
                    format="json",
                    serialized_data=data,
                    object_repr=_repr(name, fields, names)[:200],
                ))
            Version.objects.using(db).bulk_create(versions)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('reversion', '0002_add_index_on_version_for_content_type_and_db'),
        ('events', '0011_taxonomy_codes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(history_to_revisions, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='historicalaidmeasure',
            name='donor',
        ),
        migrations.RemoveField(
            model_name='historicalaidmeasure',
            name='event',
        ),
        migrations.RemoveField(
            model_name='historicalaidmeasure',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicalaidmeasure',
            name='recipient',
        ),
        migrations.RemoveField(
            model_name='historicalcitation',
            name='event',
        ),
        migrations.RemoveField(
            model_name='historicalcitation',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicalcitation',
            name='source',
        ),
        migrations.RemoveField(
            model_name='historicalcountryvote',
            name='actor',
        ),
        migrations.RemoveField(
            model_name='historicalcountryvote',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicalcountryvote',
            name='vote_record',
        ),
        migrations.RemoveField(
            model_name='historicalevent',
            name='created_by',
        ),
        migrations.RemoveField(
            model_name='historicalevent',
            name='event_type',
        ),
        migrations.RemoveField(
            model_name='historicalevent',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicalevent',
            name='location_country',
        ),
        migrations.RemoveField(
            model_name='historicalevent',
            name='updated_by',
        ),
        migrations.RemoveField(
            model_name='historicaleventrelation',
            name='from_event',
        ),
        migrations.RemoveField(
            model_name='historicaleventrelation',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicaleventrelation',
            name='to_event',
        ),
        migrations.RemoveField(
            model_name='historicaleventtype',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicaleventtype',
            name='parent',
        ),
        migrations.RemoveField(
            model_name='historicalparticipation',
            name='actor',
        ),
        migrations.RemoveField(
            model_name='historicalparticipation',
            name='event',
        ),
        migrations.RemoveField(
            model_name='historicalparticipation',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicalrole',
            name='created_by',
        ),
        migrations.RemoveField(
            model_name='historicalrole',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicalrole',
            name='organisation',
        ),
        migrations.RemoveField(
            model_name='historicalrole',
            name='person',
        ),
        migrations.RemoveField(
            model_name='historicalrole',
            name='updated_by',
        ),
        migrations.RemoveField(
            model_name='historicalsource',
            name='created_by',
        ),
        migrations.RemoveField(
            model_name='historicalsource',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicalsource',
            name='updated_by',
        ),
        migrations.RemoveField(
            model_name='historicaltimeline',
            name='created_by',
        ),
        migrations.RemoveField(
            model_name='historicaltimeline',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicaltimeline',
            name='updated_by',
        ),
        migrations.RemoveField(
            model_name='historicaltimeline_query_actors',
            name='history',
        ),
        migrations.RemoveField(
            model_name='historicaltimeline_query_types',
            name='history',
        ),
        migrations.RemoveField(
            model_name='historicaltimeline_query_actors',
            name='actor',
        ),
        migrations.RemoveField(
            model_name='historicaltimeline_query_actors',
            name='timeline',
        ),
        migrations.RemoveField(
            model_name='historicaltimeline_query_types',
            name='eventtype',
        ),
        migrations.RemoveField(
            model_name='historicaltimeline_query_types',
            name='timeline',
        ),
        migrations.RemoveField(
            model_name='historicaltimelineentry',
            name='event',
        ),
        migrations.RemoveField(
            model_name='historicaltimelineentry',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicaltimelineentry',
            name='timeline',
        ),
        migrations.RemoveField(
            model_name='historicalvoterecord',
            name='body',
        ),
        migrations.RemoveField(
            model_name='historicalvoterecord',
            name='event',
        ),
        migrations.RemoveField(
            model_name='historicalvoterecord',
            name='history_user',
        ),
        migrations.DeleteModel(
            name='HistoricalActor',
        ),
        migrations.DeleteModel(
            name='HistoricalAidMeasure',
        ),
        migrations.DeleteModel(
            name='HistoricalCitation',
        ),
        migrations.DeleteModel(
            name='HistoricalCountryVote',
        ),
        migrations.DeleteModel(
            name='HistoricalEvent',
        ),
        migrations.DeleteModel(
            name='HistoricalEventRelation',
        ),
        migrations.DeleteModel(
            name='HistoricalEventType',
        ),
        migrations.DeleteModel(
            name='HistoricalParticipation',
        ),
        migrations.DeleteModel(
            name='HistoricalRole',
        ),
        migrations.DeleteModel(
            name='HistoricalSource',
        ),
        migrations.DeleteModel(
            name='HistoricalTimeline',
        ),
        migrations.DeleteModel(
            name='HistoricalTimeline_query_actors',
        ),
        migrations.DeleteModel(
            name='HistoricalTimeline_query_types',
        ),
        migrations.DeleteModel(
            name='HistoricalTimelineEntry',
        ),
        migrations.DeleteModel(
            name='HistoricalVoteRecord',
        ),
        migrations.CreateModel(
            name='RevisionReview',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('root_id', models.CharField(help_text='Primary key of the event or timeline.', max_length=40)),
                ('root_repr', models.CharField(help_text='Its title when proposed.', max_length=300)),
                ('base_version', models.PositiveIntegerField(help_text='The version the change was made to; approving needs it still current.')),
                ('status', models.CharField(choices=[('pending', 'Waiting for an editor'), ('approved', 'Approved (live)'), ('rejected', 'Rejected')], db_index=True, default='pending', max_length=10)),
                ('reviewed_at', models.DateTimeField(blank=True, null=True)),
                ('reason', models.TextField(blank=True, help_text='Why it was rejected; the curator sees it.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('proposed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('revision', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='review', to='reversion.revision')),
                ('root_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype')),
            ],
            options={
                'verbose_name': 'proposed change',
                'ordering': ['-id'],
                'indexes': [models.Index(fields=['root_type', 'root_id'], name='events_review_root_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('status', 'rejected'), _negated=True), models.Q(('reason', ''), _negated=True), _connector='OR'), name='events_revisionreview_rejection_has_reason', violation_error_message='Say why the change is rejected; the curator sees it.')],
            },
        ),
    ]
