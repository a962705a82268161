"""Undoing an import: possible while nothing it wrote has been edited since."""

import json

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from events import revisions
from events.authorship import stamp_author
from events.choices import PUBLIC_EVENT_STATUSES
from events.dataset.records import batched
from events.imports.models import ExternalId, Import, ImportItemAction, ImportStatus
from events.models import (
    Actor,
    Citation,
    Event,
    EventType,
    Participation,
    Role,
    Source,
    Timeline,
    VoteRecord,
)
from events.services import vote_roll_replace


def undo_problems(import_run: Import) -> list[str]:
    """Why the import cannot be undone (empty when it can). The rows it wrote are read a
    few thousand at a time, kind by kind (the admin's page of a 100,000-row import asks)."""
    if import_run.status not in (ImportStatus.DONE, ImportStatus.FAILED) or (
        not import_run.items.exists()
    ):
        return [
            f"Only a finished import that wrote rows can be undone; this one is "
            f"{import_run.get_status_display().lower()}."
        ]
    problems = []
    items = import_run.items.select_related("content_type").order_by("id")
    for chunk in batched(items.iterator(chunk_size=CHECK_CHUNK), CHECK_CHUNK):
        by_type: dict = {}
        for item in chunk:
            by_type.setdefault(item.content_type, []).append(item.object_id)
        stored = {
            (content_type.pk, pk): obj
            for content_type, ids in by_type.items()
            for pk, obj in content_type.model_class()._base_manager.in_bulk(ids).items()
        }
        for item in chunk:
            obj = stored.get((item.content_type_id, item.object_id))
            if obj is None:
                if item.action == ImportItemAction.UPDATED:
                    problems.append(f"{item.content_type.name} #{item.object_id} no longer exists.")
                continue
            if item.version_after is not None and obj.version != item.version_after:
                problems.append(
                    f"“{obj}” (row {item.row or '?'}) was edited after the import (version "
                    f"{obj.version}, the import left {item.version_after}): undo it by hand."
                )
            if isinstance(obj, Event) and item.action == ImportItemAction.CREATED:
                problem = obj.deletion_problem()
                if problem:
                    problems.append(problem)
    return problems


# Rows of an import checked at once by undo_problems.
CHECK_CHUNK = 5000


@transaction.atomic
def import_undo(*, import_run: Import, user) -> dict[str, int]:
    """Delete what the import created and put back what it updated; refuse (ValidationError)
    when anything has been edited since. Returns counts by action."""
    problems = undo_problems(import_run)
    if problems:
        raise ValidationError(problems)
    counts = {"deleted": 0, "restored": 0, "kept": 0}
    items = list(import_run.items.select_related("content_type").order_by("-id"))
    # What refers to others goes first: timelines (their entries protect events), events,
    # sources, posts, actors, then event types.
    order = {Timeline: 0, Event: 1, Source: 2, Role: 3, Actor: 4, EventType: 5}
    items.sort(key=lambda item: order.get(item.content_type.model_class(), 6))
    with revisions.recorded(user, f"Undo of {import_run.change_reason}"):
        for item in items:
            model = item.content_type.model_class()
            obj = model._base_manager.filter(pk=item.object_id).first()
            if obj is None:
                continue
            if item.action == ImportItemAction.CREATED:
                stamp_author(obj, user)
                try:
                    with transaction.atomic():
                        obj.delete()
                except ProtectedError:  # since used by rows the import did not write
                    counts["kept"] += 1
                    continue
                counts["deleted"] += 1
            else:
                _restore(obj, item.before, user)
                counts["restored"] += 1
    import_run.status = ImportStatus.UNDONE
    import_run.report = {
        **import_run.report,
        "undone": {
            "by": getattr(user, "username", ""),
            "at": timezone.now().isoformat(),
            **counts,
        },
    }
    import_run.save(update_fields=["status", "report"])
    return counts


def _restore(event, before: dict, user) -> None:
    """Put back the fields an update changed (of an event, or of any row a dataset import
    updated), and remove the parts it added."""
    before = dict(before or {})
    aggregate = before.pop("aggregate", None)
    if aggregate is not None:
        _restore_aggregate(event, aggregate, before, user)
        return
    vote = before.pop("vote_record", None)
    added = before.pop("added", {})
    for model, ids in (
        (Participation, added.get("participations")),
        (Citation, added.get("citations")),
    ):
        for part in model.objects.filter(pk__in=ids or []):
            stamp_author(part, user)
            part.delete()
    ExternalId.objects.filter(pk__in=added.get("external_ids") or []).delete()
    if before:
        event.refresh_from_db()
        for name, value in before.items():
            field = event._meta.get_field(name.removesuffix("_id"))
            # Dates, instants and amounts were stored as text in the JSON.
            setattr(event, name, None if value is None else field.to_python(value))
        stamp_author(event, user)
        event.save()
    if vote is not None:
        record = VoteRecord.objects.get(event=event)
        roll = vote.pop("roll")
        complete = vote.pop("roll_complete")
        for name, value in vote.items():
            setattr(record, name, value)
        record.roll_complete = False
        stamp_author(record, user)
        record.save()
        actors = {actor.iso3: actor for actor in Actor.objects.filter(iso3__in=list(roll))}
        vote_roll_replace(
            record=record,
            roll=[{"actor": actors[code], "option": option} for code, option in roll.items()],
            user=user,
        )
        record.roll_complete = complete
        record.save(update_fields=["roll_complete"])


def _restore_aggregate(root, aggregate: list, before: dict, user) -> None:
    """A dataset import replaced the parts of this aggregate (an event's participants,
    citations, aid, vote and relations; a timeline's entries and query): make it again what
    the import found, from the rows it kept (in the form of a revision; events.revisions
    `restore`), then put back the root's publication fields, which a revert never moves.
    Going back to a draft, those go first: a draft needs no supporting citation."""
    target = revisions.snapshot_from_items(
        [
            (apps.get_model(label), pk, json.loads(data)[0]["fields"], shown)
            for label, pk, data, shown in aggregate
        ],
        type(root),
        root.pk,
    )
    status_first = target.root.get("status") not in PUBLIC_EVENT_STATUSES

    def put_back_fields():
        if before:
            _restore(root, before, user)

    if status_first:
        put_back_fields()
    root.refresh_from_db()
    revisions.restore(root, target, user=user, version=root.version)
    if not status_first:
        put_back_fields()
