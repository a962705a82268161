"""List filters for events: by participant (typed, with the admin's autocomplete), by the kind
of participant, and by period."""

import datetime as dt

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Exists, OuterRef, Q

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
    """Events involving one actor, chosen by typing a name or an alias.

    Listing every actor as a choice would not scale: the filter is a search box (Django's own
    autocomplete over the actors, the one the participation form uses) and a button, and the
    actor's “events” link in the actor list lands here too.
    """

    title = "participant"
    parameter_name = "actor"
    template = "admin/events/actor_filter.html"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.request = request
        self.admin_site = model_admin.admin_site

    def has_output(self) -> bool:
        return True  # the search box, even before anything is chosen

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

    def widget(self) -> str:
        """Django's autocomplete select, fed by the participation form's actor search."""
        select = AutocompleteSelect(
            Participation._meta.get_field("actor"),
            self.admin_site,
            attrs={"id": "actor-filter", "data-placeholder": "Type a name or an alias"},
        )
        # The field hands the widget its queryset: only the chosen actor is looked up.
        field = forms.ModelChoiceField(Actor.objects.all(), widget=select, required=False)
        return field.widget.render(self.parameter_name, self.value() or "")

    def kept_parameters(self) -> list[tuple[str, str]]:
        """The list's other filters and search, carried along when the actor changes."""
        return [
            (name, value)
            for name, values in self.request.GET.lists()
            if name not in (self.parameter_name, "p")
            for value in values
        ]


class PeriodFilter(admin.SimpleListFilter):
    """Events that may have happened in a recent period (by their bounds, so “Mar 2025” is in
    the month of 15 March)."""

    title = "period"
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [
            ("30d", "Last 30 days"),
            ("12m", "Last 12 months"),
            ("this_year", "This year"),
            ("last_year", "Last year"),
            ("older", "Before last year"),
        ]

    def queryset(self, request, queryset):
        bounds = self.bounds(self.value(), dt.date.today())
        if bounds is None:
            return queryset
        first, last = bounds
        condition = Q(date_upper__gte=first) if first else Q()
        return queryset.filter(condition, date_lower__lte=last)

    @staticmethod
    def bounds(value, today: dt.date) -> tuple[dt.date | None, dt.date] | None:
        if value == "30d":
            return today - dt.timedelta(days=30), today
        if value == "12m":
            return today - dt.timedelta(days=365), today
        if value == "this_year":
            return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
        if value == "last_year":
            return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
        if value == "older":
            return None, dt.date(today.year - 2, 12, 31)
        return None
