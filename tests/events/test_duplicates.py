"""Likely duplicates of events, actors and sources (events.duplicates)."""

import datetime as dt

import pytest
from django.db import connection

from events.choices import ActorKind
from events.duplicates import (
    LIKELY,
    content_hash,
    duplicates_of,
    similar_actors,
    similar_events,
    similar_sources,
    token_similarity,
    windows_with_events,
)
from tests.factories import (
    ActorFactory,
    EventFactory,
    ParticipationFactory,
    PublishedEventFactory,
    SourceFactory,
    StateFactory,
    event_type,
)

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram similarity is PostgreSQL's"
)

FEB_18 = dt.date(2025, 2, 18)
COUNCIL = "Security Council adopts resolution 2774"


def test_token_similarity_ignores_case_accents_punctuation_filler_and_plurals():
    assert token_similarity("US–Russia talks in Riyadh", "us russia talk, riyadh") == 1.0
    assert token_similarity("Zelenskyy visits Kyïv", "zelenskyy visits kyiv") == 1.0
    assert token_similarity("UN vote on Ukraine", "Summit in Paris") == 0.0


def test_it_finds_the_published_event_with_the_same_title_date_and_actor():
    russia = StateFactory(name="Russia")
    existing = PublishedEventFactory(title="US and Russia hold talks in Riyadh", start_date=FEB_18)
    ParticipationFactory(event=existing, actor=russia)
    EventFactory(title="US and Russia hold talks in Riyadh", start_date=dt.date(2024, 2, 18))

    found = similar_events(
        title="US and Russia hold talks in Riyadh",
        start=FEB_18,
        end=FEB_18,
        actor_ids=[russia.pk],
        type_id=existing.event_type_id,
    )

    assert [event.pk for event in found] == [existing.pk]
    assert found[0].duplicate_score >= LIKELY
    assert found[0].duplicate_reasons[:2] == ["same title", "overlapping dates"]
    assert found[0].shared_actor_ids == [russia.pk]


def test_a_day_apart_still_overlaps_but_a_month_apart_does_not():
    event = EventFactory(title="Security Council adopts resolution 2774", start_date=FEB_18)

    near = similar_events(title=event.title, start=dt.date(2025, 2, 19), end=None, actor_ids=[])
    far = similar_events(title=event.title, start=dt.date(2025, 3, 20), end=None, actor_ids=[])

    assert [e.pk for e in near] == [event.pk]
    assert far == []


def test_windows_with_events_tells_which_dates_similar_events_would_search_in_vain(
    django_assert_num_queries,
):
    EventFactory(title="A month of talks", start_date=dt.date(2025, 2, 1), start_precision="month")
    EventFactory(title=COUNCIL, start_date=FEB_18)
    windows = [
        (dt.date(2025, 2, 20), dt.date(2025, 2, 20)),  # two days after 18 February
        (dt.date(2025, 3, 2), dt.date(2025, 3, 2)),  # two days after the month's end
        (dt.date(2025, 3, 3), dt.date(2025, 3, 9)),  # three days after it
        (dt.date(2024, 12, 1), dt.date(2025, 1, 30)),  # ends two days before February
        (dt.date(2024, 12, 1), dt.date(2025, 1, 29)),
    ]

    with django_assert_num_queries(1):
        found = windows_with_events(windows)

    assert found == [True, True, False, True, False]
    assert found == [
        bool(similar_events(title="A month of talks", start=start, end=end, actor_ids=[]))
        or bool(similar_events(title=COUNCIL, start=start, end=end, actor_ids=[]))
        for start, end in windows
    ]


def test_past_spans_read_events_every_window_is_left_to_similar_events(monkeypatch):
    monkeypatch.setattr("events.duplicates.SPANS_READ", 1)
    EventFactory(start_date=FEB_18)
    EventFactory(start_date=dt.date(2025, 2, 19))

    found = windows_with_events([(dt.date(2025, 1, 1), dt.date(2025, 1, 1)), (FEB_18, FEB_18)])

    assert found == [True, True]


def test_a_reworded_title_needs_a_shared_actor_or_type():
    ukraine = StateFactory(name="Ukraine")
    event = EventFactory(title="United States pauses military aid to Ukraine", start_date=FEB_18)
    ParticipationFactory(event=event, actor=ukraine)
    words = "United States halts aid to Ukraine"

    alone = similar_events(title=words, start=FEB_18, end=None, actor_ids=[])
    backed = similar_events(title=words, start=FEB_18, end=None, actor_ids=[ukraine.pk])

    assert alone == []
    assert [e.pk for e in backed] == [event.pk]


def test_different_words_same_day_same_type_and_same_actors_is_a_possible_duplicate():
    usa, ukraine = StateFactory(name="United States"), StateFactory(name="Ukraine")
    aid = event_type("aid-suspension")
    event = EventFactory(title="Washington freezes weapons shipments", event_type=aid)
    ParticipationFactory(event=event, actor=usa)
    ParticipationFactory(event=event, actor=ukraine)

    found = similar_events(
        title="Pentagon stops deliveries to Kyiv",
        start=FEB_18,
        end=None,
        actor_ids=[usa.pk, ukraine.pk],
        type_id=aid.pk,
    )

    assert [e.pk for e in found] == [event.pk]


