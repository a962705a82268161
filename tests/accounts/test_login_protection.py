"""django-axes on the admin login: lockouts by username and by client, a page that explains
them, refusal before any password hashing, and an unlock that only editors may give."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.backends import ModelBackend
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
RIGHT = "correct horse battery staple"  # UserFactory's password


def login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


@pytest.fixture
def archivist(db):
    return UserFactory(username="archivist", groups=["Curator"])


@pytest.fixture
def hashing(monkeypatch):
    """Counts the password checks that reach Django's ModelBackend (and so hashing)."""
    calls = []
    original = ModelBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):
        calls.append(username)
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    return calls


def test_a_wrong_password_is_an_ordinary_form_error_below_the_limit(archivist):
    response = login(Client(), "archivist", "wrong")
    assert response.status_code == 200
    assert b"Please enter the correct username and password" in response.content


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(
    archivist, settings
):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "archivist", "wrong").status_code == 200
    assert login(client, "archivist", "wrong").status_code == 429

    response = login(client, "archivist", RIGHT)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60
    page = response.content.decode()
    assert "Sign-in paused" in page
    assert "5 wrong passwords" in page and "15 minutes" in page
    assert "ask an editor to unlock you" in page
    assert "_auth_user_id" not in client.session


def test_a_locked_out_login_is_refused_before_the_password_is_hashed(archivist, hashing):
    client = Client()
    for _ in range(5):
        login(client, "archivist", "wrong")
    assert len(hashing) == 5
    for _ in range(3):
        assert login(client, "archivist", RIGHT).status_code == 429
    assert len(hashing) == 5


def test_the_lockout_follows_the_username_from_another_client(archivist):
    for number in range(5):
        login(Client(), "archivist", "wrong", REMOTE_ADDR=f"192.0.2.{number}")
    assert login(Client(), "archivist", RIGHT, REMOTE_ADDR="198.51.100.7").status_code == 429


def test_one_client_guessing_many_usernames_is_locked_out(archivist):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(5):
        login(client, f"guess{number}", "wrong")
    assert login(client, "archivist", RIGHT).status_code == 429
    assert login(Client(REMOTE_ADDR="203.0.113.10"), "archivist", RIGHT).status_code == 302


def test_a_success_below_the_limit_clears_the_failures(archivist):
    client = Client()
    for _ in range(4):
        login(client, "archivist", "wrong")
    assert login(client, "archivist", RIGHT).status_code == 302
    assert not AccessAttempt.objects.exists()


def lock_out(username="archivist"):
    for _ in range(5):
        login(Client(), username, "wrong")
    assert AccessAttempt.objects.filter(username=username).exists()


def test_an_editor_unlocks_a_locked_out_curator_in_the_admin(archivist, editor_client):
    lock_out()
    changelist = editor_client.get("/admin/axes/accessattempt/")
    assert changelist.status_code == 200
    assert b"archivist" in changelist.content
    for attempt in AccessAttempt.objects.filter(username="archivist"):
        url = f"/admin/axes/accessattempt/{attempt.pk}/delete/"
        assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert login(Client(), "archivist", RIGHT).status_code == 302


def test_a_curator_cannot_unlock(archivist, curator_client):
    lock_out()
    attempt = AccessAttempt.objects.get(username="archivist")
    assert curator_client.get("/admin/axes/accessattempt/").status_code == 403
    url = f"/admin/axes/accessattempt/{attempt.pk}/delete/"
    assert curator_client.post(url, {"post": "yes"}).status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert login(Client(), "archivist", RIGHT).status_code == 429


def test_with_a_trusted_proxy_the_forwarded_client_is_the_one_locked_out(archivist, settings):
    settings.TIMELINE_TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for number in range(5):
        login(Client(), f"guess{number}", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    locked = login(Client(), "archivist", RIGHT, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    assert locked.status_code == 429
    other = login(Client(), "archivist", RIGHT, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    assert other.status_code == 302


def test_without_trusted_proxies_a_forged_forwarded_address_does_not_escape_the_lockout(archivist):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(5):
        login(client, f"guess{number}", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    forged = login(client, "archivist", RIGHT, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert forged.status_code == 429


# Refusals from the cache: a flood of attempts on a locked-out login costs no database work.


def test_later_attempts_on_a_locked_out_login_are_refused_without_any_query(
    archivist, django_assert_num_queries
):
    lock_out()
    with django_assert_num_queries(0):
        response = login(Client(), "archivist", RIGHT)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60
    assert "Sign-in paused" in response.content.decode()


def test_a_locked_out_client_is_refused_from_the_cache_whatever_username_it_tries(
    archivist, django_assert_num_queries
):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(5):
        login(client, f"guess{number}", "wrong")
    with django_assert_num_queries(0):
        assert login(client, "someone-else", "wrong").status_code == 429
    # Another client and an unlocked username still reach the real login.
    assert login(Client(REMOTE_ADDR="203.0.113.10"), "archivist", RIGHT).status_code == 302


def test_when_the_note_expires_axes_still_refuses_and_the_note_is_renewed(
    archivist, django_assert_num_queries
):
    from django.core.cache import cache

    lock_out()
    cache.clear()  # as if NOTE_SECONDS had passed
    assert login(Client(), "archivist", RIGHT).status_code == 429  # axes' full path
    with django_assert_num_queries(0):
        assert login(Client(), "archivist", RIGHT).status_code == 429


def test_resetting_the_attempts_lifts_the_cached_lockout_at_once(archivist):
    lock_out()
    AccessAttempt.objects.all().delete()  # what `manage.py axes_reset` does
    assert login(Client(), "archivist", RIGHT).status_code == 302


def test_only_login_posts_are_short_circuited(archivist, editor_client):
    lock_out()
    assert Client().get(LOGIN).status_code == 200  # the form itself is still served
    assert editor_client.get("/admin/").status_code == 200
