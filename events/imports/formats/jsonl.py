"""Timeline's own dataset file (docs/data-format.md), read back: every record upserted by its
natural key, so importing an export into an empty database and exporting again gives the
same bytes, and importing it twice changes nothing.

Unlike the event formats, a dataset carries everything (types, actors, posts, sources,
events with all their parts, timelines) and its statuses: it is kept as given when the
importer may publish (an editor, or the command run without --user by whoever runs the
server); for anyone else events come in as drafts. Writes run inside
`events.imports.writing.import_writes`; a dry run is the same work rolled back.
"""

import datetime as dt
from decimal import Decimal

import orjson
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime

from events import revisions
from events.authorship import stamp_author
from events.choices import EventStatus
from events.dataset import records as dataset
from events.dataset.jsonl import decode, encode
from events.dataset.records import dataset_records, source_key
from events.imports.models import ImportItem, ImportItemAction
from events.imports.reading import iter_lines
from events.imports.report import FileRefused, Report
from events.models import (
    Actor,
    AidMeasure,
    Citation,
    Event,
    EventRelation,
    EventType,
    Participation,
    Role,
    Source,
    Timeline,
    VoteRecord,
)
from events.services import PUBLISH_PERMISSION, timeline_entries_replace, vote_roll_replace

NAME = "jsonl"
TYPES = ("event_type", "actor", "post", "source", "event", "timeline")


def parse(data: bytes, file_name: str, report: Report, context: dict) -> list[tuple[int, dict]]:
    """(line number, record) for every record of a known type; the header is checked."""
    lines = []
    for number, line in iter_lines(data):
        try:
            record = decode(line)
        except orjson.JSONDecodeError as exc:
            report.problem(number, "", f"Not a JSON object: {exc}. Each line holds one record.")
            continue
        if not isinstance(record, dict) or "type" not in record:
            report.problem(number, "type", "Each line is a JSON object with a “type”.")
            continue
        lines.append((number, record))
    if not lines or lines[0][1]["type"] != "dataset":
        raise FileRefused(
            'The first line is not a dataset header ({"type":"dataset",…}); is this a '
            "file written by export_data --format jsonl?"
        )
    header = lines[0][1]
    if header.get("format") != dataset.FORMAT or header.get("version") != dataset.VERSION:
        raise FileRefused(
            f"This reads {dataset.FORMAT} version {dataset.VERSION}; the file says "
            f"{header.get('format')} version {header.get('version')}."
        )
    report.rows = len(lines) - 1
    return [(number, record) for number, record in lines[1:] if record["type"] in TYPES]


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _key(record: dict):
    kind = record["type"]
    if kind == "source":
        return record["key"]
    if kind == "post":
        return tuple(record[name] for name in ("person", "organisation", "title", "start_date"))
    return record["slug"]


