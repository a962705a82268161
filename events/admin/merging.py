"""The admin's merge action for actors, sources and events: pick the record to keep, confirm."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from events import merging
from events.models import SlugRedirect


def _uses(obj) -> list[str]:
    """“3 participations (actor)”: what refers to the record, from the merge's own list."""
    found = []
    for fk in merging.references(type(obj)):
        count = fk.model._base_manager.filter(**{fk.attname: obj.pk}).count()
        if count:
            found.append(f"{count} {fk.model._meta.verbose_name_plural} ({fk.verbose_name})")
    return found


@admin.action(description="Merge the two selected duplicates…", permissions=["merge"])
def merge_duplicates(modeladmin, request, queryset):
    """Asks which of the two selected records to keep, then merges the other into it."""
    records = list(queryset.order_by("pk")[:3])
    if len(records) != 2:
        modeladmin.message_user(
            request, "Select exactly two records to merge.", level=messages.WARNING
        )
        return None
    chosen = request.POST.get("keep")
    if "apply" in request.POST and chosen in {str(record.pk) for record in records}:
        keep = next(record for record in records if str(record.pk) == chosen)
        remove = next(record for record in records if record is not keep)
        try:
            report = merging.merge(keep=keep, remove=remove, user=request.user)
        except merging.MergeError as exc:
            modeladmin.message_user(request, f"Not merged: {exc}", level=messages.ERROR)
            return None
        except PermissionDenied as exc:
            modeladmin.message_user(request, str(exc), level=messages.ERROR)
            return None
        modeladmin.message_user(request, report.summary(), level=messages.SUCCESS)
        opts = keep._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[keep.pk])
        )
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"Merge two {modeladmin.model._meta.verbose_name_plural}",
        "opts": modeladmin.model._meta,
        "records": [(record, _uses(record)) for record in records],
        "action_name": "merge_duplicates",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "missing_choice": "apply" in request.POST,
    }
    return TemplateResponse(request, "admin/events/merge_confirmation.html", context)


class MergeActionMixin:
    """Adds the merge action, offered to editors only (events.merging.may_merge)."""

    def get_actions(self, request):
        found = super().get_actions(request)
        if self.has_merge_permission(request):
            found["merge_duplicates"] = self.get_action(merge_duplicates)
        return found

    def has_merge_permission(self, request) -> bool:
        return merging.may_merge(request.user)


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    """The merged records, read-only: written by merges (events.merging) and nothing else."""

    list_display = ("old_name", "content_type", "old_slug", "target_link", "merged_at", "merged_by")
    list_filter = ("content_type",)
    search_fields = ("old_slug", "old_name")
    list_select_related = ("content_type", "merged_by")
    date_hierarchy = "merged_at"

    @admin.display(description="merged into")
    def target_link(self, obj: SlugRedirect):
        opts = obj.content_type.model_class()._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.target_id])
        history = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.old_id])
        return format_html(
            '<a href="{}">#{}</a> (<a href="{}">history of the merged record</a>)',
            url,
            obj.target_id,
            history,
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the old addresses must keep leading somewhere
