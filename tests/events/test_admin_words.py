"""The admin's words: plain labels and help, human status names, “Posts” for offices held."""

import re

import pytest
from django.urls import reverse

from events.choices import EventStatus
from events.models import Event
from tests.events.test_admin import FACTORIES, admin_url
from tests.factories import EventFactory, PersonFactory

pytestmark = pytest.mark.django_db

HELP = re.compile(r'<div class="help"[^>]*>(.*?)</div>', re.S)


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize(
    "model",
    sorted(FACTORIES, key=lambda model: model.__name__),
    ids=lambda model: model.__name__,
)
def test_help_texts_show_no_markdown_and_no_edtf(editor_client, model):
    obj = FACTORIES[model]()
    for url in (admin_url(model, "add"), admin_url(model, "change", obj.pk)):
        html = editor_client.get(url).content.decode()
        helps = HELP.findall(html)
        assert helps or model.__name__ in (
            "EventRelation",
            "CountryVote",
            "TimelineEntry",
            "Participation",
        )
        for text in helps:
            assert "`" not in text, text
        assert "EDTF" not in visible_text(html), url


def test_statuses_are_shown_by_their_names(editor_client):
    EventFactory(title="Waiting for an editor", status=EventStatus.IN_REVIEW)
    text = visible_text(editor_client.get(admin_url(Event, "changelist")).content.decode())
    assert "In review" in text
    assert "in_review" not in text


def test_offices_held_are_posts_not_roles(editor_client):
    index = visible_text(editor_client.get(reverse("admin:index")).content.decode())
    assert "Posts" in index
    assert "Roles" not in index
    person = PersonFactory()
    page = editor_client.get(admin_url(person._meta.model, "change", person.pk)).content.decode()
    assert "Posts held" in visible_text(page)
