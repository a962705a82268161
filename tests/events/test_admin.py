"""The curators' admin, exercised through real URLs as curators and editors use it."""

import datetime as dt
from html.parser import HTMLParser
from uuid import uuid4

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events import revisions
from events.admin.events import EventAdmin
from events.choices import ActorKind, CitationStance, EventStatus, TimelineStatus, VoteOption
from events.models import (
    Actor,
    AidMeasure,
    Citation,
    CountryVote,
    Event,
    EventRelation,
    EventType,
    Participation,
    PublicChange,
    RevisionReview,
    Role,
    SlugRedirect,
    Source,
    Timeline,
    TimelineEntry,
    VoteRecord,
)
from events.models.base import AGGREGATE_ROOTS
from events.services import event_publish
from tests.factories import (
    ActorFactory,
    AidMeasureFactory,
    CitationFactory,
    CountryVoteFactory,
    EventFactory,
    EventRelationFactory,
    ParticipationFactory,
    PersonFactory,
    PublishedEventFactory,
    RoleFactory,
    SourceFactory,
    StateFactory,
    TimelineEntryFactory,
    TimelineFactory,
    UserFactory,
    VoteRecordFactory,
    event_type,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Clients log in with force_login; hashing the factories' passwords slowly buys nothing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- helpers -------------------------------------------------------------------------------


class _FormValues(HTMLParser):
    """What a browser would submit from a page's forms, unchanged (empty inline templates
    excluded), so tests post exactly what a curator who edits one field would post."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self._select = None  # (name, multiple, options, selected)
        self._textarea = None  # (name, chunks)

    def _add(self, name, value):
        if name and "__prefix__" not in name:
            self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._add(name, attrs.get("value", "on" if kind in ("checkbox", "radio") else ""))
        elif tag == "select":
            self._select = (name, "multiple" in attrs, [], [])
        elif tag == "option" and self._select is not None:
            self._select[2].append(attrs.get("value", ""))
            if "selected" in attrs:
                self._select[3].append(attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = (name, [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            name, multiple, options, selected = self._select
            if not selected and not multiple and options:
                selected = options[:1]
            for value in selected:
                self._add(name, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, chunks = self._textarea
            text = "".join(chunks)
            self._add(name, text[1:] if text.startswith("\n") else text)
            self._textarea = None


def form_values(response) -> dict[str, list[str]]:
    assert response.status_code == 200, response.status_code
    parser = _FormValues()
    parser.feed(response.content.decode())
    return parser.values


def post_form(client, url, /, **changes):
    """GET the page, change some fields, POST it back (as a curator's browser would)."""
    data = form_values(client.get(url))
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [str(value)]
    return client.post(url, data)


def admin_url(model, view, *args) -> str:
    return reverse(f"admin:events_{model._meta.model_name}_{view}", args=args)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def run_action(client, action, events, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [e.pk for e in events], "index": 0}
    data.update(extra)
    return client.post(admin_url(Event, "changelist"), data, follow=True)


# --- every page of every model ----------------------------------------------------------


def _new_event_type():
    return EventType.objects.create(name=f"Type {uuid4()}", slug=f"type-{uuid4()}")


FACTORIES = {
    Actor: ActorFactory,
    Role: RoleFactory,
    EventType: _new_event_type,
    Event: EventFactory,
    Participation: ParticipationFactory,
    Source: SourceFactory,
    Citation: CitationFactory,
    VoteRecord: VoteRecordFactory,
    CountryVote: CountryVoteFactory,
    AidMeasure: AidMeasureFactory,
    EventRelation: EventRelationFactory,
    Timeline: TimelineFactory,
    TimelineEntry: TimelineEntryFactory,
}
# Logs written by the code, never by people: read-only in the admin, so not curated models
# (proposed changes are decided with their own buttons: tests/events/test_reviews.py).
READ_ONLY_LOGS = {PublicChange, RevisionReview, SlugRedirect}
EVENTS_MODELS = sorted(
    (
        model
        for model in admin.site._registry
        if model._meta.app_label == "events" and model not in READ_ONLY_LOGS
    ),
    key=lambda model: model.__name__,
)


def test_every_curated_model_has_an_admin_and_a_factory():
    assert set(EVENTS_MODELS) == set(FACTORIES)


def test_the_changes_feed_log_is_listed_and_shown_but_never_written_in_the_admin(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    event = PublishedEventFactory(slug="logged")
    change = PublicChange.objects.filter(event=event).first()
    assert client.get(admin_url(PublicChange, "changelist")).status_code == 200
    response = client.get(admin_url(PublicChange, "change", change.pk))
    assert response.status_code == 200 and "logged" in response.content.decode()
    assert client.get(admin_url(PublicChange, "add")).status_code == 403
    client.post(admin_url(PublicChange, "delete", change.pk), {"post": "yes"})
    assert PublicChange.objects.filter(pk=change.pk).exists()


@pytest.mark.parametrize("who", ["curator_client", "editor_client"])
@pytest.mark.parametrize("model", EVENTS_MODELS, ids=lambda model: model.__name__)
def test_list_add_change_and_history_pages_render_for_curators_and_editors(request, who, model):
    client = request.getfixturevalue(who)
    with revisions.recorded(reason="created"):
        obj = FACTORIES[model]()
    urls = [
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", obj.pk),
        admin_url(model, "history", obj.pk),
    ]
    if model._meta.label_lower not in AGGREGATE_ROOTS and hasattr(obj, "version"):
        urls.append(admin_url(model, "revert", obj.pk, revisions.latest(obj).pk))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url


def test_a_list_page_searches_with_results_for_every_model(editor_client):
    for model in EVENTS_MODELS:
        FACTORIES[model]()
        response = editor_client.get(admin_url(model, "changelist"), {"q": "a"})
        assert response.status_code == 200, model


# --- event list -----------------------------------------------------------------------------


def test_the_event_list_shows_dates_in_their_precision_never_a_fake_first_of_january(
    editor_client,
):
    EventFactory(title="Vague", start_date=dt.date(2025, 1, 1), start_precision="year")
    EventFactory(title="Monthly", start_date=dt.date(2025, 3, 1), start_precision="month")
    html = editor_client.get(admin_url(Event, "changelist")).content.decode()
    assert '<td class="field-display_date">2025</td>' in html
    assert '<td class="field-display_date">Mar 2025</td>' in html
    assert "1 Jan 2025" not in html


def test_the_event_list_shows_type_status_verification_and_actors(editor_client):
    event = EventFactory(title="Talks in Riyadh")
    ParticipationFactory(event=event, actor=StateFactory(name="Freedonia", short_name="Fredo"))
    html = editor_client.get(admin_url(Event, "changelist")).content.decode()
    assert "Talks in Riyadh" in html
    assert "Fredo" in html
    assert "Statement" in html
    assert "Draft" in html
    assert "Confirmed" in html


def test_event_search_finds_titles_actor_aliases_and_source_urls(editor_client):
    by_alias = EventFactory(title="Call between leaders")
    ParticipationFactory(
        event=by_alias, actor=PersonFactory(name="Volodymyr Zelensky", aliases="Zelenskyy")
    )
    by_source = EventFactory(title="Aid paused")
    CitationFactory(event=by_source, source=SourceFactory(url="https://wire.example.com/pause"))
    EventFactory(title="Unrelated")

    def found(query):
        response = editor_client.get(admin_url(Event, "changelist"), {"q": query})
        return {event.title for event in response.context["cl"].result_list}

    assert found("zelenskyy") == {"Call between leaders"}
    assert found("wire.example.com") == {"Aid paused"}
    assert found("unrelated") == {"Unrelated"}


def test_the_event_list_filters_by_participant_kind_and_by_actor(editor_client):
    person = PersonFactory()
    with_person = EventFactory(title="With a person")
    ParticipationFactory(event=with_person, actor=person)
    EventFactory(title="Without")

    def found(**params):
        response = editor_client.get(admin_url(Event, "changelist"), params)
        assert response.status_code == 200
        return {event.title for event in response.context["cl"].result_list}

    assert found(actor_kind=ActorKind.PERSON) == {"With a person"}
    assert found(actor=person.pk) == {"With a person"}
    assert found(actor=person.pk, status=EventStatus.DRAFT) == {"With a person"}
    EventFactory(title="Earlier", start_date=dt.date(2024, 5, 1))
    assert found(date_lower__year=2024) == {"Earlier"}


def _event_list_queries(client, count: int) -> int:
    actors = [StateFactory() for _ in range(3)]
    for index in range(count):
        event = EventFactory()
        ParticipationFactory(event=event, actor=actors[index % 3])
        ParticipationFactory(event=event, actor=actors[(index + 1) % 3])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(Event, "changelist"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == count
    return len(queries)


def test_the_event_list_runs_as_many_queries_for_100_rows_as_for_5(editor_client):
    few = _event_list_queries(editor_client, 5)
    Event.objects.all().delete()
    many = _event_list_queries(editor_client, 100)
    assert many == few


MANY = {
    **FACTORIES,
    EventType: lambda: EventType.objects.create(name=f"Type {uuid4()}", slug=f"t-{uuid4()}"),
}


@pytest.mark.parametrize(
    "model", [m for m in EVENTS_MODELS if m is not Event], ids=lambda model: model.__name__
)
def test_every_other_list_page_runs_as_many_queries_for_many_rows_as_for_few(editor_client, model):
    def queries_for(count):
        for _ in range(count):
            FACTORIES[model]()
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(admin_url(model, "changelist")).status_code == 200
        return len(queries)

    assert queries_for(25) == queries_for(3)


def test_the_source_list_counts_citations(editor_client):
    source = SourceFactory(
        title="Wire report", published_on=dt.date(2025, 3, 1), published_precision="month"
    )
    CitationFactory(source=source)
    CitationFactory(source=source)
    html = editor_client.get(admin_url(Source, "changelist")).content.decode()
    assert '<td class="field-citation_count">2</td>' in html
    assert '<td class="field-display_published">Mar 2025</td>' in html


# --- publishing ----------------------------------------------------------------------------


def _action_names(client) -> set[str]:
    response = client.get(admin_url(Event, "changelist"))
    return {name for name, _ in response.context["action_form"].fields["action"].choices}


def test_curators_are_offered_submit_and_delete_but_not_publish_unpublish_or_retract(
    curator_client,
):
    names = _action_names(curator_client)
    assert {"submit_for_review", "delete_selected"} <= names  # deleting: their own drafts only
    assert not names & {"publish_events", "unpublish_events", "retract_events"}


def test_editors_are_offered_every_status_action(editor_client):
    assert {"publish_events", "unpublish_events", "retract_events", "submit_for_review"} <= (
        _action_names(editor_client)
    )


def test_a_crafted_publish_post_from_a_curator_changes_nothing(curator_client):
    event = CitationFactory().event
    response = run_action(curator_client, "publish_events", [event])
    assert response.status_code == 200
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT


def test_an_editor_publishes_a_cited_event_and_history_names_them(editor_client, editor):
    event = CitationFactory().event
    response = run_action(editor_client, "publish_events", [event])
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert event.updated_by == editor
    assert revisions.latest(event).user == editor
    assert any("1 event published" in message for message in messages_of(response))


def test_publishing_an_uncited_event_is_refused_with_what_to_add(editor_client):
    uncited = EventFactory(title="Claim without a source")
    only_context = CitationFactory(
        event=EventFactory(title="Only context"), stance=CitationStance.CONTEXT
    ).event
    cited = CitationFactory(event=EventFactory(title="Well sourced")).event
    response = run_action(editor_client, "publish_events", [uncited, only_context, cited])
    messages = messages_of(response)
    for refused in ("Claim without a source", "Only context"):
        assert (
            f"“{refused}” cannot be published: Every published claim needs a source: add a "
            "citation with stance “supports”." in messages
        ), messages
    assert any("“Well sourced”" in m and "published:" in m for m in messages), messages
    statuses = dict(Event.objects.values_list("title", "status"))
    assert statuses == {
        "Claim without a source": EventStatus.DRAFT,
        "Only context": EventStatus.DRAFT,
        "Well sourced": EventStatus.PUBLISHED,
    }


def test_curators_submit_drafts_for_review(curator_client):
    event = EventFactory()
    run_action(curator_client, "submit_for_review", [event])
    event.refresh_from_db()
    assert event.status == EventStatus.IN_REVIEW


def test_an_editor_unpublishes_back_to_draft(editor_client):
    event = PublishedEventFactory()
    run_action(editor_client, "unpublish_events", [event])
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT


def test_retracting_asks_for_a_reason_then_retracts_with_it(editor_client):
    event = PublishedEventFactory(title="Mistaken report")
    draft = EventFactory(title="Still a draft")

    confirm = run_action(editor_client, "retract_events", [event, draft])
    assert confirm.status_code == 200
    assert b'name="reason"' in confirm.content and b"Mistaken report" in confirm.content
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED

    without_reason = run_action(editor_client, "retract_events", [event], apply="yes", reason=" ")
    assert b"This field is required" in without_reason.content
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED

    done = run_action(
        editor_client, "retract_events", [event, draft], apply="yes", reason="The source erred."
    )
    event.refresh_from_db()
    draft.refresh_from_db()
    assert (event.status, event.retraction_reason) == (EventStatus.RETRACTED, "The source erred.")
    assert draft.status == EventStatus.DRAFT
    assert "Only published events can be retracted; “Still a draft” is not." in messages_of(done)


def test_status_cannot_be_changed_through_the_event_form(editor_client):
    event = EventFactory()
    url = admin_url(Event, "change", event.pk)
    response = post_form(editor_client, url, status=EventStatus.PUBLISHED, title="Renamed")
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.status) == ("Renamed", EventStatus.DRAFT)


def test_the_event_page_offers_editors_a_publish_button(editor_client):
    event = CitationFactory(event=EventFactory(title="Ready")).event
    page = editor_client.get(admin_url(Event, "change", event.pk)).content.decode()
    publish_url = reverse("admin:events_event_status", args=[event.pk, "publish"])
    assert publish_url in page
    response = editor_client.post(publish_url, follow=True)
    assert response.redirect_chain[-1][0] == admin_url(Event, "change", event.pk)
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert publish_url not in response.content.decode()


def test_the_publish_button_refuses_an_uncited_event_with_what_to_add(editor_client):
    event = EventFactory(title="Unsourced")
    url = reverse("admin:events_event_status", args=[event.pk, "publish"])
    response = editor_client.post(url, follow=True)
    # The event is named once, not "“Unsourced” was not published: “Unsourced” cannot be …".
    [message] = messages_of(response)
    assert message.count("Unsourced") == 1
    assert message.startswith("“Unsourced” cannot be published: Every published claim needs")
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT


def test_curators_get_no_publish_button_and_a_crafted_post_is_refused(curator_client):
    event = CitationFactory().event
    page = curator_client.get(admin_url(Event, "change", event.pk)).content.decode()
    publish_url = reverse("admin:events_event_status", args=[event.pk, "publish"])
    assert publish_url not in page
    assert reverse("admin:events_event_status", args=[event.pk, "submit"]) in page
    response = curator_client.post(publish_url, follow=True)
    assert any("Only editors may publish" in m for m in messages_of(response))
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT
    assert curator_client.get(publish_url).status_code == 405


# --- writing through the forms -------------------------------------------------------------


def test_adding_an_event_with_participants_and_a_citation_records_who(curator_client, curator):
    actor = StateFactory()
    source = SourceFactory()
    response = post_form(
        curator_client,
        admin_url(Event, "add"),
        title="Ceasefire talks",
        slug="ceasefire-talks",
        event_type=event_type("bilateral-talks").pk,
        date="11 Mar 2025",
        **{
            "participations-0-actor": actor.pk,
            "citations-0-source": source.pk,
            "citations-0-quote": "They met.",
        },
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    event = Event.objects.get(slug="ceasefire-talks")
    assert (event.created_by, event.updated_by) == (curator, curator)
    assert list(event.actors.all()) == [actor]
    assert event.citations.get().source == source
    (entry,) = revisions.history(event)  # one save of the event and its inline rows
    assert entry.revision.user == curator
    assert entry.revision.comment.startswith("Added. Added participation “")
    assert {part.part for part in entry.diff.parts} == {"participation", "citation"}


def test_a_role_added_on_a_person_records_who(curator_client, curator):
    person = PersonFactory()
    state = StateFactory()
    response = post_form(
        curator_client,
        admin_url(Actor, "change", person.pk),
        **{
            "roles-TOTAL_FORMS": "1",
            "roles-0-title": "Special Envoy",
            "roles-0-organisation": state.pk,
            "roles-0-start_date": "2025-01-20",
        },
    )
    assert response.status_code == 302
    role = Role.objects.get(person=person)
    assert (role.title, role.created_by, role.updated_by) == ("Special Envoy", curator, curator)


def _assert_refused(response, message: str, model, before: int):
    assert response.status_code == 200
    assert message in response.content.decode(), message
    assert model.objects.count() == before


def _event_add(client, **changes):
    values = {
        "title": "An event",
        "slug": "an-event",
        "event_type": event_type().pk,
        "date": "2025-03-01",
    }
    values.update(changes)
    return post_form(client, admin_url(Event, "add"), **values)


def test_an_end_before_the_start_is_refused_with_a_form_error(curator_client):
    response = _event_add(curator_client, date="2025-03-01/2025-02-01")
    _assert_refused(
        response, "In “2025-03-01/2025-02-01” the end comes before the start.", Event, 0
    )


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("2025-02-18", ("2025-02-18", "day", False, None, "", False), "18 Feb 2025"),
        ("18 Feb 2025", ("2025-02-18", "day", False, None, "", False), "18 Feb 2025"),
        ("Feb 2025", ("2025-02-01", "month", False, None, "", False), "Feb 2025"),
        ("2025-02", ("2025-02-01", "month", False, None, "", False), "Feb 2025"),
        ("2025", ("2025-01-01", "year", False, None, "", False), "2025"),
        ("c. 2025", ("2025-01-01", "year", True, None, "", False), "c. 2025"),
        ("2025~", ("2025-01-01", "year", True, None, "", False), "c. 2025"),
        ("2024/2025", ("2024-01-01", "year", False, "2025-01-01", "year", False), "2024 – 2025"),
    ],
)
def test_the_date_is_typed_as_the_source_says_it_and_shown_back(
    curator_client, typed, stored, shown
):
    response = _event_add(curator_client, date=typed)
    assert response.status_code == 302, response.context["errors"]
    event = Event.objects.get(slug="an-event")
    assert (
        event.start_date.isoformat(),
        event.start_precision,
        event.start_approximate,
        event.end_date and event.end_date.isoformat(),
        event.end_precision,
        event.end_approximate,
    ) == stored
    html = curator_client.get(admin_url(Event, "change", event.pk)).content.decode()
    assert f'name="date" value="{shown}"' in html


def test_a_vague_date_is_refused_with_a_hint(curator_client):
    response = _event_add(curator_client, date="early 2025")
    _assert_refused(response, "“early 2025” is too vague to store", Event, 0)
    assert "“c. 2025” for about a year" in response.content.decode()


def test_the_date_field_explains_itself_in_one_line(curator_client):
    html = curator_client.get(admin_url(Event, "add")).content.decode()
    assert "As the source says it: 18 Feb 2025, Feb 2025, 2025, c. 2025" in html
    for gone in ('name="start_precision"', 'name="start_approximate"', "enter the 1st of"):
        assert gone not in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": ActorKind.STATE, "iso3": "XYZ"}, "XYZ is not an ISO 3166-1 alpha-3 country code"),
        ({"kind": ActorKind.STATE, "iso3": "usa"}, "usa is not an ISO 3166-1 alpha-3 country code"),
        ({"kind": ActorKind.PERSON, "iso3": "USA"}, "Only states carry an ISO 3166 code."),
        ({"wikidata_id": "30"}, "A Wikidata id is Q followed by digits, for example Q30."),
    ],
)
def test_bad_actor_codes_are_refused_with_what_is_allowed(curator_client, changes, message):
    values = {"name": "Someland", "slug": "someland", "kind": ActorKind.STATE, **changes}
    response = post_form(curator_client, admin_url(Actor, "add"), **values)
    _assert_refused(response, message, Actor, 0)


