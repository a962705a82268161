"""Timelines: curated entries in order, or a saved query computed on read."""

from django.contrib import admin

from events.admin.base import PreloadedInline, VersionedAdmin
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
    readonly_fields = ("created_by", "created_at", "updated_by", "updated_at")
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
    )
    inlines = (TimelineEntryInline,)


@admin.register(TimelineEntry)
class TimelineEntryAdmin(VersionedAdmin):
    list_display = ("timeline", "position", "event", "caption")
    list_select_related = ("timeline", "event")
    list_filter = (("timeline", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("timeline__title", "event__title", "caption")
    autocomplete_fields = ("timeline", "event")
    ordering = ("timeline", "position", "id")
