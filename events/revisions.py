"""Revisions: the history of every aggregate, one revision per save, whatever the path.

An aggregate (DESIGN.md) is saved, versioned and reverted as one thing: an event with its
participations, citations, aid measures, vote record (and its country votes) and relations; a
timeline with its entries; an actor with the posts they held; a source, an event type alone.
django-reversion stores each revision: who, when, a reason, and one `Version` per object of
every aggregate that changed, serialised as it was after the change.

One entry point opens a revision: `recorded(user, reason)`. The request middleware
(timeline.middleware.RevisionMiddleware) opens one around every admin or API write, the services
and the commands open their own when none is open, and inner blocks join the outer one, so one
save of an event and its inline rows is one revision. Inside a block, every save or delete of a
registered model (and `touch()`, for bulk writes that send no signals) notes its aggregate's
root; when the block ends each noted root is read back with all its parts and stored. A root
whose version has not moved since its last revision (a change that was rolled back) is skipped.
A bulk writer that holds the rows it has just inserted hands them to `record()` instead, which
writes their versions at once, from those objects.
"""

import datetime as dt
import functools
import json
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import reversion
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.encoding import is_protected_type
from reversion.models import Revision, Version

from events.authorship import stamp_author
from events.bulk import insert_values
from events.models.base import (
    AGGREGATE_ROOTS,
    ConcurrentEditError,
    VersionedModel,
    origin_model,
)

# What each aggregate's root and intermediate parts bring with them (reverse accessors). Every
# part in AGGREGATE_ROOTS must be reachable from its root through these (a guard test checks).
FOLLOW: dict[str, tuple[str, ...]] = {
    "events.event": (
        "participations",
        "citations",
        "aid_measures",
        "vote_record",
        "relations_from",
    ),
    "events.voterecord": ("country_votes",),
    "events.timeline": ("entries",),
    "events.actor": ("roles",),
}
# Derived data kept for search: rebuilt on save, never worth a line of history.
NOT_RECORDED: dict[str, tuple[str, ...]] = {
    "events.event": ("search_actors", "participant_ids"),
    "events.actor": ("search_names",),
    # The archiver's and the link checker's conclusions (events.archiving), not curators' edits.
    "events.source": (
        "archived_at",
        "link_status",
        "link_failures",
        "link_failing_since",
        "link_checked_at",
    ),
}
# Logs derived from changes, and the reviews of proposed revisions: never versioned themselves.
UNVERSIONED = (
    "events.changestamp",
    "events.publicchange",
    "events.revisionreview",
    "events.sourcesnapshot",
    "events.linkcheck",
    "events.slugredirect",
)
# Bookkeeping a diff does not show: it moves with every save or is derived from what is shown.
HIDDEN_IN_DIFFS = {
    "id",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "date_lower",
    "date_upper",
    "first_published_at",
}
# A revert restores content; publication moves only through the publishing services, and the
# version and authorship are the row's own.
KEPT_ON_REVERT = {
    "id",
    "version",
    "created_at",
    "created_by",
    "status",
    "retraction_reason",
    "published_at",
    "first_published_at",
}


# --- registration ------------------------------------------------------------------------------


def versioned_models() -> list[type[models.Model]]:
    """Every model of the domain app but the logs derived from changes."""
    return [
        model
        for model in apps.get_app_config("events").get_models()
        if model._meta.label_lower not in UNVERSIONED and not model._meta.auto_created
    ]


