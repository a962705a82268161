import datetime as dt
import json
from pathlib import Path

import pytest
from django.db import transaction

from events.demo.loader import DATA_FILE, DemoLoader
from events.ingestion.extraction import ExtractedCandidate, confidence, extract_candidates
from events.ingestion.gazetteer import ActorNames, Gazetteer
from events.ingestion.sentences import paragraphs

SEED_ARTICLE = DATA_FILE.parent / "000_45403a001ff315a8.txt"
SEED_SECTIONS = Path(__file__).resolve().parents[2] / "data" / "ingestion" / "seed_sections.json"
PUBLISHED = dt.date(2025, 3, 4)  # a Tuesday


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(
        [
            ActorNames("united-states", ("United States", "U.S.", "Washington", "the White House")),
            ActorNames("russia", ("Russia", "Moscow", "the Kremlin")),
            ActorNames("ukraine", ("Ukraine", "Kyiv")),
            ActorNames("donald-trump", ("Donald Trump", "Trump")),
            ActorNames("mike-waltz", ("Mike Waltz", "Waltz")),
        ]
    )


def extract(text, gazetteer, published=PUBLISHED):
    return extract_candidates(text, published=published, gazetteer=gazetteer)


def test_a_dated_sentence_naming_actors_and_a_type_is_a_confident_candidate(gazetteer):
    [candidate] = extract(
        "Heading\n\nThe United States paused all military aid to Ukraine on Monday.", gazetteer
    )
    assert candidate == ExtractedCandidate(
        sentence="The United States paused all military aid to Ukraine on Monday.",
        paragraph=2,
        start=dt.date(2025, 3, 3),
        end=dt.date(2025, 3, 3),
        precision="day",
        approximate=False,
        actors=["united-states", "ukraine"],
        type="aid-suspension",
        confidence=0.95,
    )


def test_a_month_is_a_month_from_its_first_to_its_last_day(gazetteer):
    [candidate] = extract("Washington held talks with Moscow in February.", gazetteer)
    assert (candidate.start, candidate.end, candidate.precision) == (
        dt.date(2025, 2, 1),
        dt.date(2025, 2, 28),
        "month",
    )


def test_sentences_without_an_actor_or_without_date_and_type_are_not_candidates(gazetteer):
    text = (
        "The talks ended on Monday.\n\n"  # a date and a type, but nobody
        "Ukraine is a large country.\n\n"  # an actor, but no date and no type
        "Kyiv objected on Monday."  # an actor and a date: a candidate
    )
    assert [c.sentence for c in extract(text, gazetteer)] == ["Kyiv objected on Monday."]


def test_an_undated_candidate_has_no_date_and_a_low_confidence(gazetteer):
    [candidate] = extract("Trump suggested that Kyiv should compensate the U.S.", gazetteer)
    assert (candidate.start, candidate.end, candidate.precision) == (None, None, "")
    assert candidate.confidence < 0.5


def test_conjecture_lowers_the_confidence(gazetteer):
    reported, conjectured = extract(
        "Washington paused aid to Kyiv on Monday.\n\n"
        "If Washington pauses aid to Kyiv on Monday, Russia could gain.",
        gazetteer,
    )
    assert conjectured.confidence == pytest.approx(reported.confidence - 0.15)


def test_headings_are_not_candidates(gazetteer):
    assert extract("Halting Military Aid to Ukraine\n\nNothing else here.", gazetteer) == []


def test_a_sentence_that_continues_the_one_before_is_merged_into_it(gazetteer):
    text = (
        "Trump questioned continued military assistance to Ukraine on Monday. "
        "He suggested that Kyiv should compensate the U.S. for past aid."
    )
    [candidate] = extract(text, gazetteer)
    assert candidate.sentence == text
    assert candidate.actors == ["donald-trump", "ukraine", "united-states"]
    assert candidate.start == dt.date(2025, 3, 3)


def test_sentences_sharing_an_actor_merge_but_not_across_paragraphs_or_dates(gazetteer):
    text = (
        "Mike Waltz confirmed the pause on Wednesday. Waltz added that talks would follow.\n\n"
        "Waltz spoke again on Friday."
    )
    candidates = extract(text, gazetteer)
    assert [c.sentence for c in candidates] == [
        "Mike Waltz confirmed the pause on Wednesday. Waltz added that talks would follow.",
        "Waltz spoke again on Friday.",
    ]
    text = "Mike Waltz confirmed the pause on Wednesday. Waltz spoke again on Friday."
    assert len(extract(text, gazetteer)) == 2


def test_a_second_event_in_the_next_sentence_stays_a_candidate_of_its_own(gazetteer):
    text = (
        "Ukraine held talks with the United States on Tuesday. "
        "In return, Washington said it would resume aid to Kyiv."
    )
    talks, resumption = extract(text, gazetteer)
    assert (talks.type, resumption.type) == ("bilateral-talks", "aid-resumption")


def test_the_same_day_is_the_last_single_day_written_before_it(gazetteer):
    text = (
        "Russia held talks with Ukraine on Monday.\n\n"
        "In February 2022, Russia invaded Ukraine.\n\n"
        "Hours later, Washington held talks with Kyiv."
    )
    *_, later = extract(text, gazetteer)
    assert (later.start, later.precision) == (dt.date(2025, 3, 3), "day")


def test_confidence_adds_up_the_evidence():
    assert confidence(precision="day", approximate=False, actors=2, type_slug="un-vote") == 0.95
    assert confidence(precision="month", approximate=False, actors=1, type_slug=None) == 0.5
    assert confidence(precision="year", approximate=True, actors=1, type_slug=None) == 0.35
    assert confidence(precision="", approximate=False, actors=1, type_slug="statement") == 0.3
    hedged = confidence(
        precision="day", approximate=False, actors=2, type_slug="un-vote", hedged=True
    )
    assert hedged == 0.8
    day = confidence(precision="day", approximate=False, actors=1, type_slug=None)
    month = confidence(precision="month", approximate=False, actors=1, type_slug=None)
    assert day > month


@pytest.fixture(scope="module")
def demo_gazetteer(django_db_setup, django_db_blocker):
    """The gazetteer of the demo data as loaded into the database, built once for the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        DemoLoader.from_file(DATA_FILE).run()
        gazetteer = Gazetteer.from_database()
        transaction.set_rollback(True)
    return gazetteer


def test_the_demo_data_s_metonyms_are_aliases_curators_can_edit(demo_gazetteer, db):
    text = "Washington, the White House, Moscow, the Kremlin and Kyiv"
    assert demo_gazetteer.find(text) == ["united-states", "russia", "ukraine"]


def test_on_the_seed_article_candidates_tell_at_least_five_of_its_six_sections(demo_gazetteer, db):
    spec = json.loads(SEED_SECTIONS.read_text(encoding="utf-8"))
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    published = dt.date.fromisoformat(spec["published"])
    candidates = extract_candidates(text, published=published, gazetteer=demo_gazetteer)
    numbers = {part: number for number, part in enumerate(paragraphs(text), start=1)}
    starts = [numbers[section["heading"]] for section in spec["sections"]]
    ends = [*(start - 1 for start in starts[1:]), len(numbers)]
    found = [
        section["event"]
        for section, first, last in zip(spec["sections"], starts, ends, strict=True)
        if any(
            first < c.paragraph <= last
            and set(section["actors"]) <= set(c.actors)
            and c.type in section["types"]
            for c in candidates
        )
    ]
    assert len(found) >= 5, found
