"""What happened: typed, dated with honest precision, evidenced by citations."""

import functools

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from events import dates
from events.choices import (
    PUBLIC_EVENT_STATUSES,
    ActorKind,
    CitationStance,
    DatePrecision,
    EventStatus,
    ParticipantRole,
    RelationKind,
    Verification,
)
from events.models.actors import Actor
from events.models.base import TrackedModel, VersionedModel
from events.models.fields import IdSetField
from events.querysets import EventQuerySet


class EventType(models.Model):
    """A node of the curated, extensible event taxonomy (seeded by a data migration)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    # PROTECT: a type with subtypes cannot vanish from under them.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="A broader type; filtering by the parent includes this type.",
    )
    description = models.TextField(blank=True)
    cameo_code = models.CharField(
        "CAMEO code", max_length=10, blank=True, help_text="Closest CAMEO event code, e.g. 036."
    )
    plover_code = models.CharField(
        "PLOVER code", max_length=40, blank=True, help_text="Closest PLOVER category, e.g. AID."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="%(app_label)s_%(class)s_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name


# Event.was_published as a condition on rows (an import's undo asks it of thousands).
WAS_PUBLISHED = Q(first_published_at__isnull=False) | Q(status__in=PUBLIC_EVENT_STATUSES)
# Written only by EventQuerySet.refresh_search_actors (and with a bulk INSERT), never by a full
# save of an event.
SEARCH_PARTICIPANT_FIELDS = ("search_actors", "participant_ids")


class Event(TrackedModel, VersionedModel):
    """A dated policy event: an aid pause, a UN vote, a summit, a statement …"""

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The end of its web address, filled in from the name: lowercase letters, "
        "digits and hyphens.",
    )
    summary = models.TextField(
        blank=True,
        help_text="Say what happened, not why. Bold, italics and links may be written as in "
        "Markdown.",
    )
    # PROTECT: a type in use cannot be deleted; merge types by reassigning events first.
    event_type = models.ForeignKey(
        EventType, on_delete=models.PROTECT, related_name="events", verbose_name="type"
    )

    start_date = models.DateField(
        help_text="The first day of the month for month precision, 1 January for year precision."
    )
    start_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    start_approximate = models.BooleanField(
        "start is approximate", default=False, help_text="Shown as “c.” (about) before the date."
    )
    end_date = models.DateField(null=True, blank=True, help_text="Only for events that span time.")
    end_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, blank=True, default=""
    )
    end_approximate = models.BooleanField("end is approximate", default=False)
    # Derived on save (see events.dates.bounds); every range filter and the timeline order use them.
    date_lower = models.DateField(editable=False, help_text="First day it may have happened.")
    date_upper = models.DateField(editable=False, help_text="Last day it may have happened.")

    # PROTECT: a state used as a location cannot be deleted.
    location_country = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events_located",
        limit_choices_to={"kind": ActorKind.STATE},
        help_text="The state where it happened.",
    )
    location_name = models.CharField(max_length=200, blank=True, help_text="e.g. “Riyadh”.")

    status = models.CharField(
        max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT, db_index=True
    )
    retraction_reason = models.TextField(
        blank=True, help_text="Required when retracted; shown to readers."
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Never cleared: an event once public is a tombstone forever after (unpublished or
    # retracted, never deleted), so sync clients and embeds that showed it keep an answer.
    first_published_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When readers first saw it; an event with this set is never deleted.",
    )
    verification = models.CharField(
        max_length=10, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    importance = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (minor) to 5 (major).",
    )
    actors = models.ManyToManyField(Actor, through="Participation", related_name="events")
    search_actors = models.TextField(
        blank=True, editable=False, help_text="Participants' names and aliases, for search."
    )
    # Derived like search_actors, in the same UPDATE (EventQuerySet.refresh_search_actors).
    # On PostgreSQL one GIN index holds it beside the search vector (migration 0018), so a
    # search with an actor reads only the events that match both.
    participant_ids = IdSetField(
        default=list,
        blank=True,
        editable=False,
        help_text="Participants' actor ids, sorted and distinct, for search with an actor.",
    )

    objects = EventQuerySet.as_manager()

    # Not a column: set by a form or the API when a curator confirms a year before 1800 or
    # more than a year ahead (see dates.unusual_date_problem).
    confirm_unusual_date = False

    class Meta:
        ordering = ["date_lower", "id"]
        permissions = [("publish_event", "Can publish, unpublish and retract events")]
        indexes = [
            # Lists read by (date_lower, id). What it carries lets PostgreSQL answer from the
            # index alone a date window, visibility and an actor (events.rows.first_rows,
            # EventQuerySet.involving) and the grouped timeline's counts by period and type
            # (events.facets). The participant ids made a common actor's first page 5x cheaper
            # to choose (no probe of the participations per event walked; docs/benchmarks.md).
            models.Index(
                fields=["date_lower", "id"],
                include=[
                    "date_upper",
                    "status",
                    "start_precision",
                    "event_type",
                    "participant_ids",
                ],
                name="events_event_list_idx",
            ),
            models.Index(
                fields=["status", "date_lower", "id"], name="events_event_status_date_idx"
            ),
            models.Index(fields=["date_upper"], name="events_event_date_upper_idx"),
            models.Index(fields=["event_type", "date_lower"], name="events_event_type_date_idx"),
            models.Index(fields=["-importance", "date_lower"], name="events_event_importance_idx"),
            models.Index(fields=["verification"], name="events_event_verification_idx"),
            # ordering=-updated and updated_since; the Atom feed (newest published first).
            models.Index(fields=["updated_at", "id"], name="events_event_updated_id_idx"),
            models.Index(fields=["published_at", "id"], name="events_event_published_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, end_precision="")
                | Q(end_date__isnull=False, end_precision__in=DatePrecision.values),
                name="%(app_label)s_%(class)s_end_precision_with_end_date",
                violation_error_message="An end date needs an end precision, and only then.",
            ),
            models.CheckConstraint(
                condition=Q(start_precision=DatePrecision.DAY)
                | Q(start_precision=DatePrecision.MONTH, start_date__day=1)
                | Q(start_precision=DatePrecision.YEAR, start_date__month=1, start_date__day=1),
                name="%(app_label)s_%(class)s_start_fits_precision",
                violation_error_message="The start date does not fit its precision.",
            ),
            models.CheckConstraint(
                condition=Q(date_lower__lte=F("date_upper")),
                name="%(app_label)s_%(class)s_bounds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(importance__gte=1, importance__lte=5),
                name="%(app_label)s_%(class)s_importance_range",
            ),
            models.CheckConstraint(
                condition=~Q(status=EventStatus.RETRACTED) | ~Q(retraction_reason=""),
                name="%(app_label)s_%(class)s_retraction_has_reason",
                violation_error_message="A retracted event needs a retraction reason.",
            ),
            models.CheckConstraint(
                condition=~Q(status=EventStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="%(app_label)s_%(class)s_published_has_timestamp",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=PUBLIC_EVENT_STATUSES)
                | Q(first_published_at__isnull=False),
                name="%(app_label)s_%(class)s_public_was_published",
                violation_error_message="A published or retracted event records when it was "
                "first published.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Its public page (the admin's "View on site"); staff see a draft there as a preview
        (events.preview), readers a 404 until it is public."""
        return reverse("embeds:event", args=[self.slug])

    # Dates, rendered by the one helper module.
    @property
    def display_date(self) -> str:
        return dates.display_range(
            self.start_date,
            self.start_precision,
            self.start_approximate,
            self.end_date,
            self.end_precision,
            self.end_approximate,
        )

    @property
    def edtf(self) -> str:
        return dates.edtf(
            self.start_date,
            self.start_precision,
            self.start_approximate,
            self.end_date,
            self.end_precision,
            self.end_approximate,
        )

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_EVENT_STATUSES

    @property
    def was_published(self) -> bool:
        """Readers have seen it at some time: it may be unpublished or retracted, not deleted
        (WAS_PUBLISHED in SQL)."""
        return self.first_published_at is not None or self.is_public

    def supporting_citation_problem(self, *, leaving=(), arriving: int = 0) -> str | None:
        """Why the event would be left without a supporting citation while published, or None.

        `leaving`: ids of its supporting citations that are being removed, downgraded or moved;
        `arriving`: how many new supporting citations come in the same change.
        """
        if self.pk is None or self.status != EventStatus.PUBLISHED:
            return None
        remaining = (
            self.citations.filter(stance=CitationStance.SUPPORTS).exclude(pk__in=leaving).count()
        )
        if remaining + arriving > 0:
            return None
        return (
            f"“{self}” is published and this is its last citation with stance “supports”: "
            "every published claim needs one. Add another supporting citation first, or ask "
            "an editor to unpublish or retract the event."
        )

    def deletion_problem(self) -> str | None:
        """Why no one may delete the event (it was published once), or None for a draft."""
        if self.was_published:
            return (
                f"“{self}” has been published: it is never deleted. Retract it with a reason "
                "(or unpublish it), so readers, embeds and sync clients that showed it keep "
                "an explanation."
            )
        return None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_date and self.start_precision:
            problem = dates.precision_error(self.start_date, self.start_precision)
            if problem:
                errors["start_date"] = problem
        if self.end_date:
            if not self.end_precision:
                self.end_precision = DatePrecision.DAY
            problem = dates.precision_error(self.end_date, self.end_precision)
            if problem:
                errors["end_date"] = problem
            elif self.start_date and self.end_date < self.start_date:
                errors["end_date"] = "The end date cannot be before the start date."
        else:
            self.end_precision = ""
            self.end_approximate = False
        if self.status == EventStatus.RETRACTED and not self.retraction_reason.strip():
            errors["retraction_reason"] = "Say why the event is retracted; readers will see it."
        if self.location_country_id and self.location_country.kind != ActorKind.STATE:
            errors["location_country"] = "Choose a state as the location country."
        for name in ("start_date", "end_date"):
            problem = self._unconfirmed_unusual_date(name)
            if problem and name not in errors:
                errors[name] = ValidationError(problem, code=dates.UNUSUAL_DATE)
        if errors:
            raise ValidationError(errors)

    def _unconfirmed_unusual_date(self, name: str) -> str | None:
        """An implausible year entered now (stored dates stay as confirmed), not confirmed."""
        value = getattr(self, name)
        if value is None or self.confirm_unusual_date:
            return None
        problem = dates.unusual_date_problem(value)
        if problem is None or self._stored(name) == value:
            return None
        return problem

    def _stored(self, name: str):
        if self.pk is None:
            return None
        return type(self)._base_manager.filter(pk=self.pk).values_list(name, flat=True).first()

    def derive_fields(self) -> set[str]:
        """What every save derives from the other columns (a bulk insert calls it itself);
        the names of the columns it set."""
        derived = {"date_lower", "date_upper"}
        if self.is_public and self.first_published_at is None:
            # Any path that makes an event public (the publish service, an import) marks it.
            self.first_published_at = self.published_at or timezone.now()
            derived.add("first_published_at")
        if not self.end_date:
            self.end_precision = ""
        elif not self.end_precision:
            self.end_precision = DatePrecision.DAY
        self.date_lower, self.date_upper = dates.bounds(
            self.start_date, self.start_precision, self.end_date, self.end_precision or None
        )
        return derived

    def save(self, *args, **kwargs):
        derived = self.derive_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *derived}
        elif not self._state.adding and not kwargs.get("force_insert"):
            # The participants' search names and ids are the participations' to write
            # (refresh_search_actors): a full save of an instance loaded before they changed
            # (an actor renamed since, by one UPDATE that moves no event's version) must not
            # write its stale copy back.
            # (As Django's own full save of an instance with deferred fields, those stay out.)
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [f for f in self._saved_by_full_save() if f not in deferred]
        super().save(*args, **kwargs)

    @classmethod
    @functools.cache
    def _saved_by_full_save(cls) -> list[str]:
        return [
            f.name
            for f in cls._meta.concrete_fields
            if not f.primary_key and not f.generated and f.name not in SEARCH_PARTICIPANT_FIELDS
        ]

    def delete(self, *args, **kwargs):
        # The last guard for every path (admin, API, shell): views check deletion_problem()
        # first to answer with a message.
        problem = self.deletion_problem()
        if problem:
            raise ValidationError(problem, code="was_published")
        return super().delete(*args, **kwargs)

    def set_search_participants(self, actors) -> None:
        """The participants' names and ids for search, derived as EventQuerySet.
        refresh_search_actors derives them (distinct, sorted), for a bulk writer that inserts
        the event with its participants already known."""
        actors = list(actors)
        self.search_actors = "\n".join(sorted({actor.search_names for actor in actors}))
        self.participant_ids = sorted({actor.pk for actor in actors})

    def refresh_search_actors(self) -> None:
        """Re-derive the participants' names and ids for search (called when participants
        change).

        The same UPDATE as for many events (EventQuerySet.refresh_search_actors), so the values
        have one definition; then the stored values are read back onto this instance (a later
        full save() of it must not write stale ones).
        """
        this = Event.objects.filter(pk=self.pk)
        this.refresh_search_actors()
        self.search_actors, self.participant_ids = this.values_list(
            "search_actors", "participant_ids"
        ).get()


