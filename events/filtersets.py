"""One filterset for every reader of events: the API, the public pages, the embeds, the exports.

Each parameter is validated: an unknown actor or type slug, a malformed date or an unknown
ordering is a 400 with a message that says what is allowed, never an empty result or a 500.
"""

import copy

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from drf_spectacular.drainage import set_override

from events import dates
from events.choices import ParticipantRole, Verification
from events.lru import LRUStore
from events.models import Actor, Event, EventType
from events.published_timelines import published_timeline
from events.search import search_events


def input_error(message: str) -> ValidationError:
    """A message that quotes the request: django-filter formats every message with `%` and its
    params, so a `%` typed by a client must arrive as a parameter, never in the template."""
    return ValidationError("%(message)s", params={"message": message})


class RepeatableWidget(forms.TextInput):
    """Reads `?actor=usa&actor=rus` and `?actor=usa,rus` alike."""

    def value_from_datadict(self, data, files, name):
        getlist = getattr(data, "getlist", None)
        raw = getlist(name) if getlist else [data.get(name)] if data.get(name) else []
        return [part.strip() for item in raw if item for part in item.split(",") if part.strip()]

    def value_omitted_from_data(self, data, files, name):
        return name not in data


# References already resolved, by (noun, data version, references as given). A version is a
# change stamp's token: saving or deleting any actor or event type moves the public stamp
# (events.freshness), so what references name cannot change under one token. A reader's
# repeated `actor=usa` then costs no query (the resolving query was ~1.3 ms of a 100-event
# page's ~6 ms at 1,000,000 events).
resolved_references = LRUStore(max_entries=2_000)


class ReferenceListField(forms.Field):
    """A list of references (slugs, codes) resolved to ids in one query; unknown ones are errors.

    `version`: the public change stamp's token the request read (set per form by
    EventFilterSet), under which resolved references are kept; None resolves every time."""

    widget = RepeatableWidget
    version: str | None = None

    def __init__(self, *, resolve, noun: str, **kwargs):
        self.resolve = resolve  # list[str] -> dict[str, int]
        self.noun = noun
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        value = value or []
        if not value:
            return []
        if len(value) > 50:
            raise ValidationError(f"At most 50 {self.noun}s may be given at once.")
        if any("\x00" in item for item in value):  # PostgreSQL text cannot hold NUL
            raise ValidationError("Null characters are not allowed.")
        found = self._resolved(value)
        unknown = [item for item in value if item.lower() not in found]
        if unknown:
            raise input_error(f"Unknown {self.noun}: {', '.join(unknown)}. {self._hint()}")
        return sorted(set(found.values()))

    def _resolved(self, value: list[str]) -> dict[str, int]:
        if self.version is None:
            return self.resolve(value)
        key = (self.noun, self.version, tuple(value))
        return resolved_references.remembered(key, lambda: self.resolve(value))

    def _hint(self) -> str:
        # Read by API clients and by people on the events page alike: say what to type.
        if self.noun == "actor":
            return (
                "Use an actor's slug, name or alias, or a state's ISO 3166 alpha-3 code, "
                "such as usa or rus."
            )
        return f"Use the {self.noun}'s slug as listed by the API."


def resolve_actors(values: list[str]) -> dict[str, int]:
    """Map each given reference (lower-cased) to an actor id (see ActorQuerySet.resolve).

    Names count too (a reader on /events/ types “Ukraine”; a slug or code still wins)."""
    found = Actor.objects.resolve(*values, names=True)
    return {reference.lower(): actor.pk for reference, actor in found.items()}


def resolve_types(values: list[str]) -> dict[str, int]:
    rows = EventType.objects.filter(slug__in={v.lower() for v in values})
    return dict(rows.values_list("slug", "pk"))