def test_a_duplicate_source_url_is_caught_after_removing_tracking_parameters(curator_client):
    SourceFactory(title="Original report", url="https://news.example.org/story")
    response = post_form(
        curator_client,
        admin_url(Source, "add"),
        kind="news_article",
        title="Same story again",
        url="https://NEWS.example.org/story?utm_source=x#top",
    )
    _assert_refused(response, "is already recorded", Source, 1)
    assert "“Original report”" in response.content.decode()


def test_the_http_form_of_a_recorded_https_source_is_caught_as_a_duplicate(curator_client):
    SourceFactory(title="Original report", url="https://news.example.org/story")
    response = post_form(
        curator_client,
        admin_url(Source, "add"),
        kind="news_article",
        title="Same story over http",
        url="http://news.example.org/story",
    )
    _assert_refused(response, "is already recorded", Source, 1)
    assert "“Original report”" in response.content.decode()


def test_an_aid_amount_without_a_currency_is_refused(curator_client):
    event = EventFactory(event_type=event_type("aid-suspension"))
    donor, recipient = StateFactory(), StateFactory()
    response = post_form(
        curator_client,
        admin_url(Event, "change", event.pk),
        **{
            "aid_measures-TOTAL_FORMS": "1",
            "aid_measures-0-donor": donor.pk,
            "aid_measures-0-recipient": recipient.pk,
            "aid_measures-0-kind": "military",
            "aid_measures-0-action": "pause",
            "aid_measures-0-amount": "1000000",
        },
    )
    _assert_refused(response, "Give the ISO 4217 currency of the amount", AidMeasure, 0)


