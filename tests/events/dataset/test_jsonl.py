"""The JSONL dataset export: deterministic, public only by default, closed under references."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from events.dataset.jsonl import decode, jsonl_lines
from events.dataset.records import dataset_records
from events.models import Event, Source
from tests.factories import (
    ParticipationFactory,
    PublishedEventFactory,
)

pytestmark = pytest.mark.django_db


def export(**options) -> bytes:
    return b"".join(jsonl_lines(**options))


def records(data: bytes) -> list[dict]:
    return [decode(line) for line in data.splitlines()]


def find(data: list[dict], kind: str, slug: str) -> dict:
    return next(r for r in data if r["type"] == kind and r.get("slug") == slug)


def test_it_gives_the_same_bytes_every_time(export_dataset):
    assert export() == export()
    assert export(include_drafts=True) == export(include_drafts=True)


def test_it_starts_with_a_header_naming_format_version_and_scope(export_dataset):
    assert records(export())[0] == {
        "type": "dataset",
        "format": "timeline-dataset",
        "version": 1,
        "scope": "public",
    }
    assert records(export(include_drafts=True))[0]["scope"] == "all"


def test_the_default_export_holds_no_draft(export_dataset):
    data = export()
    for secret in (
        b"draft-plan",
        b"Secret draft",
        b"secret-state",
        b"draft.example.org",
        b"tl-draft",
    ):
        assert secret not in data
    summit = find(records(data), "event", "summit")
    assert summit["relations"] == [{"kind": "responds_to", "to_event": "a-vote"}]
    timeline = next(r for r in records(data) if r["type"] == "timeline")
    assert timeline["entries"] == [{"event": "summit", "position": 2, "caption": "Two"}]


def test_all_holds_drafts_and_what_only_they_name(export_dataset):
    data = records(export(include_drafts=True))
    keys = {(r["type"], r.get("slug") or r.get("key")) for r in data}
    assert ("event", "draft-plan") in keys
    assert ("actor", "secret-state") in keys
    assert ("source", "https://draft.example.org/leak") in keys
    assert ("timeline", "tl-draft") in keys


@pytest.mark.parametrize("include_drafts", [False, True])
def test_every_key_a_record_names_is_defined_on_an_earlier_line(export_dataset, include_drafts):
    defined: dict[str, set] = {"event_type": set(), "actor": set(), "source": set(), "event": set()}
    relations = []
    for record in records(export(include_drafts=include_drafts)):
        kind = record["type"]
        named: list[tuple[str, str | None]] = []
        if kind in ("event_type", "actor"):
            named.append((kind, record["parent"]))
        elif kind == "post":
            named += [("actor", record["person"]), ("actor", record["organisation"])]
        elif kind == "event":
            named += [("event_type", record["event_type"]), ("actor", record["location_country"])]
            named += [("actor", part["actor"]) for part in record["participations"]]
            named += [("source", part["source"]) for part in record["citations"]]
            for aid in record["aid_measures"]:
                named += [("actor", aid["donor"]), ("actor", aid["recipient"])]
            if record["vote_record"]:
                named.append(("actor", record["vote_record"]["body"]))
                named += [("actor", vote["actor"]) for vote in record["vote_record"]["roll"]]
            relations += [part["to_event"] for part in record["relations"]]
        elif kind == "timeline":
            named += [("actor", slug) for slug in record["query_actors"]]
            named += [("event_type", slug) for slug in record["query_types"]]
            named += [("event", entry["event"]) for entry in record["entries"]]
        for target, key in named:
            assert key is None or key in defined[target], (kind, target, key)
        if kind in defined:
            defined[kind].add(record.get("slug") or record.get("key"))
    assert set(relations) <= defined["event"]


def test_records_of_a_type_follow_their_keys_in_byte_order(export_dataset):
    data = records(export(include_drafts=True))
    assert [r["type"] for r in data] == sorted(
        (r["type"] for r in data),
        key=["dataset", "event_type", "actor", "post", "source", "event", "timeline"].index,
    )
    events = [r["slug"] for r in data if r["type"] == "event"]
    assert events == sorted(events) == ["a-vote", "aid-pause", "draft-plan", "summit"]
    actors = [r["slug"] for r in data if r["type"] == "actor"]
    assert actors.index("un") < actors.index("un-ga")  # a parent before its organ
    roots = [r["slug"] for r in data if r["type"] == "actor" and r["parent"] is None]
    assert roots == sorted(roots)
    assert roots[0] == "Zed-person"  # capitals first, as bytes sort


def test_an_event_carries_its_parts_as_stored(export_dataset):
    data = records(export())
    aid = find(data, "event", "aid-pause")
    assert aid["status"] == "retracted"
    assert aid["first_published_at"] == "2025-01-01T00:00:00Z"
    assert aid["aid_measures"] == [
        {
            "donor": "alpha",
            "recipient": "a-beta",
            "kind": "military",
            "action": "pause",
            "amount": "1000000.50",
            "currency": "USD",
            "note": "",
        }
    ]
    vote = find(data, "event", "a-vote")
    assert vote["published_at"] == "2025-03-04T12:00:00Z"
    assert vote["vote_record"]["roll"] == [
        {"actor": "a-beta", "option": "no"},
        {"actor": "alpha", "option": "yes"},
    ]
    assert vote["vote_record"]["body"] == "un-ga"
    summit = find(data, "event", "summit")
    assert summit["location_country"] == "a-beta"
    assert [p["actor"] for p in summit["participations"]] == ["Zed-person", "alpha"]
    keys = [c["source"] for c in summit["citations"]]
    assert "ref:archive/1" in keys
    assert any(key.startswith("sha256:") for key in keys)
    person = find(data, "actor", "Zed-person")
    assert person["aliases"] == "Z\nZee"
    post = next(r for r in data if r["type"] == "post")
    assert post == {
        "type": "post",
        "person": "Zed-person",
        "organisation": "alpha",
        "title": "Foreign minister",
        "start_date": "2020-01-01",
        "end_date": None,
    }


def test_a_keyless_source_is_named_by_the_digest_of_its_fields(export_dataset):
    data = records(export())
    source = next(r for r in data if r["type"] == "source" and r["title"] == "Print article")
    summit = find(data, "event", "summit")
    assert source["key"] in [c["source"] for c in summit["citations"]]
    Source.objects.filter(pk=export_dataset["keyless"].pk).update(publisher="Other gazette")
    assert source["key"] not in export().decode()


def test_the_command_writes_the_same_bytes_to_a_file_and_to_stdout(
    export_dataset, tmp_path, capfdbinary
):
    target = tmp_path / "dataset.jsonl"
    call_command("export_data", "--format", "jsonl", "-o", str(target))
    call_command("export_data", "-o", "-")
    assert capfdbinary.readouterr().out == target.read_bytes() == export()
    call_command("export_data", "--all", "-o", str(target))
    assert target.read_bytes() == export(include_drafts=True)


def test_the_number_of_queries_does_not_grow_with_the_events(export_dataset):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            export(include_drafts=True)
        return len(captured)

    before = queries()
    for n in range(30):
        ParticipationFactory(event=PublishedEventFactory(slug=f"more-{n:02d}"))
    assert queries() == before


def test_timestamps_keep_their_instant_and_microseconds_whatever_the_zone(export_dataset):
    # PostgreSQL reads them as UTC wall-clock values and makes them aware again in Python.
    stamp = dt.datetime(2025, 6, 30, 23, 59, 58, 120, tzinfo=ZoneInfo("Asia/Tokyo"))
    Event.objects.filter(slug="a-vote").update(published_at=stamp, first_published_at=stamp)
    vote = find(records(export()), "event", "a-vote")
    assert vote["published_at"] == vote["first_published_at"] == "2025-06-30T14:59:58.000120Z"
    record = next(r for r in dataset_records() if r.get("slug") == "a-vote")
    assert record["published_at"] == stamp
    assert record["published_at"].utcoffset() == dt.timedelta(0)


def readers_alive() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "dataset-reader" and t.is_alive()]


@pytest.mark.flushes_database  # transactional: the readers' connections see committed rows only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="snapshot sharing is PostgreSQL's")
def test_on_postgresql_the_streams_are_read_on_other_connections_giving_the_same_bytes(
    transactional_db, export_dataset
):
    for include_drafts in (True, False):
        with CaptureQueriesContext(connection) as captured:
            alone = export(include_drafts=include_drafts, parallel=True)
        assert export(include_drafts=include_drafts) == alone  # one connection, same bytes
        on_this_connection = " ".join(query["sql"] for query in captured)
        assert "pg_export_snapshot" in on_this_connection
        for table in ("events_citation", "events_eventrelation"):
            assert table not in on_this_connection  # read by the readers, in the same snapshot
        with transaction.atomic():  # inside a caller's transaction: all on this connection
            assert export(include_drafts=include_drafts, parallel=True) == alone
    assert not readers_alive()


@pytest.mark.flushes_database
@pytest.mark.skipif(connection.vendor != "postgresql", reason="snapshot sharing is PostgreSQL's")
def test_an_export_closed_early_stops_its_readers_and_ends_its_transaction(
    transactional_db, export_dataset
):
    lines = jsonl_lines(chunk_size=1, parallel=True)  # a row a chunk: the readers wait
    assert b'"type":"dataset"' in next(lines)
    assert readers_alive()
    lines.close()  # a client gone after the first line
    assert not readers_alive()
    assert not connection.in_atomic_block
