"""Events, their taxonomy, participants, relations and aid measures."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Prefetch
from django.forms import Textarea
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from events import services
from events.admin import actions
from events.admin.base import (
    REASON_FIELDSET,
    CuratedAdmin,
    DeletionRulesMixin,
    PreloadedFormSet,
    PreloadedInline,
    VersionedAdmin,
)
from events.admin.filters import ActorFilter, ActorKindFilter, PeriodFilter
from events.admin.merging import MergeActionMixin
from events.choices import EventStatus
from events.forms import EventForm, SupportingCitationFormSetMixin, VoteRecordInlineForm
from events.models import (
    AidMeasure,
    Citation,
    Event,
    EventRelation,
    EventType,
    Participation,
    VoteRecord,
)


@admin.register(EventType)
class EventTypeAdmin(CuratedAdmin):
    list_display = ("name", "slug", "parent", "cameo_code", "plover_code")
    list_select_related = ("parent",)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)


class ParticipationInline(PreloadedInline, admin.StackedInline):
    """Stacked with its three fields on one line: a table's cells carry no labels, which
    screen readers need (axe: “label”, critical)."""

    model = Participation
    autocomplete_fields = ("actor",)
    fields = (("actor", "role", "note"),)
    extra = 1


class CitationFormSet(SupportingCitationFormSetMixin, PreloadedFormSet):
    """A published event's citations: at least one keeps stance “supports”."""


class CitationInline(PreloadedInline, admin.StackedInline):
    """Stacked: a quote needs the width of the form (as a table row it made the page 2,049 px
    wide at 1280)."""

    model = Citation
    formset = CitationFormSet
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 3, "cols": 60})}}
    autocomplete_fields = ("source",)
    fields = (("source", "stance"), "quote", ("locator", "note"))
    extra = 1


class AidMeasureInline(PreloadedInline, admin.StackedInline):
    """Stacked, two fields a line: seven columns do not fit a laptop's screen."""

    model = AidMeasure
    autocomplete_fields = ("donor", "recipient")
    fields = (("donor", "recipient"), ("kind", "action"), ("amount", "currency"), "note")
    extra = 0


class VoteRecordInline(admin.StackedInline):
    """The vote's outcome; its per-country roll is edited on the vote record's own page."""

    model = VoteRecord
    form = VoteRecordInlineForm
    autocomplete_fields = ("body",)
    readonly_fields = ("country_votes_link",)
    fields = (
        "body",
        ("document_symbol", "draft_symbol"),
        "title",
        "result",
        ("yes_count", "no_count", "abstain_count", "non_voting_count"),
        "roll_complete",
        "country_votes_link",
    )
    extra = 0
    max_num = 1

    @admin.display(description="Per-country votes")
    def country_votes_link(self, obj):
        if obj is None or obj.pk is None:
            return "Save the event first; then record each country's vote on the vote record."
        url = reverse("admin:events_voterecord_change", args=[obj.pk])
        return format_html(
            '<a href="{}">Edit the per-country votes</a> ({} recorded)',
            url,
            obj.country_votes.count(),
        )


class RelatedEventInline(PreloadedInline, admin.StackedInline):
    model = EventRelation
    fk_name = "from_event"
    autocomplete_fields = ("to_event",)
    fields = (("kind", "to_event"),)
    extra = 0
    verbose_name = "related event"
    verbose_name_plural = "related events (this event follows, responds to, or is part of)"


