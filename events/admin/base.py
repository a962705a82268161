"""What every curated model's admin shares: authorship stamps, revisions (history and revert),
optimistic locking, and inline rows that render without a query each."""

import json

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import NestedObjects, unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from events import merging, reviews, revisions, services
from events.authorship import stamp_author
from events.forms import VersionedModelForm, describe_duplicates
from events.models import ConcurrentEditError
from events.models.base import VersionedModel, aggregate_root


def describe_use(obj):
    """“Participation “Russia (Initiator)” in the event “Summit in Alaska”” with a link."""
    opts = obj._meta
    event = getattr(obj, "event", None)
    text = f"{capfirst(opts.verbose_name)} “{obj}”"
    if event is not None and event is not obj:
        text += f" in the event “{event}”"
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return text
    return format_html('<a href="{}">{}</a>', url, text)


class CuratedAdmin(admin.ModelAdmin):
    """Revisions (each save with its inline rows, viewable and revertable) and
    created_by/updated_by on the row and its inlines."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        parent = super().changeform_view
        return self._reviewed(request, lambda: parent(request, object_id, form_url, extra_context))

    def delete_view(self, request, object_id, extra_context=None):
        parent = super().delete_view
        return self._reviewed(request, lambda: parent(request, object_id, extra_context))

    def changelist_view(self, request, extra_context=None):
        parent = super().changelist_view
        return self._reviewed(request, lambda: parent(request, extra_context))

    def _reviewed(self, request, view):
        """Run a page that may write: one revision (the request middleware opens it; this
        holds for any other caller too), held for an editor's review when it changes
        published content and the user may not publish (events.reviews)."""
        if request.method != "POST":
            return view()
        with revisions.recorded(request.user):
            outcome = reviews.write_or_propose(user=lambda: request.user, write=view)
        for review in outcome.held:
            _replace_success_messages(request)
            url = reverse("admin:events_revisionreview_change", args=[review.pk])
            messages.warning(
                request,
                format_html(
                    "Your change to “{}” waits for an editor's review: readers keep seeing the "
                    'published version until it is approved. <a href="{}">See the proposed '
                    "change</a>.",
                    review.root_repr,
                    url,
                ),
            )
        return outcome.result

    class Media:
        css = {"all": ["events/admin/fit.css"]}  # fits a laptop's screen (1280 px, and 1024)

    def save_model(self, request, obj, form, change):
        _add_reason(form.cleaned_data.get("change_reason", ""))
        stamp_author(obj, request.user)
        super().save_model(request, obj, form, change)
        found = getattr(form, "duplicates", None)
        if found:  # possible duplicates, or likely ones the curator confirmed: said, not stopped
            messages.warning(
                request,
                format_html(
                    "“{}” resembles {}. Check that they are different records.",
                    obj,
                    describe_duplicates(found),
                ),
            )

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        # Additions first: a new supporting citation lets the old one go (Citation.delete).
        for obj in instances:
            stamp_author(obj, request.user)
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    # The admin's own description of a change ("Changed title. Added citation …") is the
    # revision's reason when the curator gives none.
    def log_addition(self, request, obj, message):
        _add_reason(_message_text(message))
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        _add_reason(_message_text(message))
        return super().log_change(request, obj, message)

    # History: the revisions of the object's aggregate, and revert --------------------------

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/<int:revision_id>/revert/",
                self.admin_site.admin_view(self.revert_view),
                name=f"{opts.app_label}_{opts.model_name}_revert",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        merged = None
        if obj is None:
            # A record merged into another keeps its history under its own id.
            merged = merging.merged_record(self.model, unquote(object_id))
            if merged is None:
                raise Http404(f"No {self.opts.verbose_name} with the id “{object_id}”.")
            obj = merged.placeholder
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        root, root_history_url = aggregate_root(obj), None
        if root is not None and root is not obj:
            root_opts = root._meta
            root_history_url = reverse(
                f"admin:{root_opts.app_label}_{root_opts.model_name}_history", args=[root.pk]
            )
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {obj}",
            "opts": self.opts,
            "object": obj,
            "entries": revisions.history(obj),
            "can_revert": merged is None and self._can_revert(request, obj),
            "merged": merged,
            "has_parts": bool(revisions.FOLLOW.get(self.opts.label_lower)),
            "root": root,
            "root_history_url": root_history_url,
            "proposals": reviews.proposals_for(obj),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/events/revision_history.html", context)

    def _can_revert(self, request, obj) -> bool:
        return isinstance(obj, VersionedModel) and self.has_change_permission(request, obj)

    def revert_view(self, request, object_id, revision_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with the id “{object_id}”.")
        if not self._can_revert(request, obj):
            raise PermissionDenied
        target = revisions.state_at(obj, revision_id)
        if target is None:
            raise Http404("That revision does not record this object.")
        history_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[obj.pk]
        )
        if request.method == "POST":
            try:
                version = int(request.POST.get("loaded_version", ""))
            except ValueError:
                version = -1
            try:
                # A curator's revert of published content is a change like any other: it
                # waits for an editor.
                outcome = reviews.write_or_propose(
                    user=lambda: request.user,
                    write=lambda: revisions.revert(
                        root=obj,
                        revision_id=revision_id,
                        user=request.user,
                        version=version,
                        reason=request.POST.get("reason", "")[:500],
                    ),
                )
            except ConcurrentEditError as exc:
                messages.error(request, f"{exc} Nothing was reverted.")
                return HttpResponseRedirect(history_url)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages) + " Nothing was reverted.")
                return HttpResponseRedirect(history_url)
            if outcome.held:
                messages.warning(
                    request,
                    f"Your revert of “{obj}” waits for an editor's review: readers keep seeing "
                    "the published version until it is approved.",
                )
            else:
                messages.success(request, f"“{obj}” was reverted; the revert is in its history.")
            return HttpResponseRedirect(history_url)
        status = getattr(obj, "get_status_display", None)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Revert “{obj}”",
            "opts": self.opts,
            "object": obj,
            "revision": revisions.Revision.objects.select_related("user").get(pk=revision_id),
            "diff": revisions.diff(revisions.current_state(obj), target),
            "version": obj.version,
            "kept": status().lower() if status else "",
        }
        return TemplateResponse(request, "admin/events/revision_revert.html", context)

    def get_deleted_objects(self, objs, request):
        # Django refuses to delete PROTECTed rows still in use; name each use and its event,
        # so the curator knows what to change first.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            collector = NestedObjects(using=router.db_for_write(self.model))
            collector.collect(objs)
            protected = sorted((describe_use(obj) for obj in collector.protected), key=str)
        return deleted, counts, perms_needed, protected


class DeletionRulesMixin:
    """Deleting follows events.services.deletion_problem (never what was once published;
    curators only what they created): the delete page and the bulk action refuse with its
    message, and the “Delete” link is hidden where it would be refused."""

    def has_delete_permission(self, request, obj=None) -> bool:
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or services.deletion_problem(obj=obj, user=request.user) is None

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        problem = obj and services.deletion_problem(obj=obj, user=request.user)
        if problem:
            messages.error(request, problem)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            )
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        found = super().get_actions(request)
        if "delete_selected" in found:
            found["delete_selected"] = (
                delete_selected_allowed,
                "delete_selected",
                delete_selected_allowed.short_description,
            )
        return found


@admin.action(description="Delete the selected %(verbose_name_plural)s", permissions=["delete"])
def delete_selected_allowed(modeladmin, request, queryset):
    """Django's bulk delete, refused whole if the rules forbid deleting any selected object."""
    problems = [services.deletion_problem(obj=obj, user=request.user) for obj in queryset]
    problems = [problem for problem in problems if problem]
    if problems:
        for problem in problems:
            messages.error(request, problem)
        messages.error(request, "Nothing was deleted.")
        return None
    return delete_selected(modeladmin, request, queryset)


