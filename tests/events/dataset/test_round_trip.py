"""The JSONL file holds everything needed to rebuild the dataset: loaded into an empty
database by a minimal reader (straight ORM creates, no validation, no import pipeline; the
real reader is `import_data --format jsonl`), it exports to the same bytes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from events.dataset.jsonl import decode, jsonl_lines
from events.models import (
    Actor,
    AidMeasure,
    Citation,
    CountryVote,
    Event,
    EventRelation,
    EventType,
    Participation,
    Role,
    Source,
    Timeline,
    TimelineEntry,
    VoteRecord,
)


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _instant(value):
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def load_minimal(data: bytes) -> None:
    """Create the rows the file describes, keys resolved by natural key."""
    types, actors, sources, events = {}, {}, {}, {}
    relations = []
    for record in map(decode, data.splitlines()):
        kind = record.pop("type")
        if kind == "event_type":
            record["parent"] = types.get(record["parent"])
            types[record["slug"]], _ = EventType.objects.update_or_create(
                slug=record["slug"], defaults=record
            )
        elif kind == "actor":
            record["parent"] = actors.get(record["parent"])
            actors[record["slug"]] = Actor.objects.create(**record)
        elif kind == "post":
            Role.objects.create(
                person=actors[record["person"]],
                organisation=actors[record["organisation"]],
                title=record["title"],
                start_date=_date(record["start_date"]),
                end_date=_date(record["end_date"]),
            )
        elif kind == "source":
            key = record.pop("key")
            record["published_on"] = _date(record["published_on"])
            sources[key] = Source.objects.create(**record)
        elif kind == "event":
            parts = {
                name: record.pop(name)
                for name in (
                    "participations",
                    "citations",
                    "relations",
                    "aid_measures",
                    "vote_record",
                )
            }
            record["event_type"] = types[record["event_type"]]
            record["location_country"] = actors.get(record["location_country"])
            for name in ("start_date", "end_date"):
                record[name] = _date(record[name])
            for name in ("published_at", "first_published_at"):
                record[name] = _instant(record[name])
            event = events[record["slug"]] = Event.objects.create(**record)
            for part in parts["participations"]:
                Participation.objects.create(event=event, **part | {"actor": actors[part["actor"]]})
            for part in parts["citations"]:
                Citation.objects.create(event=event, **part | {"source": sources[part["source"]]})
            for part in parts["aid_measures"]:
                amount = Decimal(part["amount"]) if part["amount"] is not None else None
                AidMeasure.objects.create(
                    event=event,
                    **part
                    | {
                        "donor": actors[part["donor"]],
                        "recipient": actors[part["recipient"]],
                        "amount": amount,
                    },
                )
            vote = parts["vote_record"]
            if vote:
                roll = vote.pop("roll")
                record_ = VoteRecord.objects.create(
                    event=event, **vote | {"body": actors[vote["body"]]}
                )
                for item in roll:
                    CountryVote.objects.create(
                        vote_record=record_, actor=actors[item["actor"]], option=item["option"]
                    )
            relations += [(event, part) for part in parts["relations"]]
        elif kind == "timeline":
            entries = record.pop("entries")
            query_actors = record.pop("query_actors")
            query_types = record.pop("query_types")
            for name in ("query_from", "query_to"):
                record[name] = _date(record[name])
            timeline = Timeline.objects.create(**record)
            timeline.query_actors.set([actors[slug] for slug in query_actors])
            timeline.query_types.set([types[slug] for slug in query_types])
            for entry in entries:
                TimelineEntry.objects.create(
                    timeline=timeline, **entry | {"event": events[entry["event"]]}
                )
    for event, part in relations:  # events named further down the file exist now
        EventRelation.objects.create(
            from_event=event, kind=part["kind"], to_event=events[part["to_event"]]
        )


@pytest.mark.flushes_database
@pytest.mark.parametrize("include_drafts", [True, False])
def test_an_export_loaded_into_an_empty_database_exports_to_the_same_bytes(
    transactional_db, export_dataset, include_drafts
):
    timeline = Timeline.objects.get(slug="tl-public")
    timeline.query_actors.set(Actor.objects.filter(slug="alpha"))
    timeline.query_types.set(EventType.objects.filter(slug="summit"))
    first = b"".join(jsonl_lines(include_drafts=include_drafts))
    call_command("flush", interactive=False, verbosity=0)
    assert not Event.objects.exists() and not EventType.objects.exists()
    load_minimal(first)
    assert b"".join(jsonl_lines(include_drafts=include_drafts)) == first
