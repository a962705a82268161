"""Keep derived data in step: search text, and the change stamp behind ETags."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from events.models import (
    Actor,
    AidMeasure,
    ChangeStamp,
    Citation,
    CountryVote,
    Event,
    EventRelation,
    EventType,
    Participation,
    Role,
    Source,
    Timeline,
    TimelineEntry,
    VoteRecord,
)

STAMPED_MODELS = (
    Actor,
    AidMeasure,
    Citation,
    CountryVote,
    Event,
    EventRelation,
    EventType,
    Participation,
    Role,
    Source,
    Timeline,
    TimelineEntry,
    VoteRecord,
)


def _bump(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata: fixtures are not edits
        return
    ChangeStamp.bump()


for _model in STAMPED_MODELS:
    post_save.connect(_bump, sender=_model, dispatch_uid=f"stamp-save-{_model.__name__}")
    post_delete.connect(_bump, sender=_model, dispatch_uid=f"stamp-delete-{_model.__name__}")
for _through in (Timeline.query_actors.through, Timeline.query_types.through):
    m2m_changed.connect(_bump, sender=_through, dispatch_uid=f"stamp-m2m-{_through.__name__}")


@receiver([post_save, post_delete], sender=Participation)
def participation_changed(sender, instance: Participation, **kwargs) -> None:
    # One UPDATE; matches nothing when the event itself is being deleted.
    Event.objects.filter(pk=instance.event_id).refresh_search_actors()


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