ROLE_LABELS = dict(ParticipantRole.choices)


class Participation(models.Model):
    """An actor's part in an event: who initiated, who was targeted, who hosted, who voted."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    # PROTECT: an actor still named in an event cannot be deleted.
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(
        max_length=12, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["event", "id"]
        indexes = [
            models.Index(fields=["actor", "event"], name="events_participation_actor_idx"),
            models.Index(fields=["actor", "role"], name="events_particip_actor_role_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "actor", "role"],
                name="%(app_label)s_%(class)s_unique_role",
                violation_error_message="This actor already has this role in the event.",
            ),
        ]

    def __str__(self) -> str:
        # Not get_role_display(), which rebuilds the choices' dict on every call.
        return f"{self.actor} ({ROLE_LABELS.get(self.role, self.role)})"

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        # The event it was read with: a participation moved to another event (a merge) leaves
        # the old event's derived participants to refresh too (events.signals).
        row._stored_event_id = row.__dict__.get("event_id")
        return row


class EventRelation(models.Model):
    """A typed link between two events: B follows A, B responds to A, B is part of A."""

    from_event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="relations_from", verbose_name="event"
    )
    kind = models.CharField(max_length=12, choices=RelationKind.choices)
    to_event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="relations_to", verbose_name="related event"
    )

    class Meta:
        ordering = ["from_event", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_event", "kind", "to_event"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message="These events are already related this way.",
            ),
            models.CheckConstraint(
                condition=~Q(from_event=F("to_event")),
                name="%(app_label)s_%(class)s_not_self",
                violation_error_message="An event cannot be related to itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_event} {self.get_kind_display().lower()} {self.to_event}"
