"""Merging duplicates: two actors, two sources or two events become one.

`merge(*, keep, remove, user)` moves every reference to `remove` onto `keep`, fills `keep`'s
blank fields from `remove`, retires `remove` and leaves a `SlugRedirect` so its old addresses
answer with a permanent redirect to `keep`. One revision records it all ("Merged X into Y",
by the user): every aggregate a moved row belongs to (events, timelines, posts) and `keep`.
The history of `remove` stays under its id (the admin's history page of a merged record
still opens, and names the record kept).

References are found from the models' metadata (every foreign key and one-to-one field that
points at the model, in any app), never from a list, so a model added later is moved too. A
moved row that would repeat one already there (a unique constraint: the same actor twice in
the same role of an event, the same country's vote twice on one record) is merged into that
one the same way, recursively: its blanks are filled, its own references moved, then it is
deleted. Two such rows that disagree on a choice (a country that voted yes on one record and
no on the other, a citation that supports and one that contradicts) stop the merge with a
message: a curator decides, not the merge. A row that would refer to the kept record twice
(a relation between the two duplicate events) is dropped; any other self-reference (aid from
a state to itself, an organ its own parent) stops the merge.

Every write is a plain save or delete, so the versions, the change stamps (ETags), the
changes feed and the search text follow as for any edit.

`remove` is deleted; an event once published is retracted instead ("never deleted"), with a
reason that names the event kept, and its slug redirects all the same.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from events import revisions
from events.authorship import stamp_author
from events.choices import EventStatus
from events.models import Actor, Event, PublicChange, SlugRedirect, Source

MERGEABLE = (Actor, Source, Event)
# Logs of what happened to the old record: they keep naming it (the changes feed shows readers
# the old slug's retraction or removal).
NOT_MOVED = {PublicChange}
# A row that would relate the kept record to itself, and means nothing after the merge.
DROPPED_WHEN_SELF = {"events.eventrelation"}
# What the kept record never takes from the other: its identity, publication and dates.
NEVER_FILLED = {
    "slug",
    "status",
    "retraction_reason",
    "start_date",
    "start_precision",
    "start_approximate",
    "end_date",
    "end_precision",
    "end_approximate",
}


class MergeError(Exception):
    """The merge cannot be done as asked; the message says why and what to do."""


@dataclass
class MergeReport:
    """What a merge did, for the admin's message and the tests."""

    kept: models.Model
    removed_repr: str
    moved: dict[str, int] = field(default_factory=dict)  # "participations" -> count
    merged_rows: list[str] = field(default_factory=list)  # duplicates folded into others
    dropped: list[str] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)  # fields of the kept record filled
    retired: str = "deleted"  # or "retracted"

    def summary(self) -> str:
        moved = ", ".join(f"{count} {name}" for name, count in sorted(self.moved.items()))
        text = f"Merged “{self.removed_repr}” into “{self.kept}”"
        text += f": moved {moved}" if moved else ": nothing referred to it"
        if self.merged_rows:
            text += f"; {len(self.merged_rows)} duplicate rows combined"
        if self.dropped:
            text += f"; dropped {'; '.join(self.dropped)}"
        if self.filled:
            text += f"; filled in {', '.join(self.filled)}"
        return text + f"; the other record was {self.retired}."


def may_merge(user) -> bool:
    """Editors (who may publish) merge; curators propose by asking one."""
    return bool(user and user.is_authenticated and user.has_perm("events.publish_event"))


def merge(*, keep: models.Model, remove: models.Model, user) -> MergeReport:
    """Merge `remove` into `keep` (same model: actors, sources or events); see the module."""
    if not may_merge(user):
        raise PermissionDenied("Only editors may merge records.")
    model = type(keep)
    if model not in MERGEABLE or type(remove) is not model:
        raise MergeError("Only two actors, two sources or two events can be merged.")
    if keep.pk == remove.pk:
        raise MergeError("Choose two different records to merge.")
    _check(keep, remove)
    reason = (
        f"Merged {model._meta.verbose_name} “{remove}” (#{remove.pk}) into “{keep}” (#{keep.pk})"
    )
    with transaction.atomic(), revisions.recorded(user, reason):
        keep = model._base_manager.select_for_update().get(pk=keep.pk)
        remove = model._base_manager.select_for_update().get(pk=remove.pk)
        report = MergeReport(kept=keep, removed_repr=str(remove))
        old_key = _address(remove)
        if isinstance(remove, Event) and remove.was_published:
            _retract(remove, keep, user)
            report.retired = "retracted"
        _move_references(remove, keep, report)
        fills = _fills(keep, remove)
        if report.retired == "deleted":
            stamp_author(remove, user)
            model._base_manager.get(pk=remove.pk).delete()
        # Saved even with nothing to fill, so the merge is an entry in its history.
        keep.refresh_from_db()
        for name, value in fills.items():
            setattr(keep, name, value)
        report.filled = [str(keep._meta.get_field(name).verbose_name) for name in fills]
        stamp_author(keep, user)
        keep.save()
        _redirect(model, old_key, remove, keep, user)
    return report


