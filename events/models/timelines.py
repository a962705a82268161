"""Timelines: curated, ordered collections of events, or saved queries computed on read."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from events.choices import TimelineKind, TimelineStatus
from events.models.actors import Actor
from events.models.base import TrackedModel, VersionedModel
from events.models.events import Event, EventType
from events.querysets import TimelineQuerySet


class Timeline(TrackedModel, VersionedModel):
    """A published collection of events: hand-picked entries, or the events a query selects."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The end of its web address, filled in from the name: lowercase letters, "
        "digits and hyphens.",
    )
    description = models.TextField(
        blank=True,
        help_text="Shown above the timeline. Bold, italics and links may be written as in "
        "Markdown.",
    )
    kind = models.CharField(
        max_length=12, choices=TimelineKind.choices, default=TimelineKind.CURATED
    )
    status = models.CharField(
        max_length=10, choices=TimelineStatus.choices, default=TimelineStatus.DRAFT, db_index=True
    )
    # The saved query (for kind = saved query): events involving any of these actors, of any of
    # these types (a parent type includes its subtypes), overlapping the period.
    query_actors = models.ManyToManyField(
        Actor, blank=True, related_name="+", verbose_name="actors"
    )
    query_types = models.ManyToManyField(
        EventType, blank=True, related_name="+", verbose_name="event types"
    )
    query_from = models.DateField("from", null=True, blank=True)
    query_to = models.DateField("to", null=True, blank=True)

    objects = TimelineQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(query_from__isnull=True)
                | Q(query_to__isnull=True)
                | Q(query_to__gte=F("query_from")),
                name="%(app_label)s_%(class)s_query_period_ordered",
                violation_error_message="The query's “to” date cannot be before its “from” date.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Its public page (the admin's "View on site"); staff see a draft there as a preview
        (events.preview), readers a 404 until it is public."""
        return reverse("embeds:timeline", args=[self.slug])

    def clean(self) -> None:
        if self.query_from and self.query_to and self.query_to < self.query_from:
            raise ValidationError({"query_to": "“To” cannot be before “from”."})


class TimelineEntry(models.Model):
    """An event placed in a curated timeline, at a position, with an optional caption."""

    timeline = models.ForeignKey(Timeline, on_delete=models.CASCADE, related_name="entries")
    # PROTECT: an event shown in a timeline cannot be deleted from under it.
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="timeline_entries")
    position = models.PositiveIntegerField(default=0, help_text="Entries are shown in this order.")
    caption = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["timeline", "position", "id"]
        verbose_name_plural = "timeline entries"
        indexes = [
            models.Index(fields=["timeline", "position"], name="events_entry_position_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["timeline", "event"],
                name="%(app_label)s_%(class)s_unique_event",
                violation_error_message="This event is already in the timeline.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.event}"
