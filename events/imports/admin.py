"""Imports in the admin: upload a file, read its dry-run report as a table, import it on
confirmation, follow a background import's progress, and undo an import."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from events.imports.models import Import, ImportFormat, ImportItem, ImportStatus
from events.imports.pipeline import max_upload_bytes, start_import
from events.imports.summary import count_rows, outcome
from events.imports.undo import undo_problems, undo_start


class UploadForm(forms.Form):
    file = forms.FileField(help_text="CSV, XLSX, JSON or JSONL (docs/importing.md).")
    format = forms.ChoiceField(
        choices=[("", "Guess from the file"), *ImportFormat.choices], required=False
    )
    skip_invalid = forms.BooleanField(
        required=False, help_text="Import the valid rows even when some are invalid."
    )
    publish_cited = forms.BooleanField(
        required=False, help_text="Publish rows that cite a supporting source (editors only)."
    )
    create_actors = forms.BooleanField(
        required=False, help_text="Create actors for names no actor answers to."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise ValidationError(
                f"The file is {upload.size / 1e6:.0f} MB; imports take at most "
                f"{max_upload_bytes() // (1024 * 1024)} MB."
            )
        return upload


class ImportItemInline(admin.TabularInline):
    model = ImportItem
    fields = ("action", "content_type", "object_id", "row", "version_after")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("content_type")


@admin.register(Import)
class ImportAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "file_name",
        "format",
        "status",
        "progress",
        "created_count",
        "updated_count",
        "unchanged_count",
        "rejected_count",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "format", "dry_run")
    search_fields = ("file_name", "sha256")
    list_select_related = ("created_by",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "file_name",
        "format",
        "status",
        "progress",
        "outcome",
        "counts",
        "problems",
        "duplicates",
        "notes",
        "sha256",
        "options",
        "created_by",
        "created_at",
        "finished_at",
    )
    fields = readonly_fields
    inlines = [ImportItemInline]
    change_form_template = "admin/imports/import/change_form.html"
    change_list_template = "admin/imports/import/change_list.html"

    def has_add_permission(self, request) -> bool:
        return False  # through the upload page, which runs the pipeline

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a log: undo is its one action

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        own = [
            path("upload/", self.admin_site.admin_view(self.upload), name="imports_upload"),
            path(
                "<int:pk>/confirm/",
                self.admin_site.admin_view(self.confirm),
                name="imports_confirm",
            ),
            path("<int:pk>/undo/", self.admin_site.admin_view(self.undo), name="imports_undo"),
        ]
        return own + super().get_urls()

    # --- columns -----------------------------------------------------------------------

    @admin.display(description="progress")
    def progress(self, obj: Import) -> str:
        if obj.status in (ImportStatus.QUEUED, ImportStatus.RUNNING) and obj.rows_total:
            return f"{obj.rows_done} / {obj.rows_total} ({100 * obj.rows_done // obj.rows_total}%)"
        return obj.get_status_display()

    @admin.display(description="outcome")
    def outcome(self, obj: Import) -> str:
        return outcome(obj)

    @admin.display(description="counts")
    def counts(self, obj: Import) -> str:
        return format_html(
            '<table class="import-counts">{}</table>',
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", count_rows(obj)),
        )

    @admin.display(description="rows to fix")
    def problems(self, obj: Import) -> str:
        problems = obj.report.get("problems", [])
        if not problems:
            return "None"
        return format_html(
            '<table class="import-problems"><thead><tr><th>Row</th><th>Column</th>'
            "<th>What to fix</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                ((p["row"], p["column"], p["message"]) for p in problems[:1000]),
            ),
        )

    @admin.display(description="may repeat recorded events")
    def duplicates(self, obj: Import) -> str:
        found = obj.report.get("duplicates", [])
        if not found:
            return "None found"

        def cells(entry):
            links = format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                ((reverse("embeds:event", args=[o["slug"]]), o["title"]) for o in entry["of"]),
            )
            why = ("likely: " if entry["likely"] else "") + ", ".join(entry["of"][0]["reasons"])
            return entry["row"], entry["slug"], links, why

        return format_html(
            '<table class="import-duplicates"><thead><tr><th>Row</th><th>New event</th>'
            "<th>May repeat</th><th>Why</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (cells(entry) for entry in found[:1000]),
            ),
        )

    @admin.display(description="notes")
    def notes(self, obj: Import) -> str:
        report = obj.report
        lines = [
            *report.get("notes", []),
            *(f"Actor created: {name}" for name in report.get("actors_created", [])),
            *(f"No actor answers to “{name}”" for name in report.get("unmatched_actors", [])),
            *(f"Group “{g}” → {m}" for g, m in report.get("groups", {}).items()),
        ]
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((line,) for line in lines))
        )

    # --- views -------------------------------------------------------------------------

    def upload(self, request):
        if not request.user.has_perm("imports.add_import"):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            dry = start_import(
                data=upload.read(),
                file_name=upload.name,
                user=request.user,
                format=form.cleaned_data["format"] or None,
                dry_run=True,
                skip_invalid=form.cleaned_data["skip_invalid"],
                publish_cited=form.cleaned_data["publish_cited"],
                create_actors=form.cleaned_data["create_actors"],
            )
            return HttpResponseRedirect(reverse("admin:imports_import_change", args=[dry.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Import a file",
            "form": form,
            "opts": self.model._meta,
            "max_mb": max_upload_bytes() // (1024 * 1024),
        }
        return TemplateResponse(request, "admin/imports/import/upload.html", context)

    def confirm(self, request, pk: int):
        dry = get_object_or_404(Import, pk=pk, dry_run=True)
        if request.method != "POST" or not request.user.has_perm("imports.add_import"):
            raise PermissionDenied
        if dry.content is None or dry.status != ImportStatus.DRY_RUN:
            self.message_user(
                request, "This dry run cannot be imported: upload the file again.", messages.ERROR
            )
            return HttpResponseRedirect(reverse("admin:imports_import_change", args=[pk]))
        real = start_import(
            data=bytes(dry.content),
            file_name=dry.file_name,
            user=request.user,
            format=dry.format,
            **dry.options,
        )
        Import.objects.filter(pk=dry.pk).update(content=None)
        self.message_user(request, outcome(real), messages.INFO)
        return HttpResponseRedirect(reverse("admin:imports_import_change", args=[real.pk]))

    def undo(self, request, pk: int):
        import_run = get_object_or_404(Import, pk=pk)
        if request.method != "POST" or not request.user.has_perm("imports.change_import"):
            raise PermissionDenied
        try:
            counts = undo_start(import_run=import_run, user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                self.message_user(request, message, messages.ERROR)
        else:
            if counts is None:
                self.message_user(
                    request,
                    f"{import_run} is being undone in the background; this page says when it "
                    "is done.",
                    messages.INFO,
                )
                return HttpResponseRedirect(reverse("admin:imports_import_change", args=[pk]))
            self.message_user(
                request,
                f"{import_run} undone: {counts['deleted']} deleted, {counts['restored']} put "
                f"back, {counts['kept']} kept (used elsewhere since).",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:imports_import_change", args=[pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {
            "can_confirm": obj is not None
            and obj.dry_run
            and obj.status == ImportStatus.DRY_RUN
            and obj.content is not None
            and request.user.has_perm("imports.add_import"),
            "can_undo": obj is not None
            and request.user.has_perm("imports.change_import")
            and obj.status in (ImportStatus.DONE, ImportStatus.FAILED),
            "undo_problems": undo_problems(obj)
            if obj is not None and obj.status in (ImportStatus.DONE, ImportStatus.FAILED)
            else [],
            "running": obj is not None
            and obj.status in (ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.UNDOING),
            "undoing": obj is not None and obj.status == ImportStatus.UNDOING,
            "undo_refused": (obj.report or {}).get("undo_refused", []) if obj is not None else [],
        }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})