class PartialDateField(forms.CharField):
    """`2025`, `2025-03` or `2025-03-15`; returns (first day, precision)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return dates.parse_partial(value)
        except ValueError as exc:
            raise input_error(str(exc)) from exc


class EmptyIsNotGivenField(filters.fields.MultipleChoiceField):
    def to_python(self, value):
        return [item for item in super().to_python(value) if item != ""]


class MultipleChoiceFilter(filters.MultipleChoiceFilter):
    """A repeatable choice where `?verification=` (empty) is not given, like any empty filter."""

    field_class = EmptyIsNotGivenField


class DocumentedFilter(filters.Filter):
    """A custom filter the OpenAPI schema shows as `schema`, described by its help text."""

    schema: dict = {"type": "string"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        description = str(self.extra.get("help_text", ""))
        set_override(self, "field", {**self.schema, "description": description})


class ReferenceListFilter(DocumentedFilter):
    field_class = ReferenceListField

    def filter(self, qs, value):
        return qs  # applied together with the others in EventFilterSet.filter_queryset


# Year 0001 to 9999, month 01 to 12, day 01 to 31: what dates.parse_partial accepts, nearly.
PARTIAL_DATE = (
    r"(\d{3}[1-9]|\d{2}[1-9]\d|\d[1-9]\d{2}|[1-9]\d{3})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?"
)


class PartialDateFilter(DocumentedFilter):
    field_class = PartialDateField
    # Empty, like every filter left empty, means not given.
    schema = {"type": "string", "pattern": f"^({PARTIAL_DATE})?$"}

    def filter(self, qs, value):
        return qs


ORDERINGS = {
    "date": ("date_lower", "id"),
    "-date": ("-date_lower", "-id"),
    "-importance": ("-importance", "date_lower", "id"),
    "-updated": ("-updated_at", "-id"),
    # Best matches of `q` first (see events.search). Asked for: a search reads in date order
    # like the rest of a timeline, and ranking costs in proportion to the number of matches.
    "relevance": ("-search_rank", "date_lower", "id"),
}


def ordering_name(data: dict) -> str:
    """The ordering a request's cleaned filters ask for: `date` unless another is given."""
    return data.get("ordering") or "date"


# Filters that leave a search fewer events to check than the public list (events.search).
NARROWING = ("actor", "role", "type", "from", "to", "country", "timeline")


class EventFilterForm(forms.Form):
    """Checks that need several parameters at once."""

    # The public data's version (EventFilterSet.form), for the lookups kept per process.
    version: str | None = None

    def clean(self):
        data = super().clean()
        reversed_period = dates.reversed_period(
            data.get("from"),
            data.get("to"),
            start_text=self.data.get("from", ""),
            end_text=self.data.get("to", ""),
        )
        if reversed_period:
            self.add_error("to", input_error(reversed_period))
        if data.get("ordering") == "relevance" and not data.get("q"):
            self.add_error("ordering", "Ordering by relevance needs a search text in `q`.")
        slug = data.get("timeline")
        if slug:
            timeline = published_timeline(slug, self.version)
            if timeline is None:
                self.add_error("timeline", input_error(f"Unknown timeline: {slug}."))
            else:
                data["timeline"] = timeline
        return data