class DatasetImport:
    def __init__(self, *, import_run, user, report: Report):
        self.import_run = import_run
        self.user = user
        self.report = report
        self.keep_status = user is None or user.has_perm(PUBLISH_PERMISSION)
        if not self.keep_status:
            report.note("Events come in as drafts: only editors import published events.")
        self.types: dict[str, EventType] = {}
        self.actors: dict[str, Actor] = {}
        self.sources: dict[str, Source] = {}
        self.events: dict[str, Event] = {}
        self.relations: list[tuple[int, Event, list]] = []

    def run(self, lines: list[tuple[int, dict]], progress=None) -> None:
        # What is stored now, in the file's own form: a record equal to it is unchanged.
        stored = {}
        for record in dataset_records(include_drafts=True):
            if record["type"] in TYPES:
                record = decode(encode(record))  # dates and instants as the file has them
                stored[(record["type"], _key(record))] = record
        self.types = {t.slug: t for t in EventType.objects.all()}
        self.actors = {a.slug: a for a in Actor.objects.all()}
        for done, (number, record) in enumerate(lines, start=1):
            same = stored.get((record["type"], _key(record))) == self._comparable(record)
            try:
                self._write(record, number, unchanged=same)
            except ValidationError as exc:
                detail = " ".join(exc.messages)
                raise ValidationError(f"Line {number} ({record['type']}): {detail}") from None
            label = f"{record['type']} {_key(record)}"
            action = (
                "unchanged"
                if same
                else ("updated" if (record["type"], _key(record)) in stored else "created")
            )
            self.report.count(action, row=number, key=label)
            if progress and done % 1000 == 0:
                progress(done, len(lines))
        for number, event, relations in self.relations:
            self._sync_relations(event, relations, number)
        self._final_versions()

    def _final_versions(self) -> None:
        """Parts written after a row moved its version: undo compares with the final one."""
        items = list(self.import_run.items.filter(version_after__isnull=False))
        by_model: dict = {}
        for item in items:
            by_model.setdefault(item.content_type.model_class(), []).append(item)
        for model, model_items in by_model.items():
            versions = dict(
                model._base_manager.filter(pk__in=[i.object_id for i in model_items]).values_list(
                    "pk", "version"
                )
            )
            for item in model_items:
                item.version_after = versions.get(item.object_id, item.version_after)
        ImportItem.objects.bulk_update(items, ["version_after"], batch_size=1000)

    def _comparable(self, record: dict) -> dict:
        if self.keep_status or record["type"] != "event":
            return record
        return {
            **record,
            "status": EventStatus.DRAFT,
            "published_at": None,
            "first_published_at": None,
        }

    # --- one record -------------------------------------------------------------------------

    def _write(self, record: dict, number: int, *, unchanged: bool) -> None:
        kind = record["type"]
        if kind == "event_type":
            self.types[record["slug"]] = self._upsert(
                EventType,
                {"slug": record["slug"]},
                {
                    "name": record["name"],
                    "parent": self.types.get(record["parent"]) if record["parent"] else None,
                    "description": record["description"],
                    "cameo_code": record["cameo_code"],
                    "plover_code": record["plover_code"],
                },
                number,
                unchanged,
            )
        elif kind == "actor":
            values = {name: record[name] for name in dataset.ACTOR_FIELDS[1:] if name != "parent"}
            values["parent"] = self.actors[record["parent"]] if record["parent"] else None
            self.actors[record["slug"]] = self._upsert(
                Actor, {"slug": record["slug"]}, values, number, unchanged
            )
        elif kind == "post":
            self._upsert(
                Role,
                {
                    "person": self.actors[record["person"]],
                    "organisation": self.actors[record["organisation"]],
                    "title": record["title"],
                    "start_date": _date(record["start_date"]),
                },
                {"end_date": _date(record["end_date"])},
                number,
                unchanged,
            )
        elif kind == "source":
            self._source(record, number, unchanged)
        elif kind == "event":
            self._event(record, number, unchanged)
        elif kind == "timeline":
            self._timeline(record, number, unchanged)

    def _upsert(self, model, key: dict, values: dict, number: int, unchanged: bool, *, parts=False):
        """Create or update one row. `parts`: the record also carries the parts of the row's
        aggregate (an event's participants, citations, vote…; a timeline's entries), which
        the caller syncs next; the whole aggregate as stored now is kept on the ImportItem so
        that undo puts back exactly what the import replaced."""
        obj = model._default_manager.filter(**key).first()
        if obj is not None and unchanged:
            return obj
        before, aggregate = {}, None
        if obj is None:
            obj = model(**key, **values)
            action = ImportItemAction.CREATED
        else:
            before = {n: getattr(obj, n) for n, v in values.items() if getattr(obj, n) != v}
            aggregate = revisions.serialize_aggregate(obj) if parts else None
            if not before and aggregate is None:
                return obj
            action = ImportItemAction.UPDATED
            if not before:  # only its parts change
                self._item(obj, action, number, before, aggregate)
                return obj
            for name in before:
                setattr(obj, name, values[name])
        if hasattr(obj, "confirm_unusual_date"):
            obj.confirm_unusual_date = True
        obj.clean()
        stamp_author(obj, self.user)
        obj.save()
        self._item(obj, action, number, before, aggregate)
        return obj

    def _item(self, obj, action: str, number: int, before: dict, aggregate=None) -> None:
        from django.contrib.contenttypes.models import ContentType

        from events.imports.writing import _jsonable

        ImportItem.objects.create(
            import_run=self.import_run,
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=obj.pk,
            action=action,
            row=number,
            version_after=getattr(obj, "version", None),
            # Foreign keys by their column (`parent_id`), so undo can set them back.
            before={
                **_jsonable(
                    {
                        (f"{k}_id" if hasattr(v, "pk") else k): getattr(v, "pk", v)
                        for k, v in before.items()
                    }
                ),
                # (model, pk, the version text, its name) of every row, as a revision has them
                **(
                    {
                        "aggregate": [
                            [model._meta.label_lower, pk, data, shown]
                            for model, pk, data, shown in aggregate
                        ]
                    }
                    if aggregate is not None
                    else {}
                ),
            },
        )

    def _source(self, record: dict, number: int, unchanged: bool) -> None:
        values = {name: record[name] for name in dataset.SOURCE_FIELDS}
        values["published_on"] = _date(values["published_on"])
        if record["url"]:
            key = {"url": record["url"]}
        elif record["reference"]:
            key = {"reference": record["reference"]}
        else:  # no natural key: the same fields are the same source
            key = {**values, "url": None, "reference": None}
        for name in key:
            values.pop(name, None)
        self.sources[record["key"]] = self._upsert(Source, key, values, number, unchanged)

    def _event(self, record: dict, number: int, unchanged: bool) -> None:
        values = {
            "title": record["title"],
            "summary": record["summary"],
            "event_type": self.types[record["event_type"]],
            "start_date": _date(record["start_date"]),
            "start_precision": record["start_precision"],
            "start_approximate": record["start_approximate"],
            "end_date": _date(record["end_date"]),
            "end_precision": record["end_precision"],
            "end_approximate": record["end_approximate"],
            "location_country": self.actors[record["location_country"]]
            if record["location_country"]
            else None,
            "location_name": record["location_name"],
            "status": record["status"],
            "retraction_reason": record["retraction_reason"],
            "published_at": parse_datetime(record["published_at"])
            if record["published_at"]
            else None,
            "first_published_at": parse_datetime(record["first_published_at"])
            if record["first_published_at"]
            else None,
            "verification": record["verification"],
            "importance": record["importance"],
        }
        if not self.keep_status:
            values.update(status=EventStatus.DRAFT, published_at=None, first_published_at=None)
        event = self._upsert(Event, {"slug": record["slug"]}, values, number, unchanged, parts=True)
        self.events[record["slug"]] = event
        if unchanged:
            return
        self._sync_parts(event, record)
        self.relations.append((number, event, record["relations"]))

    def _sync_parts(self, event: Event, record: dict) -> None:
        # New parts first, then the ones the file no longer has: a published event never
        # passes through a moment without its supporting citation.
        _sync(
            event.participations.all(),
            [
                Participation(
                    event=event, actor=self.actors[p["actor"]], role=p["role"], note=p["note"]
                )
                for p in record["participations"]
            ],
            key=lambda part: (part.actor_id, part.role),
            fields=("note",),
            user=self.user,
        )
        _sync(
            event.citations.all(),
            [
                Citation(
                    event=event,
                    source=self._source_for(c["source"]),
                    locator=c["locator"],
                    stance=c["stance"],
                    quote=c["quote"],
                    note=c["note"],
                )
                for c in record["citations"]
            ],
            key=lambda citation: (citation.source_id, citation.locator),
            fields=("stance", "quote", "note"),
            user=self.user,
        )
        _sync(
            event.aid_measures.all(),
            [
                AidMeasure(
                    event=event,
                    donor=self.actors[a["donor"]],
                    recipient=self.actors[a["recipient"]],
                    kind=a["kind"],
                    action=a["action"],
                    amount=Decimal(a["amount"]) if a["amount"] is not None else None,
                    currency=a["currency"],
                    note=a["note"],
                )
                for a in record["aid_measures"]
            ],
            key=lambda aid: (
                aid.donor_id,
                aid.recipient_id,
                aid.kind,
                aid.action,
                aid.amount,
                aid.currency,
                aid.note,
            ),
            fields=(),
            user=self.user,
        )
        self._sync_vote(event, record["vote_record"])

    def _source_for(self, key: str) -> Source:
        if key not in self.sources:
            url = key if "://" in key else None
            found = Source.objects.filter(url=url).first() if url else None
            if found is None:
                raise ValidationError(f"The source “{key}” is not defined on an earlier line.")
            self.sources[key] = found
        return self.sources[key]

    def _sync_vote(self, event: Event, vote: dict | None) -> None:
        stored = VoteRecord.objects.filter(event=event).first()
        if vote is None:
            if stored is not None:
                stamp_author(stored, self.user)
                stored.delete()
            return
        record = stored or VoteRecord(event=event)
        record.body = self.actors[vote["body"]]
        for name in dataset.VOTE_RECORD_FIELDS[1:]:
            setattr(record, name, vote[name])
        complete = record.roll_complete
        record.roll_complete = False
        stamp_author(record, self.user)
        record.save()
        vote_roll_replace(
            record=record,
            roll=[{"actor": self.actors[r["actor"]], "option": r["option"]} for r in vote["roll"]],
            user=self.user,
        )
        if complete:
            record.roll_complete = True
            record.check_roll()
            stamp_author(record, self.user)
            record.save(update_fields=["roll_complete"])

    def _sync_relations(self, event: Event, relations: list, number: int) -> None:
        wanted = []
        for relation in relations:
            target = (
                self.events.get(relation["to_event"])
                or Event.objects.filter(slug=relation["to_event"]).first()
            )
            if target is None:
                raise ValidationError(
                    f"Line {number}: the related event “{relation['to_event']}” is in no record."
                )
            wanted.append(EventRelation(from_event=event, kind=relation["kind"], to_event=target))
        _sync(
            event.relations_from.all(),
            wanted,
            key=lambda relation: (relation.kind, relation.to_event_id),
            fields=(),
            user=self.user,
        )

    def _timeline(self, record: dict, number: int, unchanged: bool) -> None:
        values = {
            "title": record["title"],
            "description": record["description"],
            "kind": record["kind"],
            "status": record["status"],
            "query_from": _date(record["query_from"]),
            "query_to": _date(record["query_to"]),
        }
        timeline = self._upsert(
            Timeline, {"slug": record["slug"]}, values, number, unchanged, parts=True
        )
        if unchanged:
            return
        timeline.query_actors.set([self.actors[slug] for slug in record["query_actors"]])
        timeline.query_types.set([self.types[slug] for slug in record["query_types"]])
        entries = []
        for entry in record["entries"]:
            event = self.events.get(entry["event"]) or Event.objects.get(slug=entry["event"])
            entries.append(
                {"event": event, "position": entry["position"], "caption": entry["caption"]}
            )
        timeline_entries_replace(timeline=timeline, entries=entries, user=self.user)


def _sync(stored, wanted: list, *, key, fields: tuple[str, ...], user) -> None:
    """Make a set of parts exactly `wanted`: add the new, update the changed, remove the rest
    (in that order)."""
    have = {key(part): part for part in stored}
    keep = set()
    for part in wanted:
        current = have.get(key(part))
        keep.add(key(part))
        if current is None:
            stamp_author(part, user)
            part.save()
        elif any(getattr(current, name) != getattr(part, name) for name in fields):
            for name in fields:
                setattr(current, name, getattr(part, name))
            stamp_author(current, user)
            current.save()
    for part_key, part in have.items():
        if part_key not in keep:
            stamp_author(part, user)
            part.delete()


__all__ = ["NAME", "DatasetImport", "parse", "source_key"]
