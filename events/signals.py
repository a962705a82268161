"""Keep derived search text in step with the rows it is derived from."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from events.models import Actor, Event, Participation


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
