"""A password handed to a person (add_curator, a reset) works once: at sign-in the admin asks for
their own before anything else, and their own password then works everywhere."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from accounts.models import IssuedPassword

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a password of her own 4815"


def _printed_password(command: str, *args) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return re.search(r"(?:password: |Login: \S+ / )(\S+)", out.getvalue())[1]


def _sign_in(client: Client, username: str, password: str):
    return client.post(
        "/admin/login/?next=/admin/events/event/",
        {"username": username, "password": password, "next": "/admin/events/event/"},
        follow=True,
    )


def _change_password(client: Client, old: str):
    return client.post(
        "/admin/password_change/",
        {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )


def test_a_new_curator_must_choose_a_password_before_anything_else():
    issued = _printed_password("add_curator", "maria")
    client = Client()

    landed = _sign_in(client, "maria", issued)

    assert landed.redirect_chain[-1][0] == "/admin/password_change/"
    assert "Choose your own now" in landed.content.decode()
    for path in ("/admin/", "/admin/events/event/", "/admin/events/event/add/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/admin/password_change/"
    # Signing out stays possible.
    assert client.post("/admin/logout/").status_code == 200


def test_after_choosing_a_password_the_admin_opens_and_the_issued_one_is_dead():
    issued = _printed_password("add_curator", "maria")
    client = Client()
    _sign_in(client, "maria", issued)

    done = _change_password(client, issued)

    assert done.status_code == 200 and done.request["PATH_INFO"] == "/admin/password_change/done/"
    assert client.get("/admin/events/event/").status_code == 200
    assert not IssuedPassword.objects.exists()
    maria = User.objects.get(username="maria")
    assert maria.check_password(NEW_PASSWORD) and not maria.check_password(issued)
    # A later sign-in with her own password goes straight where she asked.
    other = Client()
    assert _sign_in(other, "maria", NEW_PASSWORD).redirect_chain[-1][0] == "/admin/events/event/"


def test_a_reset_password_works_once_too(monkeypatch):
    monkeypatch.delenv("TIMELINE_ADMIN_PASSWORD", raising=False)
    User.objects.create_user("sam", password="lost and forgotten 55", is_staff=True)
    issued = _printed_password("ensure_admin", "--reset-password", "--username", "sam")

    assert _sign_in(Client(), "sam", issued).redirect_chain[-1][0] == "/admin/password_change/"


def test_an_operators_own_password_is_not_one_time(monkeypatch):
    """TIMELINE_ADMIN_PASSWORD is the operator's choice, and the first admin's generated
    password is theirs too: neither is forced to change."""
    monkeypatch.setenv("TIMELINE_ADMIN_PASSWORD", "the operator chose this 2718")
    User.objects.create_superuser("admin", password="old one 31415 long")
    IssuedPassword.objects.create(user=User.objects.get(), password_hash="stale")
    call_command("ensure_admin", "--reset-password", stdout=StringIO())

    assert not IssuedPassword.objects.exists()
    landed = _sign_in(Client(), "admin", "the operator chose this 2718")
    assert landed.redirect_chain[-1][0] == "/admin/events/event/"


def test_a_password_an_admin_sets_for_someone_else_works_once(superuser_client):
    """Users › Add user, and "Set password" on another person's account, hand a password
    over just as add_curator does."""
    added = superuser_client.post(
        "/admin/auth/user/add/",
        {"username": "lena", "password1": "handed over 8642 pw", "password2": "handed over 8642 pw",
         "usable_password": "true"},
    )  # fmt: skip
    assert added.status_code == 302, added.content[:2000]
    lena = User.objects.get(username="lena")
    lena.is_staff = True
    lena.save(update_fields=["is_staff"])
    assert IssuedPassword.objects.get(user=lena)

    assert _sign_in(Client(), "lena", "handed over 8642 pw").redirect_chain[-1][0] == (
        "/admin/password_change/"
    )
    changed = superuser_client.post(
        f"/admin/auth/user/{lena.pk}/password/",
        {"password1": "handed again 97531 x", "password2": "handed again 97531 x",
         "usable_password": "true"},
    )  # fmt: skip
    assert changed.status_code == 302
    assert _sign_in(Client(), "lena", "handed again 97531 x").redirect_chain[-1][0] == (
        "/admin/password_change/"
    )


def test_changing_ones_own_password_in_users_is_not_one_time(superuser_client):
    root = User.objects.get(username="root")
    superuser_client.post(
        f"/admin/auth/user/{root.pk}/password/",
        {"password1": "my own choice 1357 x", "password2": "my own choice 1357 x",
         "usable_password": "true"},
    )  # fmt: skip
    assert User.objects.get(pk=root.pk).check_password("my own choice 1357 x")
    assert not IssuedPassword.objects.exists()
