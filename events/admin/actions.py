"""Event status changes: every one goes through events.services, which holds the rules."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.actions import delete_selected
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
    """Run one service call per event; report successes together and each refusal on its own."""
    changed = []
    for event in queryset:
        try:
            change(event)
        except (ValidationError, PermissionDenied, ConcurrentEditError) as exc:
            messages.error(request, f"“{event}” was not {done}: {_reason(exc)}")
        else:
            changed.append(event.title)
    if changed:
        titles = ", ".join(f"“{title}”" for title in changed)
        noun = "event" if len(changed) == 1 else "events"
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


@admin.action(description="Delete the selected drafts", permissions=["delete"])
def delete_selected_drafts(modeladmin, request, queryset):
    """Django's bulk delete, refused up front if any selected event was ever published."""
    blockers = [services.event_deletion_blocker(event) for event in queryset]
    blockers = [reason for reason in blockers if reason]
    if blockers:
        for reason in blockers:
            messages.error(request, reason)
        messages.error(request, "Nothing was deleted.")
        return None
    return delete_selected(modeladmin, request, queryset)
