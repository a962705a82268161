"""Writes with rules that span several models. The admin, the API and commands all call these."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from events import revisions
from events.authorship import stamp_author
from events.choices import EventStatus, TimelineKind, TimelineStatus
from events.freshness import stamp_change
from events.models import (
    Actor,
    Citation,
    CountryVote,
    Event,
    Source,
    Timeline,
    TimelineEntry,
    VoteRecord,
)

# Editors hold it: publishing events and timelines, and deleting drafts others created.
PUBLISH_PERMISSION = "events.publish_event"


def _save_as(event: Event, user, fields: list[str], reason: str) -> None:
    with revisions.recorded(user, reason):
        stamp_author(event, user)
        event.save(update_fields=[*fields, "updated_by", "updated_at"])


def _require_publish_permission(user, what: str = "events") -> None:
    if user is None or not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(f"Only editors may publish, unpublish or retract {what}.")


def event_publish_problems(event: Event) -> list[str]:
    """Why the event cannot be published yet (empty when it can)."""
    problems = []
    if event.status == EventStatus.PUBLISHED:
        problems.append("It is already published.")
    if not Event.objects.filter(pk=event.pk).with_supporting_citation().exists():
        problems.append(
            "Every published claim needs a source: add a citation with stance “supports”."
        )
    return problems


@transaction.atomic
def event_publish(*, event: Event, user) -> Event:
    """Publish an event: needs the publish permission and at least one supporting citation."""
    _require_publish_permission(user)
    problems = event_publish_problems(event)
    if problems:
        raise ValidationError(f"“{event}” cannot be published: " + " ".join(problems))
    event.status = EventStatus.PUBLISHED
    event.retraction_reason = ""
    event.published_at = event.published_at or timezone.now()
    _save_as(event, user, ["status", "retraction_reason", "published_at"], "Published")
    return event


@transaction.atomic
def event_unpublish(*, event: Event, user) -> Event:
    """Take a published event back to draft (to fix it); readers stop seeing it."""
    _require_publish_permission(user)
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(f"“{event}” is not published, so it cannot be unpublished.")
    event.status = EventStatus.DRAFT
    _save_as(event, user, ["status"], "Unpublished")
    return event


@transaction.atomic
def event_retract(*, event: Event, user, reason: str) -> Event:
    """Retract a published event: it stays visible to readers with the reason, never vanishes."""
    _require_publish_permission(user)
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(f"Only published events can be retracted; “{event}” is not.")
    if not reason.strip():
        raise ValidationError("Say why the event is retracted; readers will see the reason.")
    event.status = EventStatus.RETRACTED
    event.retraction_reason = reason.strip()
    _save_as(event, user, ["status", "retraction_reason"], f"Retracted: {event.retraction_reason}")
    return event


@transaction.atomic
def event_submit_for_review(*, event: Event, user) -> Event:
    """A curator hands a draft to the editors."""
    if event.status != EventStatus.DRAFT:
        raise ValidationError(f"Only drafts can be submitted for review; “{event}” is not.")
    event.status = EventStatus.IN_REVIEW
    _save_as(event, user, ["status"], "Submitted for review")
    return event


def deletion_conflict(obj) -> str | None:
    """Why the object may not be deleted by anyone (apart from PROTECTed uses), or None."""
    if isinstance(obj, Event):
        return obj.deletion_problem()
    if isinstance(obj, Citation):
        return obj.removal_problem()  # the last supporting citation of a published event
    if isinstance(obj, Actor):
        # A saved query's actors are a many-to-many: deleting would silently change it.
        used_by = list(Timeline.objects.filter(query_actors=obj).values_list("title", flat=True))
        if used_by:
            titles = ", ".join(f"“{title}”" for title in used_by)
            return f"“{obj}” is used by the saved query of {titles}: remove it there first."
    return None


def deletion_forbidden(*, obj, user) -> str | None:
    """Why this user may not delete the object, or None.

    Editors (who may publish) delete any draft event, actor or source; curators only those
    they created (`created_by`, stamped by the admin and the API on every create: one column,
    unlike the history's first record, which a bulk import may not write).
    """
    opts = obj._meta
    if user is None or not user.has_perm(f"{opts.app_label}.delete_{opts.model_name}"):
        return f"You may not delete {opts.verbose_name_plural}."
    if not isinstance(obj, (Event, Actor, Source)) or user.has_perm(PUBLISH_PERMISSION):
        return None
    if obj.created_by_id != user.pk:
        return (
            f"Curators delete only the {opts.verbose_name_plural} they created; “{obj}” was "
            "created by someone else. Ask an editor."
        )
    return None


def deletion_problem(*, obj, user) -> str | None:
    """The first reason the user may not delete the object (for the admin), or None."""
    return deletion_forbidden(obj=obj, user=user) or deletion_conflict(obj)


@transaction.atomic
def timeline_publish(*, timeline: Timeline, user) -> Timeline:
    """Readers see the timeline: an editor's decision, as for events."""
    _require_publish_permission(user, "timelines")
    if timeline.status == TimelineStatus.PUBLISHED:
        raise ValidationError(f"“{timeline}” is already published.")
    return _set_timeline_status(timeline, user, TimelineStatus.PUBLISHED, "Published")


@transaction.atomic
def timeline_unpublish(*, timeline: Timeline, user) -> Timeline:
    """Take a timeline back to draft; its page and embeds stop showing it."""
    _require_publish_permission(user, "timelines")
    if timeline.status != TimelineStatus.PUBLISHED:
        raise ValidationError(f"“{timeline}” is not published, so it cannot be unpublished.")
    return _set_timeline_status(timeline, user, TimelineStatus.DRAFT, "Unpublished")


def _set_timeline_status(timeline: Timeline, user, status: str, reason: str) -> Timeline:
    with revisions.recorded(user, reason):
        timeline.status = status
        stamp_author(timeline, user)
        timeline.save(update_fields=["status", "updated_by", "updated_at"])
    return timeline


# Replacing an aggregate's parts (the roll of a vote, the entries of a timeline) -----------------


@transaction.atomic
def vote_roll_replace(*, record: VoteRecord, roll: list[dict], user) -> None:
    """Make the record's per-country roll exactly `roll` ([{"actor": Actor, "option": …}]).

    Written as a diff, recorded as one revision of the event; each row is checked with
    CountryVote's own rules, and every problem is reported at once.
    """
    problems = []
    wanted: dict[int, CountryVote] = {}
    for index, row in enumerate(roll):
        vote = CountryVote(vote_record=record, actor=row["actor"], option=row["option"])
        if row["actor"].pk in wanted:
            problems.append(f"Row {index + 1}: {row['actor']} appears twice in the roll.")
            continue
        try:
            vote.clean()
        except ValidationError as exc:
            problems.extend(f"Row {index + 1} ({row['actor']}): {m}" for m in exc.messages)
        wanted[row["actor"].pk] = vote
    if problems:
        raise ValidationError({"country_votes": problems})

    with revisions.recorded(user, "Vote roll replaced"):
        _write_roll(record, wanted, user)


def _write_roll(record: VoteRecord, wanted: dict[int, CountryVote], user) -> None:
    existing = {vote.actor_id: vote for vote in record.country_votes.all()}
    for actor_id, vote in existing.items():
        if actor_id not in wanted:
            stamp_author(vote, user)
            vote.delete()
        elif vote.option != wanted[actor_id].option:
            vote.option = wanted[actor_id].option
            stamp_author(vote, user)
            vote.save(update_fields=["option"])
    new = [vote for actor_id, vote in wanted.items() if actor_id not in existing]
    if new:
        # One INSERT for a whole roll; bulk writes send no signals, so the revision and the
        # change stamps are told by hand.
        CountryVote.objects.bulk_create(new)
        revisions.touch(record, bulk=True)
        stamp_change(record)


@transaction.atomic
def timeline_entries_replace(*, timeline: Timeline, entries: list[dict], user) -> None:
    """Make a curated timeline's entries exactly `entries` ([{"event": Event, "position"?: int,
    "caption"?: str}], in order; a missing position is the entry's place in the list)."""
    if entries and timeline.kind != TimelineKind.CURATED:
        raise ValidationError(
            {"entries": "Only curated timelines have entries; a saved query computes its events."}
        )
    wanted: dict[int, TimelineEntry] = {}
    for index, row in enumerate(entries):
        if row["event"].pk in wanted:
            raise ValidationError(
                {"entries": f"Entry {index + 1}: “{row['event']}” is already in the timeline."}
            )
        wanted[row["event"].pk] = TimelineEntry(
            timeline=timeline,
            event=row["event"],
            position=row.get("position", index),
            caption=row.get("caption", ""),
        )
    with revisions.recorded(user, "Timeline entries replaced"):
        _write_entries(timeline, wanted, user)


def _write_entries(timeline: Timeline, wanted: dict[int, TimelineEntry], user) -> None:
    existing = {entry.event_id: entry for entry in timeline.entries.all()}
    for event_id, entry in existing.items():
        stamp_author(entry, user)
        if event_id not in wanted:
            entry.delete()
            continue
        new = wanted[event_id]
        if (entry.position, entry.caption) != (new.position, new.caption):
            entry.position, entry.caption = new.position, new.caption
            entry.save(update_fields=["position", "caption"])
    for event_id, entry in wanted.items():
        if event_id not in existing:
            stamp_author(entry, user)
            entry.save()
