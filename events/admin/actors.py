"""Actors (states, organisations, organs, people …) and the posts people hold."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from events.admin.base import REASON_FIELDSET, DeletionRulesMixin, PreloadedInline, VersionedAdmin
from events.admin.merging import MergeActionMixin
from events.choices import ActorKind
from events.forms import ActorForm
from events.models import Actor, Role


class RoleInline(PreloadedInline, admin.TabularInline):
    """Posts held by this person (shown on people only)."""

    model = Role
    fk_name = "person"
    autocomplete_fields = ("organisation",)
    fields = ("title", "organisation", "start_date", "end_date")
    extra = 0
    verbose_name = "post held"
    verbose_name_plural = "posts held"


@admin.register(Actor)
class ActorAdmin(MergeActionMixin, DeletionRulesMixin, VersionedAdmin):
    form = ActorForm
    list_display = ("name", "kind", "short_name", "iso3", "parent", "events_link")
    list_select_related = ("parent",)
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "aliases", "iso3", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    readonly_fields = ("created_by", "created_at", "updated_by", "updated_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "short_name",
                    "slug",
                    "kind",
                    "parent",
                    "loaded_version",
                    "confirm_duplicate",
                )
            },
        ),
        ("Identifiers and names", {"fields": ("iso3", "wikidata_id", "aliases")}),
        ("Description", {"fields": ("description",)}),
        (
            "Voting rules",
            {
                "fields": ("voting_members", "votes_to_adopt", "veto_members"),
                "classes": ("collapse",),
                "description": "Only for bodies that vote; recorded votes are checked "
                "against these.",
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

    def get_inlines(self, request, obj):
        return (RoleInline,) if obj is not None and obj.kind == ActorKind.PERSON else ()

    @admin.display(description="events")
    def events_link(self, obj: Actor):
        url = reverse("admin:events_event_changelist")
        return format_html('<a href="{}?actor={}">Events</a>', url, obj.pk)


@admin.register(Role)
class RoleAdmin(VersionedAdmin):
    list_display = ("person", "title", "organisation", "start_date", "end_date")
    list_select_related = ("person", "organisation")
    search_fields = ("title", "person__name", "organisation__name")
    autocomplete_fields = ("person", "organisation")
    date_hierarchy = "start_date"
