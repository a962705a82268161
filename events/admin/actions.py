"""Event status changes: every one goes through events.services, which holds the rules."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse

from events import services
from events.forms import RetractForm
from events.models import ConcurrentEditError, Event


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def apply_to_each(request, queryset, change: Callable[[Event], object], done: str) -> None:
    """Run one service call per object; report successes together and each refusal on its own."""
    changed = []
    for obj in queryset:
        try:
            change(obj)
        except (ValidationError, PermissionDenied, ConcurrentEditError) as exc:
            reason = _reason(exc)
            # The services' messages usually name the object already: say it once.
            named = f"“{obj}”" in reason
            messages.error(request, reason if named else f"“{obj}” was not {done}: {reason}")
        else:
            changed.append(obj.title)
    if changed:
        titles = ", ".join(f"“{title}”" for title in changed)
        opts = queryset.model._meta if hasattr(queryset, "model") else Event._meta
        noun = opts.verbose_name if len(changed) == 1 else opts.verbose_name_plural
        messages.success(request, f"{len(changed)} {noun} {done}: {titles}.")


@admin.action(description="Publish the selected events", permissions=["publish"])
def publish_events(modeladmin, request, queryset):
    apply_to_each(
        request,
        queryset,
        lambda event: services.event_publish(event=event, user=request.user),
        "published",
    )


@admin.action(description="Unpublish the selected events (back to draft)", permissions=["publish"])
def unpublish_events(modeladmin, request, queryset):
    apply_to_each(
        request,
        queryset,
        lambda event: services.event_unpublish(event=event, user=request.user),
        "unpublished",
    )


@admin.action(description="Retract the selected events…", permissions=["publish"])
def retract_events(modeladmin, request, queryset):
    """Asks for the reason readers will see, then retracts each published event."""
    form = RetractForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        apply_to_each(
            request,
            queryset,
            lambda event: services.event_retract(event=event, user=request.user, reason=reason),
            "retracted",
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Retract events",
        "opts": modeladmin.model._meta,
        "events": queryset,
        "form": form,
        "action_name": "retract_events",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/events/event/retract_confirmation.html", context)


@admin.action(description="Submit the selected drafts for review", permissions=["change"])
def submit_for_review(modeladmin, request, queryset):
    apply_to_each(
        request,
        queryset,
        lambda event: services.event_submit_for_review(event=event, user=request.user),
        "submitted for review",
    )


@admin.action(description="Publish the selected timelines", permissions=["publish"])
def publish_timelines(modeladmin, request, queryset):
    apply_to_each(
        request,
        queryset,
        lambda timeline: services.timeline_publish(timeline=timeline, user=request.user),
        "published",
    )


@admin.action(
    description="Unpublish the selected timelines (back to draft)", permissions=["publish"]
)
def unpublish_timelines(modeladmin, request, queryset):
    apply_to_each(
        request,
        queryset,
        lambda timeline: services.timeline_unpublish(timeline=timeline, user=request.user),
        "unpublished",
    )
