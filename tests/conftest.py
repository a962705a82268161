import pytest
from django.test import Client

from tests.factories import UserFactory


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering
def pytest_collection_modifyitems(session, config, items):
    """Tests that flush the database run last: a flush also empties what the migrations seeded
    (the taxonomy, the Curator and Editor groups), which later transactional tests need."""
    items.sort(key=lambda item: item.get_closest_marker("flushes_database") is not None)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttling counts and stored responses live in the caches: start every test with none,
    so none leak (a rolled-back test leaves the change stamp where the next one finds it)."""
    from django.core.cache import caches

    from events import facets, filtersets, published_timelines, search

    for cache in caches.all():
        cache.clear()
    facets.recent.clear()  # keyed by change stamps, which a rolled-back test leaves as found
    filtersets.resolved_references.clear()
    published_timelines.recent.clear()
    search.matched.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 costs ~0.5 s per test user; tests check permissions, not hashing strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def curator(db):
    return UserFactory(username="curator", groups=["Curator"])


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", groups=["Editor"])


@pytest.fixture
def curator_client(curator) -> Client:
    client = Client()
    client.force_login(curator)
    return client


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def superuser_client(db) -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client
