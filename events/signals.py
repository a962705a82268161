"""Keep derived data in step: search text, and the change stamp behind ETags."""

from django.db.models.signals import m2m_changed, post_delete, post_save
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
    event = Event.objects.filter(pk=instance.event_id).first()
    if event is not None:
        event.refresh_search_actors()


@receiver(post_save, sender=Actor)
def actor_renamed(sender, instance: Actor, **kwargs) -> None:
    # Only events whose stored text misses the actor's current names need refreshing.
    stale = Event.objects.filter(participations__actor=instance).exclude(
        search_actors__contains=instance.search_names
    )
    for event in stale.distinct().only("pk"):
        event.refresh_search_actors()