# --- votes ---------------------------------------------------------------------------------


def _roll_post(client, record, options: list[str], roll_complete: bool):
    states = [StateFactory() for _ in options]
    changes = {"votes-TOTAL_FORMS": str(len(options))} if False else {}
    changes["country_votes-TOTAL_FORMS"] = str(len(options))
    for index, (state, option) in enumerate(zip(states, options, strict=True)):
        changes[f"country_votes-{index}-actor"] = state.pk
        changes[f"country_votes-{index}-option"] = option
    if roll_complete:
        changes["roll_complete"] = "on"
    return post_form(client, admin_url(VoteRecord, "change", record.pk), **changes)


def test_a_complete_roll_that_disagrees_with_the_counts_is_a_form_error(curator_client):
    record = VoteRecordFactory(yes_count=2, no_count=1, abstain_count=0)
    response = _roll_post(
        curator_client, record, [VoteOption.YES, VoteOption.NO, VoteOption.NO], True
    )
    _assert_refused(response, "The roll is marked complete but does not match", CountryVote, 0)
    assert "In favour: the roll has 1, the official count is 2" in response.content.decode()
    record.refresh_from_db()
    assert not record.roll_complete


def test_a_complete_roll_that_matches_the_counts_is_saved(curator_client):
    record = VoteRecordFactory(yes_count=2, no_count=1, abstain_count=0)
    response = _roll_post(
        curator_client, record, [VoteOption.YES, VoteOption.YES, VoteOption.NO], True
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.roll_complete and record.country_votes.count() == 3


def test_a_partial_roll_need_not_match(curator_client):
    record = VoteRecordFactory(yes_count=2, no_count=1, abstain_count=0)
    response = _roll_post(curator_client, record, [VoteOption.NO], False)
    assert response.status_code == 302
    assert record.country_votes.count() == 1


def test_the_event_vote_inline_links_to_the_roll_and_checks_it(curator_client):
    record = VoteRecordFactory(yes_count=1, no_count=0, abstain_count=0)
    CountryVoteFactory(vote_record=record, option=VoteOption.NO)
    url = admin_url(Event, "change", record.event.pk)
    page = curator_client.get(url).content.decode()
    assert admin_url(VoteRecord, "change", record.pk) in page
    response = post_form(curator_client, url, **{"vote_record-0-roll_complete": "on"})
    assert response.status_code == 200
    assert "Against: the roll has 1, the official count is 0" in response.content.decode()
    record.refresh_from_db()
    assert not record.roll_complete


# --- history -------------------------------------------------------------------------------


def test_reverting_from_the_history_restores_old_values_and_records_who(curator_client, curator):
    with revisions.recorded(reason="first"):
        event = EventFactory(title="First title", summary="First summary")
    original = revisions.latest(event)
    with revisions.recorded(reason="second"):
        event.title, event.summary = "Second title", "Second summary"
        event.save()

    history = curator_client.get(admin_url(Event, "history", event.pk))
    assert history.status_code == 200
    assert b"Second title" in history.content and b"First title" in history.content

    revert_url = admin_url(Event, "revert", event.pk, original.pk)
    assert "Second title" in curator_client.get(revert_url).content.decode()  # the preview
    response = post_form(curator_client, revert_url, reason="Back to the first wording")
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.summary) == ("First title", "First summary")
    latest = revisions.latest(event)
    assert (latest.user, latest.comment) == (curator, "Back to the first wording")
    assert event.updated_by == curator


