"""`manage.py ensure_admin`: the first admin account, created once, never with a fixed password."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def ensure_admin(*args) -> str:
    out = StringIO()
    call_command("ensure_admin", *args, stdout=out)
    return out.getvalue()


def test_it_creates_a_superuser_with_a_generated_password_shown_once(monkeypatch):
    monkeypatch.delenv("TIMELINE_ADMIN_USERNAME", raising=False)
    monkeypatch.delenv("TIMELINE_ADMIN_PASSWORD", raising=False)
    output = ensure_admin()
    match = re.search(r"Admin login: admin / (\S+) \(shown once; change it in the admin\)", output)
    assert match, output
    password = match[1]
    assert len(password) >= 20
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    # Logins carry their request (django-axes counts failures per client).
    login = RequestFactory().post("/admin/login/")
    assert authenticate(login, username="admin", password=password) == admin

    again = ensure_admin()
    assert "exists already" in again and password not in again
    assert User.objects.count() == 1
    assert User.objects.get(username="admin").check_password(password)


def test_two_runs_generate_different_passwords(monkeypatch):
    monkeypatch.delenv("TIMELINE_ADMIN_PASSWORD", raising=False)
    first = re.search(r"admin / (\S+)", ensure_admin())[1]
    User.objects.all().delete()
    second = re.search(r"admin / (\S+)", ensure_admin())[1]
    assert first != second


def test_it_takes_the_username_and_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("TIMELINE_ADMIN_USERNAME", "curator-in-chief")
    monkeypatch.setenv("TIMELINE_ADMIN_PASSWORD", "a long passphrase from the vault")
    output = ensure_admin()
    assert "a long passphrase from the vault" not in output
    assert "curator-in-chief" in output
    user = User.objects.get(username="curator-in-chief")
    assert user.is_superuser
    assert user.check_password("a long passphrase from the vault")


def test_it_does_nothing_when_a_superuser_exists(monkeypatch):
    monkeypatch.delenv("TIMELINE_ADMIN_PASSWORD", raising=False)
    User.objects.create_superuser("founder", password="unchanged secret 42")
    output = ensure_admin()
    assert "“founder” exists already" in output
    assert list(User.objects.values_list("username", flat=True)) == ["founder"]
    assert User.objects.get().check_password("unchanged secret 42")


def test_it_leaves_an_existing_account_of_that_name_alone(monkeypatch):
    monkeypatch.delenv("TIMELINE_ADMIN_PASSWORD", raising=False)
    User.objects.create_user("admin", password="their own password 7", is_staff=True)
    assert "“admin” exists already" in ensure_admin()
    user = User.objects.get()
    assert not user.is_superuser
    assert user.check_password("their own password 7")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("admin", "too short"),
        ("password123", "too common"),
        ("83749201837465", "entirely numeric"),
    ],
)
def test_it_refuses_a_weak_password_from_the_environment(monkeypatch, password, reason):
    monkeypatch.delenv("TIMELINE_ADMIN_USERNAME", raising=False)
    monkeypatch.setenv("TIMELINE_ADMIN_PASSWORD", password)
    with pytest.raises(CommandError, match="TIMELINE_ADMIN_PASSWORD is too weak") as refused:
        ensure_admin()
    assert reason in str(refused.value)
    assert not User.objects.exists()


def test_it_refuses_a_password_like_the_username(monkeypatch):
    monkeypatch.setenv("TIMELINE_ADMIN_USERNAME", "archivist-general")
    monkeypatch.setenv("TIMELINE_ADMIN_PASSWORD", "archivist-general1")
    with pytest.raises(CommandError, match="too similar to the username"):
        ensure_admin()


def test_it_ends_with_where_and_how_to_sign_in(monkeypatch):
    monkeypatch.delenv("TIMELINE_ADMIN_USERNAME", raising=False)
    monkeypatch.delenv("TIMELINE_ADMIN_PASSWORD", raising=False)
    lines = ensure_admin("--url", "http://127.0.0.1:8000/admin/").strip().splitlines()
    assert lines[1] == "Curators' admin: http://127.0.0.1:8000/admin/"
    assert lines[2].startswith("Admin login: admin / ")
    again = ensure_admin("--url", "http://127.0.0.1:8000/admin/").strip().splitlines()
    assert "Curators' admin: http://127.0.0.1:8000/admin/" in again
    assert any("Lost it? make reset-password" in line for line in again)


def test_reset_password_gives_the_admin_a_new_one_and_lifts_a_lockout(monkeypatch):
    from axes.models import AccessAttempt

    monkeypatch.delenv("TIMELINE_ADMIN_USERNAME", raising=False)
    monkeypatch.delenv("TIMELINE_ADMIN_PASSWORD", raising=False)
    User.objects.create_superuser("admin", password="forgotten long ago 91")
    AccessAttempt.objects.create(username="admin", failures_since_start=5, ip_address="10.0.0.1")

    output = ensure_admin("--reset-password")

    password = re.search(r"Login: admin / (\S+) \(shown once, and it works once", output)[1]
    admin = User.objects.get(username="admin")
    assert admin.check_password(password) and not admin.check_password("forgotten long ago 91")
    assert not AccessAttempt.objects.exists()


def test_reset_password_of_someone_who_does_not_exist_changes_nothing():
    with pytest.raises(CommandError, match="No account “nobody”; nothing was changed"):
        ensure_admin("--reset-password", "--username", "nobody")


# --- add_curator ---------------------------------------------------------------------------


def add_curator(*args) -> str:
    out = StringIO()
    call_command("add_curator", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(("flags", "group"), [([], "Curator"), (["--editor"], "Editor")])
def test_add_curator_creates_a_staff_account_in_the_group_and_shows_the_password_once(
    client, flags, group
):
    output = add_curator("maria", "--email", "maria@example.org", *flags)

    password = re.search(r"password: (\S+)", output)[1]
    user = User.objects.get(username="maria")
    assert user.is_staff and not user.is_superuser
    assert user.email == "maria@example.org"
    assert [g.name for g in user.groups.all()] == [group]
    assert "Sign in at /admin/ with:" in output and "shown only now and works once" in output
    # They can sign in right away; choosing their own password comes first
    # (tests/accounts/test_one_time_passwords.py).
    assert client.login(
        request=RequestFactory().post("/admin/login/"), username="maria", password=password
    )
    assert client.get("/admin/events/event/")["Location"] == "/admin/password_change/"


def test_add_curator_refuses_a_name_already_taken():
    User.objects.create_user("Maria", password="her own password 77")
    with pytest.raises(CommandError, match="There is already an account “maria”"):
        add_curator("maria")
    assert User.objects.count() == 1


def test_signing_in_without_staff_status_says_what_is_missing(client):
    User.objects.create_user("reporter", password="a fine long password 12")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "reporter", "password": "a fine long password 12"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your password is right, but this account has no staff status" in html
    assert "correct username and password" not in html
    # A wrong password still gets Django's message, which names nothing.
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "reporter", "password": "wrong guess 12"}
    )
    assert "Your password is right" not in response.content.decode()
