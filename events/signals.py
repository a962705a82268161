"""Keep derived data in step: search text, the change stamps behind ETags, and the changes feed."""

import functools

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from events import public_changes
from events.freshness import is_public_change, stamp_change
from events.models import Actor, ChangeStamp, Event, Participation, PublicChange, RevisionReview
from events.models.base import AGGREGATE_ROOTS, claim_root_version, origin_model


def stamped_models() -> list:
    """Every model of the domain app but the logs derived from changes (the stamps, the
    changes feed, the demo fingerprints) and the reviews of proposed changes (which readers
    never see), so a new model moves the stamps without anyone remembering to list it."""
    return [
        model
        for model in apps.get_app_config("events").get_models()
        if model not in (ChangeStamp, PublicChange, RevisionReview)
        and not getattr(model, "derived_log", False)
    ]


def connect_change_stamps() -> None:
    """Called from EventsConfig.ready(): every save, delete and many-to-many change stamps."""
    for model in stamped_models():
        label = model._meta.label_lower
        pre_save.connect(_remember_visibility, sender=model, dispatch_uid=f"stamp-pre-{label}")
        post_save.connect(_saved, sender=model, dispatch_uid=f"stamp-save-{label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"stamp-delete-{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _m2m_changed, sender=through, dispatch_uid=f"stamp-m2m-{through._meta.label}"
            )


def connect_aggregate_versions() -> None:
    """Called from EventsConfig.ready(): a saved or deleted part moves its root's version."""
    for label in AGGREGATE_ROOTS:
        model = apps.get_model(label)
        post_save.connect(_part_saved, sender=model, dispatch_uid=f"root-save-{label}")
        post_delete.connect(_part_deleted, sender=model, dispatch_uid=f"root-delete-{label}")


def connect_public_changes() -> None:
    """Called from EventsConfig.ready(): changes to what the public event rows show."""
    for model in public_changes.VISIBLE_FIELDS:
        label = model._meta.label_lower
        pre_save.connect(_public_remember, sender=model, dispatch_uid=f"feed-pre-{label}")
        post_save.connect(_public_saved, sender=model, dispatch_uid=f"feed-save-{label}")
        post_delete.connect(_public_deleted, sender=model, dispatch_uid=f"feed-delete-{label}")


def _public_remember(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        public_changes.remember(instance)


def _public_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # loaddata: fixtures are not edits
        public_changes.saved(instance)


def _public_deleted(sender, instance, origin=None, **kwargs) -> None:
    public_changes.deleted(instance, origin)


def _part_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        claim_root_version(instance)


def _part_deleted(sender, instance, origin=None, **kwargs) -> None:
    # Deleted with its root (or with a part above it): that deletion is the change.
    deleted_itself = origin is instance or getattr(origin, "model", None) is sender
    if deleted_itself or _taken_by_another_root(instance, origin):
        claim_root_version(instance)


def _taken_by_another_root(part, origin) -> bool:
    """The part went with the deletion of a root that is not its own: a relation *to* a
    deleted event belongs to the event it comes from, whose aggregate changed (its version
    moves and its history records it). Only a part with a second key to its root's model can
    be taken so; for a deleted queryset (the admin's bulk delete, an import's undo), one
    query tells whether its own root is among the rows going."""
    root_field = _second_root_key(type(part))
    if root_field is None or origin_model(origin) is not root_field.related_model:
        return False
    root_pk = getattr(part, root_field.attname)
    if hasattr(origin, "model"):  # a queryset
        return not origin.filter(pk=root_pk).exists()
    return root_pk != origin.pk


@functools.cache
def _second_root_key(model):
    """The key to its root of a part that has another key to its root's model (an event
    relation's `from_event`, beside `to_event`), else None."""
    path = AGGREGATE_ROOTS.get(model._meta.label_lower)
    if not path or len(path) != 1:
        return None
    root_field = model._meta.get_field(path[0])
    keys = [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is root_field.related_model
    ]
    return root_field if len(keys) > 1 else None


def _remember_visibility(sender, instance, raw=False, **kwargs) -> None:
    # Leaving the public set is a public change: note whether the stored row was public.
    # Only models with a status can leave it; one primary-key query for those.
    if raw or instance._state.adding or not hasattr(instance, "status"):
        return
    stored = sender._base_manager.filter(pk=instance.pk).only("status").first()
    instance._was_public = stored is not None and is_public_change(stored)


def _saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loaddata: fixtures are not edits
        return
    stamp_change(instance, was_public=getattr(instance, "_was_public", False))


def _deleted(sender, instance, **kwargs) -> None:
    stamp_change(instance)


def _m2m_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_"):
        stamp_change(instance)


@receiver([post_save, post_delete], sender=Participation)
def participation_changed(sender, instance: Participation, origin=None, **kwargs) -> None:
    # One UPDATE (names and ids). A participation moved to another event (a merge) leaves its
    # old event to refresh too; one deleted with its event (or events) leaves nothing to.
    if origin_model(origin) is Event:
        return
    events = {instance.event_id, getattr(instance, "_stored_event_id", None)} - {None}
    Event.objects.filter(pk__in=events).refresh_search_actors()
    instance._stored_event_id = instance.event_id


@receiver(m2m_changed, sender=Event.actors.through)
def participants_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    # `event.actors.add(...)` and the like write participations in bulk, without save().
    if action == "pre_clear" and reverse:  # actor.events.clear(): its events, while known
        instance._cleared_event_ids = list(instance.participations.values_list("event_id"))
        return
    if not action.startswith("post_"):
        return
    if not reverse:
        events = [instance.pk]
    elif action == "post_clear":
        events = [pk for (pk,) in getattr(instance, "_cleared_event_ids", [])]
    else:
        events = list(pk_set or ())
    Event.objects.filter(pk__in=events).refresh_search_actors()


@receiver(pre_save, sender=Actor)
def actor_saving(sender, instance: Actor, **kwargs) -> None:
    # Actor.save() has already derived the new search_names; remember whether they differ
    # from the stored ones, so that saving a description does not rewrite the actor's events.
    stored = Actor.objects.filter(pk=instance.pk).values_list("search_names", flat=True)
    instance._search_names_changed = instance.pk is None or stored.first() != instance.search_names


@receiver(post_save, sender=Actor)
def actor_renamed(sender, instance: Actor, **kwargs) -> None:
    # One UPDATE however many events the actor takes part in (a state may be in 100,000),
    # and only when its names, short name or aliases changed.
    if not getattr(instance, "_search_names_changed", True):
        return
    Event.objects.filter(participations__actor=instance).refresh_search_actors()