def test_a_revert_never_changes_the_status(editor_client):
    # An editor's revert of a published event is made at once (a curator's waits for review).
    with revisions.recorded(reason="draft"):
        event = CitationFactory(event=EventFactory(title="Draft title")).event
    draft_revision = revisions.latest(event)
    event.title = "Published title"
    event.save()
    event_publish(event=event, user=UserFactory(username="an-editor", groups=["Editor"]))

    revert_url = admin_url(Event, "revert", event.pk, draft_revision.pk)
    assert post_form(editor_client, revert_url).status_code == 302
    event.refresh_from_db()
    assert (event.title, event.status) == ("Draft title", EventStatus.PUBLISHED)
    assert event.published_at is not None


# --- concurrent edits ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "make", "field"),
    [
        (Event, EventFactory, "title"),
        (Actor, ActorFactory, "name"),
        (Source, SourceFactory, "title"),
        (Timeline, TimelineFactory, "title"),
    ],
    ids=["event", "actor", "source", "timeline"],
)
def test_a_second_stale_form_gets_a_conflict_and_the_first_change_survives(
    curator_client, editor_client, editor, model, make, field
):
    obj = make()
    url = admin_url(model, "change", obj.pk)
    first = form_values(editor_client.get(url))
    second = form_values(curator_client.get(url))

    first[field] = ["Saved first"]
    assert editor_client.post(url, first).status_code == 302

    second[field] = ["Saved second"]
    response = curator_client.post(url, second)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this" in html
    assert "editor at" in html  # who, from the history
    assert f'<a href="{admin_url(model, "history", obj.pk)}">Review their change' in html
    obj.refresh_from_db()
    assert getattr(obj, field) == "Saved first"


