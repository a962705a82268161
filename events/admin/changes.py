"""The changes feed's log, read-only: it is written by events.public_changes and nothing else."""

from django.contrib import admin

from events.models import PublicChange


@admin.register(PublicChange)
class PublicChangeAdmin(admin.ModelAdmin):
    list_display = ("id", "at", "kind", "slug", "event")
    list_filter = ("kind",)
    search_fields = ("slug",)
    list_select_related = ("event",)
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # append-only: sync clients rely on every change staying listed
