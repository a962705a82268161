"""API tokens move to django-rest-knox (hashed, expiring); editors may lift login lockouts.

1. Curators and editors may create, list and revoke their own API tokens (knox's AuthToken);
   the admin shows each person only their own.
2. Editors may view and delete django-axes access attempts, which unlocks a locked-out login.
3. DRF's plaintext tokens (the `authtoken_token` table of rest_framework.authtoken, which is no
   longer installed) are imported as knox digests of the same key, expiring after the usual
   token lifetime, and the plaintext table is dropped: clients keep working with the key they
   have until then, and no readable key stays in the database. Reversing does not bring the
   plaintext back.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

TOKEN_ACTIONS = ("add", "view", "delete")
UNLOCK_ACTIONS = ("view", "delete")


def _permissions(apps, schema_editor, app_label, model, actions):
    from django.contrib.auth.management import create_permissions

    # On a new database permissions are created after all migrations; these are needed now.
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return list(
        Permission.objects.filter(
            content_type__app_label=app_label,
            codename__in=[f"{action}_{model}" for action in actions],
        )
    )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    tokens = _permissions(apps, schema_editor, "knox", "authtoken", TOKEN_ACTIONS)
    unlock = _permissions(apps, schema_editor, "axes", "accessattempt", UNLOCK_ACTIONS)
    for group in Group.objects.filter(name__in=["Curator", "Editor"]):
        group.permissions.add(*tokens)
        if group.name == "Editor":
            group.permissions.add(*unlock)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    tokens = _permissions(apps, schema_editor, "knox", "authtoken", TOKEN_ACTIONS)
    unlock = _permissions(apps, schema_editor, "axes", "accessattempt", UNLOCK_ACTIONS)
    for group in Group.objects.filter(name__in=["Curator", "Editor"]):
        group.permissions.remove(*tokens, *unlock)


def import_drf_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" not in connection.introspection.table_names():
        return
    from knox.crypto import hash_token
    from knox.settings import CONSTANTS

    AuthToken = apps.get_model("knox", "AuthToken")
    expiry = timezone.now() + settings.REST_KNOX["TOKEN_TTL"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id FROM authtoken_token")
        rows = cursor.fetchall()
    AuthToken.objects.bulk_create(
        AuthToken(
            digest=hash_token(key),
            token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH],
            user_id=user_id,
            expiry=expiry,
        )
        for key, user_id in rows
    )
    schema_editor.execute("DROP TABLE authtoken_token")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_taxonomy_and_groups"),
        ("knox", "0009_extend_authtoken_field"),
        ("axes", "0010_accessattemptexpiration"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(grant, revoke),
        migrations.RunPython(import_drf_tokens, migrations.RunPython.noop),
    ]