def test_a_change_landing_between_the_check_and_the_save_is_caught_by_the_model(
    curator_client, monkeypatch
):
    """The safety net: another writer saves after the form's version check passed."""
    event = EventFactory(title="Theirs")
    original_save_model = EventAdmin.save_model

    def save_after_someone_else(self, request, obj, form, change):
        Event.objects.filter(pk=obj.pk).update(version=F("version") + 1)
        original_save_model(self, request, obj, form, change)

    monkeypatch.setattr(EventAdmin, "save_model", save_after_someone_else)
    response = post_form(
        curator_client,
        admin_url(Event, "change", event.pk),
        title="Mine",
        **{"participations-0-actor": StateFactory().pk},
    )
    assert response.status_code == 302
    assert response.url == admin_url(Event, "history", event.pk)
    assert any(
        "changed by someone else" in m for m in messages_of(curator_client.get(response.url))
    )
    event.refresh_from_db()
    assert event.title == "Theirs"
    assert not event.participations.exists()


def test_a_form_posted_without_its_version_is_refused(curator_client):
    event = EventFactory(title="Kept")
    url = admin_url(Event, "change", event.pk)
    data = form_values(curator_client.get(url))
    del data["loaded_version"]
    data["title"] = ["Lost"]
    response = curator_client.post(url, data)
    assert response.status_code == 200
    assert b"reload the page" in response.content
    event.refresh_from_db()
    assert event.title == "Kept"


