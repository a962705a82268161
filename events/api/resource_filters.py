"""Filters for actors, sources and votes; every parameter is validated (400 says what is allowed).

Events have their own filterset (events.filtersets.EventFilterSet), shared with the pages.
"""

import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from events import dates
from events.choices import ActorKind, SourceKind, VoteOption
from events.filtersets import (
    DocumentedFilter,
    FilterSet,
    MultipleChoiceFilter,
    ReferenceListField,
    resolve_actors,
)
from events.filtersets import PartialDateFilter as EventPartialDateFilter
from events.models import Actor, CountryVote, Source, VoteRecord


class ActorReferenceFilter(DocumentedFilter):
    """One or more actors by slug, or states by ISO code in any case; unknown ones are a 400."""

    field_class = ReferenceListField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("resolve", resolve_actors)
        kwargs.setdefault("noun", "actor")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


class ActorFilterSet(FilterSet):
    kind = MultipleChoiceFilter(
        choices=ActorKind.choices, help_text="Kind of actor; repeatable (kind=state&kind=organ)."
    )
    iso3 = filters.CharFilter(
        field_name="iso3",
        lookup_expr="iexact",
        max_length=3,
        help_text="A state's ISO 3166-1 alpha-3 code, in any case (usa, RUS).",
    )
    q = filters.CharFilter(
        method="search", max_length=200, help_text="Text in the name, short name or an alias."
    )
    parent = ActorReferenceFilter(
        field_name="parent",
        help_text="Organs and bodies of this organisation (slug; repeatable).",
    )

    class Meta:
        model = Actor
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.search(value)


class SourceFilterSet(FilterSet):
    kind = MultipleChoiceFilter(choices=SourceKind.choices, help_text="Kind of source; repeatable.")
    publisher = filters.CharFilter(
        lookup_expr="icontains", max_length=200, help_text="Text in the publisher's name."
    )
    q = filters.CharFilter(
        method="search", max_length=200, help_text="Text in the title or the URL."
    )

    class Meta:
        model = Source
        fields: list[str] = []

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(url__icontains=value))


class VoteDateFilter(EventPartialDateFilter):
    """`2025`, `2025-03` or `2025-03-15`, compared with the voted event's possible dates."""

    def filter(self, qs, value):
        if not value:
            return qs
        if self.field_name == "from":
            return qs.filter(event__date_upper__gte=value[0])
        return qs.filter(event__date_lower__lte=dates.period_end(*value))


class VoteFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        reversed_period = dates.reversed_period(data.get("from"), data.get("to"))
        if reversed_period:
            self.add_error("to", reversed_period)
        if data.get("option") and not data.get("actor"):
            self.add_error("option", "Give `actor` too: option filters on how that actor voted.")
        return data


class VoteFilterSet(FilterSet):
    body = ActorReferenceFilter(
        field_name="body", help_text="The voting body's slug (e.g. un-general-assembly)."
    )
    from_ = VoteDateFilter(
        field_name="from",
        help_text="Votes on or after this date: YYYY, YYYY-MM or YYYY-MM-DD.",
    )
    to = VoteDateFilter(
        field_name="to",
        help_text="Votes on or before the end of this period: YYYY, YYYY-MM or YYYY-MM-DD.",
    )
    actor = ActorReferenceFilter(
        field_name="actor",
        method="by_country",
        help_text="Votes in which this state's vote is recorded: slug or ISO code (usa, RUS).",
    )
    option = MultipleChoiceFilter(
        choices=VoteOption.choices,
        method="by_country",
        help_text="With `actor`: only votes where that state voted so (yes, no, abstain, "
        "non_voting); repeatable.",
    )

    class Meta:
        model = VoteRecord
        form = VoteFilterForm
        fields: list[str] = []

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        # `from` is a Python keyword, so the filter is declared as from_ and renamed here.
        filters["from"] = filters.pop("from_")
        return filters

    def by_country(self, queryset, name, value):
        if name == "option":
            return queryset  # applied with `actor`
        votes = CountryVote.objects.filter(vote_record=OuterRef("pk"), actor_id__in=value)
        options = self.form.cleaned_data.get("option")
        if options:
            votes = votes.filter(option__in=options)
        return queryset.filter(Exists(votes))
