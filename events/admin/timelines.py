"""Timelines: curated entries in order, or a saved query computed on read."""

from django.contrib import admin

from events import services
from events.admin import actions
from events.admin.base import REASON_FIELDSET, PreloadedInline, VersionedAdmin
from events.models import Timeline, TimelineEntry


class TimelineEntryInline(PreloadedInline, admin.TabularInline):
    model = TimelineEntry
    autocomplete_fields = ("event",)
    fields = ("position", "event", "caption")
    ordering = ("position", "id")
    extra = 0


@admin.register(Timeline)
class TimelineAdmin(VersionedAdmin):
    list_display = ("title", "kind", "status", "updated_at")
    list_filter = ("kind", "status")
    search_fields = ("title", "slug", "description")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("query_actors", "query_types")
    # Publishing is an editor's decision (as for events): the status changes only through the
    # list actions, which call events.services.
    readonly_fields = ("status", "created_by", "created_at", "updated_by", "updated_at")
    actions = (actions.publish_timelines, actions.unpublish_timelines)
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "status", "description", "loaded_version")}),
        (
            "Saved query",
            {
                "fields": ("query_actors", "query_types", ("query_from", "query_to")),
                "description": "For a saved-query timeline: the published events involving any "
                "of these actors, of any of these types (subtypes included), overlapping the "
                "period. Curated timelines use the entries below instead.",
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
    inlines = (TimelineEntryInline,)

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(services.PUBLISH_PERMISSION)

    def save_model(self, request, obj, form, change):
        if change:
            # Not even a revert from the history (whose record carries the status of its day)
            # publishes or unpublishes: only the actions do.
            obj.status = Timeline.objects.filter(pk=obj.pk).values_list("status", flat=True).get()
        super().save_model(request, obj, form, change)


@admin.register(TimelineEntry)
class TimelineEntryAdmin(VersionedAdmin):
    list_display = ("timeline", "position", "event", "caption")
    list_select_related = ("timeline", "event")
    list_filter = (("timeline", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("timeline__title", "event__title", "caption")
    autocomplete_fields = ("timeline", "event")
    ordering = ("timeline", "position", "id")
