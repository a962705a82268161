"""Every write an import makes goes through here: `import_writes()` attributes it (one revision
by the acting user with the reason “Import #N (file)”), and `EventWriter`
plans each record (created, updated or unchanged) and then writes it.

Planning reads only, so a dry run is the plan without the writes. New events are written in
bulk (one INSERT per table per batch, each noted in the revision); updates and vote rolls go through
the models' own saves and the services (`vote_roll_replace`, `event_publish`).
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify

from events import dates, revisions
from events.authorship import stamp_author
from events.bulk import Builder, insert_rows, insert_values
from events.choices import (
    CitationStance,
    EventStatus,
    VoteOption,
    VoteResult,
)
from events.duplicates import is_likely, similar_events, windows_with_events
from events.freshness import stamp_change
from events.imports.models import ExternalId, Import, ImportItem, ImportItemAction
from events.imports.records import EventRecord
from events.imports.report import Report
from events.models import (
    Actor,
    Citation,
    CountryVote,
    Event,
    EventType,
    Participation,
    Source,
    VoteRecord,
)
from events.models.votes import COUNT_FIELDS
from events.services import PUBLISH_PERMISSION, event_publish, vote_roll_replace
from events.urls_normalise import normalise_url

# New rows of one import checked for duplicates (two queries each): a dry run of a file of a
# few hundred events lists them all; a bulk load of thousands is not slowed by it.
DUPLICATE_CHECKS = 1000
# Records matched to stored events per round of queries (`EventWriter.match`).
MATCH_CHUNK = 1000
# The fields of an event a record sets; comparing them tells an update from no change.
EVENT_FIELDS = (
    "title",
    "summary",
    "event_type_id",
    "start_date",
    "start_precision",
    "start_approximate",
    "end_date",
    "end_precision",
    "location_country_id",
    "location_name",
    "importance",
    "verification",
)
# The fields of a vote record an import sets (and undo puts back).
VOTE_FIELDS = (
    "title",
    "document_symbol",
    "draft_symbol",
    "result",
    "yes_count",
    "no_count",
    "abstain_count",
    "non_voting_count",
    "roll_complete",
)


@contextmanager
def import_writes(import_run: Import, *, rollback: bool = False) -> Iterator[None]:
    """The one context every write of an import runs in: one transaction, and one revision
    (events.revisions) by the importing user with the reason “Import #N (file)”. `rollback`
    (a dry run that does the work) undoes it all once the revision is written."""
    with transaction.atomic():
        with revisions.recorded(import_run.created_by, import_run.change_reason):
            yield
        if rollback:
            transaction.set_rollback(True)


def _bulk_create(objs: list, model, batch_size: int = 1000) -> None:
    """One INSERT (a COPY on PostgreSQL, events.bulk) per batch; bulk writes send no signals,
    so the revision is told by hand."""
    insert_rows(model, objs, batch_size=batch_size)
    for obj in objs:
        revisions.touch(obj, bulk=True)


@dataclass
class Plan:
    """What writing a record does: `action` created/updated/unchanged, and the details."""

    record: EventRecord
    action: str
    event: Event | None = None
    changed: dict = field(default_factory=dict)  # field: old value (updates)
    participants: list[tuple[Actor, str]] = field(default_factory=list)  # to add
    sources: list = field(default_factory=list)  # SourceRefs to cite
    roll_changes: bool = False
    needs_external_id: bool = False


@dataclass
class Matching:
    """What the records' references resolve to, shared by every batch of one import."""

    actors: dict[str, Actor] = field(default_factory=dict)
    types: dict[str, EventType] = field(default_factory=dict)
    unmatched: set[str] = field(default_factory=set)


