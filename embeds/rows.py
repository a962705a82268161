"""Timeline entries for the pages and embeds: a projection plus one query per related set.

Like the API's rows (events.api.rows), a timeline of any length costs three queries: the events'
own columns with their type joined, their participants with actors, and their citations with
sources. No model instance is built; what the templates used to ask the models for
(`get_verification_display`, `Actor.display_name`, `get_stance_display`) is computed here from
the same choices and the same rules, so the markup is unchanged.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

from events import dates
from events.choices import CitationStance, EventStatus, Verification
from events.models import Citation, Participation

# Claims no independent source confirms; the timeline marks them.
DOUBTFUL = (Verification.REPORTED, Verification.DISPUTED, Verification.UNVERIFIED)

VERIFICATION_LABELS = dict(Verification.choices)
STANCE_LABELS = dict(CitationStance.choices)

# The event columns an entry shows (and the fragment cache's key covers).
COLUMNS = (
    "id",
    "slug",
    "title",
    "summary",
    "event_type__slug",
    "event_type__name",
    "start_date",
    "start_precision",
    "start_approximate",
    "end_date",
    "end_precision",
    "end_approximate",
    "status",
    "retraction_reason",
    "verification",
)


@dataclass(slots=True)
class ActorRow:
    slug: str
    name: str
    short_name: str
    iso3: str | None
    kind: str
    is_highlighted: bool = False

    @property
    def display_name(self) -> str:
        return self.short_name or self.name  # the rule of Actor.display_name


@dataclass(slots=True)
class CitationRow:
    title: str
    url: str | None
    publisher: str
    stance: str
    stance_label: str  # lower case, as the timeline shows it: "(contradicts)"


@dataclass(slots=True)
class EventRow:
    """One timeline entry: the event's columns plus what the template shows, computed once."""

    values: tuple  # the projected columns, in COLUMNS order (part of the fragment's key)
    id: int
    slug: str
    title: str
    summary: str
    type_slug: str
    type_name: str
    start_date: object
    start_precision: str
    display_date: str
    datetime_attr: str
    verification: str
    verification_label: str
    retraction_reason: str
    is_doubtful: bool
    is_retracted: bool
    actors: list[ActorRow] = field(default_factory=list)
    citations: list[CitationRow] = field(default_factory=list)
    caption: str = ""
    is_highlighted: bool = False
    url: str = ""
    html: str = ""  # the rendered fragment (embeds.fragments)

    @property
    def actor_slugs(self) -> str:
        return " ".join(actor.slug for actor in self.actors)


def event_rows(queryset, limit: int) -> list[EventRow]:
    """Up to `limit` entries of `queryset`, in its order."""
    values = list(queryset.values_list(*COLUMNS)[:limit])
    ids = [value[0] for value in values]
    actors = _actors_by_event(ids) if ids else {}
    citations = _citations_by_event(ids) if ids else {}
    rows = [_row(value) for value in values]
    for row in rows:
        row.actors = actors.get(row.id, [])
        row.citations = citations.get(row.id, [])
    return rows


def prepare_rows(
    rows: list[EventRow], *, origin: str, highlight: str = "", captions: dict | None = None
) -> list[EventRow]:
    """Attach the request's part: captions, highlight marks and the events' absolute URLs."""
    captions = captions or {}
    # One reverse, not one per event; slugs are quoted as reverse() quotes them.
    prefix, suffix = (origin + reverse("embeds:event", args=["-"])).rsplit("-", 1)
    for row in rows:
        row.caption = captions.get(row.id, "")
        row.url = prefix + quote(row.slug, safe=RFC3986_SUBDELIMS + "/~:@") + suffix
        if highlight:
            for actor in row.actors:
                actor.is_highlighted = actor.slug == highlight
            row.is_highlighted = any(
                highlight in (actor.slug, (actor.iso3 or "").lower()) for actor in row.actors
            )
    return rows


def _row(value: tuple) -> EventRow:
    (
        event_id,
        slug,
        title,
        summary,
        type_slug,
        type_name,
        start,
        start_precision,
        start_approximate,
        end,
        end_precision,
        end_approximate,
        status,
        retraction_reason,
        verification,
    ) = value
    return EventRow(
        values=value,
        id=event_id,
        slug=slug,
        title=title,
        summary=summary,
        type_slug=type_slug,
        type_name=type_name,
        start_date=start,
        start_precision=start_precision,
        display_date=dates.display_range(
            start, start_precision, start_approximate, end, end_precision, end_approximate
        ),
        # <time datetime>: the start in its own precision (2025, 2025-02, 2025-02-18).
        datetime_attr=dates.edtf_date(start, start_precision),
        verification=verification,
        verification_label=VERIFICATION_LABELS.get(verification, verification),
        retraction_reason=retraction_reason,
        is_doubtful=verification in DOUBTFUL,
        is_retracted=status == EventStatus.RETRACTED,
    )


def _actors_by_event(ids: list[int]) -> dict[int, list[ActorRow]]:
    """Each event's actors in participation order, each actor once (one may hold two roles)."""
    by_event: dict[int, dict[int, ActorRow]] = defaultdict(dict)
    rows = (
        Participation.objects.filter(event_id__in=ids)
        .order_by("event_id", "id")
        .values_list(
            "event_id",
            "actor_id",
            "actor__slug",
            "actor__name",
            "actor__short_name",
            "actor__iso3",
            "actor__kind",
        )
    )
    for event_id, actor_id, *actor in rows:
        by_event[event_id].setdefault(actor_id, ActorRow(*actor))
    return {event_id: list(actors.values()) for event_id, actors in by_event.items()}


def _citations_by_event(ids: list[int]) -> dict[int, list[CitationRow]]:
    by_event: dict[int, list[CitationRow]] = defaultdict(list)
    rows = (
        Citation.objects.filter(event_id__in=ids)
        .order_by("event_id", "id")
        .values_list("event_id", "source__title", "source__url", "source__publisher", "stance")
    )
    for event_id, title, url, publisher, stance in rows:
        label = STANCE_LABELS.get(stance, stance).lower()
        by_event[event_id].append(CitationRow(title, url, publisher, stance, label))
    return by_event