def register_models() -> None:
    """Called from EventsConfig.ready(): register every domain model with django-reversion and
    note the aggregate root of every save, delete and many-to-many change."""
    for model in versioned_models():
        label = model._meta.label_lower
        if not reversion.is_registered(model):
            reversion.register(
                model, follow=FOLLOW.get(label, ()), exclude=NOT_RECORDED.get(label, ())
            )
        post_save.connect(_changed, sender=model, dispatch_uid=f"revision-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"revision-delete-{label}")
        for m2m in model._meta.local_many_to_many:
            m2m_changed.connect(
                _m2m_changed,
                sender=m2m.remote_field.through,
                dispatch_uid=f"revision-m2m-{m2m.remote_field.through._meta.label}",
            )


def root_key(obj: models.Model) -> tuple[type[models.Model], object] | None:
    """(root model, root pk) of the aggregate `obj` belongs to; for a root, itself."""
    path = AGGREGATE_ROOTS.get(obj._meta.label_lower)
    if not path:
        return type(obj), obj.pk
    try:
        for name in path[:-1]:
            obj = getattr(obj, name)
    except ObjectDoesNotExist:  # deleted with the root, which is the change itself
        return None
    last = obj._meta.get_field(path[-1])
    return last.related_model, getattr(obj, last.attname)


# --- recording ---------------------------------------------------------------------------------


@dataclass
class Frame:
    """The revision being recorded: who, why, and the roots of the aggregates that changed."""

    user: object = None
    reasons: list[str] = field(default_factory=list)
    touched: dict = field(default_factory=dict)  # (model, pk) -> None, in order
    bulk: set = field(default_factory=set)  # roots changed by bulk writes (no version moved)
    revision: Revision | None = None  # once versions are written: by record(), or at the end
    recorded: set = field(default_factory=set)  # roots record() wrote from objects in hand
    dropped: list = field(default_factory=list)  # (model, pk) of their objects deleted since
    written_under: list | None = None  # the on-commit hooks when the revision was written

    def add_reason(self, reason: str) -> None:
        reason = (reason or "").strip()
        if reason and reason not in self.reasons:
            self.reasons.append(reason)


_frames: ContextVar[tuple[Frame, ...]] = ContextVar("timeline-revision", default=())


def current() -> Frame | None:
    """The revision being recorded, or None outside `recorded()`."""
    frames = _frames.get()
    return frames[-1] if frames else None


@contextmanager
def recorded(user=None, reason: str = "", *, atomic: bool = True):
    """Record every change made inside as one revision by `user`, with `reason`.

    Inside another `recorded()` block this one joins it (adding its reason, and its user if
    the outer block has none yet). `atomic`: the changes and their revision commit together
    (the request middleware passes False: the views own their transactions).
    """
    frame = current()
    if frame is not None:
        if frame.user is None and user is not None:
            frame.user = user
        frame.add_reason(reason)
        yield frame
        return
    frame = Frame(user=user)
    frame.add_reason(reason)
    token = _frames.set((frame,))
    try:
        with reversion.create_revision(manage_manually=True, atomic=atomic):
            yield frame
            _store(frame)
    finally:
        _frames.reset(token)


def touch(obj: models.Model, *, bulk: bool = False, deleted: bool = False) -> None:
    """Note a change to `obj`'s aggregate; `bulk=True` for a write that sent no signals and
    moved no version (a bulk insert), so that it is recorded whatever the version says."""
    frame = current()
    key = root_key(obj)
    if frame is not None and key is not None and key[1] is not None:
        if key in frame.recorded:
            # Changed since record() wrote it: written again at the end, replacing those.
            bulk = True
            if deleted:
                frame.dropped.append((type(obj), obj.pk))
        frame.touched.setdefault(key, None)
        if bulk:
            frame.bulk.add(key)


def record(aggregates: list[list[models.Model]]) -> None:
    """Write now the versions of aggregates a bulk writer has just inserted, from the objects
    it holds, rather than reading them back when the revision ends. Each list is a root, then
    its parts in the order `aggregate_objects` gives, exactly as stored (their primary keys and
    `auto_now` fields set by the insert, their related objects attached). If one of them changes
    again inside the same revision, its versions are replaced by its state at the end."""
    frame = current()
    if frame is None or not aggregates:
        return
    for objects in aggregates:
        key = (type(objects[0]), objects[0].pk)
        frame.touched.pop(key, None)  # what is in hand is the state to record
        frame.bulk.discard(key)
        frame.recorded.add(key)
    _forget_rolled_back(frame)
    frame.revision = frame.revision or _new_revision(frame)
    insert_values(Version, VERSION_COLUMNS, _version_rows(frame.revision.pk, aggregates))


def _changed(sender, instance, raw=False, signal=None, origin=None, **kwargs) -> None:
    if raw:
        return
    if signal is post_delete and _deleted_with_its_root(sender, origin):
        frame = current()
        if frame is None or not frame.recorded:
            # The root's own deletion is the change, and no version written from objects in
            # hand names this part (a vote's 193 rows would each read their way to the root).
            return
    touch(instance, deleted=signal is post_delete)


def _deleted_with_its_root(model, origin) -> bool:
    """A part two or more steps below its root (a vote of a vote record of an event), deleted
    by the deletion of roots of that model: its only way there is its own chain, so its root
    is among them. A part one step below is touched as ever (its key is in hand, no read):
    a deleted event also takes the relations *to* it, which other events own."""
    root = _deep_part_root(model)
    return root is not None and origin_model(origin) is root


@functools.cache
def _deep_part_root(model) -> type[models.Model] | None:
    """The root model of a part whose path has two steps or more, else None."""
    path = AGGREGATE_ROOTS.get(model._meta.label_lower)
    return _path_root(model, path) if path and len(path) > 1 else None


def _m2m_changed(sender, instance, action, reverse=False, **kwargs) -> None:
    if action.startswith("post_") and not reverse:
        touch(instance)


def _store(frame: Frame) -> None:
    """Write the revision: one Version per object of every noted aggregate.

    The aggregates are read back in chunks, one query per relation, and their versions
    written as they are read, so a bulk import of 100,000 events costs a few queries per
    chunk, not several per event, and holds one chunk in memory, not the whole revision (the
    versions are the form django-reversion writes, as `serialize_aggregate`). A chunk is up
    to STORE_CHUNK roots, fewer when their aggregates are large (a vote's roll is 193 rows):
    about STORE_OBJECTS objects, as the chunk before it measured them."""
    _forget_rolled_back(frame)
    _forget_replaced(frame)
    revision = frame.revision
    by_model: dict[type[models.Model], list] = defaultdict(list)
    for model, pk in frame.touched:
        by_model[model].append(pk)
    for model, pks in by_model.items():
        start, size = 0, STORE_FIRST_CHUNK
        while start < len(pks):
            chunk = pks[start : start + size]
            start += len(chunk)
            aggregates = _roots_with_parts(model, chunk)
            read = sum(len(objects) for objects in aggregates)
            size = max(1, min(STORE_CHUNK, STORE_OBJECTS * len(chunk) // max(read, 1)))
            changed = [
                objects
                for objects in aggregates
                if (model, objects[0].pk) in frame.bulk or _moved_since_last_revision(objects[0])
            ]
            del aggregates
            if not changed:
                continue
            revision = revision or _new_revision(frame)
            insert_values(Version, VERSION_COLUMNS, _version_rows(revision.pk, changed))
    if frame.revision is not None:  # opened by record(): a reason or the user may have come since
        user, comment = _author(frame), "; ".join(frame.reasons)
        if (frame.revision.user, frame.revision.comment) != (user, comment):
            Revision.objects.filter(pk=frame.revision.pk).update(user=user, comment=comment)


# Roots read back at once: at most STORE_CHUNK, about STORE_OBJECTS objects with their parts,
# and STORE_FIRST_CHUNK before their size is known.
STORE_CHUNK = 200
STORE_FIRST_CHUNK = 20
STORE_OBJECTS = 20_000
# A Version row as `_store` writes it (tuples, not instances: a vote's roll is 193 of them).
VERSION_COLUMNS = [
    "revision_id",
    "content_type_id",
    "object_id",
    "db",
    "format",
    "serialized_data",
    "object_repr",
]


def _version_rows(revision_id: int, aggregates: list[list[models.Model]]) -> list[tuple]:
    """The Version rows (VERSION_COLUMNS) of every object of `aggregates`. A list, built before
    the COPY that sends it: an object's name (`str()`) may read a related row, and no query can
    run during a COPY."""
    per_model: dict[type[models.Model], tuple[int, str]] = {}
    rows = []
    for objects in aggregates:
        for obj in objects:
            model = type(obj)
            if model not in per_model:
                per_model[model] = (
                    ContentType.objects.get_for_model(model).pk,
                    router.db_for_write(model),
                )
            content_type_id, db = per_model[model]
            _model, pk, data, shown = _serialized(obj)
            rows.append((revision_id, content_type_id, pk, db, "json", data, shown))
    return rows


def _author(frame: Frame):
    user = frame.user
    return user if user is not None and user.is_authenticated else None


def _new_revision(frame: Frame) -> Revision:
    revision = Revision.objects.create(
        date_created=timezone.now(), user=_author(frame), comment="; ".join(frame.reasons)
    )
    frame.written_under = _commit_hooks()
    return revision


def _commit_hooks() -> list:
    """The connection's list of on-commit hooks. Django replaces it with a new list at every
    commit, rollback and rollback to a savepoint, so while it is the same list, nothing
    written since it was taken can have been rolled back."""
    return connections[router.db_for_write(Revision)].run_on_commit


def _forget_rolled_back(frame: Frame) -> None:
    """A revision record() opened inside a savepoint since rolled back went with it, and so
    did the rows it recorded: the next versions open a new one. Asked of the database only
    when a commit or a rollback came since (an import's batches ask nothing)."""
    if frame.revision is None or frame.written_under is _commit_hooks():
        return
    if not Revision.objects.filter(pk=frame.revision.pk).exists():
        frame.revision = None
        frame.recorded.clear()
        frame.dropped.clear()


def _forget_replaced(frame: Frame) -> None:
    """Delete the versions record() wrote of aggregates that changed again (they are written
    anew from the database) and of their objects deleted since."""
    if frame.revision is None:
        return
    again = defaultdict(list)
    for model, pk in frame.touched:
        if (model, pk) in frame.recorded:
            again[model].append(pk)
    stale = defaultdict(set)
    for model, pk in frame.dropped:
        stale[model].add(pk)
    for model, pks in again.items():
        stale[model].update(pks)
        for part in _part_models(model):
            path = "__".join(AGGREGATE_ROOTS[_label(part)])
            for start in range(0, len(pks), 1000):
                rows = part._base_manager.filter(**{f"{path}__in": pks[start : start + 1000]})
                stale[part].update(rows.values_list("pk", flat=True))
    for model, pks in stale.items():
        ids = sorted(str(pk) for pk in pks)
        for start in range(0, len(ids), 1000):
            Version.objects.filter(
                revision=frame.revision,
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=ids[start : start + 1000],
            ).delete()


def _roots_with_parts(model, pks: list) -> list[list[models.Model]]:
    """For each root of `pks` still stored (in that order), the objects of its aggregate, as
    `aggregate_objects` finds them, read with one query per relation for all the roots (the
    parts' other foreign keys joined, for their names)."""
    roots = model._base_manager.filter(pk__in=pks).prefetch_related(
        *(m2m.name for m2m in model._meta.local_many_to_many)
    )
    by_pk = {root.pk: [root] for root in roots}
    _collect_parts(model, [(objs[0], objs) for objs in by_pk.values()])
    return [by_pk[pk] for pk in pks if pk in by_pk]


def _collect_parts(model, parents: list[tuple[models.Model, list]]) -> None:
    """Add the parts below each of `parents` (an object and the list of its aggregate)."""
    if not parents:
        return
    for name in FOLLOW.get(model._meta.label_lower, ()):
        relation = model._meta.get_field(name)
        part, link = relation.related_model, relation.field
        by_parent = {parent.pk: (parent, found) for parent, found in parents}
        rows = list(
            part._base_manager.filter(**{f"{link.attname}__in": list(by_parent)})
            .prefetch_related(*(m2m.name for m2m in part._meta.local_many_to_many))
            .order_by("pk")  # the order of a revision's versions means nothing; no joins
        )
        _attach_related(part, rows, skip=link)
        children = []
        for child in rows:
            parent, found = by_parent[getattr(child, link.attname)]
            link.set_cached_value(child, parent)
            found.append(child)
            children.append((child, found))
        _collect_parts(part, children)


def _attach_related(model, rows: list, *, skip) -> None:
    """The rows' other foreign keys (what their names show), one query per key, each related
    object read once however many rows name it (193 votes, one actor each, 193 actors)."""
    for model_field in model._meta.concrete_fields:
        if not (model_field.many_to_one or model_field.one_to_one) or model_field is skip:
            continue
        ids = {getattr(row, model_field.attname) for row in rows} - {None}
        if not ids:
            continue
        related = model_field.related_model._base_manager.in_bulk(list(ids))
        for row in rows:
            value = getattr(row, model_field.attname)
            if value is not None and value in related:
                model_field.set_cached_value(row, related[value])


def _moved_since_last_revision(root: models.Model) -> bool:
    """False when the root's version is the one its last revision recorded: nothing committed
    (the change was rolled back). Roots without a version are always recorded."""
    if not isinstance(root, VersionedModel):
        return True
    last = applied_versions(root).only("serialized_data").first()
    return last is None or _fields(last).get("version") != root.version


# --- reading -----------------------------------------------------------------------------------


def _fields(version: Version) -> dict:
    return json.loads(version.serialized_data)[0]["fields"]


def _recorded_fields(model) -> list[str]:
    skip = NOT_RECORDED.get(model._meta.label_lower, ())
    opts = model._meta
    return [f.name for f in [*opts.local_fields, *opts.local_many_to_many] if f.name not in skip]


@dataclass
class Snapshot:
    """An aggregate as one revision recorded it (or as stored now): the root's fields, and each
    part's fields by model and primary key, with the names the objects had then."""

    model: type[models.Model]
    root: dict
    parts: dict[type[models.Model], dict[str, dict]]
    reprs: dict[tuple[type[models.Model], str], str]

    def __bool__(self) -> bool:
        return bool(self.root)


def _belongs(model, fields: dict, root_model, root_pk: str, index: dict) -> bool:
    """Whether a part (model, fields) of a revision belongs to the aggregate of the root."""
    path = AGGREGATE_ROOTS.get(model._meta.label_lower)
    if not path or fields.get(path[0]) is None:
        return False
    first = model._meta.get_field(path[0])
    value = str(fields[path[0]])
    if len(path) == 1:
        return first.related_model is root_model and value == root_pk
    parent = index.get((first.related_model, value))
    return parent is not None and _belongs(first.related_model, parent, root_model, root_pk, index)


def _snapshot(items, root_model, root_pk) -> Snapshot:
    """The aggregate of (root_model, root_pk) among (model, pk, fields, repr) items."""
    root_pk = str(root_pk)
    index, reprs = {}, {}
    for model, pk, fields, shown in items:
        index[(model, pk)] = fields
        reprs[(model, pk)] = shown
    parts: dict = defaultdict(dict)
    for (model, pk), fields in index.items():
        if model is not root_model and _belongs(model, fields, root_model, root_pk, index):
            parts[model][pk] = fields
    return Snapshot(root_model, index.get((root_model, root_pk), {}), dict(parts), reprs)


def snapshot_from_items(items, root_model, root_pk) -> Snapshot:
    """The aggregate of (root_model, root_pk) among (model, pk, fields, name) items: rows
    kept in a revision's form elsewhere (an import keeps what it replaced)."""
    return _snapshot(items, root_model, root_pk)


def _version_items(versions):
    for version in versions:
        model = version._model
        if model is not None:
            yield model, version.object_id, _fields(version), version.object_repr


def aggregate_objects(root: models.Model) -> list[models.Model]:
    """The root and every part of its aggregate, as stored now (one query per relation)."""
    found = [root]
    for name in FOLLOW.get(root._meta.label_lower, ()):
        try:
            related = getattr(root, name)
        except ObjectDoesNotExist:
            continue
        children = related.all() if isinstance(related, models.Manager) else [related]
        for child in children:
            found.extend(aggregate_objects(child))
    return found


def serialize_aggregate(root: models.Model) -> list[tuple[type[models.Model], str, str, str]]:
    """(model, pk, serialised data, name) of every object of the aggregate as stored now, in
    the form a revision's versions hold them."""
    return [_serialized(obj) for obj in aggregate_objects(root)]


def _serialized(obj: models.Model) -> tuple[type[models.Model], str, str, str]:
    return (type(obj), str(obj.pk), serialize_object(obj), str(obj))


def serialize_object(obj: models.Model) -> str:
    """`serializers.serialize("json", [obj], fields=<its recorded fields>)`, the same text
    (a test compares them), several times faster: the fields to write are worked out once per
    model, and the JSON is encoded in one call to the C encoder rather than token by token."""
    fields = _serialized_fields(type(obj))
    pk = obj._meta.pk
    data = {
        "model": obj._meta.label_lower,
        "pk": _serial_value(obj, pk),
        "fields": {
            **_serial_values(obj, fields[0]),
            **{f.name: _serial_m2m(obj, f) for f in fields[1]},
        },
    }
    return "[" + _ENCODER.encode(data) + "]"


# What `json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)` builds on every call.
_ENCODER = DjangoJSONEncoder(ensure_ascii=False)


_SERIALIZED: dict = {}


def _serialized_fields(model) -> tuple[list, list]:
    if model not in _SERIALIZED:
        wanted = set(_recorded_fields(model))
        opts = model._meta.concrete_model._meta
        local = [f for f in opts.local_fields if f.serialize and f.name in wanted]
        m2m = [
            f
            for f in opts.local_many_to_many
            if f.serialize and f.name in wanted and f.remote_field.through._meta.auto_created
        ]
        _SERIALIZED[model] = (local, m2m)
    return _SERIALIZED[model]


def _serial_value(obj, model_field):
    value = model_field.value_from_object(obj)
    if not is_protected_type(value):
        return model_field.value_to_string(obj)
    # Dates and times as text now, as the encoder would write them, rather than in a call
    # back from the C encoder for each one (two a row for most models).
    if type(value) in (dt.datetime, dt.date):
        return _ENCODER.default(value)
    return value


def _serial_values(obj, local: list) -> dict:
    """{name: `_serial_value`} of the `local` fields. A field that reads its attribute and
    writes it as `str()` (most: text, numbers, keys) is read here directly, the attribute kept
    when it is None, a bool, an int or a plain str; the others go through `_serial_value`."""
    values = {}
    for name, attname, model_field in _value_plan(type(obj), local):
        if attname is None:
            values[name] = _serial_value(obj, model_field)
            continue
        value = getattr(obj, attname)
        if value is None or type(value) in _KEPT_AS_IS:
            values[name] = value
        else:
            values[name] = value if is_protected_type(value) else str(value)
    return values


_KEPT_AS_IS = {str, int, bool}
_VALUE_PLANS: dict = {}


def _value_plan(model, local: list) -> list[tuple]:
    """(name, attname or None, field) per field of `local`: attname where the field's value is
    its attribute and its text `str()` of it (Field's own value_from_object, value_to_string)."""
    if model not in _VALUE_PLANS:
        base = models.Field
        _VALUE_PLANS[model] = [
            (
                f.name,
                f.attname
                if type(f).value_from_object is base.value_from_object
                and type(f).value_to_string is base.value_to_string
                else None,
                f,
            )
            for f in local
        ]
    return _VALUE_PLANS[model]


def _serial_m2m(obj, model_field) -> list:
    cached = getattr(obj, "_prefetched_objects_cache", {}).get(model_field.name)
    if cached is None:
        cached = getattr(obj, model_field.name).select_related(None).only("pk")
    return [_serial_value(other, other._meta.pk) for other in cached]


def current_state(root: models.Model) -> Snapshot:
    """The aggregate as stored now, in the form a revision records."""
    items = [
        (model, pk, json.loads(data)[0]["fields"], shown)
        for model, pk, data, shown in serialize_aggregate(root)
    ]
    return _snapshot(items, type(root), root.pk)


def state_at(root: models.Model, revision_id) -> Snapshot | None:
    """The aggregate as revision `revision_id` recorded it, or None if it did not record it."""
    versions = Version.objects.filter(revision_id=revision_id).select_related("content_type")
    found = _snapshot(_version_items(versions), type(root), root.pk)
    return found or None


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str

    def to_dict(self) -> dict:
        return {"field": self.field, "label": self.label, "old": self.old, "new": self.new}


@dataclass
class PartChange:
    part: str  # the part's kind, e.g. "citation"
    object: str
    action: str  # added, removed, changed
    changes: list[FieldChange]

    def to_dict(self) -> dict:
        return {
            "part": self.part,
            "object": self.object,
            "action": self.action,
            "changes": [change.to_dict() for change in self.changes],
        }


@dataclass
class Diff:
    """What one state of an aggregate changes from another, in words a curator reads."""

    changes: list[FieldChange]
    parts: list[PartChange]

    def __bool__(self) -> bool:
        return bool(self.changes or self.parts)

    def to_dict(self) -> dict:
        return {
            "changes": [change.to_dict() for change in self.changes],
            "parts": [part.to_dict() for part in self.parts],
        }


@dataclass
class HistoryEntry:
    """One revision of an aggregate: who, when, why, and what it changed."""

    revision: Revision
    snapshot: Snapshot
    diff: Diff = field(default_factory=lambda: Diff([], []))

    def to_dict(self) -> dict:
        user = self.revision.user
        return {
            "id": self.revision.pk,
            "created_at": self.revision.date_created,
            "user": user.get_username() if user else None,
            "reason": self.revision.comment,
            **self.diff.to_dict(),
        }


def history(root: models.Model) -> list[HistoryEntry]:
    """The revisions of the aggregate `root` heads, newest first, each with its diff against
    the one before (the first against nothing). A fixed number of queries."""
    revision_ids = list(
        applied_versions(root).order_by("-revision_id").values_list("revision_id", flat=True)
    )
    revisions = Revision.objects.filter(pk__in=revision_ids).select_related("user")
    by_revision: dict[int, list[Version]] = defaultdict(list)
    versions = Version.objects.filter(revision_id__in=revision_ids).select_related("content_type")
    for version in versions.order_by("pk"):
        by_revision[version.revision_id].append(version)
    entries = [
        HistoryEntry(
            revision, _snapshot(_version_items(by_revision[revision.pk]), type(root), root.pk)
        )
        for revision in sorted(revisions, key=lambda revision: -revision.pk)
    ]
    labels = _Labels()
    empty = Snapshot(type(root), {}, {}, {})
    for newer, older in zip(entries, [*entries[1:], None], strict=False):
        newer.diff = diff(older.snapshot if older else empty, newer.snapshot, labels)
    labels.resolve()
    return entries


def latest(root: models.Model) -> Revision | None:
    """The newest revision of the aggregate, or None."""
    version = applied_versions(root).select_related("revision__user").first()
    return version.revision if version else None


def applied_versions(root: models.Model):
    """The versions of `root` in its history: proposals waiting for review (or rejected) are
    not, and an approved one is there as the editor's own revision (events.reviews)."""
    return Version.objects.get_for_object(root).filter(revision__review__isnull=True)


class _Labels:
    """Readable values for a diff: choices by label, related objects by name (looked up at
    the end, one query per related model)."""

    def __init__(self):
        self.wanted: dict[type[models.Model], set] = defaultdict(set)
        self.pending: list[tuple[FieldChange, type[models.Model], object, object]] = []

    def change(self, model, name: str, old, new) -> FieldChange:
        model_field = _field(model, name)
        label = str(model_field.verbose_name) if model_field is not None else name
        change = FieldChange(name, label, _show(model_field, old), _show(model_field, new))
        if model_field is not None and model_field.is_relation:
            related = model_field.related_model
            for raw in (old, new):
                for pk in raw if isinstance(raw, list) else [raw]:
                    if pk not in (None, ""):
                        self.wanted[related].add(pk)
            self.pending.append((change, related, old, new))
        return change

    def resolve(self) -> None:
        names = {
            (model, str(pk)): str(obj)
            for model, pks in self.wanted.items()
            for pk, obj in model._base_manager.in_bulk(list(pks)).items()
        }

        def show(model, raw) -> str:
            if raw in (None, "", []):
                return "—"
            values = raw if isinstance(raw, list) else [raw]
            return ", ".join(names.get((model, str(pk)), f"#{pk} (deleted)") for pk in values)

        for change, related, old, new in self.pending:
            change.old, change.new = show(related, old), show(related, new)
        self.pending = []


def _field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _show(model_field, raw) -> str:
    if raw is None or raw == "" or raw == []:
        return "—"
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(raw, raw))
    if isinstance(model_field, models.BooleanField):
        return "yes" if raw else "no"
    return str(raw)


def _field_changes(model, old: dict, new: dict, labels: _Labels, skip=()) -> list[FieldChange]:
    names = [n for n in {**old, **new} if n not in HIDDEN_IN_DIFFS and n not in skip]
    changes = []
    for name in names:
        before, after = old.get(name), new.get(name)
        if (_blank(before) and _blank(after)) or before == after:
            continue  # None and "" read the same: "—"
        changes.append(labels.change(model, name, before, after))
    return changes


def _blank(raw) -> bool:
    return raw is None or raw == "" or raw == []


def diff(old: Snapshot, new: Snapshot, labels: _Labels | None = None) -> Diff:
    """What `new` changes from `old`: root fields, and parts added, removed or changed."""
    own_labels = labels is None
    labels = labels or _Labels()
    changes = _field_changes(new.model, old.root, new.root, labels)
    parts = []
    for model in sorted({*old.parts, *new.parts}, key=lambda m: str(m._meta.verbose_name)):
        before, after = old.parts.get(model, {}), new.parts.get(model, {})
        link = AGGREGATE_ROOTS[model._meta.label_lower][0]
        for pk in sorted({*before, *after}, key=lambda pk: (len(pk), pk)):
            shown = new.reprs.get((model, pk)) or old.reprs.get((model, pk)) or f"#{pk}"
            action = "added" if pk not in before else "removed" if pk not in after else "changed"
            fields = _field_changes(model, before.get(pk, {}), after.get(pk, {}), labels, (link,))
            if action != "changed" or fields:
                parts.append(PartChange(str(model._meta.verbose_name), shown, action, fields))
    if own_labels:
        labels.resolve()
    return Diff(changes, parts)


# --- reverting ---------------------------------------------------------------------------------


def revert(*, root: VersionedModel, revision_id, user, version: int, reason: str = "") -> None:
    """Restore the aggregate as revision `revision_id` recorded it: the root's content and
    every part (rows added since are removed, rows removed since come back, changed rows go
    back), as one new revision by `user`.

    `version` is the root's version the reverting person saw (ConcurrentEditError when it
    moved). The status stays as it is (publication moves only through the services), so the
    invariants of the current status hold: a published event keeps a supporting citation, a
    vote its plausible counts; a revert that would break one is refused (ValidationError) and
    nothing is written.
    """
    target = state_at(root, revision_id)
    if target is None or Revision.objects.filter(pk=revision_id, review__isnull=False).exists():
        # A proposed change is not in the history: it is approved in the review queue.
        raise ValidationError(f"That revision is not in the history of “{root}”.")
    revision = Revision.objects.get(pk=revision_id)
    when = revision.date_created.strftime("%Y-%m-%d %H:%M UTC")
    default = f"Reverted to the revision of {when} (#{revision_id})"
    with recorded(user, reason or default):
        restore(root, target, user=user, version=version)


def restore(root: VersionedModel, target: Snapshot, *, user, version: int) -> None:
    """Make the stored aggregate `target` (see revert()); inside the caller's revision."""
    with transaction.atomic():
        try:
            _restore(root, target, user, version)
        except IntegrityError as exc:
            raise ValidationError(
                f"“{root}” cannot be restored to that state: the database refused it "
                f"({exc}). Change the rows by hand instead."
            ) from exc


def _assign(obj: models.Model, fields: dict, keep=()) -> bool:
    """Set `obj`'s concrete fields from recorded ones; whether anything changed."""
    changed = False
    for model_field in obj._meta.concrete_fields:
        name = model_field.name
        if name not in fields or name in keep or model_field.primary_key:
            continue
        raw = fields[name]
        if model_field.is_relation:
            value = None if raw is None else model_field.target_field.to_python(raw)
        else:
            value = model_field.to_python(raw)
        if getattr(obj, model_field.attname) != value:
            setattr(obj, model_field.attname, value)
            changed = True
    return changed


def _restore(root: VersionedModel, target: Snapshot, user, version: int) -> None:
    model = type(root)
    stored = model._base_manager.get(pk=root.pk)
    if stored.version != version:
        raise ConcurrentEditError(stored)
    _assign(stored, target.root, keep=KEPT_ON_REVERT | set(NOT_RECORDED.get(_label(model), ())))
    stored.confirm_unusual_date = True  # a recorded state: its dates were confirmed then
    stored.full_clean(exclude=[f.name for f in model._meta.fields if not f.editable])
    stamp_author(stored, user)
    stored.save()
    for m2m in model._meta.local_many_to_many:
        if m2m.name in target.root:
            related = m2m.related_model._base_manager.filter(pk__in=target.root[m2m.name])
            getattr(stored, m2m.name).set(related)

    # Parts in the order the aggregate nests them (a vote record before its country votes).
    part_models = _part_models(model)
    restored: dict[tuple, models.Model] = {(model, str(stored.pk)): stored}
    current = {m: _current_parts(m, stored) for m in part_models}
    for part_model in part_models:
        for pk, obj in current[part_model].items():
            _attach(obj, restored, stored)
            restored.setdefault((part_model, pk), obj)

    # Rows to remove go first (deepest first) so restored rows meet no unique constraint,
    # except citations: a removed supporting citation may leave only once its replacements
    # are back (Citation.delete guards the published event's support).
    leaving = {
        m: [o for pk, o in current[m].items() if pk not in target.parts.get(m, {})]
        for m in part_models
    }
    for part_model in reversed(part_models):
        if part_model._meta.label_lower != "events.citation":
            _delete(leaving[part_model], user)
    for part_model in part_models:
        for pk, fields in target.parts.get(part_model, {}).items():
            obj = current[part_model].get(pk)
            adding = obj is None
            if adding:
                obj = part_model(pk=part_model._meta.pk.to_python(pk))
            changed = _assign(obj, fields, keep=() if adding else ("created_at", "created_by"))
            _attach(obj, restored, stored)
            restored[(part_model, pk)] = obj
            if adding or changed:
                stamp_author(obj, user)
                obj.save(force_insert=adding)
    for part_model in part_models:
        if part_model._meta.label_lower == "events.citation":
            _delete(leaving[part_model], user)
    _check_invariants(stored)


def _label(model) -> str:
    return model._meta.label_lower


def _part_models(root_model) -> list[type[models.Model]]:
    """The aggregate's part models, parents before children (by the length of their path)."""
    parts = []
    for label, path in AGGREGATE_ROOTS.items():
        part = apps.get_model(label)
        if _path_root(part, path) is root_model:
            parts.append((len(path), label, part))
    return [part for _depth, _label_, part in sorted(parts)]


def _path_root(model, path):
    for name in path:
        model = model._meta.get_field(name).related_model
    return model


def _current_parts(part_model, root) -> dict[str, models.Model]:
    path = "__".join(AGGREGATE_ROOTS[_label(part_model)])
    rows = part_model._base_manager.filter(**{path: root.pk}).order_by("pk")
    return {str(obj.pk): obj for obj in rows}


def _attach(obj, restored: dict, root) -> None:
    """Point the part at the in-memory objects above it, so every save moves the one root
    version this revert holds (events.models.base.claim_root_version)."""
    first = obj._meta.get_field(AGGREGATE_ROOTS[_label(type(obj))][0])
    parent_pk = getattr(obj, first.attname)
    parent = restored.get((first.related_model, str(parent_pk)))
    if parent is None and first.related_model is type(root):
        parent = root
    if parent is not None:
        setattr(obj, first.name, parent)


def _delete(objs, user) -> None:
    for obj in objs:
        stamp_author(obj, user)
        obj.delete()


def _check_invariants(root) -> None:
    """The rules of the aggregate as a whole, after every row is back."""
    if _label(type(root)) != "events.event":
        return
    problem = root.supporting_citation_problem()
    if problem:
        raise ValidationError(f"This revert was refused: {problem}")
    try:
        record = root.vote_record
    except ObjectDoesNotExist:
        return
    record.full_clean(exclude=["event"])
    record.check_roll()
