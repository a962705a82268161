"""The changes feed's log: which changes readers of the event list can see, recorded once.

`record()` appends a `PublicChange` and is the only writer. The signals (events.signals) call
`remember()` before a save and `saved()` / `deleted()` after, for the event, the parts its
public row shows (participations, citations) and what those rows name (actors, sources, event
types), so every path (admin, API, services, commands) is covered.

A change is recorded only when a field of the public row (events.rows) changed; `updated_at`
alone is not a change (a save that changes nothing readers see leaves the feed alone). Aid,
votes and relations are not in the row, so they are not in the feed.
"""

from django.db.models import Model, Q

from events import rows
from events.choices import PUBLIC_EVENT_STATUSES, EventStatus, PublicChangeKind
from events.models import Actor, Citation, Event, EventType, Participation, PublicChange, Source
from events.models.base import origin_model

# Per model, the stored fields the public event row shows (events.rows.COLUMNS and friends).
VISIBLE_FIELDS: dict[type[Model], tuple[str, ...]] = {
    Event: (
        "slug",
        "title",
        "summary",
        "event_type_id",
        *rows.DATE_COLUMNS,
        "location_country_id",
        "location_name",
        "status",
        "retraction_reason",
        "verification",
        "importance",
        "published_at",
    ),
    Participation: ("event_id", "actor_id", "role"),
    Citation: ("event_id", "source_id", "stance"),
    Actor: rows.ACTOR_KEYS,
    Source: ("title", "url", "publisher"),
    EventType: ("slug", "name"),
}
# The public events whose rows show an actor, a source or an event type.
SHOWN_IN = {
    Actor: lambda pk: Q(participations__actor=pk) | Q(location_country=pk),
    Source: lambda pk: Q(citations__source=pk),
    EventType: lambda pk: Q(event_type=pk),
}


def record(changes: list[tuple[int | None, str, str]]) -> None:
    """Append changes, given as (event id, slug, kind), in this order."""
    PublicChange.objects.bulk_create(
        [PublicChange(event_id=event_id, slug=slug, kind=kind) for event_id, slug, kind in changes]
    )


def remember(instance: Model) -> None:
    """Before a save: keep the stored values of the fields readers see (one pk query)."""
    fields = VISIBLE_FIELDS[type(instance)]
    if instance.pk is None or instance._state.adding:
        instance._stored_visible = None
        return
    instance._stored_visible = (
        type(instance)._base_manager.filter(pk=instance.pk).values(*fields).first()
    )


def saved(instance: Model) -> None:
    stored = getattr(instance, "_stored_visible", None)
    current = {name: getattr(instance, name) for name in VISIBLE_FIELDS[type(instance)]}
    if stored == current:
        return
    if isinstance(instance, Event):
        record(_event_changes(stored, current, instance.pk))
    elif isinstance(instance, (Participation, Citation)):
        event_ids = {current["event_id"], stored["event_id"] if stored else None}
        _record_updates(Q(pk__in=event_ids - {None}))
    elif stored is not None:  # a new actor, source or type is in no row yet
        _record_updates(SHOWN_IN[type(instance)](instance.pk))


def created(events: list[Event]) -> None:
    """New events written in bulk (no signals): what `saved()` records for each, at once."""
    changes = []
    for event in events:
        current = {"slug": event.slug, "status": event.status}
        changes += _event_changes(None, current, event.pk)
    record(changes)


def deleted(instance: Model, origin=None) -> None:
    if isinstance(instance, Event):
        if instance.status in PUBLIC_EVENT_STATUSES:
            record([(None, instance.slug, PublicChangeKind.REMOVED)])
    elif isinstance(instance, (Participation, Citation)):
        if origin is not None and origin_model(origin) is Event:
            return  # deleted with its event: that deletion is the change
        _record_updates(Q(pk=instance.event_id))


def _record_updates(condition: Q) -> None:
    events = Event.objects.public().filter(condition).distinct().order_by("id")
    record([(pk, slug, PublicChangeKind.UPDATED) for pk, slug in events.values_list("pk", "slug")])


def _event_changes(stored: dict | None, current: dict, pk: int) -> list[tuple]:
    was_public = stored is not None and stored["status"] in PUBLIC_EVENT_STATUSES
    is_public = current["status"] in PUBLIC_EVENT_STATUSES
    changes = []
    if was_public and (not is_public or stored["slug"] != current["slug"]):
        # Gone from the public set, or from the slug mirrors know it by.
        changes.append((pk, stored["slug"], PublicChangeKind.REMOVED))
        was_public = False
    if is_public:
        if current["status"] == EventStatus.RETRACTED and (
            not was_public or stored["status"] != EventStatus.RETRACTED
        ):
            kind = PublicChangeKind.RETRACTED
        elif not was_public or stored["status"] != current["status"]:
            kind = PublicChangeKind.PUBLISHED
        else:
            kind = PublicChangeKind.UPDATED
        changes.append((pk, current["slug"], kind))
    return changes


# --- reading the feed ---------------------------------------------------------------------------


def page(*, after: int | None = None, since=None, limit: int) -> tuple[list, dict, bool]:
    """Up to `limit` changes in order, after the cursor `after` or at or after the time
    `since`; the public rows of their events now (by event id, from the one row pipeline, in
    one batch); and whether more changes follow."""
    changes = PublicChange.objects.order_by("id")
    if after is not None:
        changes = changes.filter(pk__gt=after)
    if since is not None:
        changes = changes.filter(at__gte=since)
    listed = list(changes.values("id", "event_id", "slug", "kind", "at")[: limit + 1])
    listed, more = listed[:limit], len(listed) > limit
    ids = {change["event_id"] for change in listed if change["kind"] != PublicChangeKind.REMOVED}
    ids.discard(None)
    events = Event.objects.public().filter(pk__in=ids).order_by("id")
    built = rows.first_rows(events, len(ids), posts=False) if ids else []  # row_json
    return listed, {row.id: row for row in built}, more
