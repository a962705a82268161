"""API tokens (django-rest-knox): hashed at rest, expiring, revocable, each person's own."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_ACTOR = {"slug": "new-actor", "name": "New", "kind": "state", "iso3": "FRA"}


def write_with(token: str):
    return Client().post(
        "/api/v1/actors/",
        NEW_ACTOR,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )


def create_in_admin(client, **data):
    expiry = timezone.now() + timedelta(days=30)
    data = {"expiry_0": expiry.strftime("%Y-%m-%d"), "expiry_1": "12:00:00", **data}
    return client.post("/admin/knox/authtoken/add/", data)


@pytest.mark.parametrize("role", ["curator", "editor"])
def test_curators_and_editors_create_their_own_token_in_the_admin_and_see_it_once(request, role):
    client = request.getfixturevalue(f"{role}_client")
    user = request.getfixturevalue(role)
    response = create_in_admin(client)
    assert response.status_code == 200
    token = re.search(r'<code id="api-token">(\w+)</code>', response.content.decode())[1]
    stored = AuthToken.objects.get(user=user)
    assert stored.digest == hash_token(token) and token not in stored.digest
    assert stored.token_key == token[:15]
    assert timezone.now() + timedelta(days=29) < stored.expiry
    assert write_with(token).status_code == 201


def test_a_token_is_never_stored_in_plain_text(curator):
    _, token = AuthToken.objects.create(user=curator)
    with connection.cursor() as cursor:
        cursor.execute("SELECT digest, token_key FROM knox_authtoken")
        rows = cursor.fetchall()
    assert all(token not in column for row in rows for column in row)


def test_an_expired_token_is_refused_with_a_401(curator):
    _, token = AuthToken.objects.create(user=curator, expiry=timedelta(seconds=-1))
    response = write_with(token)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Invalid token."}


def test_a_revoked_token_stops_working(curator):
    instance, token = AuthToken.objects.create(user=curator)
    assert write_with(token).status_code == 201
    instance.delete()
    assert write_with(token).status_code == 401


def test_the_admin_lists_only_ones_own_tokens(curator, curator_client, editor):
    AuthToken.objects.create(user=curator)
    theirs, _ = AuthToken.objects.create(user=editor)
    page = curator_client.get("/admin/knox/authtoken/").content.decode()
    assert "1 auth token" in page
    assert theirs.token_key not in page
    delete = curator_client.post(f"/admin/knox/authtoken/{theirs.digest}/delete/", {"post": "yes"})
    assert delete.status_code in (302, 404)
    assert AuthToken.objects.filter(pk=theirs.pk).exists()


def test_a_person_revokes_their_own_token_in_the_admin(curator, curator_client):
    mine, token = AuthToken.objects.create(user=curator)
    url = f"/admin/knox/authtoken/{mine.digest}/delete/"
    assert curator_client.post(url, {"post": "yes"}).status_code == 302
    assert not AuthToken.objects.exists()
    assert write_with(token).status_code == 401


def test_a_token_cannot_be_created_for_longer_than_a_year(curator_client):
    expiry = timezone.now() + timedelta(days=400)
    response = create_in_admin(curator_client, expiry_0=expiry.strftime("%Y-%m-%d"))
    assert response.status_code == 200
    assert b"at most a year" in response.content
    assert not AuthToken.objects.exists()


def test_people_outside_the_curation_groups_cannot_create_tokens(db):
    stranger = UserFactory(username="stranger")
    client = Client()
    client.force_login(stranger)
    assert create_in_admin(client).status_code == 403


def test_the_command_creates_a_token_for_a_person(curator):
    out = StringIO()
    call_command("create_api_token", "curator", "--days", "7", stdout=out)
    token = out.getvalue().strip()
    stored = AuthToken.objects.get(user=curator)
    assert stored.digest == hash_token(token)
    assert stored.expiry < timezone.now() + timedelta(days=7, minutes=1)
    with pytest.raises(CommandError, match="No active user"):
        call_command("create_api_token", "nobody")


class SchemaEditor:
    """What the migration uses of a schema editor, inside the test's transaction."""

    connection = connection

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_old_drf_tokens_are_imported_as_digests_and_keep_working_until_they_expire(curator):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("accounts.migrations.0001_tokens_and_lockouts")
    key = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, "
            "user_id integer)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)", [key, timezone.now(), curator.pk]
        )
    migration.import_drf_tokens(apps, SchemaEditor())
    assert "authtoken_token" not in connection.introspection.table_names()
    stored = AuthToken.objects.get(user=curator)
    assert stored.digest == hash_token(key)
    assert stored.expiry < timezone.now() + timedelta(days=91)
    assert write_with(key).status_code == 201
