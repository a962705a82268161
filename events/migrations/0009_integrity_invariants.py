"""Invariants that hold at every save (issue 9 item 3).

- `Event.first_published_at`: when readers first saw an event; once set it is never deleted.
  Filled from `published_at` (kept when an event is unpublished) or else the earliest history
  record that shows it published or retracted.
- Curators may delete events, actors and sources (the services allow only never-published
  drafts and what they created themselves).
- Voting rules stored on the body: the UN General Assembly (193 members) and the Security
  Council (15 members, 9 votes to adopt, vetoes by the five permanent members), found by the
  demo's slugs where they exist.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Min

import events.validators

PUBLIC = ("published", "retracted")
CURATOR_DELETES = ("event", "actor", "source")
UN_BODIES = {
    "un-general-assembly": {"voting_members": 193},
    "un-security-council": {
        "voting_members": 15,
        "votes_to_adopt": 9,
        "veto_members": "CHN FRA GBR RUS USA",
    },
}


def fill_first_published(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    HistoricalEvent = apps.get_model("events", "HistoricalEvent")
    from_history = dict(
        HistoricalEvent.objects.filter(status__in=PUBLIC)
        .values("id")
        .annotate(first=Min("history_date"))
        .values_list("id", "first")
    )
    for event in Event.objects.filter(first_published_at__isnull=True).only(
        "id", "status", "published_at"
    ):
        first = event.published_at or from_history.get(event.id)
        if first is not None:
            Event.objects.filter(pk=event.pk).update(first_published_at=first)


def _curator_delete_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("events")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
    app_config.models_module = None
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="events",
        codename__in=[f"delete_{model}" for model in CURATOR_DELETES],
    )


def grant_curator_deletes(apps, schema_editor):
    curator = apps.get_model("auth", "Group").objects.filter(name="Curator").first()
    if curator is not None:
        curator.permissions.add(*_curator_delete_permissions(apps, schema_editor))


def revoke_curator_deletes(apps, schema_editor):
    curator = apps.get_model("auth", "Group").objects.filter(name="Curator").first()
    if curator is not None:
        curator.permissions.remove(*_curator_delete_permissions(apps, schema_editor))


def set_un_voting_rules(apps, schema_editor):
    Actor = apps.get_model("events", "Actor")
    for slug, rules in UN_BODIES.items():
        Actor.objects.filter(slug=slug).update(**rules)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0008_two_change_stamps"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="actor",
            name="veto_members",
            field=models.CharField(
                blank=True,
                help_text="For a voting body: ISO 3166 alpha-3 codes of the members whose vote against defeats a text, separated by spaces (CHN FRA GBR RUS USA in the Security Council).",
                max_length=100,
                validators=[events.validators.validate_iso3_list],
            ),
        ),
        migrations.AddField(
            model_name="actor",
            name="votes_to_adopt",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="For a voting body: the fewest votes in favour that adopt a text (9 in the Security Council).",
                null=True,
                verbose_name="votes needed to adopt",
            ),
        ),
        migrations.AddField(
            model_name="actor",
            name="voting_members",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="For a voting body: how many members vote (193 in the UN General Assembly, 15 in the Security Council). Recorded counts may not add up to more.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="first_published_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When readers first saw it; an event with this set is never deleted.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="historicalactor",
            name="veto_members",
            field=models.CharField(
                blank=True,
                help_text="For a voting body: ISO 3166 alpha-3 codes of the members whose vote against defeats a text, separated by spaces (CHN FRA GBR RUS USA in the Security Council).",
                max_length=100,
                validators=[events.validators.validate_iso3_list],
            ),
        ),
        migrations.AddField(
            model_name="historicalactor",
            name="votes_to_adopt",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="For a voting body: the fewest votes in favour that adopt a text (9 in the Security Council).",
                null=True,
                verbose_name="votes needed to adopt",
            ),
        ),
        migrations.AddField(
            model_name="historicalactor",
            name="voting_members",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="For a voting body: how many members vote (193 in the UN General Assembly, 15 in the Security Council). Recorded counts may not add up to more.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="historicalevent",
            name="first_published_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When readers first saw it; an event with this set is never deleted.",
                null=True,
            ),
        ),
        migrations.RunPython(fill_first_published, migrations.RunPython.noop),
        migrations.RunPython(grant_curator_deletes, revoke_curator_deletes),
        migrations.RunPython(set_un_voting_rules, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status__in", ("published", "retracted")), _negated=True),
                    ("first_published_at__isnull", False),
                    _connector="OR",
                ),
                name="events_event_public_was_published",
                violation_error_message="A published or retracted event records when it was first published.",
            ),
        ),
        migrations.AddConstraint(
            model_name="voterecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("result", "adopted"), _negated=True),
                    ("yes_count__gt", models.F("no_count")),
                    _connector="OR",
                ),
                name="events_voterecord_adopted_has_majority",
                violation_error_message="An adopted text needs more votes in favour than against.",
            ),
        ),
    ]