# --- deleting ------------------------------------------------------------------------------


def test_deleting_an_actor_still_used_shows_what_uses_it_and_deletes_nothing(editor_client):
    participation = ParticipationFactory(event=EventFactory(title="Summit in Alaska"))
    url = admin_url(Actor, "delete", participation.actor.pk)
    page = editor_client.get(url)
    assert page.status_code == 200
    assert page.context["protected"]
    assert "in the event “Summit in Alaska”" in page.content.decode()
    response = editor_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert Actor.objects.filter(pk=participation.actor.pk).exists()


def test_deleting_a_cited_source_shows_the_citation_and_deletes_nothing(editor_client):
    citation = CitationFactory(event=EventFactory(title="Aid paused"))
    url = admin_url(Source, "delete", citation.source.pk)
    response = editor_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert response.context["protected"]
    assert "in the event “Aid paused”" in response.content.decode()
    assert Source.objects.filter(pk=citation.source.pk).exists()


def test_a_published_event_cannot_be_deleted_only_retracted(editor_client):
    event = PublishedEventFactory(title="On the record")
    response = editor_client.post(
        admin_url(Event, "delete", event.pk), {"post": "yes"}, follow=True
    )
    assert any("it is never deleted. Retract it" in m for m in messages_of(response))
    assert Event.objects.filter(pk=event.pk).exists()

    draft = EventFactory()
    response = run_action(editor_client, "delete_selected", [event, draft], post="yes")
    assert any("it is never deleted" in m for m in messages_of(response))
    assert Event.objects.count() == 2


