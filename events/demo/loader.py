"""Load the demo timeline (seed_timeline.toml in this folder) into the database.

Rows are matched by natural keys: actors by slug (then ISO code, then Wikidata id), roles by
person, organisation, title and start, events and timelines by slug, sources by URL or
reference, citations by event, source and locator, and so on. A matched row is updated to the
file's values only where they differ, so a second run writes nothing. A curator's edit is never
undone: each row's values as loaded are recorded (DemoFingerprint), and a row whose values no
longer match what was loaded (or that the loader never wrote) is kept as it is and named in
the report. The loader never deletes: rows the file does not mention (a citation a curator
added) stay as they are.

Every write goes through `full_clean()` and `save()`, so the model's rules apply, and a run is
one revision (events.revisions) with the reason "load_demo": each aggregate it created or
changed appears once in that revision, by the `--user` given.

Two honesty checks refuse an inconsistent file: a published event needs a citation with stance
“supports”, and a “confirmed” one needs it from a source independent of the article (a source
marked `independent = false` cannot confirm its own claims).
"""

import datetime as dt
import hashlib
import json
import tomllib
from collections import Counter
from decimal import Decimal
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from events import dates, revisions
from events.authorship import stamp_author
from events.choices import (
    ActorKind,
    AidAction,
    AidKind,
    CitationStance,
    EventStatus,
    ParticipantRole,
    RelationKind,
    SourceKind,
    TimelineKind,
    TimelineStatus,
    Verification,
    VoteOption,
    VoteResult,
)
from events.models import (
    Actor,
    AidMeasure,
    Citation,
    CountryVote,
    DemoFingerprint,
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
from events.urls_normalise import normalise_url

DEMO_DIR = Path(__file__).resolve().parent
DATA_FILE = DEMO_DIR / "seed_timeline.toml"
CHANGE_REASON = "load_demo"

# The order the summary lists models in.
MODELS = (
    Actor,
    Role,
    Source,
    Event,
    Participation,
    Citation,
    EventRelation,
    VoteRecord,
    CountryVote,
    AidMeasure,
    Timeline,
    TimelineEntry,
)


class DemoDataError(Exception):
    """The data file is inconsistent; nothing was written."""


class LoadReport:
    """How many rows of each model the file describes, and how many were created or updated."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()
        # (plural label, name, row) of the rows edited since they were loaded
        self.kept: list[tuple[str, str, str]] = []

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def lines(self) -> list[str]:
        lines = []
        kept = Counter(label for label, _, _ in self.kept)
        for model in MODELS:
            label = str(model._meta.verbose_name_plural)
            line = (
                f"{label}: {self.seen[label]} "
                f"({self.created[label]} created, {self.updated[label]} updated"
            )
            line += f", {kept[label]} kept as edited)" if kept[label] else ")"
            lines.append(line)
        if self.kept:
            lines.append("Kept as a curator left them (edited since the demo loaded them):")
            lines.extend(f"  {name} “{row}”" for _, name, row in self.kept)
        return lines


def fingerprint(values: dict) -> str:
    """A digest of the values the loader gives a row, stable across runs and databases."""

    def plain(value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str):
            return str(value)  # a TextChoices member as its value
        return value

    text = json.dumps({name: plain(v) for name, v in sorted(values.items())}, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _choice(enum: type[models.TextChoices], value: str, where: str) -> str:
    if value not in enum.values:
        raise DemoDataError(f"{where}: “{value}” is not one of {', '.join(enum.values)}.")
    return enum(value)


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class DemoLoader:
    """One run of the loader: call `run()` once."""

    def __init__(self, data: dict, *, base_dir: Path = DEMO_DIR, user=None):
        self.data = data
        self.base_dir = base_dir
        self.user = user
        self.report = LoadReport()
        self.actors: dict[str, Actor] = {}
        self.sources: dict[str, Source] = {}
        self.not_independent: set[int] = set()  # ids of sources that cannot confirm a claim
        self.events: dict[str, Event] = {}
        self.statuses: dict[str, str] = {}
        self.types = {t.slug: t for t in EventType.objects.all()}
        self.fingerprints = {
            (row.content_type_id, row.object_id): row for row in DemoFingerprint.objects.all()
        }

    @classmethod
    def from_file(cls, path: Path = DATA_FILE, *, user=None) -> "DemoLoader":
        with path.open("rb") as handle:
            return cls(tomllib.load(handle), base_dir=path.parent, user=user)

    def run(self) -> LoadReport:
        """Load everything or nothing (one transaction)."""
        try:
            with revisions.recorded(self.user, CHANGE_REASON), transaction.atomic():
                self._load()
        except IntegrityError as exc:
            raise DemoDataError(f"the database refused a row: {exc}") from exc
        return self.report

    def _load(self) -> None:
        for spec in self.data.get("sources", []):
            self._source(spec)
        for spec in self.data.get("actors", []):
            self._actor(spec)
        for spec in self.data.get("roles", []):
            self._role(spec)
        for spec in self.data.get("events", []):
            self._event(spec)
        for spec in self.data.get("events", []):  # relations may point forward
            for relation in spec.get("relations", []):
                self._relation(spec["slug"], relation)
        self._check_published_events_are_supported()
        self._check_confirmed_events_have_an_independent_source()
        for spec in self.data.get("timelines", []):
            self._timeline(spec)

    # -- the one write path -------------------------------------------------------------------

    def _upsert(self, model, keys: list[dict], values: dict, *, before_save=None):
        """Find the row by the first key that matches, or create it; save only what differs.

        `keys[0]` is the natural key; later keys are fallbacks (a curator changed the slug but
        the ISO code still says which row it is), skipped when they hold an unknown value.
        """
        obj = None
        for key in keys:
            if key is keys[0] or all(v is not None for v in key.values()):
                obj = model._default_manager.filter(**key).first()
                if obj is not None:
                    break
        wanted = {**keys[0], **values}
        label = str(model._meta.verbose_name_plural)
        self.report.seen[label] += 1
        loaded = fingerprint(wanted)
        if obj is None:
            obj = model(**wanted)
            self.report.created[label] += 1
        else:
            changed = {name: v for name, v in wanted.items() if getattr(obj, name) != v}
            recorded = self.fingerprints.get((_content_type(model).pk, obj.pk))
            if not changed:
                self._record(obj, loaded)
                return obj
            current = fingerprint({name: getattr(obj, name) for name in wanted})
            if recorded is None or recorded.digest != current:
                # Edited since the demo loaded it (or never loaded by it): a curator's work.
                self.report.kept.append((label, str(model._meta.verbose_name), str(obj)))
                return obj
            for name, value in changed.items():
                setattr(obj, name, value)
            self.report.updated[label] += 1
        stamp_author(obj, self.user)
        if before_save:
            before_save(obj)
        # Like a model form: derived, non-editable fields are the model's business. The
        # database checks its own constraints (see run()); asking it twice per row is slow.
        try:
            obj.full_clean(
                exclude=[f.name for f in model._meta.fields if not f.editable],
                validate_constraints=False,
            )
        except ValidationError as exc:
            raise DemoDataError(f"{model._meta.verbose_name} {wanted}: {exc.messages}") from exc
        obj.save()
        self._record(obj, loaded)
        return obj

    def _record(self, obj, digest: str) -> None:
        """Remember what was loaded into `obj` (its values match the file now)."""
        key = (_content_type(type(obj)).pk, obj.pk)
        recorded = self.fingerprints.get(key)
        if recorded is None:
            self.fingerprints[key] = DemoFingerprint.objects.create(
                content_type_id=key[0], object_id=obj.pk, digest=digest
            )
        elif recorded.digest != digest:
            recorded.digest = digest
            recorded.save(update_fields=["digest"])

    def _actor_id(self, slug: str, where: str) -> int:
        if slug not in self.actors:
            raise DemoDataError(f"{where}: no actor “{slug}” in the file.")
        return self.actors[slug].pk

    def _event_obj(self, slug: str, where: str) -> Event:
        if slug not in self.events:
            raise DemoDataError(f"{where}: no event “{slug}” in the file.")
        return self.events[slug]

    # -- models ---------------------------------------------------------------------------------

    def _source(self, spec: dict) -> None:
        where = f"source {spec['key']}"
        published_on, precision = (None, "")
        if spec.get("published_on"):
            published_on, precision = dates.parse_partial(spec["published_on"])
        full_text = ""
        if spec.get("full_text_file"):
            full_text = (self.base_dir / spec["full_text_file"]).read_text(encoding="utf-8")
        values = {
            "kind": _choice(SourceKind, spec["kind"], where),
            "title": spec["title"],
            "publisher": spec.get("publisher", ""),
            "authors": "\n".join(spec.get("authors", [])),
            "published_on": published_on,
            "published_precision": precision,
            "published_approximate": spec.get("published_approximate", False),
            "language": spec.get("language", ""),
            "full_text": full_text,
        }
        url, reference = normalise_url(spec.get("url", "")) or None, spec.get("reference")
        if not url and not reference:
            raise DemoDataError(f"{where}: give a url or, for a source without one, a reference.")
        keys = [{"url": url}, {"reference": reference}] if url else [{"reference": reference}]
        values |= {"reference": reference} if url else {"url": None}
        self.sources[spec["key"]] = self._upsert(Source, keys, values)
        if not spec.get("independent", True):
            self.not_independent.add(self.sources[spec["key"]].pk)

    def _actor(self, spec: dict) -> None:
        where = f"actor {spec['slug']}"
        parent = spec.get("parent")
        values = {
            "name": spec["name"],
            "kind": _choice(ActorKind, spec["kind"], where),
            "short_name": spec.get("short_name", ""),
            "aliases": "\n".join(spec.get("aliases", [])),
            "iso3": spec.get("iso3"),
            "wikidata_id": spec.get("wikidata_id"),
            "description": spec.get("description", ""),
            "parent_id": self._actor_id(parent, where) if parent else None,
            "voting_members": spec.get("voting_members"),
            "votes_to_adopt": spec.get("votes_to_adopt"),
            "veto_members": " ".join(spec.get("veto_members", [])),
        }
        keys = [
            {"slug": spec["slug"]},
            {"iso3": spec.get("iso3")},
            {"wikidata_id": spec.get("wikidata_id")},
        ]
        self.actors[spec["slug"]] = self._upsert(Actor, keys, values)

    def _role(self, spec: dict) -> None:
        where = f"role {spec['person']} {spec['title']}"
        key = {
            "person_id": self._actor_id(spec["person"], where),
            "organisation_id": self._actor_id(spec["organisation"], where),
            "title": spec["title"],
            "start_date": _day(spec.get("start")),
        }
        self._upsert(Role, [key], {"end_date": _day(spec.get("end"))})

    def _event(self, spec: dict) -> None:
        slug = spec["slug"]
        where = f"event {slug}"
        if spec["type"] not in self.types:
            raise DemoDataError(f"{where}: no event type “{spec['type']}” in the taxonomy.")
        start, precision = dates.parse_partial(spec["date"])
        end, end_precision = dates.parse_partial(spec["end"]) if spec.get("end") else (None, "")
        status = _choice(EventStatus, spec["status"], where)
        country = spec.get("location_country")
        values = {
            "title": spec["title"],
            "summary": spec.get("summary", "").strip(),
            "event_type_id": self.types[spec["type"]].pk,
            "start_date": start,
            "start_precision": precision,
            "start_approximate": spec.get("approximate", False),
            "end_date": end,
            "end_precision": end_precision,
            "location_country_id": self._actor_id(country, where) if country else None,
            "location_name": spec.get("location_name", ""),
            "status": status,
            "retraction_reason": spec.get("retraction_reason", ""),
            "verification": _choice(Verification, spec["verification"], where),
            "importance": spec.get("importance", 3),
        }
        event = self._upsert(Event, [{"slug": slug}], values, before_save=_stamp_publication)
        self.events[slug] = event
        self.statuses[slug] = status

        for part in spec.get("participants", []):
            key = {
                "event_id": event.pk,
                "actor_id": self._actor_id(part["actor"], where),
                "role": _choice(ParticipantRole, part["role"], where),
            }
            self._upsert(Participation, [key], {"note": part.get("note", "")})
        for citation in spec.get("citations", []):
            self._citation(event, citation, where)
        if "vote" in spec:
            self._vote(event, spec["vote"], where)
        for aid in spec.get("aid", []):
            amount = aid.get("amount")
            key = {
                "event_id": event.pk,
                "donor_id": self._actor_id(aid["donor"], where),
                "recipient_id": self._actor_id(aid["recipient"], where),
                "kind": _choice(AidKind, aid["kind"], where),
                "action": _choice(AidAction, aid["action"], where),
            }
            values = {
                "amount": Decimal(amount) if amount else None,
                "currency": aid.get("currency", ""),
                "note": aid.get("note", ""),
            }
            self._upsert(AidMeasure, [key], values)

    def _citation(self, event: Event, spec: dict, where: str) -> None:
        if spec["source"] not in self.sources:
            raise DemoDataError(f"{where}: no source “{spec['source']}” in the file.")
        source = self.sources[spec["source"]]
        quote = spec.get("quote", "")
        # A quote from a text we hold must be verbatim: that is what makes it evidence.
        if source.full_text and quote and quote not in source.full_text:
            raise DemoDataError(f"{where}: the quote is not verbatim in “{source}”: {quote!r}")
        key = {"event_id": event.pk, "source_id": source.pk, "locator": spec.get("locator", "")}
        values = {
            "quote": quote,
            "stance": _choice(CitationStance, spec["stance"], where),
            "note": spec.get("note", ""),
        }
        self._upsert(Citation, [key], values)

    def _vote(self, event: Event, spec: dict, where: str) -> None:
        values = {
            "body_id": self._actor_id(spec["body"], where),
            "document_symbol": spec["document_symbol"],
            "draft_symbol": spec.get("draft_symbol", ""),
            "title": spec["title"],
            "result": _choice(VoteResult, spec["result"], where),
            "yes_count": spec["yes"],
            "no_count": spec["no"],
            "abstain_count": spec["abstain"],
            "non_voting_count": spec.get("non_voting"),
            "roll_complete": spec.get("roll_complete", False),
        }
        keys = [{"event_id": event.pk}, {"document_symbol": spec["document_symbol"]}]
        record = self._upsert(VoteRecord, keys, values)
        for actor, option in spec.get("votes", {}).items():
            key = {"vote_record_id": record.pk, "actor_id": self._actor_id(actor, where)}
            self._upsert(CountryVote, [key], {"option": _choice(VoteOption, option, where)})
        record.check_roll()

    def _relation(self, slug: str, spec: dict) -> None:
        where = f"event {slug}"
        key = {
            "from_event_id": self._event_obj(slug, where).pk,
            "kind": _choice(RelationKind, spec["kind"], where),
            "to_event_id": self._event_obj(spec["event"], where).pk,
        }
        self._upsert(EventRelation, [key], {})

    def _check_published_events_are_supported(self) -> None:
        published = {s for s, status in self.statuses.items() if status == EventStatus.PUBLISHED}
        supported = set(
            Event.objects.filter(slug__in=published)
            .with_supporting_citation()
            .values_list("slug", flat=True)
        )
        if published - supported:
            raise DemoDataError(
                "Published events need a citation with stance “supports”: "
                + ", ".join(sorted(published - supported))
            )

    def _check_confirmed_events_have_an_independent_source(self) -> None:
        slugs = [
            slug for slug in self.events if self.events[slug].verification == Verification.CONFIRMED
        ]
        independent = Citation.objects.filter(
            event__slug__in=slugs, stance=CitationStance.SUPPORTS
        ).exclude(source_id__in=self.not_independent)
        unconfirmed = set(slugs) - set(independent.values_list("event__slug", flat=True))
        if unconfirmed:
            raise DemoDataError(
                "“Confirmed” needs a supporting citation from a source independent of the "
                "article; mark these “reported” or cite such a source: "
                + ", ".join(sorted(unconfirmed))
            )

    def _timeline(self, spec: dict) -> None:
        where = f"timeline {spec['slug']}"
        values = {
            "title": spec["title"],
            "description": spec.get("description", "").strip(),
            "kind": TimelineKind.CURATED,
            "status": _choice(TimelineStatus, spec["status"], where),
        }
        timeline = self._upsert(Timeline, [{"slug": spec["slug"]}], values)
        for position, entry in enumerate(spec.get("entries", []), start=1):
            event = self._event_obj(entry["event"], where)
            if self.statuses[entry["event"]] != EventStatus.PUBLISHED:
                raise DemoDataError(f"{where}: “{entry['event']}” is not published.")
            key = {"timeline_id": timeline.pk, "event_id": event.pk}
            values = {"position": position * 10, "caption": entry.get("caption", "")}
            self._upsert(TimelineEntry, [key], values)


def _content_type(model) -> ContentType:
    return ContentType.objects.get_for_model(model)  # cached by Django after the first call


def _stamp_publication(event: Event) -> None:
    # The first publication is stamped once; later runs keep that moment.
    if event.status == EventStatus.PUBLISHED and event.published_at is None:
        event.published_at = timezone.now()
