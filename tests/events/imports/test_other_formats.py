"""Timeline's own CSV, TimelineJS3 JSON and ACLED, each read into the same pipeline."""

import orjson
import pytest

from events.imports.formats import timeline_csv
from events.imports.models import ImportStatus
from events.imports.pipeline import start_import
from events.models import Event
from events.rows import CSV_COLUMNS
from tests.events.imports.files import csv_bytes
from tests.factories import (
    CitationFactory,
    ParticipationFactory,
    PublishedEventFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


def test_the_csv_reader_knows_the_columns_the_csv_export_writes(client):
    """The header of the real export, as a reader downloads it, is what the reader expects."""
    PublishedEventFactory(slug="talks", title="Talks")
    exported = client.get("/api/v1/events/?format=csv")
    header = exported.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == timeline_csv.COLUMNS == list(CSV_COLUMNS)


def test_timelines_own_csv_export_reads_back_into_the_same_events(client, curator):
    russia = StateFactory(name="Russian Federation", slug="russia", iso3="RUS")
    event = PublishedEventFactory(slug="talks", title="=Talks", location_country=russia)
    ParticipationFactory(event=event, actor=russia)
    CitationFactory(event=event, source__url="https://example.org/talks")
    data = client.get("/api/v1/events/?format=csv").content
    again = start_import(data=data, file_name="events.csv", user=curator)
    assert again.format == "csv"
    assert again.status == ImportStatus.DONE
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 1)
    Event.objects.filter(pk=event.pk).update(slug="renamed")
    by_source = start_import(data=data, file_name="events.csv", user=curator)
    assert by_source.unchanged_count == 1  # found by its source's URL
    other = data.replace(b"talks", b"talks-2").replace(b"/article/", b"/other/")
    fresh = start_import(data=other, file_name="e.csv", user=curator)
    assert fresh.created_count == 1
    copy = Event.objects.get(slug="talks-2")
    assert copy.title == "=Talks"  # the export's formula escape is undone
    assert copy.status == "draft"
    assert copy.location_country == russia
    assert [a.slug for a in copy.actors.all()] == ["russia"]


def test_a_timelinejs_document_is_read(curator):
    document = {
        "title": {"text": {"headline": "My timeline"}},
        "events": [
            {
                "start_date": {"year": 2025, "month": 2},
                "text": {"headline": "Aid paused", "text": "<p>Paused.</p>"},
                "group": "Sanctions",
                "unique_id": "aid-paused",
                "media": {"url": "https://example.org/aid", "credit": "AP"},
            },
            {"start_date": {"year": 2025, "month": 2, "day": 30}, "text": {"headline": "Bad"}},
        ],
    }
    data = orjson.dumps(document)
    result = start_import(data=data, file_name="t.json", user=curator, skip_invalid=True)
    assert result.format == "timelinejs"
    assert result.created_count == 1
    [problem] = result.report["problems"]
    assert (problem["row"], problem["column"]) == (2, "start_date.day")
    event = Event.objects.get()
    assert (event.slug, event.start_precision, event.event_type.slug) == (
        "aid-paused",
        "month",
        "sanctions",
    )
    assert event.summary == "Paused."


ACLED_HEADER = [
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
    "assoc_actor_1", "actor2", "assoc_actor_2", "country", "iso3", "location", "latitude",
    "longitude", "source", "notes",
]  # fmt: skip


def acled_row(**cells) -> list[str]:
    values = {
        "event_id_cnty": "UKR12345",
        "event_date": "2025-02-18",
        "time_precision": "1",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Russia",
        "actor2": "Ukraine",
        "country": "Ukraine",
        "iso3": "804",
        "location": "Pokrovsk",
        "latitude": "48.28",
        "longitude": "37.18",
        "source": "Kyiv Independent",
        "notes": "Fighting near Pokrovsk.",
        **cells,
    }
    return [values.get(name, "") for name in ACLED_HEADER]


def test_an_acled_export_keeps_its_ids_and_updates_on_reimport(curator):
    ukraine = StateFactory(name="Ukraine", slug="ukraine", iso3="UKR")
    StateFactory(name="Russian Federation", short_name="Russia", slug="russia", iso3="RUS")
    data = csv_bytes(
        ACLED_HEADER, [acled_row(), acled_row(event_id_cnty="UKR2", time_precision="3")]
    )
    result = start_import(data=data, file_name="acled.csv", user=curator)
    assert result.format == "acled"
    assert result.created_count == 2
    event = Event.objects.get(external_ids__value="UKR12345")
    assert event.event_type.slug == "military-action"
    assert event.location_country == ukraine
    roles = dict(event.participations.values_list("actor__slug", "role"))
    assert roles == {"russia": "initiator", "ukraine": "target"}
    assert Event.objects.get(external_ids__value="UKR2").start_precision == "month"
    changed = csv_bytes(ACLED_HEADER, [acled_row(notes="Heavy fighting near Pokrovsk.")])
    again = start_import(data=changed, file_name="acled.csv", user=curator)
    assert (again.created_count, again.updated_count) == (0, 1)
    assert Event.objects.count() == 2


def test_an_unknown_acled_event_type_is_a_row_error(curator):
    data = csv_bytes(ACLED_HEADER, [acled_row(event_type="Parade")])
    result = start_import(data=data, file_name="acled.csv", user=curator)
    assert result.report["problems"][0]["column"] == "event_type"