def test_it_leaves_out_the_event_being_edited_and_returns_best_first():
    same = EventFactory(title="Summit in Paris on Ukraine", start_date=FEB_18)
    close = EventFactory(title="Summit in Paris on Ukraine security", start_date=FEB_18)

    found = similar_events(title="Summit in Paris on Ukraine", start=FEB_18, end=None, actor_ids=[])
    edited = similar_events(
        title="Summit in Paris on Ukraine", start=FEB_18, end=None, actor_ids=[], exclude_pk=same.pk
    )

    assert [e.pk for e in found] == [same.pk, close.pk]
    assert [e.pk for e in edited] == [close.pk]


def test_without_dates_only_close_titles_are_found():
    event = EventFactory(title="General Assembly votes on Ukraine resolution")
    EventFactory(title="Trade agreement signed")

    found = similar_events(
        title="General Assembly votes on Ukraine resolution", start=None, end=None, actor_ids=[]
    )

    assert [e.pk for e in found] == [event.pk]


@postgres_only
@pytest.mark.postgres_only
def test_trigram_similarity_catches_a_misspelt_title_on_postgresql():
    event = EventFactory(title="Zelenskyy meets Macron in Paris", start_date=FEB_18)

    found = similar_events(
        title="Zelensky meets Macron in Pariss", start=FEB_18, end=None, actor_ids=[]
    )

    # Two misspelt words of five: the word sets differ (Dice 0.6), the trigrams barely.
    assert token_similarity("Zelensky meets Macron in Pariss", event.title) < 0.75
    assert [e.pk for e in found] == [event.pk]


def test_a_second_european_union_is_found_by_name_alias_and_codes():
    eu = ActorFactory(
        name="European Union", short_name="EU", aliases="Brussels", wikidata_id="Q458"
    )
    russia = StateFactory(name="Russian Federation", iso3="RUS")

    by_name = similar_actors(name="european union")
    by_alias = similar_actors(name="E.U.", aliases="Brussels")
    by_wikidata = similar_actors(name="Union européenne", wikidata_id="q458")
    by_iso = similar_actors(name="Russia", iso3="rus")
    itself = similar_actors(name="European Union", exclude_pk=eu.pk)

    assert [a.pk for a in by_name] == [eu.pk]
    assert by_name[0].duplicate_reasons == ["same name"]
    assert [a.pk for a in by_alias] == [eu.pk]
    assert [a.pk for a in by_wikidata] == [eu.pk]
    assert "same Wikidata id Q458" in by_wikidata[0].duplicate_reasons
    assert [a.pk for a in by_iso] == [russia.pk]
    assert itself == []


def test_an_unrelated_actor_is_not_a_duplicate():
    ActorFactory(name="European Union", kind=ActorKind.ORGANISATION)

    assert similar_actors(name="European Commission") == []


def test_sources_match_by_normalised_url_www_trailing_slash_and_text():
    source = SourceFactory(url="https://www.reuters.com/world/talks", full_text="Talks began.")

    assert [s.pk for s in similar_sources(url="http://www.reuters.com/world/talks?utm_source=x")]
    assert similar_sources(url="https://reuters.com/world/talks/")[0].duplicate_reasons == [
        "same page"
    ]
    by_text = similar_sources(full_text="  Talks  began.\n")
    assert [s.pk for s in by_text] == [source.pk]
    assert by_text[0].duplicate_reasons == ["same text"]
    assert similar_sources(url="https://reuters.com/world/other") == []
    assert similar_sources(url=source.url, exclude_pk=source.pk) == []
    assert content_hash("Talks  began.\n") == content_hash("Talks began.")


def test_two_addresses_whose_archived_pages_are_the_same_bytes_are_one_source():
    from events.archiving import store_snapshot
    from tests.events.test_archiving import fetched

    page = b"<html><p>The talks began in Riyadh.</p></html>"
    first = SourceFactory(url="https://news.example.org/story?id=7")
    second = SourceFactory(url="https://amp.news.example.org/story-7")
    store_snapshot(source=first, result=fetched(page, url=first.url))
    store_snapshot(source=second, result=fetched(page, url=second.url))
    SourceFactory(url="https://news.example.org/other")

    found = duplicates_of(second)

    assert [s.pk for s in found] == [first.pk]
    assert found[0].duplicate_reasons == ["same archived page"]


def test_an_undated_sentence_finds_events_of_its_type_with_two_of_its_actors():
    """Ingestion: "The halt in military aid raises questions about Washington's commitment
    to Ukraine" has no date and few words in common with the event's title."""
    usa, ukraine, russia = (StateFactory(name=n) for n in ("United States", "Ukraine", "Russia"))
    pause = PublishedEventFactory(
        title="US pauses military aid to Ukraine",
        start_date=FEB_18,
        event_type=event_type("aid-suspension"),
    )
    for actor in (usa, ukraine):
        ParticipationFactory(event=pause, actor=actor)
    other_type = PublishedEventFactory(
        title="Talks", start_date=FEB_18, event_type=event_type("bilateral-talks")
    )
    for actor in (usa, ukraine):
        ParticipationFactory(event=other_type, actor=actor)
    one_actor = EventFactory(event_type=pause.event_type, title="Aid to Georgia")
    ParticipationFactory(event=one_actor, actor=usa)
    sentence = "The halt raises questions about Washington's long-term commitment to Kyiv."

    found = similar_events(
        title=sentence,
        start=None,
        end=None,
        actor_ids=[usa.pk, ukraine.pk, russia.pk],
        type_id=pause.event_type_id,
    )

    assert [event.pk for event in found] == [pause.pk]
    assert "same type" in found[0].duplicate_reasons
    assert found[0].shared_actor_ids == sorted([usa.pk, ukraine.pk])