def test_an_editor_deletes_drafts_in_bulk(editor_client):
    drafts = [EventFactory(), EventFactory()]
    confirm = run_action(editor_client, "delete_selected", drafts)
    assert b"Are you sure" in confirm.content
    run_action(editor_client, "delete_selected", drafts, post="yes")
    assert not Event.objects.exists()


def test_curators_cannot_delete_what_others_created(curator_client):
    event = EventFactory()
    response = curator_client.get(admin_url(Event, "delete", event.pk), follow=True)
    assert any("Curators delete only the events they created" in m for m in messages_of(response))
    actor = ActorFactory()
    response = curator_client.post(admin_url(Actor, "delete", actor.pk), {"post": "yes"})
    assert response.status_code == 302
    assert Actor.objects.filter(pk=actor.pk).exists()
    assert Event.objects.filter(pk=event.pk).exists()


# --- timelines -----------------------------------------------------------------------------


def test_a_timeline_is_curated_with_ordered_entries(curator_client, curator):
    timeline = TimelineFactory(status=TimelineStatus.DRAFT)  # published ones: test_reviews.py
    first, second = EventFactory(title="First sign"), EventFactory(title="Second sign")
    response = post_form(
        curator_client,
        admin_url(Timeline, "change", timeline.pk),
        **{
            "entries-TOTAL_FORMS": "2",
            "entries-0-position": "2",
            "entries-0-event": second.pk,
            "entries-1-position": "1",
            "entries-1-event": first.pk,
            "entries-1-caption": "Where it began",
        },
    )
    assert response.status_code == 302
    assert [entry.event.title for entry in timeline.entries.all()] == ["First sign", "Second sign"]
    timeline.refresh_from_db()
    assert timeline.updated_by == curator
    page = curator_client.get(admin_url(Timeline, "change", timeline.pk)).content.decode()
    assert page.index("First sign") < page.index("Second sign")
    assert "Saved query" in page


def test_event_autocomplete_answers_the_timeline_entry_field(curator_client):
    EventFactory(title="Summit in Alaska")
    response = curator_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "alaska",
            "app_label": "events",
            "model_name": "timelineentry",
            "field_name": "event",
        },
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Summit in Alaska"]


def test_location_autocomplete_offers_states_only(curator_client):
    StateFactory(name="Freedonia")
    ActorFactory(name="Freedonian Assembly", kind=ActorKind.ORGAN)
    response = curator_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "freedonia",
            "app_label": "events",
            "model_name": "event",
            "field_name": "location_country",
        },
    )
    assert [item["text"] for item in response.json()["results"]] == ["Freedonia"]
