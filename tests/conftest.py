import pytest
from django.test import Client

from tests.factories import UserFactory


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
