"""Sources (the evidence) and the citations that tie them to events."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from events.admin.base import REASON_FIELDSET, DeletionRulesMixin, VersionedAdmin
from events.admin.merging import MergeActionMixin
from events.archiving import archive_later, snapshot_response
from events.choices import LinkStatus
from events.forms import SourceForm
from events.models import Citation, Source, SourceSnapshot


@admin.register(Source)
class SourceAdmin(MergeActionMixin, DeletionRulesMixin, VersionedAdmin):
    form = SourceForm
    # Curators paste addresses without a scheme; assume https (Django 6's default) not http.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = (
        "title",
        "kind",
        "publisher",
        "display_published",
        "citation_count",
        "display_link",
    )
    list_filter = ("kind", "language", "link_status")
    search_fields = ("title", "url", "publisher", "reference")
    readonly_fields = (
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
        "link_state",
        "archived_copies",
    )
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
        ("Archive and link", {"fields": ("link_state", "archived_copies")}),
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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or "url" in form.changed_data:
            archive_later(obj)  # archived in the background once this save commits

    @admin.display(description="published", ordering="published_on")
    def display_published(self, obj: Source) -> str:
        return obj.display_published

    @admin.display(description="citations", ordering="citation_total")
    def citation_count(self, obj: Source) -> int:
        return obj.citation_total

    @admin.display(description="link", ordering="link_status")
    def display_link(self, obj: Source) -> str:
        if obj.link_status == LinkStatus.DEAD:
            return f"Dead since {obj.link_failing_since:%d %b %Y}"
        return obj.get_link_status_display() if obj.url else "—"

    @admin.display(description="link")
    def link_state(self, obj: Source) -> str:
        """What the link checker found, and its last few checks."""
        if obj.pk is None or not obj.url:
            return "—"
        checks = obj.link_checks.all()[:5]
        return format_html(
            "<p>{}</p>{}",
            self.display_link(obj),
            format_html_join(
                "",
                "<p class='small'>{} — {}</p>",
                (
                    (f"{check.checked_at:%d %b %Y %H:%M}", "ok" if check.ok else check.reason)
                    for check in checks
                ),
            ),
        )

    @admin.display(description="archived copies")
    def archived_copies(self, obj: Source) -> str:
        """Each snapshot, newest first, opened in a sandbox (events.archiving.snapshot_response)."""
        if obj.pk is None:
            return "—"
        snapshots = obj.snapshots.defer("text")[:20]
        if not snapshots:
            return "None yet: a source with a URL is archived in the background after saving."
        return format_html_join(
            "",
            "<p><a href='{}' target='_blank' rel='noopener'>{}</a> — HTTP {}, {}, {} bytes, "
            "SHA-256 <code>{}</code></p>",
            (
                (
                    reverse("admin:events_source_snapshot", args=[obj.pk, snapshot.pk]),
                    f"{snapshot.fetched_at:%d %b %Y %H:%M}",
                    snapshot.status,
                    snapshot.content_type,
                    f"{snapshot.size:,}",
                    snapshot.sha256,
                )
                for snapshot in snapshots
            ),
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/snapshots/<int:snapshot_id>/",
                self.admin_site.admin_view(self.snapshot_view),
                name="events_source_snapshot",
            ),
            *super().get_urls(),
        ]

    def snapshot_view(self, request, object_id, snapshot_id):
        """A snapshot as it was fetched, for staff who may view the source."""
        source = self.get_object(request, unquote(object_id))
        if source is None or not self.has_view_permission(request, source):
            raise PermissionDenied
        snapshot = get_object_or_404(SourceSnapshot, pk=snapshot_id, source=source)
        return snapshot_response(snapshot, request, private=True)


@admin.register(Citation)
class CitationAdmin(DeletionRulesMixin, VersionedAdmin):
    list_display = ("event", "source", "stance", "locator")
    list_select_related = ("event", "source")
    list_filter = ("stance",)
    search_fields = ("event__title", "source__title", "source__url", "quote")
    autocomplete_fields = ("event", "source")