@admin.register(Event)
class EventAdmin(MergeActionMixin, DeletionRulesMixin, VersionedAdmin):
    form = EventForm
    list_display = (
        "title",
        "display_date",
        "event_type",
        "status",
        "verification",
        "actor_names",
        "importance",
    )
    list_select_related = ("event_type",)
    list_filter = (
        ActorFilter,
        "status",
        "verification",
        PeriodFilter,
        "event_type",
        ActorKindFilter,
    )
    search_fields = (
        "title",
        "summary",
        "search_actors",
        "citations__source__title",
        "citations__source__url",
    )
    date_hierarchy = "date_lower"
    ordering = ("-date_lower", "-id")
    list_per_page = 100
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("event_type", "location_country")
    readonly_fields = (
        "status",
        "retraction_reason",
        "published_at",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "slug",
                    "event_type",
                    "summary",
                    "loaded_version",
                    "confirm_duplicate",
                )
            },
        ),
        ("When", {"fields": ("date", "confirm_unusual_date")}),
        ("Where", {"fields": ("location_country", "location_name")}),
        ("Assessment", {"fields": ("verification", "importance")}),
        (
            "Publication",
            {
                "fields": ("status", "retraction_reason", "published_at"),
                "description": "The status changes only through the buttons at the top of "
                "this page and the actions on the event list (submit for review, publish, "
                "unpublish, retract).",
            },
        ),
        (
            "Record",
            {
                "fields": (("created_by", "created_at"), ("updated_by", "updated_at")),
                "classes": ("collapse",),
            },
        ),
        REASON_FIELDSET,
    )
    inlines = (
        ParticipationInline,
        CitationInline,
        AidMeasureInline,
        VoteRecordInline,
        RelatedEventInline,
    )
    actions = (
        actions.submit_for_review,
        actions.publish_events,
        actions.unpublish_events,
        actions.retract_events,
    )

    # One-click status changes on the event's own page; each calls the same service as the
    # list actions. Retracting needs a reason, so it stays an action on the list.
    STATUS_BUTTONS = {
        "submit": (
            "Submit for review",
            "Hand this draft to the editors.",
            services.event_submit_for_review,
            "submitted for review",
        ),
        "publish": (
            "Publish",
            "Readers will see it; needs a supporting citation.",
            services.event_publish,
            "published",
        ),
    }

    @property
    def media(self):
        # The participant filter's autocomplete (Django's select2) on the list too; its script
        # (autocomplete-extras.js) follows the media in the templates, after django.jQuery.
        autocomplete = AutocompleteSelect(Participation._meta.get_field("actor"), self.admin_site)
        return super().media + autocomplete.media

    def get_urls(self):
        return [
            path(
                "<path:object_id>/status/<slug:transition>/",
                self.admin_site.admin_view(self.status_view),
                name="events_event_status",
            ),
            *super().get_urls(),
        ]

    def _status_buttons(self, request, event: Event) -> list[dict]:
        offered = []
        if event.status == EventStatus.DRAFT and self.has_change_permission(request, event):
            offered.append("submit")
        if event.status in (EventStatus.DRAFT, EventStatus.IN_REVIEW) and (
            self.has_publish_permission(request)
        ):
            offered.append("publish")
        return [
            {
                "label": self.STATUS_BUTTONS[name][0],
                "help": self.STATUS_BUTTONS[name][1],
                "url": reverse("admin:events_event_status", args=[event.pk, name]),
            }
            for name in offered
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        event = self.get_object(request, unquote(object_id))
        if event is not None:
            extra_context = {
                **(extra_context or {}),
                "status_buttons": self._status_buttons(request, event),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    @method_decorator(require_POST)
    def status_view(self, request, object_id, transition):
        event = self.get_object(request, unquote(object_id))
        if event is None or transition not in self.STATUS_BUTTONS:
            raise Http404("No such event or status change.")
        if not self.has_change_permission(request, event):
            raise PermissionDenied
        _, _, service, done = self.STATUS_BUTTONS[transition]
        actions.apply_to_each(
            request, [event], lambda item: service(event=item, user=request.user), done
        )
        return HttpResponseRedirect(reverse("admin:events_event_change", args=[event.pk]))

    def save_model(self, request, obj, form, change):
        if change:
            # Status moves only through the services, never with a form, nor with a revert
            # from the history (whose record carries the status of its day).
            current = (
                Event.objects.filter(pk=obj.pk)
                .values("status", "retraction_reason", "published_at", "first_published_at")
                .first()
            )
            for name, value in (current or {}).items():
                setattr(obj, name, value)
        super().save_model(request, obj, form, change)
        obj.refresh_search_actors()

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "participations",
                    queryset=Participation.objects.select_related("actor").order_by("id"),
                )
            )
        )

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(services.PUBLISH_PERMISSION)

    @admin.display(description="date", ordering="date_lower")
    def display_date(self, obj: Event) -> str:
        return obj.display_date

    @admin.display(description="actors")
    def actor_names(self, obj: Event) -> str:
        names = list(dict.fromkeys(p.actor.display_name for p in obj.participations.all()))
        # Three names say who; a long UN roll would push the other columns off the screen.
        shown = ", ".join(names[:3])
        return f"{shown} and {len(names) - 3} more" if len(names) > 3 else shown


@admin.register(Participation)
class ParticipationAdmin(VersionedAdmin):
    list_display = ("event", "actor", "role")
    list_select_related = ("event", "actor")
    list_filter = ("role",)
    search_fields = ("event__title", "actor__name", "actor__short_name")
    autocomplete_fields = ("event", "actor")


@admin.register(EventRelation)
class EventRelationAdmin(VersionedAdmin):
    list_display = ("from_event", "kind", "to_event")
    list_select_related = ("from_event", "to_event")
    list_filter = ("kind",)
    search_fields = ("from_event__title", "to_event__title")
    autocomplete_fields = ("from_event", "to_event")


@admin.register(AidMeasure)
class AidMeasureAdmin(VersionedAdmin):
    list_display = ("event", "donor", "recipient", "kind", "action", "amount", "currency")
    list_select_related = ("event", "donor", "recipient")
    list_filter = ("kind", "action")
    search_fields = ("event__title", "donor__name", "recipient__name", "note")
    autocomplete_fields = ("event", "donor", "recipient")
