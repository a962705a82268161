"""Sources (the evidence) and the citations that tie them to events."""

from django.contrib import admin
from django.db import models
from django.db.models import Count

from events.admin.base import REASON_FIELDSET, DeletionRulesMixin, VersionedAdmin
from events.admin.merging import MergeActionMixin
from events.forms import SourceForm
from events.models import Citation, Source


@admin.register(Source)
class SourceAdmin(MergeActionMixin, DeletionRulesMixin, VersionedAdmin):
    form = SourceForm
    # Curators paste addresses without a scheme; assume https (Django 6's default) not http.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("title", "kind", "publisher", "display_published", "citation_count")
    list_filter = ("kind", "language")
    search_fields = ("title", "url", "publisher", "reference")
    readonly_fields = ("created_by", "created_at", "updated_by", "updated_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "kind",
                    "title",
                    "url",
                    "reference",
                    "loaded_version",
                    "confirm_duplicate",
                )
            },
        ),
        (
            "Publication",
            {
                "fields": (
                    "publisher",
                    "authors",
                    ("published_on", "published_precision", "published_approximate"),
                    "language",
                )
            },
        ),
        ("Copies", {"fields": ("archive_url", "full_text"), "classes": ("collapse",)}),
        (
            "Record",
            {
                "fields": (("created_by", "created_at"), ("updated_by", "updated_at")),
                "classes": ("collapse",),
            },
        ),
        REASON_FIELDSET,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_total=Count("citations"))

    @admin.display(description="published", ordering="published_on")
    def display_published(self, obj: Source) -> str:
        return obj.display_published

    @admin.display(description="citations", ordering="citation_total")
    def citation_count(self, obj: Source) -> int:
        return obj.citation_total


@admin.register(Citation)
class CitationAdmin(DeletionRulesMixin, VersionedAdmin):
    list_display = ("event", "source", "stance", "locator")
    list_select_related = ("event", "source")
    list_filter = ("stance",)
    search_fields = ("event__title", "source__title", "source__url", "quote")
    autocomplete_fields = ("event", "source")
