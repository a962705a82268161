"""Curators may remove the rows they edit inline on an event, a vote record or a timeline (a
wrong participant, citation, country vote, aid measure, related event or timeline entry); each
removal is recorded in that row's history. Events, actors, sources and the other rows stay
deletable by editors only, as 0002 set them.
"""

from django.db import migrations

INLINE_ROWS = [
    "participation",
    "citation",
    "countryvote",
    "aidmeasure",
    "eventrelation",
    "timelineentry",
]


def _delete_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # On a new database permissions are created after all migrations; these are needed now.
    app_config = apps.get_app_config("events")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="events",
        codename__in=[f"delete_{model}" for model in INLINE_ROWS],
    )


def _curator(apps):
    return apps.get_model("auth", "Group").objects.filter(name="Curator").first()


def grant(apps, schema_editor):
    curator = _curator(apps)
    if curator is not None:
        curator.permissions.add(*_delete_permissions(apps, schema_editor))


def revoke(apps, schema_editor):
    curator = _curator(apps)
    if curator is not None:
        curator.permissions.remove(*_delete_permissions(apps, schema_editor))


class Migration(migrations.Migration):
    dependencies = [("events", "0006_event_span_index")]

    operations = [migrations.RunPython(grant, revoke)]
