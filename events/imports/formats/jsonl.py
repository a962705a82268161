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
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import orjson
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.dateparse import parse_datetime

from events import public_changes, revisions
from events.authorship import stamp_author
from events.bulk import insert_rows
from events.choices import EventStatus, TimelineKind, VoteOption
from events.dataset import records as dataset
from events.dataset.jsonl import decode, encode
from events.dataset.records import dataset_records, source_key
from events.freshness import is_public_change
from events.imports.models import ImportItem, ImportItemAction
from events.imports.reading import iter_lines
from events.imports.report import FileRefused, Report
from events.models import (
    Actor,
    AidMeasure,
    ChangeStamp,
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
from events.services import PUBLISH_PERMISSION, timeline_entries_replace, vote_roll_replace

NAME = "jsonl"
TYPES = ("event_type", "actor", "post", "source", "event", "timeline")


def parse(data: bytes, file_name: str, report: Report, context: dict) -> list[tuple[int, str]]:
    """(line number, line) for every record of a known type; the header is checked. Each
    line is read here to check it, and again when it is written (`DatasetImport.run`): the
    lines held meanwhile take a fraction of the memory of their records."""
    lines, header = [], None
    for number, line in iter_lines(data):
        try:
            record = decode(line)
        except orjson.JSONDecodeError as exc:
            report.problem(number, "", f"Not a JSON object: {exc}. Each line holds one record.")
            continue
        if not isinstance(record, dict) or "type" not in record:
            report.problem(number, "type", "Each line is a JSON object with a “type”.")
            continue
        if header is None:
            header = record
        elif record["type"] in TYPES:
            lines.append((number, line))
        report.rows += 1
    if header is None or header["type"] != "dataset":
        raise FileRefused(
            'The first line is not a dataset header ({"type":"dataset",…}); is this a '
            "file written by export_data --format jsonl?"
        )
    if header.get("format") != dataset.FORMAT or header.get("version") != dataset.VERSION:
        raise FileRefused(
            f"This reads {dataset.FORMAT} version {dataset.VERSION}; the file says "
            f"{header.get('format')} version {header.get('version')}."
        )
    report.rows -= 1  # the header is not a row
    return lines


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _key(record: dict):
    kind = record["type"]
    if kind == "source":
        return record["key"]
    if kind == "post":
        return tuple(record[name] for name in ("person", "organisation", "title", "start_date"))
    return record["slug"]


# Records a bulk write holds: new rows of one kind are inserted this many at a time.
BATCH = 1000
# Rows written in bulk after which PostgreSQL's statistics of the tables are refreshed.
ANALYZE_AFTER = 10_000


@dataclass
class _Pending:
    """New rows waiting for their bulk INSERT: one kind at a time, with their parts."""

    kind: str = ""
    roots: list = field(default_factory=list)  # (line number, key in the file, object)
    parts: dict = field(default_factory=lambda: defaultdict(list))  # model: objects
    keys: set = field(default_factory=set)  # the roots' keys, for parents further down

    def __len__(self) -> int:
        return len(self.roots)


class DatasetImport:
    """Records new to the database are written in bulk (as the event formats write new
    events: one INSERT, or COPY on PostgreSQL, per table per batch of BATCH records; the
    history as one revision, written in chunks; one change stamp for the import). Records
    that update a stored row, or that repeat a key already written by this import, go through
    the models' own saves, one by one; unchanged records cost nothing. Every record is
    checked with its models' own rules (`clean()`, the vote's counts and roll) before any of
    its batch is written."""

    def __init__(self, *, import_run, user, report: Report):
        self.import_run = import_run
        self.user = user
        self.report = report
        self.keep_status = user is None or user.has_perm(PUBLISH_PERMISSION)
        if not self.keep_status:
            report.note("Events come in as drafts: only editors import published events.")
        self.types: dict[str, EventType] = {}
        self.actors: dict[str, Actor] = {}
        self.source_ids: dict[str, int] = {}
        self.event_ids: dict[str, int] = {}
        self.events: dict[str, Event] = {}  # written one by one (their relations follow)
        self.relations: list[tuple[int, Event, list]] = []
        self.new_relations: list[tuple[int, Event, list]] = []  # of events written in bulk
        self.stored: dict = {}  # (type, key): the record as stored before the import
        self.seen: set[tuple[str, object]] = set()  # (type, key) of the lines read so far
        self.pending = _Pending()
        self.row_items: list[ImportItem] = []  # written one by one: their versions may move
        self.content_types: dict = {}
        self.bulk_public = None  # None: nothing written in bulk; else whether readers see it
        self.bulk_rows: dict = defaultdict(int)  # model: rows written in bulk

    def run(self, lines: list[tuple[int, str]], progress=None) -> None:
        # What is stored now, in the file's own form: a record equal to it is unchanged.
        stored = self.stored
        for record in dataset_records(include_drafts=True):
            if record["type"] in TYPES:
                record = decode(encode(record))  # dates and instants as the file has them
                stored[(record["type"], _key(record))] = record
        self.types = {t.slug: t for t in EventType.objects.all()}
        self.actors = {a.slug: a for a in Actor.objects.all()}
        self.source_ids = _source_ids()
        self.event_ids = dict(Event.objects.values_list("slug", "id"))
        for done, (number, line) in enumerate(lines, start=1):
            record = decode(line)
            key = (record["type"], _key(record))
            same = stored.get(key) == self._comparable(record)
            action = "unchanged" if same else ("updated" if key in stored else "created")
            try:
                if action == "created" and key not in self.seen:
                    self._add(record, number, key[1])
                elif not same:
                    self._flush()
                    self._write(record, number)
            except ValidationError as exc:
                detail = " ".join(exc.messages)
                raise ValidationError(f"Line {number} ({record['type']}): {detail}") from None
            self.seen.add(key)
            self.report.count(action, row=number, key=f"{record['type']} {key[1]}")
            if progress and done % 1000 == 0:
                progress(done, len(lines))
        self._flush()
        self._write_new_relations()
        for number, event, relations in self.relations:
            self._sync_relations(event, relations, number)
        self._final_versions()
        if self.bulk_public is not None:  # bulk writes send no signals: one stamp for all
            ChangeStamp.bump(public=self.bulk_public)
        self._analyze()

    def _analyze(self) -> None:
        """PostgreSQL plans the revision's reading back of what was written (events.revisions,
        when the import's block ends) from the tables' statistics, which still describe them
        as they were before: empty, in a new database. It then reads every participation once
        per chunk of events (130 million rows for 100,000 events). ANALYZE, which counts this
        transaction's own new rows, sets that right (a fraction of a second a table)."""
        if connection.vendor != "postgresql" or sum(self.bulk_rows.values()) < ANALYZE_AFTER:
            return
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE " + ", ".join(quote(model._meta.db_table) for model in self.bulk_rows)
            )

    def _final_versions(self) -> None:
        """Parts written after a row moved its version: undo compares with the final one.
        (Rows written in bulk have no parts written after them by another path.)"""
        items = [item for item in self.row_items if item.version_after is not None]
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

    def _content_type(self, model) -> ContentType:
        if model not in self.content_types:
            self.content_types[model] = ContentType.objects.get_for_model(model)
        return self.content_types[model]

    # --- new records, in bulk -----------------------------------------------------------------

    def _add(self, record: dict, number: int, key) -> None:
        """Check a new record with its models' rules and queue its rows for the bulk write."""
        kind = record["type"]
        parent = record.get("parent") if kind in ("event_type", "actor") else None
        if kind == "post" and ("actor", record["person"]) in self.stored:
            # A new post of a stored person moves the person's version: a save does that.
            self._flush()
            self._write(record, number)
            return
        if kind != self.pending.kind or parent in self.pending.keys or len(self.pending) >= BATCH:
            self._flush()
        self.pending.kind = kind
        build = getattr(self, f"_new_{kind}")
        obj = build(record)
        stamp_author(obj, self.user)
        self.pending.roots.append((number, key, obj))
        self.pending.keys.add(key)
        if kind == "event" and record["relations"]:  # written once every event is in
            self.new_relations.append((number, obj, record["relations"]))

    def _new_event_type(self, record: dict) -> EventType:
        event_type = EventType(
            slug=record["slug"],
            name=record["name"],
            parent=self.types[record["parent"]] if record["parent"] else None,
            description=record["description"],
            cameo_code=record["cameo_code"],
            plover_code=record["plover_code"],
        )
        event_type.clean()
        self.types[record["slug"]] = event_type
        return event_type

    def _new_actor(self, record: dict) -> Actor:
        values = {name: record[name] for name in dataset.ACTOR_FIELDS[1:] if name != "parent"}
        values["parent"] = self.actors[record["parent"]] if record["parent"] else None
        actor = Actor(slug=record["slug"], **values)
        actor.clean()
        actor.derive_fields()
        self.actors[record["slug"]] = actor
        return actor

    def _new_post(self, record: dict) -> Role:
        post = Role(
            person=self.actors[record["person"]],
            organisation=self.actors[record["organisation"]],
            title=record["title"],
            start_date=_date(record["start_date"]),
            end_date=_date(record["end_date"]),
        )
        post.clean()
        return post

    def _new_source(self, record: dict) -> Source:
        source = Source(**self._source_values(record))
        source.clean()
        return source

    def _citation(self, event: Event, c: dict) -> Citation:
        return Citation(
            event=event,
            source_id=self._source_for(c["source"]),
            locator=c["locator"],
            stance=c["stance"],
            quote=c["quote"],
            note=c["note"],
        )

    def _new_event(self, record: dict) -> Event:
        event = Event(slug=record["slug"], **self._event_values(record))
        event.confirm_unusual_date = True  # a stored state: its dates were confirmed then
        event.clean()
        event.derive_fields()
        parts = self.pending.parts
        actors = self.actors
        participations = [
            Participation(event=event, actor=actors[p["actor"]], role=p["role"], note=p["note"])
            for p in record["participations"]
        ]
        # Written with the INSERT (as the event formats do: events.imports.writing).
        event.set_search_participants(p.actor for p in participations)
        parts[Participation] += participations
        for c in record["citations"]:
            citation = self._citation(event, c)
            citation.clean()
            parts[Citation].append(citation)
        for a in record["aid_measures"]:
            aid = AidMeasure(
                event=event,
                donor=actors[a["donor"]],
                recipient=actors[a["recipient"]],
                kind=a["kind"],
                action=a["action"],
                amount=Decimal(a["amount"]) if a["amount"] is not None else None,
                currency=a["currency"],
                note=a["note"],
            )
            aid.clean()
            parts[AidMeasure].append(aid)
        vote = record["vote_record"]
        if vote is not None:
            self._new_vote(event, vote)
        return event

    def _new_vote(self, event: Event, vote: dict) -> None:
        """The vote record and its roll, checked as `vote_roll_replace` and the vote's own
        rules check them (each vote, one vote a member, the counts against the roll)."""
        record = VoteRecord(event=event, body=self.actors[vote["body"]])
        for name in dataset.VOTE_RECORD_FIELDS[1:]:
            setattr(record, name, vote[name])
        record.clean()
        roll, problems = {}, []
        for index, row in enumerate(vote["roll"]):
            actor = self.actors[row["actor"]]
            country_vote = CountryVote(vote_record=record, actor=actor, option=row["option"])
            if actor.slug in roll:
                problems.append(f"Row {index + 1}: {actor} appears twice in the roll.")
                continue
            try:
                country_vote.clean()
            except ValidationError as exc:
                problems.extend(f"Row {index + 1} ({actor}): {m}" for m in exc.messages)
            roll[actor.slug] = country_vote
        if problems:
            raise ValidationError({"country_votes": problems})
        votes = list(roll.values())
        record.check_roll(
            [v.option for v in votes],
            against=[v.actor.iso3 for v in votes if v.option == VoteOption.NO],
        )
        self.pending.parts[VoteRecord].append(record)
        self.pending.parts[CountryVote] += votes

    def _new_timeline(self, record: dict) -> Timeline:
        timeline = Timeline(slug=record["slug"], **self._timeline_values(record))
        timeline.clean()
        if record["entries"] and timeline.kind != TimelineKind.CURATED:
            raise ValidationError(
                {
                    "entries": "Only curated timelines have entries; a saved query computes "
                    "its events."
                }
            )
        through = self.pending.parts
        through[Timeline.query_actors.through] += [
            Timeline.query_actors.through(timeline=timeline, actor=self.actors[slug])
            for slug in record["query_actors"]
        ]
        through[Timeline.query_types.through] += [
            Timeline.query_types.through(timeline=timeline, eventtype=self.types[slug])
            for slug in record["query_types"]
        ]
        seen = set()
        for index, entry in enumerate(record["entries"]):
            if entry["event"] in seen:
                raise ValidationError(
                    {"entries": f"Entry {index + 1}: “{entry['event']}” is already in it."}
                )
            seen.add(entry["event"])
            through[TimelineEntry].append(
                TimelineEntry(
                    timeline=timeline,
                    event_id=self._event_id(entry["event"]),
                    position=entry["position"],
                    caption=entry["caption"],
                )
            )
        return timeline

    def _flush(self) -> None:
        """Write the queued rows: the roots, then their parts (parents before children), the
        import's record of each root, and each root noted for the revision."""
        pending, self.pending = self.pending, _Pending()
        if not pending.roots:
            return
        roots = [obj for _number, _key, obj in pending.roots]
        model = type(roots[0])
        insert_rows(model, roots)
        self.bulk_rows[model] += len(roots)
        for part_model in (
            Participation,
            Citation,
            AidMeasure,
            VoteRecord,
            CountryVote,
            Timeline.query_actors.through,
            Timeline.query_types.through,
            TimelineEntry,
        ):
            parts = pending.parts.get(part_model)
            if parts:
                _link(parts)
                insert_rows(part_model, parts, batch_size=5000)
                self.bulk_rows[part_model] += len(parts)
        content_type = self._content_type(model)
        insert_rows(
            ImportItem,
            [
                ImportItem(
                    import_run=self.import_run,
                    content_type=content_type,
                    object_id=obj.pk,
                    action=ImportItemAction.CREATED,
                    row=number,
                    version_after=getattr(obj, "version", None),
                )
                for number, _key, obj in pending.roots
            ],
        )
        public = self.bulk_public or False
        for obj in roots:
            revisions.touch(obj, bulk=True)
            public = public or is_public_change(obj)
        self.bulk_public = public
        if model is Event:
            public_changes.created(roots)
            self.event_ids.update((key, obj.pk) for _number, key, obj in pending.roots)
        elif model is Source:
            self.source_ids.update((key, obj.pk) for _number, key, obj in pending.roots)

    def _write_new_relations(self) -> None:
        """The relations of the events written in bulk, once every event of the file is in."""
        relations = []
        for number, event, wanted in self.new_relations:
            for relation in wanted:
                target = self.event_ids.get(relation["to_event"])
                if target is None:
                    raise ValidationError(
                        f"Line {number}: the related event “{relation['to_event']}” is in no "
                        "record."
                    )
                relations.append(
                    EventRelation(from_event_id=event.pk, kind=relation["kind"], to_event_id=target)
                )
        insert_rows(EventRelation, relations, batch_size=5000)
        if relations:
            self.bulk_rows[EventRelation] += len(relations)
        self.new_relations = []

    def _event_id(self, slug: str) -> int:
        if slug not in self.event_ids:
            raise ValidationError(f"The event “{slug}” is in no record.")
        return self.event_ids[slug]

    # --- changed records, one by one ----------------------------------------------------------

    def _write(self, record: dict, number: int) -> None:
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
            )
        elif kind == "actor":
            values = {name: record[name] for name in dataset.ACTOR_FIELDS[1:] if name != "parent"}
            values["parent"] = self.actors[record["parent"]] if record["parent"] else None
            self.actors[record["slug"]] = self._upsert(
                Actor, {"slug": record["slug"]}, values, number
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
            )
        elif kind == "source":
            self._source(record, number)
        elif kind == "event":
            self._event(record, number)
        elif kind == "timeline":
            self._timeline(record, number)

    def _upsert(self, model, key: dict, values: dict, number: int, *, parts=False):
        """Create or update one row. `parts`: the record also carries the parts of the row's
        aggregate (an event's participants, citations, vote…; a timeline's entries), which
        the caller syncs next; the whole aggregate as stored now is kept on the ImportItem so
        that undo puts back exactly what the import replaced."""
        obj = model._default_manager.filter(**key).first()
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
        from events.imports.writing import _jsonable

        self.row_items.append(
            ImportItem.objects.create(
                import_run=self.import_run,
                content_type=self._content_type(type(obj)),
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
        )

    def _source_values(self, record: dict) -> dict:
        values = {name: record[name] for name in dataset.SOURCE_FIELDS}
        values["published_on"] = _date(values["published_on"])
        return values

    def _source(self, record: dict, number: int) -> None:
        values = self._source_values(record)
        if record["url"]:
            key = {"url": record["url"]}
        elif record["reference"]:
            key = {"reference": record["reference"]}
        else:  # no natural key: the same fields are the same source
            key = {**values, "url": None, "reference": None}
        for name in key:
            values.pop(name, None)
        self.source_ids[record["key"]] = self._upsert(Source, key, values, number).pk

    def _event_values(self, record: dict) -> dict:
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
        return values

    def _event(self, record: dict, number: int) -> None:
        values = self._event_values(record)
        event = self._upsert(Event, {"slug": record["slug"]}, values, number, parts=True)
        self.events[record["slug"]] = event
        self.event_ids[record["slug"]] = event.pk
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
            [self._citation(event, c) for c in record["citations"]],
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

    def _source_for(self, key: str) -> int:
        if key not in self.source_ids:
            raise ValidationError(f"The source “{key}” is not defined on an earlier line.")
        return self.source_ids[key]

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
            target = self.event_ids.get(relation["to_event"])
            if target is None:
                raise ValidationError(
                    f"Line {number}: the related event “{relation['to_event']}” is in no record."
                )
            wanted.append(
                EventRelation(from_event=event, kind=relation["kind"], to_event_id=target)
            )
        _sync(
            event.relations_from.all(),
            wanted,
            key=lambda relation: (relation.kind, relation.to_event_id),
            fields=(),
            user=self.user,
        )

    def _timeline_values(self, record: dict) -> dict:
        return {
            "title": record["title"],
            "description": record["description"],
            "kind": record["kind"],
            "status": record["status"],
            "query_from": _date(record["query_from"]),
            "query_to": _date(record["query_to"]),
        }

    def _timeline(self, record: dict, number: int) -> None:
        values = self._timeline_values(record)
        timeline = self._upsert(Timeline, {"slug": record["slug"]}, values, number, parts=True)
        timeline.query_actors.set([self.actors[slug] for slug in record["query_actors"]])
        timeline.query_types.set([self.types[slug] for slug in record["query_types"]])
        slugs = [entry["event"] for entry in record["entries"]]
        events = Event.objects.in_bulk([self._event_id(slug) for slug in slugs])
        entries = [
            {
                "event": events[self.event_ids[entry["event"]]],
                "position": entry["position"],
                "caption": entry["caption"],
            }
            for entry in record["entries"]
        ]
        timeline_entries_replace(timeline=timeline, entries=entries, user=self.user)


def _source_ids() -> dict[str, int]:
    """{key in the file: id} of every stored source (the keys `source_records` writes)."""
    ids = {}
    for source_id, *values in Source.objects.values_list("id", *dataset.SOURCE_FIELDS):
        fields = dict(zip(dataset.SOURCE_FIELDS, values, strict=True))
        ids[source_key(fields["url"], fields["reference"], fields)] = source_id
    return ids


def _link(objs: list) -> None:
    """Set each foreign key column from the object it names, saved since it was assigned
    (a bulk INSERT reads the columns: events.bulk)."""
    model = type(objs[0])
    links = [
        f
        for f in model._meta.concrete_fields
        if (f.many_to_one or f.one_to_one) and f.is_cached(objs[0])
    ]
    for obj in objs:
        for link in links:
            if getattr(obj, link.attname) is None:
                related = link.get_cached_value(obj)
                if related is not None:
                    setattr(obj, link.attname, related.pk)


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
