"""Reads that several callers share. Public paths start from `Event.objects.public()`."""

import datetime as dt
from collections.abc import Iterable

from django.db import connection, models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.expressions import RawSQL

from events.choices import PUBLIC_EVENT_STATUSES, CitationStance, EventStatus, TimelineStatus

LONGEST_SPAN_BEFORE = (
    "%s::date - (SELECT coalesce(max(date_upper - date_lower), 0) FROM events_event)"
)


class EventQuerySet(models.QuerySet):
    def public(self) -> "EventQuerySet":
        """What readers may see: published events, and retracted ones (shown with their notice)."""
        return self.filter(status__in=PUBLIC_EVENT_STATUSES)

    def published(self) -> "EventQuerySet":
        """Published and standing: what analyses (votes, alignment, counts) are built on."""
        return self.filter(status=EventStatus.PUBLISHED)

    def involving(self, actor_ids: Iterable[int], *, match_all: bool = False) -> "EventQuerySet":
        """Events in which any (or, with match_all, every) of these actors takes part."""
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


class ActorQuerySet(models.QuerySet):
    def search(self, text: str) -> "ActorQuerySet":
        """Name, short name or any alias contains the text (case-insensitive)."""
        text = text.strip()
        if not text:
            return self
        return self.filter(search_names__icontains=text)

    def by_reference(self, value: str) -> "ActorQuerySet":
        """An actor by slug, or a state by its ISO 3166 alpha-3 code in any case."""
        value = value.strip()
        return self.filter(Q(slug=value) | Q(iso3=value.upper()))


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