class EventWriter:
    def __init__(
        self,
        *,
        import_run: Import,
        user,
        report: Report,
        matching: Matching,
        publish_cited: bool = False,
    ):
        self.import_run = import_run
        self.user = user
        self.report = report
        self.matching = matching
        self.publish_cited = (
            publish_cited and user is not None and user.has_perm(PUBLISH_PERMISSION)
        )
        if publish_cited and not self.publish_cited:
            report.note(
                "--publish-cited was ignored: only editors publish, so every row stays a draft."
            )
        self._sources: dict[str, Source] = {}
        self._urls: dict[str, str] = {}  # the batch's URLs as given: normalised
        self._rolls: dict[int, dict[str, str]] = {}  # the batch's stored rolls, by record id
        self._checked: set[int] = set()  # rows checked for duplicates
        self._chosen: dict[int, int] | None = None  # id(record): the stored event it names
        self._stored_urls: set[str] = set()  # the file's URLs stored before the import
        self._created_urls: set[str] = set()  # and those its batches created
        # New rows are built in bulk (events.bulk.Builder: Model(…) by position).
        self._new = {model: Builder(model) for model in (Event, Source, Participation, Citation)}

    # --- planning (reads only) ----------------------------------------------------------

    def match(self, records: list[EventRecord]) -> None:
        """Before anything is written, for every record of the file: the stored event it names
        (by external id, then slug, then the one event citing its source URL) and which of its
        source URLs are stored. A record is matched against what was stored before the import,
        never against another row of the same file, wherever the batches fall; and the writes
        need no read between them (events.bulk.writes_behind)."""
        if self._chosen is None:
            self._chosen = {}
        for start in range(0, len(records), MATCH_CHUNK):
            self._match_chunk(records[start : start + MATCH_CHUNK])
            self._urls = {}

    def _match_chunk(self, records: list[EventRecord]) -> None:
        by_external: dict[tuple[str, str], int] = {}
        externals = [record.external_id for record in records if record.external_id]
        for scheme in {scheme for scheme, _value in externals}:
            values = [value for s, value in externals if s == scheme]
            for value, event_id in ExternalId.objects.filter(
                scheme=scheme, value__in=values
            ).values_list("value", "event_id"):
                by_external[(scheme, value)] = event_id
        slugs = [record.slug for record in records]
        by_slug = dict(Event.objects.filter(slug__in=slugs).values_list("slug", "id"))
        urls = {self._url(ref.url) for record in records for ref in record.sources if ref.url}
        stored = dict(
            Source.objects.filter(url__in=[url for url in urls if url]).values_list("url", "pk")
        )
        self._stored_urls.update(stored)
        cited: dict[int, set[int]] = {}
        for source_id, event_id in Citation.objects.filter(
            source_id__in=stored.values()
        ).values_list("source_id", "event_id"):
            cited.setdefault(source_id, set()).add(event_id)
        for record in records:
            event_id = by_external.get(record.external_id) if record.external_id else None
            event_id = event_id or by_slug.get(record.slug)
            if event_id is None:
                for ref in record.sources:
                    events = cited.get(stored.get(self._url(ref.url)), set())
                    if len(events) == 1:
                        event_id = next(iter(events))
                        break
            if event_id is not None:
                self._chosen[id(record)] = event_id

    def plan(self, records: list[EventRecord]) -> list[Plan]:
        # Sources are looked up batch by batch; holding every batch's would grow with the file.
        self._sources, self._urls = {}, {}
        self._rolls = {}
        existing = self._existing(records)
        plans = []
        for record in records:
            event = existing.get(id(record))
            plans.append(self._plan_one(record, event))
        self._note_duplicates([plan for plan in plans if plan.action == "created"])
        return plans

    def _note_duplicates(self, plans: list[Plan]) -> None:
        """List, per row that creates an event, the stored events it may repeat (a dry run
        shows them before anything is written). One query tells which rows' dates no stored
        event comes near; each other row costs two, so only the first DUPLICATE_CHECKS new
        rows of an import are checked; a note says so beyond that."""
        bounds = [
            dates.bounds(
                plan.record.start_date,
                plan.record.start_precision,
                plan.record.end_date,
                plan.record.end_precision if plan.record.end_date else None,
            )
            for plan in plans[: max(DUPLICATE_CHECKS - len(self._checked), 0)]
        ]
        # The rows whose dates no stored event comes near are told apart in one query, so
        # only the others cost their two.
        nearby = windows_with_events(bounds)
        for index, plan in enumerate(plans):
            if len(self._checked) >= DUPLICATE_CHECKS:
                self.report.note(
                    f"Only the first {DUPLICATE_CHECKS} new rows were checked for duplicates."
                )
                return
            record = plan.record
            self._checked.add(record.row)
            if not nearby[index]:
                continue
            start, end = bounds[index]
            found = similar_events(
                title=record.title,
                start=start,
                end=end,
                actor_ids=[actor.pk for actor, _role in plan.participants],
                type_id=self.matching.types[record.event_type].pk,
                limit=3,
            )
            if found:
                self.report.duplicates.append(
                    {
                        "row": record.row,
                        "slug": record.slug,
                        "likely": any(is_likely(event) for event in found),
                        "of": [
                            {
                                "slug": event.slug,
                                "title": event.title,
                                "status": event.status,
                                "score": event.duplicate_score,
                                "reasons": event.duplicate_reasons,
                            }
                            for event in found
                        ],
                    }
                )

    def _existing(self, records: list[EventRecord]) -> dict[int, Event]:
        """The stored event each record of the batch names (`match()` found them), loaded with
        its parts; and the batch's stored sources."""
        if self._chosen is None:  # planned without match() (a caller of one batch)
            self.match(records)
        chosen = {id(r): self._chosen.pop(id(r)) for r in records if id(r) in self._chosen}
        self._load_sources({self._url(ref.url) for r in records for ref in r.sources if ref.url})
        if not chosen:
            return {}
        events = Event.objects.filter(pk__in=set(chosen.values())).prefetch_related(
            "participations", "citations__source", "external_ids"
        )
        votes = any(record.vote for record in records)
        if votes:
            events = events.select_related("vote_record")
        loaded = {event.pk: event for event in events}
        if votes:
            self._load_rolls(loaded.values())
        return {key: loaded[event_id] for key, event_id in chosen.items()}

    def _url(self, url: str) -> str:
        """`normalise_url`, once per URL of the batch (planning and writing compare a row's
        URL four times)."""
        normal = self._urls.get(url)
        if normal is None:
            normal = self._urls[url] = normalise_url(url)
        return normal

    def _load_rolls(self, events) -> None:
        """The stored rolls of `events`' vote records as {ISO3: option}, in one query: a
        batch of 1,000 resolutions is 193,000 pairs of short strings, not as many model
        instances."""
        record_ids = [event.vote_record.pk for event in events if hasattr(event, "vote_record")]
        votes = (
            CountryVote.objects.filter(vote_record_id__in=record_ids)
            .order_by()
            .values_list("vote_record_id", "actor__iso3", "option")
        )
        for record_id, iso3, option in votes.iterator(chunk_size=10_000):
            self._rolls.setdefault(record_id, {})[iso3] = option

    def _load_sources(self, urls: set[str]) -> None:
        """Read the batch's sources stored before the import or by one of its earlier batches
        (a URL known to be new costs no query)."""
        missing = [
            url
            for url in urls
            if url
            and url not in self._sources
            and (url in self._stored_urls or url in self._created_urls)
        ]
        if missing:
            for source in Source.objects.filter(url__in=missing):
                self._sources[source.url] = source

    def _values(self, record: EventRecord, event: Event | None) -> dict:
        values = {
            "title": record.title,
            "summary": record.summary,
            "event_type_id": self.matching.types[record.event_type].pk,
            "start_date": record.start_date,
            "start_precision": record.start_precision,
            "start_approximate": record.start_approximate,
            "end_date": record.end_date,
            "end_precision": record.end_precision if record.end_date else "",
            "location_country_id": self._actor_id(record.location_country),
            "location_name": record.location_name,
        }
        # Columns a format does not carry (None) keep their stored (or default) value.
        if record.summary is None:
            values["summary"] = event.summary if event is not None else ""
        if record.importance is not None:
            values["importance"] = record.importance
        if record.verification:
            values["verification"] = record.verification
        return values

    def _actor_id(self, reference: str) -> int | None:
        actor = self.matching.actors.get(reference) if reference else None
        return actor.pk if actor else None

    def _plan_one(self, record: EventRecord, event: Event | None) -> Plan:
        values = self._values(record, event)
        participants = []
        seen = set()
        for ref in record.participants:
            actor = self.matching.actors.get(ref.reference)
            if actor is not None and (actor.pk, ref.role) not in seen:
                seen.add((actor.pk, ref.role))
                participants.append((actor, ref.role))
        if event is None:
            return Plan(
                record,
                "created",
                participants=participants,
                sources=list(record.sources),
                needs_external_id=record.external_id is not None,
            )
        changed = {
            name: getattr(event, name)
            for name, value in values.items()
            if getattr(event, name) != value
        }
        have_parts = {(part.actor_id, part.role) for part in event.participations.all()}
        new_participants = [(a, role) for a, role in participants if (a.pk, role) not in have_parts]
        cited_urls = {citation.source.url for citation in event.citations.all()}
        new_sources = [ref for ref in record.sources if self._url(ref.url) not in cited_urls]
        needs_external_id = record.external_id is not None and record.external_id not in {
            (external.scheme, external.value) for external in event.external_ids.all()
        }
        roll_changes = record.vote is not None and self._roll_differs(record, event)
        action = (
            "updated"
            if changed or new_participants or new_sources or needs_external_id or roll_changes
            else "unchanged"
        )
        return Plan(
            record,
            action,
            event=event,
            changed=changed,
            participants=new_participants,
            sources=new_sources,
            roll_changes=roll_changes,
            needs_external_id=needs_external_id,
        )

    def _roll_differs(self, record: EventRecord, event: Event) -> bool:
        vote = record.vote
        stored = getattr(event, "vote_record", None)
        if stored is None:
            return True
        roll = self._rolls.get(stored.pk, {})
        wanted = {iso3: str(option) for iso3, option in vote.roll.items()}
        return (
            roll != wanted
            or not stored.roll_complete
            or stored.title != vote.title[:500]
            or (stored.document_symbol or "") != vote.document_symbol
            or stored.draft_symbol != vote.draft_symbol
        )

    # --- writing --------------------------------------------------------------------------

    def write(self, plans: list[Plan]) -> None:
        """Write a batch of plans (inside import_writes) and record them as ImportItems."""
        self._create_sources(plans)
        created = [plan for plan in plans if plan.action == "created"]
        self._create_events(created)
        self._create_votes([plan for plan in created if plan.record.vote is not None])
        for plan in plans:
            if plan.action == "updated":
                self._write_one(plan)
        touched = [plan for plan in plans if plan.action != "unchanged"]
        updated = [plan.event.pk for plan in touched if plan.action == "updated"]
        if updated:  # new events had their search text written with them
            Event.objects.filter(pk__in=updated).refresh_search_actors()
        if self.publish_cited:
            for plan in touched:
                self._publish_if_cited(plan)
        self._record_items(touched)

    def _create_sources(self, plans: list[Plan]) -> None:
        new: dict[str, Source] = {}
        for plan in plans:
            for ref in plan.sources:
                url = self._url(ref.url)
                if url and url not in self._sources and url not in new:
                    source = self._new[Source](
                        url=url,
                        title=(ref.title or url)[:500],
                        publisher=ref.publisher[:200],
                        kind=ref.kind,
                    )
                    stamp_author(source, self.user)
                    new[url] = source
        if new:
            insert_rows(Source, list(new.values()))
            self._created_urls.update(new)
            revisions.record([[source] for source in new.values()])
            self._sources.update(new)
            self._insert_items(
                Source,
                [
                    (source.pk, ImportItemAction.CREATED, None, source.version, {})
                    for source in new.values()
                ],
            )

    def _user(self):
        return self.user if self.user is not None and self.user.is_authenticated else None

    def _new_event(self, plan: Plan) -> Event:
        values = self._values(plan.record, None)
        event = self._new[Event](slug=plan.record.slug, status=EventStatus.DRAFT, **values)
        # What Event.save() derives; bulk_create does not call save().
        event.date_lower, event.date_upper = dates.bounds(
            event.start_date, event.start_precision, event.end_date, event.end_precision or None
        )
        stamp_author(event, self.user)
        return event

    def _create_events(self, plans: list[Plan]) -> None:
        if not plans:
            return
        events = [self._new_event(plan) for plan in plans]
        for plan, event in zip(plans, events, strict=True):
            # Written with the INSERT.
            event.set_search_participants(actor for actor, _role in plan.participants)
        insert_rows(Event, events)
        participations, citations, externals = [], [], []
        aggregates, rolls = [], []
        for plan, event in zip(plans, events, strict=True):
            plan.event = event
            parts = []
            for actor, role in plan.participants:
                part = self._new[Participation](event=event, actor=actor, role=role)
                stamp_author(part, self.user)
                parts.append(part)
            participations += parts
            cited = self._citations(plan)
            citations += cited
            if plan.needs_external_id:
                scheme, value = plan.record.external_id
                externals.append(ExternalId(event=event, scheme=scheme, value=value))
            # Its history from the objects in hand (the order aggregate_objects gives: parts in
            # the order of their keys, which the inserts below give in this order); an event
            # with a roll still to write is read back when the revision ends.
            if plan.record.vote is None:
                aggregates.append([event, *parts, *cited])
            else:
                rolls.append(event)
        insert_rows(Participation, participations)
        insert_rows(Citation, citations)
        insert_rows(ExternalId, externals)
        revisions.record(aggregates)
        for event in rolls:
            revisions.touch(event, bulk=True)
        stamp_change(events[0])  # drafts: the staff stamp moves, once for the batch

    def _citations(self, plan: Plan) -> list[Citation]:
        citations = []
        seen = set()
        for ref in plan.sources:
            source = self._sources.get(self._url(ref.url))
            if source is None or source.pk in seen:
                continue
            seen.add(source.pk)
            citation = self._new[Citation](
                event=plan.event,
                source=source,
                stance=ref.stance,
                quote=ref.quote,
                note=ref.note[:500],
            )
            stamp_author(citation, self.user)
            citations.append(citation)
        return citations

    def _write_one(self, plan: Plan) -> None:
        """An update: the models' own saves and the services."""
        record = plan.record
        if plan.changed:
            values = self._values(record, plan.event)
            for name in plan.changed:
                setattr(plan.event, name, values[name])
            stamp_author(plan.event, self.user)
            plan.event.save()
        added: dict[str, list[int]] = {"participations": [], "citations": [], "external_ids": []}
        for actor, role in plan.participants:
            part = Participation(event=plan.event, actor=actor, role=role)
            stamp_author(part, self.user)
            part.save()
            added["participations"].append(part.pk)
        for citation in self._citations(plan):
            citation.save()
            added["citations"].append(citation.pk)
        if plan.needs_external_id:
            scheme, value = record.external_id
            external = ExternalId.objects.create(event=plan.event, scheme=scheme, value=value)
            added["external_ids"].append(external.pk)
        if plan.action == "updated" and any(added.values()):
            plan.changed["added"] = added  # what undo removes
        if record.vote is not None and plan.roll_changes:
            self._write_vote(plan)

    def _vote_values(self, vote) -> dict:
        """A vote record's fields, its counts derived from the roll."""
        options = list(vote.roll.values())
        counts = {name: options.count(option) for option, name in COUNT_FIELDS.items()}
        return {
            "body": self.matching.actors[vote.body],
            "title": vote.title[:500],
            "document_symbol": vote.document_symbol or None,
            "draft_symbol": vote.draft_symbol,
            "result": VoteResult.ADOPTED
            if counts["yes_count"] > counts["no_count"]
            else VoteResult.REJECTED,
            **counts,
        }

    def _create_votes(self, plans: list[Plan]) -> None:
        """New vote records with their whole rolls, in bulk. The counts are derived from the
        roll, so a complete roll matches them by construction; each vote is checked with
        CountryVote's own rule (a state votes) and the counts with the body's rules."""
        if not plans:
            return
        records = []
        for plan in plans:
            record = VoteRecord(
                event=plan.event, roll_complete=True, **self._vote_values(plan.record.vote)
            )
            problems = record.count_problems()
            if problems or record.veto_problem(
                [iso3 for iso3, option in plan.record.vote.roll.items() if option == "no"]
            ):
                raise ValidationError(f"Row {plan.record.row}: the counts break the body's rules.")
            stamp_author(record, self.user)
            records.append(record)
        _bulk_create(records, VoteRecord, batch_size=1000)
        # Each voter is checked once with CountryVote's own rule (a state votes); the votes
        # go in as rows, 10,000 at a time, not as 193 model instances a roll. Their records
        # were noted for the revision above (a vote's aggregate is its record's event).
        voters: dict[str, int] = {}
        for iso3 in {iso3 for plan in plans for iso3 in plan.record.vote.roll}:
            actor = self.matching.actors[iso3]
            CountryVote(vote_record=records[0], actor=actor, option=VoteOption.YES).clean()
            voters[iso3] = actor.pk
        pairs = list(zip(plans, records, strict=True))
        for start in range(0, len(pairs), 50):
            insert_values(
                CountryVote,
                ["vote_record_id", "actor_id", "option"],
                [
                    (record.pk, voters[iso3], str(option))
                    for plan, record in pairs[start : start + 50]
                    for iso3, option in plan.record.vote.roll.items()
                ],
            )

    def _write_vote(self, plan: Plan) -> None:
        vote = plan.record.vote
        record = getattr(plan.event, "vote_record", None)
        if record is not None:
            plan.changed["vote_record"] = {
                **{name: getattr(record, name) for name in VOTE_FIELDS},
                "roll": dict(self._rolls.get(record.pk, {})),
            }
        record = record or VoteRecord(event=plan.event)
        for name, value in self._vote_values(vote).items():
            setattr(record, name, value)
        record.roll_complete = False  # set once the roll below is in place
        stamp_author(record, self.user)
        record.save()
        roll = [
            {"actor": self.matching.actors[iso3], "option": option}
            for iso3, option in vote.roll.items()
        ]
        vote_roll_replace(record=record, roll=roll, user=self.user)
        record.roll_complete = True
        record.check_roll()
        stamp_author(record, self.user)
        record.save(update_fields=["roll_complete"])

    def _publish_if_cited(self, plan: Plan) -> None:
        event = plan.event
        if event.status != EventStatus.DRAFT:
            return
        if not any(ref.stance == CitationStance.SUPPORTS for ref in plan.record.sources):
            return
        event.refresh_from_db(fields=["version", "search_actors", "participant_ids"])
        try:
            event_publish(event=event, user=self.user)
        except (ValidationError, PermissionDenied) as exc:
            self.report.problem(plan.record.row, "", f"Not published: {exc}")
            return
        self.report.published += 1

    def _record_items(self, plans: list[Plan]) -> None:
        if not plans:
            return
        # A new event's version is the one in hand (publishing moves it there too); an update
        # may have moved it through its parts' saves, so it is read.
        versions = dict(
            Event.objects.filter(
                pk__in=[plan.event.pk for plan in plans if plan.action != "created"]
            ).values_list("pk", "version")
        )
        for plan in plans:
            if plan.action == "created":
                versions[plan.event.pk] = plan.event.version
        self._insert_items(
            Event,
            [
                (
                    plan.event.pk,
                    plan.action,
                    plan.record.row,
                    versions[plan.event.pk],
                    _jsonable(plan.changed),
                )
                for plan in plans
            ],
        )

    def _insert_items(self, model, rows: list[tuple]) -> None:
        """ImportItems of `model`'s rows: (object id, action, row, version after, before)."""
        import_id = self.import_run.pk
        type_id = ContentType.objects.get_for_model(model).pk
        insert_values(
            ImportItem,
            [
                "import_run_id",
                "content_type_id",
                "object_id",
                "action",
                "row",
                "version_after",
                "before",
            ],
            [(import_id, type_id, *row) for row in rows],
        )

    def _item(self, obj, action: str, row: int | None) -> None:
        ImportItem.objects.create(
            import_run=self.import_run,
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=obj.pk,
            action=action,
            row=row,
            version_after=getattr(obj, "version", None),
        )

    # --- actors ----------------------------------------------------------------------------

    def create_actors(self, specs: list[dict]) -> list[Actor]:
        """New actors (unknown member states, or unmatched names when asked), each `spec` the
        keyword arguments of `create_actor`, made as it makes them (the model's checks, a free
        slug, an ImportItem for undo, a line in the report) but checked and inserted together:
        one query for the slugs and codes already taken, one INSERT, however many (a UN roll
        can name 193 states). If a slug or code is taken, each goes through `create_actor`."""
        actors = []
        for spec in specs:
            spec = dict(spec)
            name, slug = spec.pop("name"), spec.pop("slug", "")
            actor = Actor(name=name[:200], slug=slug or slugify(name)[:180] or "actor", **spec)
            actor.full_clean(validate_unique=False, validate_constraints=False)
            actor.derive_fields()
            stamp_author(actor, self.user)
            actors.append(actor)
        slugs = [actor.slug for actor in actors]
        codes = [actor.iso3 for actor in actors if actor.iso3]
        wikidata = [actor.wikidata_id for actor in actors if actor.wikidata_id]
        taken = Actor.objects.filter(
            Q(slug__in=slugs) | Q(iso3__in=codes) | Q(wikidata_id__in=wikidata)
        ).exists()
        if taken or len(set(slugs)) < len(slugs) or len(set(codes)) < len(codes):
            return [self.create_actor(**spec) for spec in specs]
        if not actors:
            return []
        try:
            # The check constraints are the database's to apply here (full_clean would ask it
            # once per constraint and actor); what breaks one is reported, nothing written.
            with transaction.atomic():
                _bulk_create(actors, Actor)
        except IntegrityError as exc:
            raise ValidationError(f"A new actor breaks a rule of the database: {exc}") from exc
        stamp_change(actors[0])  # new actors are in no row yet: the stamps move, once
        self._items(actors)
        for actor in actors:
            self._report_actor(actor)
        return actors

    def create_actor(
        self, *, name: str, kind: str, iso3: str | None = None, slug: str = "", **extra
    ) -> Actor:
        """A new actor (an unknown member state, or an unmatched name when asked), recorded
        so the import's undo removes it."""
        base = slug or slugify(name)[:180] or "actor"
        slug, number = base, 1
        while Actor.objects.filter(slug=slug).exists():
            number += 1
            slug = f"{base}-{number}"
        actor = Actor(name=name[:200], slug=slug, kind=kind, iso3=iso3, **extra)
        actor.full_clean()
        stamp_author(actor, self.user)
        actor.save()
        self._item(actor, ImportItemAction.CREATED, None)
        self._report_actor(actor)
        return actor

    def _report_actor(self, actor: Actor) -> None:
        code = f", {actor.iso3}" if actor.iso3 else ""
        self.report.actors_created.append(
            f"{actor.name} ({actor.get_kind_display().lower()}{code})"
        )

    def _items(self, actors: list[Actor]) -> None:
        actor_type = ContentType.objects.get_for_model(Actor)
        insert_rows(
            ImportItem,
            [
                ImportItem(
                    import_run=self.import_run,
                    content_type=actor_type,
                    object_id=actor.pk,
                    action=ImportItemAction.CREATED,
                    version_after=actor.version,
                )
                for actor in actors
            ],
        )


def _jsonable(values: dict) -> dict:
    out = {}
    for name, value in values.items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, dict):
            value = _jsonable(value)
        out[name] = value
    return out
