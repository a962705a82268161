"""Undoing an import: possible while nothing it wrote has been edited since."""

import json

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, ProtectedError, Q, Subquery
from django.utils import timezone

from events import revisions
from events.authorship import stamp_author
from events.choices import PUBLIC_EVENT_STATUSES
from events.dataset.records import batched
from events.freshness import stamps_coalesced
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
from events.models.events import WAS_PUBLISHED
from events.services import vote_roll_replace

# An import in these states may be undone (UNDOING: queued for the worker, which checks again).
UNDOABLE = (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.UNDOING)


def undo_start(*, import_run: Import, user) -> dict[str, int] | None:
    """Undo the import now, or (more than IMPORT_BACKGROUND_ROWS rows written, longer than
    a web request may take) queue it for the worker, as large imports are; None when queued.
    ValidationError when it cannot be undone, as import_undo (if a row is edited between the
    press and the worker, the worker leaves the reason in the import's report,
    `undo_refused`)."""
    if import_run.items.count() <= settings.IMPORT_BACKGROUND_ROWS:
        return import_undo(import_run=import_run, user=user)
    if import_run.status == ImportStatus.UNDOING:
        raise ValidationError("This import is being undone already.")
    problems = undo_problems(import_run)  # now, to answer at once; the worker checks again
    if problems:
        raise ValidationError(problems)
    from events.imports.tasks import undo_import_task

    status_before = import_run.status
    with transaction.atomic():
        # One queued undo, however often the button is pressed.
        report = {key: value for key, value in import_run.report.items() if key != "undo_refused"}
        claimed = Import.objects.filter(pk=import_run.pk, status=status_before).update(
            status=ImportStatus.UNDOING, report=report
        )
        if not claimed:
            raise ValidationError("This import is being undone already.")
        user_id = user.pk if user is not None and user.is_authenticated else None
        transaction.on_commit(
            lambda: undo_import_task.enqueue(import_run.pk, user_id, status_before)
        )
    import_run.status, import_run.report = ImportStatus.UNDOING, report
    return None


def undo_problems(import_run: Import) -> list[str]:
    """Why the import cannot be undone (empty when it can). The database picks out, kind by
    kind, the rows that stand in the way (edited since, gone, published since): one query a
    kind and a read of those rows, however many rows the import wrote (the admin's page of a
    100,000-row import asks each time it opens)."""
    if import_run.status not in UNDOABLE or not import_run.items.exists():
        return [
            f"Only a finished import that wrote rows can be undone; this one is "
            f"{import_run.get_status_display().lower()}."
        ]
    problems = []
    kinds = import_run.items.order_by().values_list("content_type_id", flat=True).distinct()
    for content_type in sorted(map(ContentType.objects.get_for_id, kinds), key=lambda ct: ct.pk):
        model = content_type.model_class()
        items = import_run.items.filter(content_type=content_type)
        stored = model._base_manager.filter(pk=OuterRef("object_id"))
        in_the_way = Q(action=ImportItemAction.UPDATED) & ~Exists(stored)
        if any(field.name == "version" for field in model._meta.concrete_fields):
            items = items.annotate(stored_version=Subquery(stored.values("version")[:1]))
            in_the_way |= Q(version_after__isnull=False, stored_version__isnull=False) & ~Q(
                stored_version=F("version_after")
            )
        if model is Event:
            in_the_way |= Q(action=ImportItemAction.CREATED) & Exists(stored.filter(WAS_PUBLISHED))
        found = list(items.filter(in_the_way).order_by("id"))
        objects = model._base_manager.in_bulk([item.object_id for item in found])
        for item in found:
            obj = objects.get(item.object_id)
            if obj is None:
                problems.append(f"{content_type.name} #{item.object_id} no longer exists.")
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


# Rows an undo deletes with one collector (a few queries however many rows): fewer than
# SQLite's limit on a statement's parameters.
DELETE_CHUNK = 500
# What refers to others goes first: timelines (their entries protect events), events,
# sources, posts, actors, then event types, then anything else.
UNDO_ORDER = (Timeline, Event, Source, Role, Actor, EventType)


@transaction.atomic
def import_undo(*, import_run: Import, user) -> dict[str, int]:
    """Delete what the import created and put back what it updated; refuse (ValidationError)
    when anything has been edited since. Returns counts by action.

    What it created is deleted kind by kind, DELETE_CHUNK rows at a time, each chunk with its
    cascade as one deletion (the signals still record it in the revision); a chunk holding a
    row used since by rows the import did not write is deleted row by row, that row kept. The
    change stamps move once, at the end (freshness.stamps_coalesced)."""
    problems = undo_problems(import_run)
    if problems:
        raise ValidationError(problems)
    counts = {"deleted": 0, "restored": 0, "kept": 0}
    # The keys of what it created (a 100,000-row import wrote twice as many rows), and the
    # items of what it updated, which carry the state to put back.
    created_ids: dict[int, list[int]] = {}
    rows = import_run.items.filter(action=ImportItemAction.CREATED).order_by("-id")
    for type_id, object_id in rows.values_list("content_type_id", "object_id").iterator(
        chunk_size=5000
    ):
        created_ids.setdefault(type_id, []).append(object_id)
    created = {
        ContentType.objects.get_for_id(type_id).model_class(): ids
        for type_id, ids in created_ids.items()
    }
    updated: dict = {}
    changed = import_run.items.exclude(action=ImportItemAction.CREATED).order_by("-id")
    for item in changed.select_related("content_type"):
        updated.setdefault(item.content_type.model_class(), []).append(item)
    order = {model: index for index, model in enumerate(UNDO_ORDER)}
    models = sorted({*created, *updated}, key=lambda model: order.get(model, len(order)))
    with stamps_coalesced(), revisions.recorded(user, f"Undo of {import_run.change_reason}"):
        for model in models:
            for item in updated.get(model, ()):
                obj = model._base_manager.filter(pk=item.object_id).first()
                if obj is not None:
                    _restore(obj, item.before, user)
                    counts["restored"] += 1
            for chunk in batched(created.get(model, ()), DELETE_CHUNK):
                _delete_chunk(model, chunk, user, counts)
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


def _delete_chunk(model, ids: list[int], user, counts: dict[str, int]) -> None:
    rows = model._base_manager.filter(pk__in=ids)
    if model is Event:
        # undo_problems checked it; Event.delete() is the last guard, and a queryset skips it.
        published = list(rows.filter(WAS_PUBLISHED))
        if published:
            raise ValidationError([event.deletion_problem() for event in published])
    try:
        with transaction.atomic():
            _total, deleted = rows.delete()
    except ProtectedError:  # a row is used since by rows the import did not write: keep it
        for obj in rows.all():
            stamp_author(obj, user)
            try:
                with transaction.atomic():
                    obj.delete()
            except ProtectedError:
                counts["kept"] += 1
                continue
            counts["deleted"] += 1
        return
    counts["deleted"] += deleted.get(model._meta.label, 0)


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