def _check(keep, remove) -> None:
    if isinstance(keep, Actor) and keep.kind != remove.kind:
        raise MergeError(
            f"“{remove}” is a {remove.get_kind_display().lower()} and “{keep}” a "
            f"{keep.get_kind_display().lower()}: give them the same kind first."
        )
    if isinstance(keep, Event) and remove.is_public and not keep.is_public:
        raise MergeError(
            f"“{remove}” is public and “{keep}” is not: keep the public event, so readers "
            "are sent to a page they can see."
        )


def _address(obj) -> str:
    return obj.slug if hasattr(obj, "slug") else str(obj.pk)


def _retract(event: Event, keep: Event, user) -> None:
    event.status = EventStatus.RETRACTED
    event.retraction_reason = (
        f"A duplicate of “{keep.title}” (/events/{keep.slug}/), into which it was merged."
    )
    stamp_author(event, user)
    event.save()


def references(model) -> list[models.ForeignKey]:
    """Every foreign key (and one-to-one field) in any installed app that points at `model`,
    but the logs of NOT_MOVED; automatic many-to-many tables included."""
    found = []
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete) or relation.many_to_many:
            continue
        if relation.related_model in NOT_MOVED:
            continue
        found.append(relation.field)
    return found


def _move_references(old, new, report: MergeReport) -> None:
    for fk in references(type(old)):
        through_of = _many_to_many_of(fk.model)
        ids = list(
            fk.model._base_manager.filter(**{fk.attname: old.pk})
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            continue
        name = (
            f"{through_of.model._meta.verbose_name_plural} ({through_of.name})"
            if through_of
            else _relation_name(fk)
        )
        report.moved[name] = report.moved.get(name, 0) + len(ids)
        for pk in ids:
            row = fk.model._base_manager.get(pk=pk)
            if through_of is not None:
                _move_many_to_many(row, through_of, fk, old, new)
            else:
                _move_row(row, fk, old, new, report)


def _relation_name(fk) -> str:
    return f"{fk.model._meta.verbose_name_plural} ({fk.verbose_name})"


def _many_to_many_of(through) -> models.ManyToManyField | None:
    """The many-to-many field whose automatic table `through` is, or None."""
    if not through._meta.auto_created:
        return None
    for model in through._meta.apps.get_models():
        for m2m in model._meta.local_many_to_many:
            if m2m.remote_field.through is through:
                return m2m
    return None


def _move_many_to_many(row, m2m, fk, old, new) -> None:
    # Through the field's manager, so the change is recorded and stamped like an edit.
    owner_fk = next(
        f for f in row._meta.fields if f.is_relation and f is not fk and not f.primary_key
    )
    owner = getattr(row, owner_fk.name)
    manager = getattr(owner, m2m.name)
    manager.remove(old)
    manager.add(new)


def _move_row(row, fk, old, new, report: MergeReport) -> None:
    setattr(row, fk.attname, new.pk)
    if _refers_to_itself(row, fk, new):
        if row._meta.label_lower in DROPPED_WHEN_SELF:
            report.dropped.append(f"{row._meta.verbose_name} “{row}”")
            row.delete()
            return
        raise MergeError(
            f"After the merge, {row._meta.verbose_name} “{row}” would refer to “{new}” twice. "
            "Correct or remove it first."
        )
    twin = _twin(row, fk)
    if twin is None:
        row.save()
        return
    # The same row is already on the kept record: fold this one into it.
    _absorb(twin, row, report)


def _refers_to_itself(row, fk, new) -> bool:
    if isinstance(row, fk.related_model) and row.pk == new.pk:
        return True  # the kept record itself (an organ whose parent is the other)
    return any(
        other is not fk
        and other.is_relation
        and other.related_model is fk.related_model
        and getattr(row, other.attname) == new.pk
        for other in row._meta.concrete_fields
    )


def _unique_sets(model) -> list[tuple[str, ...]]:
    sets = [
        tuple(c.fields)
        for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields and c.condition is None
    ]
    sets += [tuple(fields) for fields in model._meta.unique_together]
    sets += [(f.name,) for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    return sets


def _twin(row, fk):
    """The row already there that `row`, moved, would repeat (a unique rule), or None."""
    for fields in _unique_sets(type(row)):
        if fk.name not in fields:
            continue
        values = {}
        for name in fields:
            field_ = row._meta.get_field(name)
            values[field_.attname] = getattr(row, field_.attname)
        if any(value is None for value in values.values()):
            continue  # NULLs never collide
        twin = type(row)._base_manager.filter(**values).exclude(pk=row.pk).first()
        if twin is not None:
            return twin
    return None


def _absorb(twin, row, report: MergeReport) -> None:
    """Fold `row` (a duplicate) into `twin`: refuse if they disagree on a choice, move what
    refers to `row`, delete it, then fill `twin`'s blanks from it."""
    for field_ in row._meta.concrete_fields:
        if field_.choices and getattr(row, field_.attname) != getattr(twin, field_.attname):
            raise MergeError(
                f"{row._meta.verbose_name.capitalize()} “{row}” and “{twin}” disagree on "
                f"{field_.verbose_name} ({getattr(row, field_.attname)} and "
                f"{getattr(twin, field_.attname)}): correct one of them first."
            )
    _move_references(row, twin, report)
    fills = _fills(twin, row)
    report.merged_rows.append(f"{row._meta.verbose_name} “{twin}”")
    row.delete()
    if fills:
        twin.refresh_from_db()
        for name, value in fills.items():
            setattr(twin, name, value)
        twin.save()


def _blank(value) -> bool:
    return value is None or value == ""


def _fills(keep, remove) -> dict:
    """Fields of `keep` that are blank and set on `remove`; for actors, `remove`'s names
    become aliases of `keep`, so search and imports still find it by them."""
    fills = {}
    for field_ in keep._meta.concrete_fields:
        if not field_.editable or field_.primary_key or field_.name in NEVER_FILLED:
            continue
        mine, theirs = getattr(keep, field_.attname), getattr(remove, field_.attname)
        if _blank(mine) and not _blank(theirs):
            if field_.is_relation and theirs == keep.pk:
                continue  # an organ's parent: not itself
            fills[field_.attname] = theirs
    if isinstance(keep, Actor):
        fills.pop("aliases", None)
        known = {name.casefold() for name in (keep.name, keep.short_name, *keep.alias_list)}
        aliases = list(keep.alias_list)
        for name in (remove.name, remove.short_name, *remove.alias_list):
            if name and name.casefold() not in known:
                aliases.append(name)
                known.add(name.casefold())
        if aliases != keep.alias_list:
            fills["aliases"] = "\n".join(aliases)
    return fills


def _redirect(model, old_key: str, remove, keep, user) -> None:
    content_type = ContentType.objects.get_for_model(model)
    # Addresses that led to the merged-away record now lead to the kept one.
    SlugRedirect.objects.filter(content_type=content_type, target_id=remove.pk).update(
        target_id=keep.pk
    )
    if old_key == _address(keep):
        return
    SlugRedirect.objects.update_or_create(
        content_type=content_type,
        old_slug=old_key,
        defaults={
            "old_id": remove.pk,
            "old_name": str(remove)[:500],
            "target_id": keep.pk,
            "merged_by": user if user is not None and user.is_authenticated else None,
        },
    )


def redirect_target(model, old_key: str) -> models.Model | None:
    """The record that `old_key` (a slug, or a source's id) of `model` was merged into."""
    if "\x00" in old_key:  # no slug holds one, and PostgreSQL refuses it in a query
        return None
    redirect = (
        SlugRedirect.objects.filter(
            content_type=ContentType.objects.get_for_model(model), old_slug=old_key
        )
        .only("target_id")
        .first()
    )
    if redirect is None:
        return None
    return model._base_manager.filter(pk=redirect.target_id).first()


class MergedAway(Exception):
    """Raised by a read of a merged-away record that still exists (an event once published,
    retracted by its merge): the caller answers with a permanent redirect to `target`."""

    def __init__(self, model, old_key: str, target):
        self.model, self.old_key, self.target = model, old_key, target
        super().__init__(f"{model._meta.verbose_name} {old_key} was merged into {target}")


def check_merged_event(slug: str, status: str) -> None:
    """A retracted event may be a merged-away duplicate: raise MergedAway if so. Only
    retracted events are looked up, so a read of any other costs nothing more."""
    if status != EventStatus.RETRACTED:
        return
    target = redirect_target(Event, slug)
    if target is not None:
        raise MergedAway(Event, slug, target)


def address_of(obj) -> str:
    """The key the public addresses use for a record: its slug, or (sources) its id."""
    return _address(obj)


@dataclass
class MergedRecord:
    """A record merged away, for its history page: a stand-in carrying its id and name, the
    redirect (who merged it, when) and the record kept."""

    placeholder: models.Model
    redirect: SlugRedirect
    target: models.Model | None


def merged_record(model, old_id: str) -> MergedRecord | None:
    """The record of `model` with this id that was merged into another, or None."""
    if not str(old_id).isdigit():
        return None
    redirect = (
        SlugRedirect.objects.filter(
            content_type=ContentType.objects.get_for_model(model), old_id=int(old_id)
        )
        .select_related("merged_by")
        .first()
    )
    if redirect is None:
        return None
    placeholder = model(pk=redirect.old_id)
    for name in ("name", "title"):
        if hasattr(placeholder, name):
            setattr(placeholder, name, redirect.old_name)
    return MergedRecord(placeholder, redirect, redirect.target)
