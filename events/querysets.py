"""Reads that several callers share. Public paths start from `Event.objects.public()`."""

import datetime as dt
from collections.abc import Iterable

from django.db import NotSupportedError, connection, connections, models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.expressions import RawSQL

from events.choices import (
    PUBLIC_EVENT_STATUSES,
    CitationStance,
    EventStatus,
    TimelineKind,
    TimelineStatus,
)

LONGEST_SPAN_BEFORE = (
    "%s::date - (SELECT coalesce(max(date_upper - date_lower), 0) FROM events_event)"
)


class SortedLines(Subquery):
    """The distinct values of a one-column subquery (column `line`), sorted by code point and
    joined by newlines, "" if none: the SQL for Python's `"\\n".join(sorted(set(values)))`.

    Code-point order is byte order in UTF-8: PostgreSQL's "C" collation, SQLite's BINARY.
    SQLite before 3.44 has no ORDER BY inside group_concat; it joins in the order of the
    ordered subquery, which it never flattens into an aggregate.
    """

    output_field = models.TextField()

    def as_sql(self, compiler, connection, template=None, **extra_context):
        raise NotSupportedError("SortedLines is written for PostgreSQL and SQLite only.")

    def as_postgresql(self, compiler, connection, **extra_context):
        joined = 'string_agg(line, chr(10) ORDER BY line COLLATE "C")'
        return self._as_sql(compiler, connection, joined, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        joined = "group_concat(line, char(10))"
        return self._as_sql(compiler, connection, joined, **extra_context)

    def _as_sql(self, compiler, connection, joined, **extra_context):
        template = f"(SELECT COALESCE({joined}, '') FROM (%(subquery)s) AS lines)"
        return super().as_sql(compiler, connection, template=template, **extra_context)


def search_actors_text() -> SortedLines:
    """An event's search text (`Event.search_actors`): its participants' `search_names`,
    distinct, sorted and one per line. The one definition, used for one event or millions."""
    from events.models import Actor

    return SortedLines(
        Actor.objects.filter(participations__event=OuterRef("pk"))
        .values(line=F("search_names"))
        .distinct()
        .order_by("line")
    )


class SortedIds(Subquery):
    """The distinct values of a one-column subquery of ids (column `member`), sorted, as an
    `IdSetField` value: a `bigint[]` on PostgreSQL, a JSON array (`[1,2]`) on SQLite; empty,
    not NULL, if none. SQLite aggregates in the order of the ordered subquery (SortedLines)."""

    def __init__(self, queryset, **extra):
        from events.models.fields import IdSetField

        super().__init__(queryset, output_field=IdSetField(), **extra)

    def as_sql(self, compiler, connection, template=None, **extra_context):
        raise NotSupportedError("SortedIds is written for PostgreSQL and SQLite only.")

    def as_postgresql(self, compiler, connection, **extra_context):
        joined = "COALESCE(array_agg(member ORDER BY member), '{}')"
        return self._as_sql(compiler, connection, joined, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self._as_sql(compiler, connection, "json_group_array(member)", **extra_context)

    def _as_sql(self, compiler, connection, joined, **extra_context):
        template = f"(SELECT {joined} FROM (%(subquery)s) AS ids)"
        return super().as_sql(compiler, connection, template=template, **extra_context)


def participant_ids_of_event() -> SortedIds:
    """An event's participant ids (`Event.participant_ids`): its participations' actor ids,
    distinct and sorted. The one definition, used for one event or millions."""
    from events.models import Participation

    return SortedIds(
        Participation.objects.filter(event=OuterRef("pk"))
        .values(member=F("actor_id"))
        .distinct()
        .order_by("member")
    )


class EventQuerySet(models.QuerySet):
    def refresh_search_actors(self) -> int:
        """Re-derive what search keeps of the participants on these events (their names,
        `search_actors`, and their actor ids, `participant_ids`) in one UPDATE, however many
        they are. Returns how many events were updated.

        Derived columns: a plain UPDATE, so neither the version nor the history moves (on
        PostgreSQL the generated `search_vector` follows by itself).
        """
        return self.update(
            search_actors=search_actors_text(), participant_ids=participant_ids_of_event()
        )

    def with_stale_participants(self) -> "EventQuerySet":
        """Events whose stored participant ids or names differ from their participations: none,
        if every write path keeps them in step (a check for tests and for operators)."""
        return self.alias(
            derived_ids=participant_ids_of_event(), derived_names=search_actors_text()
        ).filter(~Q(participant_ids=F("derived_ids")) | ~Q(search_actors=F("derived_names")))

    def public(self) -> "EventQuerySet":
        """What readers may see: published events, and retracted ones (shown with their notice)."""
        return self.filter(status__in=PUBLIC_EVENT_STATUSES)

    def published(self) -> "EventQuerySet":
        """Published and standing: what analyses (votes, alignment, counts) are built on."""
        return self.filter(status=EventStatus.PUBLISHED)

    def involving(self, actor_ids: Iterable[int], *, match_all: bool = False) -> "EventQuerySet":
        """Events in which any (or, with match_all, every) of these actors takes part.

        PostgreSQL reads the denormalised `participant_ids` (`with_participants`): the list
        index carries them, so a date-ordered list checks each event from the index alone
        (migration 0020), and the GIN index beside the search vector answers a rare actor or a
        search. Elsewhere, the participations.
        """
        if connections[self.db].vendor == "postgresql":
            return self.with_participants(actor_ids, match_all=match_all)
        return self.in_participations(actor_ids, match_all=match_all)

    def in_participations(
        self, actor_ids: Iterable[int], *, match_all: bool = False
    ) -> "EventQuerySet":
        """The same events as `involving()`, read from the participations."""
        from events.models import Participation

        actor_ids = list(actor_ids)
        if not actor_ids:
            return self
        if match_all:
            qs = self
            for actor_id in actor_ids:
                qs = qs.filter(
                    Exists(Participation.objects.filter(event=OuterRef("pk"), actor_id=actor_id))
                )
            return qs
        return self.filter(
            Exists(Participation.objects.filter(event=OuterRef("pk"), actor_id__in=actor_ids))
        )

    def with_participants(
        self, actor_ids: Iterable[int], *, match_all: bool = False
    ) -> "EventQuerySet":
        """The same events as `involving()`, read from the denormalised `participant_ids`
        (`involving()` on PostgreSQL)."""
        actor_ids = list(actor_ids)
        if not actor_ids:
            return self
        if match_all:
            return self.filter(participant_ids__has_all=actor_ids)
        return self.filter(participant_ids__has_any=actor_ids)

    def overlapping(self, start: dt.date | None, end: dt.date | None) -> "EventQuerySet":
        """Events whose possible dates overlap [start, end]: "March 2025" overlaps 15 March."""
        qs = self
        if start is not None:
            qs = qs.filter(date_upper__gte=start)
            if connection.vendor == "postgresql":
                # Redundant but indexable: no event starts earlier than `start` minus the
                # longest span (one probe of events_event_span_idx), so a date-ordered scan
                # begins near the window rather than at the first event ever recorded.
                qs = qs.filter(date_lower__gte=RawSQL(LONGEST_SPAN_BEFORE, [start]))
        if end is not None:
            qs = qs.filter(date_lower__lte=end)
        return qs

    def of_types(self, type_ids: Iterable[int]) -> "EventQuerySet":
        """Events of these types or their subtypes."""
        from events.models import EventType

        ids = set(type_ids)
        frontier = set(ids)
        while frontier:  # the taxonomy is shallow: one query per level
            frontier = (
                set(EventType.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
                - ids
            )
            ids |= frontier
        return self.filter(event_type_id__in=ids)

    def in_timeline(self, timeline) -> "EventQuerySet":
        """The events a timeline shows, among these (the caller chose their visibility): a
        curated timeline's entries, or the events its saved query selects."""
        if timeline.kind == TimelineKind.CURATED:
            return self.filter(timeline_entries__timeline=timeline)
        actor_ids = list(timeline.query_actors.values_list("pk", flat=True))
        type_ids = list(timeline.query_types.values_list("pk", flat=True))
        qs = self.involving(actor_ids) if actor_ids else self
        if type_ids:
            qs = qs.of_types(type_ids)
        return qs.overlapping(timeline.query_from, timeline.query_to)

    def as_entries_of(self, timeline) -> "EventQuerySet":
        """These events as a curated timeline's entries, in its order, each with its
        `entry_position` and `entry_caption`."""
        return (
            self.filter(timeline_entries__timeline=timeline)
            .annotate(
                entry_position=F("timeline_entries__position"),
                entry_caption=F("timeline_entries__caption"),
            )
            .order_by("entry_position", "timeline_entries__id")
        )

    def with_supporting_citation(self) -> "EventQuerySet":
        from events.models import Citation

        return self.filter(
            Exists(Citation.objects.filter(event=OuterRef("pk"), stance=CitationStance.SUPPORTS))
        )

    def for_timeline(self) -> "EventQuerySet":
        """Everything a timeline row shows, in a fixed number of queries."""
        from events.models import Citation, Participation

        return self.select_related("event_type", "location_country").prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("actor").order_by("id"),
            ),
            Prefetch(
                "citations", queryset=Citation.objects.select_related("source").order_by("id")
            ),
        )


def reference_keys(slug: str, iso3: str | None, wikidata_id: str | None) -> list[str]:
    """The references an actor answers to, lower-cased, in the order they win a tie: its slug,
    its ISO 3166 alpha-3 code (states), its Wikidata id (Q30)."""
    return [key.lower() for key in (slug, iso3, wikidata_id) if key]


class ActorQuerySet(models.QuerySet):
    def search(self, text: str) -> "ActorQuerySet":
        """Name, short name or any alias contains the text (case-insensitive)."""
        text = text.strip()
        if not text:
            return self
        return self.filter(search_names__icontains=text)

    def resolve(self, *references: str, names: bool = False) -> dict:
        """The actors these references name: {reference as given: actor}.

        A reference is a slug, a state's ISO 3166 alpha-3 code or a Wikidata id, the codes in
        any case (`usa`, `RUS`, `q30`); with `names`, also a name, short name or alias, in any
        case (imports, which read what people typed: “Russia”, “Zelenskyy”). If one reference
        names two actors (one's slug is another's code), the slug wins, then the ISO code, the
        Wikidata id, the name, the short name, an alias; between equals, the older actor.
        With `names`, the slug of an actor merged into another (events.merging) names the one
        kept. Unknown references are left out. Every place that turns a reference into an actor
        (API lookups, filters, write fields, pages, imports) asks here.
        """
        wanted: dict[str, list[str]] = {}
        for reference in references:
            if reference.strip():
                wanted.setdefault(reference.strip().lower(), []).append(reference)
        if not wanted:
            return {}
        given = [reference.strip() for reference in references]
        codes = [key.upper() for key in wanted]
        condition = Q(slug__in={*wanted, *given}) | Q(iso3__in=codes) | Q(wikidata_id__in=codes)
        candidates = self.filter(condition).order_by("id")
        if names:
            # search_names holds the name, short name and aliases, one a line: a name is a
            # candidate when its text appears there; the exact line is checked below. Codes
            # and slugs alone (the usual case) cost this one query.
            condition |= Q(name__in=given) | Q(short_name__in=given)
            candidates = list(self.filter(condition).order_by("id"))
            unseen = set(wanted) - {
                key
                for actor in candidates
                for key in reference_keys(actor.slug, actor.iso3, actor.wikidata_id)
            }
            if unseen:
                for key in sorted(unseen):
                    condition |= Q(search_names__icontains=key)
                candidates = self.filter(condition).order_by("id")
        best: dict[str, tuple[tuple[int, int], object]] = {}
        for actor in candidates:
            codes = (actor.slug, actor.iso3, actor.wikidata_id)
            keys = [(rank, code.lower()) for rank, code in enumerate(codes) if code]
            if names:  # name, short name, aliases: the order search_names keeps them in
                lines = [line.lower() for line in actor.search_names.splitlines() if line.strip()]
                keys += [(3 + rank, line) for rank, line in enumerate(lines)]
            for rank, key in keys:
                if key in wanted and (key not in best or (rank, actor.pk) < best[key][0]):
                    best[key] = ((rank, actor.pk), actor)
        if names:  # what people typed may be the slug of an actor since merged into another
            best.update(self._merged_into({key for key in wanted if key not in best}))
        return {
            reference: actor for key, (_rank, actor) in best.items() for reference in wanted[key]
        }

    def _merged_into(self, slugs: set[str]) -> dict:
        """{old slug: ((rank, pk), actor kept)} for slugs of actors merged away."""
        if not slugs:
            return {}
        from django.contrib.contenttypes.models import ContentType

        from events.models import SlugRedirect

        targets = dict(
            SlugRedirect.objects.filter(
                content_type=ContentType.objects.get_for_model(self.model), old_slug__in=slugs
            ).values_list("old_slug", "target_id")
        )
        actors = self.in_bulk(set(targets.values())) if targets else {}
        return {
            slug: ((99, target), actors[target])
            for slug, target in targets.items()
            if target in actors
        }

    def public(self) -> "ActorQuerySet":
        """Actors readers may see, on the API and the pages alike: those a public event shows.

        An actor is public when it takes part in a public event, or casts a vote recorded in a
        published one; and so is the organisation of a post held by such a participant, and
        the organisation an organ taking part belongs to (their pages link there). An actor
        known only from drafts stays the curators' (staff see every actor). Votes follow the
        vote analyses: published events only.
        """
        from events.models import CountryVote, Participation

        in_public_event = Participation.objects.filter(event__status__in=PUBLIC_EVENT_STATUSES)
        return self.filter(
            Exists(in_public_event.filter(actor=OuterRef("pk")))
            | Exists(
                CountryVote.objects.filter(
                    actor=OuterRef("pk"), vote_record__event__status=EventStatus.PUBLISHED
                )
            )
            | Exists(in_public_event.filter(actor__roles__organisation=OuterRef("pk")))
            | Exists(in_public_event.filter(actor__parent=OuterRef("pk")))
        )


class RoleQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> "RoleQuerySet":
        """Posts held on that day (open ends count as still held)."""
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=day),
            Q(end_date__isnull=True) | Q(end_date__gte=day),
        )


class SourceQuerySet(models.QuerySet):
    def public(self) -> "SourceQuerySet":
        """Sources cited by at least one public event; others are curators' working material."""
        from events.models import Citation

        return self.filter(
            Exists(
                Citation.objects.filter(
                    source=OuterRef("pk"), event__status__in=PUBLIC_EVENT_STATUSES
                )
            )
        )


class TimelineQuerySet(models.QuerySet):
    def published(self) -> "TimelineQuerySet":
        return self.filter(status=TimelineStatus.PUBLISHED)
