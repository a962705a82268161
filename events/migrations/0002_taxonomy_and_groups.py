"""Seed the event taxonomy and the two curation groups (Curator, Editor)."""

from django.db import migrations

# (slug, name, parent slug, CAMEO, PLOVER, description). Codes are given only where the
# category genuinely matches; a blank code is more honest than a forced one. Checked against
# the codebooks cited in events/taxonomy.py (0011_taxonomy_codes corrects databases seeded before).
EVENT_TYPES = [
    ("aid", "Aid", None, "07", "AID", "Provision, pledge or withdrawal of aid."),
    ("aid-pledge", "Aid pledge", "aid", "033", "AGREE", "A promise of military, financial or other aid."),
    ("aid-suspension", "Aid suspension", "aid", "162", "SANCTION", "Aid or intelligence sharing paused or stopped."),
    ("aid-resumption", "Aid resumption", "aid", "07", "AID", "Paused aid restarted."),
    ("un-vote", "UN vote", None, "", "", "A recorded vote in a UN body."),
    ("diplomacy", "Diplomacy", None, "04", "CONSULT", "Meetings, talks and relations between actors."),
    ("summit", "Summit", "diplomacy", "040", "CONSULT", "A meeting of heads of state or government."),
    ("bilateral-talks", "Bilateral talks", "diplomacy", "046", "CONSULT", "Negotiations or talks between two parties."),
    ("diplomatic-relations", "Diplomatic relations", "diplomacy", "", "", "Relations, embassies or channels established, restored or cut."),
    ("statement", "Statement", None, "010", "", "A public statement by an actor."),
    ("policy-position", "Policy position", "statement", "", "", "A stated position on a policy question."),
    ("sanctions", "Sanctions", None, "163", "SANCTION", "Sanctions, embargoes or boycotts imposed or lifted."),
    ("agreement", "Agreement", None, "057", "SUPPORT", "A formal agreement signed or concluded."),
    ("military-action", "Military action", None, "190", "ASSAULT", "Use of armed force."),
    ("inauguration-election", "Inauguration or election", None, "", "", "A leader elected or taking office."),
]

CURATION_MODELS = [
    "actor", "role", "eventtype", "event", "participation", "eventrelation", "source",
    "citation", "voterecord", "countryvote", "aidmeasure", "timeline", "timelineentry",
]


def seed_types(apps, schema_editor):
    EventType = apps.get_model("events", "EventType")
    by_slug = {}
    for slug, name, parent, cameo, plover, description in EVENT_TYPES:
        by_slug[slug], _ = EventType.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "parent": by_slug.get(parent),
                "cameo_code": cameo,
                "plover_code": plover,
                "description": description,
            },
        )


def seed_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    events_perms = Permission.objects.filter(content_type__app_label="events")

    curator, _ = Group.objects.get_or_create(name="Curator")
    curator.permissions.set(
        events_perms.filter(
            codename__in=[
                f"{action}_{model}" for model in CURATION_MODELS for action in ("add", "change", "view")
            ]
        )
    )
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(
        events_perms.filter(
            codename__in=[
                f"{action}_{model}"
                for model in CURATION_MODELS
                for action in ("add", "change", "delete", "view")
            ]
            + ["publish_event"]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(seed_types, migrations.RunPython.noop),
        migrations.RunPython(seed_groups, migrations.RunPython.noop),
    ]