class FilterSet(filters.FilterSet):
    """django-filter's FilterSet, cheaper per request, and aware of the public data's version.

    Cheaper: each filter is a shallow copy of the class's, and the form class is built once
    per class with fields copied shallowly per form (a deep copy of every filter and field was
    most of a request's filterset cost). Version: the form and its reference fields get the
    request's public data version (`request.public_stamp`, read by the freshness checks before
    any view; anonymous reads only), under which lookups are kept per process (resolved
    references, a timeline, a search's existence check). Every filterset of the app uses it.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # As django-filter's, but each filter is a shallow copy of the class's rather than a deep
        # copy of them all (most of a request's filterset cost): a filter's per-instance state
        # is only `model` and `parent` (and the lazily built field and label), and the
        # `FilterMethod` of a `method=` filter is rebound to the copy so it finds this parent.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {
            name: _bound_copy(f, self, queryset.model) for name, f in self.base_filters.items()
        }

    def get_form_class(self):
        # The form class depends only on the (class-level) filters: build it once per class.
        # Each form still gets its own copies of the fields (see _FieldsCopiedPerForm). Two
        # threads that race here build equivalent classes; either may win.
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = _FieldsCopiedPerForm(form_class.base_fields)
            type(self)._form_class = form_class
        return form_class

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            stamp = getattr(self.request, "public_stamp", None)
            if stamp is not None:
                form.version = stamp.token
                for field in form.fields.values():
                    if isinstance(field, ReferenceListField):
                        field.version = stamp.token
        return self._form


class EventFilterSet(FilterSet):
    actor = ReferenceListFilter(
        resolve=resolve_actors,
        noun="actor",
        help_text="Actor slug, or a state's ISO 3166 alpha-3 code in any case (usa, RUS). "
        "Repeatable or comma-separated.",
    )
    actor_match = filters.ChoiceFilter(
        choices=[("any", "any"), ("all", "all")],
        method="_noop",
        empty_label=None,
        help_text="With several actors: events involving any of them (default) or all of them.",
    )
    role = MultipleChoiceFilter(
        choices=ParticipantRole.choices,
        method="_noop",
        help_text="Only count the actors above when they have this role (initiator, target …).",
    )
    type = ReferenceListFilter(
        resolve=resolve_types,
        noun="event type",
        help_text="Event type slug; a parent type includes its subtypes. Repeatable.",
    )
    from_ = PartialDateFilter(
        field_name="from",
        help_text="Events that may have happened on or after this date: YYYY, YYYY-MM or "
        "YYYY-MM-DD. Precision-aware: “March 2025” matches from=2025-03-15.",
    )
    to = PartialDateFilter(
        help_text="Events that may have happened on or before the end of this period: YYYY, "
        "YYYY-MM or YYYY-MM-DD (to=2025-03 means up to 31 March 2025).",
    )
    country = ReferenceListFilter(
        resolve=resolve_actors,
        noun="actor",
        help_text="Where it happened: a state's slug or ISO code.",
    )
    verification = MultipleChoiceFilter(choices=Verification.choices)
    q = filters.CharFilter(
        method="_noop", max_length=200, help_text="Text search over titles, summaries and actors."
    )
    timeline = filters.CharFilter(
        method="_noop", max_length=200, help_text="Slug of a published timeline."
    )
    updated_since = filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only events changed at or after this ISO 8601 date-time (for syncing).",
    )
    ordering = filters.ChoiceFilter(
        choices=[(key, key) for key in ORDERINGS],
        method="_noop",
        empty_label=None,
        help_text="date (default, searches included), -date, -importance, -updated, or "
        "relevance (with `q`: best matches first).",
    )

    class Meta:
        model = Event
        form = EventFilterForm
        fields: list[str] = []

    def _noop(self, queryset, name, value):
        return queryset

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        # `from` is a Python keyword, so the filter is declared as from_ and renamed here
        # (on the class, so the OpenAPI schema documents `from` too).
        filters["from"] = filters.pop("from_")
        return filters

    @property
    def ordering_fields(self) -> tuple[str, ...]:
        data = self.form.cleaned_data
        return ORDERINGS[ordering_name(data)]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)  # plain field filters (verification, …)
        data = self.form.cleaned_data
        start = data.get("from")
        end = data.get("to")
        queryset = queryset.overlapping(
            start[0] if start else None, dates.period_end(*end) if end else None
        )
        queryset = self._filter_actors(queryset, data)
        if data.get("type"):
            queryset = queryset.of_types(data["type"])
        if data.get("country"):
            queryset = queryset.filter(location_country_id__in=data["country"])
        if data.get("timeline"):
            queryset = queryset.in_timeline(data["timeline"])
        if data.get("q"):
            narrowed = any(data.get(name) for name in NARROWING)
            ranked = ordering_name(data) == "relevance"
            queryset = search_events(
                queryset, data["q"], ranked=ranked, narrowed=narrowed, version=self.form.version
            )
        return queryset.order_by(*self.ordering_fields)

    def _filter_actors(self, queryset, data):
        actor_ids = data.get("actor") or []
        roles = data.get("role") or []
        if not actor_ids and not roles:
            return queryset
        if not roles:
            # On PostgreSQL the participant ids: beside the search vector in one GIN index
            # (only events matching both are read) and in the list index (date order).
            return queryset.involving(actor_ids, match_all=data.get("actor_match") == "all")
        from django.db.models import Exists, OuterRef

        from events.models import Participation

        def participates(ids):
            sub = Participation.objects.filter(event=OuterRef("pk"), actor_id__in=ids)
            return Exists(sub.filter(role__in=roles))

        if not actor_ids:  # roles alone: events with anyone in that role
            sub = Participation.objects.filter(event=OuterRef("pk"), role__in=roles)
            return queryset.filter(Exists(sub))
        if data.get("actor_match") == "all":
            for actor_id in actor_ids:
                queryset = queryset.filter(participates([actor_id]))
            return queryset
        return queryset.filter(participates(actor_ids))


class _FieldsCopiedPerForm(dict):
    """A form's `base_fields` whose per-form copies (Django deep-copies them for every form)
    are shallow: each form gets its own fields, widgets, attrs, error messages and validators,
    but shares the choice lists, which nothing here changes."""

    def __deepcopy__(self, memo):
        return {name: _field_copy(field) for name, field in self.items()}


def _field_copy(field: forms.Field) -> forms.Field:
    copied = copy.copy(field)
    copied.widget = copy.copy(field.widget)
    copied.widget.attrs = field.widget.attrs.copy()
    copied.error_messages = field.error_messages.copy()
    copied.validators = field.validators[:]
    return copied


def _bound_copy(filter_: filters.Filter, parent: filters.FilterSet, model) -> filters.Filter:
    """A copy of a class-level filter for one filterset instance (see EventFilterSet.__init__)."""
    bound = copy.copy(filter_)
    bound.extra = dict(filter_.extra)
    if filter_.method is not None:
        bound.method = filter_.method  # a new FilterMethod pointing at the copy, not the original
    bound.model = model
    bound.parent = parent
    return bound
