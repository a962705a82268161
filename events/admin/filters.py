"""List filters for events that follow their participants."""

from django.contrib import admin
from django.db.models import Exists, OuterRef

from events.choices import ActorKind
from events.models import Actor, Participation


class ActorKindFilter(admin.SimpleListFilter):
    """Events with a participant of this kind (a person, a state, an organ …)."""

    title = "participant kind"
    parameter_name = "actor_kind"

    def lookups(self, request, model_admin):
        return ActorKind.choices

    def queryset(self, request, queryset):
        if self.value() not in ActorKind.values:
            return queryset
        return queryset.filter(
            Exists(Participation.objects.filter(event=OuterRef("pk"), actor__kind=self.value()))
        )


class ActorFilter(admin.SimpleListFilter):
    """Events involving one actor, reached from the actor's “events” link.

    Listing every actor as a choice would not scale, so only the chosen one is offered
    (with “All” to clear it).
    """

    title = "participant"
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        value = request.GET.get(self.parameter_name, "")
        if not value.isdigit():
            return []
        return [(str(actor.pk), actor.name) for actor in Actor.objects.filter(pk=value)]

    def queryset(self, request, queryset):
        value = self.value()
        if not value or not value.isdigit():
            return queryset
        return queryset.involving([int(value)])