class VersionedAdmin(CuratedAdmin):
    """For VersionedModel rows: a stale form gets a conflict error instead of overwriting.

    The form compares the version it carries with the row's (see VersionedModelForm); if
    another save slips in between that check and ours, the model raises ConcurrentEditError
    and the whole change is rolled back: the curator is sent to the history with a message.
    """

    form = VersionedModelForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEditError as exc:
            return self._conflict_response(request, exc)

    def _conflict_response(self, request, exc: ConcurrentEditError):
        opts = exc.obj._meta  # for a part of an aggregate, the root that moved (the event)
        messages.error(request, f"{exc} Nothing of your change was saved.")
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[exc.obj.pk])
        )


# The last fieldset of a versioned object's form: why, for the history (VersionedModelForm).
REASON_FIELDSET = ("History", {"fields": ("change_reason",)})


def _replace_success_messages(request) -> None:
    """A held change was not made: drop the admin's “… was changed successfully”."""
    storage = messages.get_messages(request)
    queued = getattr(storage, "_queued_messages", None)
    if queued is not None:
        storage._queued_messages = [m for m in queued if m.level != messages.SUCCESS]


def _add_reason(reason: str) -> None:
    frame = revisions.current()
    if frame is not None:
        frame.add_reason(reason)


def _message_text(message) -> str:
    """The admin's change message (a list of changes) as the sentence its log shows."""
    if isinstance(message, list):
        message = json.dumps(message)
    return LogEntry(change_message=message).get_change_message()


class RowAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that shows its row's chosen object from the row itself.

    Django's AutocompleteSelect looks the chosen object up with a query of its own, once per
    widget: a 193-member vote roll cost 193 queries. PreloadedInline's formset hands each
    row's widget the object the row already holds (`chosen`); any other value (a changed row
    sent back with errors) is looked up as before.
    """

    chosen = None  # (value, label) of the row's stored object, set by PreloadedFormSet

    def optgroups(self, name, value, attr=None):
        values = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if self.chosen is None or values != [self.chosen[0]]:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        options.append(self.create_option(name, *self.chosen, True, len(options)))
        return [(None, options, 0)]


class PreloadedFormSet(BaseInlineFormSet):
    """Gives each row's RowAutocompleteSelect the related object its instance has loaded."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # the related-links wrapper
            if not isinstance(widget, RowAutocompleteSelect):
                continue
            model_field = widget.field
            if not model_field.is_cached(form.instance):
                continue
            related = getattr(form.instance, name)
            if related is not None:
                value = getattr(related, model_field.target_field.attname)
                widget.chosen = (str(value), field.label_from_instance(related))
        return form


class PreloadedInline:
    """Mixin for inlines: their autocomplete fields' objects come with the rows (one join),
    not one query per row and field."""

    formset = PreloadedFormSet

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.autocomplete_fields)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                RowAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
