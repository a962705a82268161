"""Ingestion in the admin: "New from article" (a URL, pasted text or an HTML file), and the
review queue: candidates grouped by article, each sentence highlighted in its paragraph, with
accept, accept into and reject as plain forms and buttons (keyboard friendly: every action is a
real button, in reading order). The rules are in events.ingestion.services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from events import dates
from events.ingestion import services
from events.ingestion.models import Candidate, CandidateState, Ingestion
from events.ingestion.reading import MAX_TEXT_CHARS
from events.models import Event, EventType

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class NewFromArticleForm(forms.Form):
    url = forms.URLField(
        label="URL",
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text="The article's address.",
    )
    text = forms.CharField(
        required=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text="Or paste the article's text: one paragraph a line.",
    )
    file = forms.FileField(
        label="HTML file", required=False, help_text="Or upload a page saved from a browser."
    )
    title = forms.CharField(required=False, max_length=500, help_text="With pasted text.")
    published = forms.DateField(
        label="publication date",
        required=False,
        help_text="With pasted text (YYYY-MM-DD): relative dates are read from it.",
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES:,} bytes.")
        return upload

    def clean(self):
        data = super().clean()
        given = [name for name in ("url", "text", "file") if data.get(name)]
        if len(given) != 1 and not self.errors:
            raise ValidationError("Give exactly one: a URL, pasted text or an HTML file.")
        return data


class AcceptForm(forms.Form):
    title = forms.CharField(required=False, max_length=300)
    event_type = forms.ModelChoiceField(EventType.objects.all(), label="Type")
    date = forms.CharField(required=False, max_length=10, help_text="YYYY, YYYY-MM or YYYY-MM-DD")


class AcceptIntoForm(forms.Form):
    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"] = forms.ModelChoiceField(
            Event.objects.all(),
            label="Or another event",
            required=False,  # a duplicate's own button submits the form without it
            widget=AutocompleteSelect(Candidate._meta.get_field("event"), admin_site),
        )


@admin.register(Ingestion)
class IngestionAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "title",
        "kind",
        "status",
        "candidate_count",
        "accepted_count",
        "merged_count",
        "rejected_count",
        "skipped_count",
        "created_by",
        "created_at",
    )
    list_display_links = ("id", "title")
    list_filter = ("status", "kind")
    search_fields = ("title", "url", "file_name", "sha256")
    list_select_related = ("created_by",)
    date_hierarchy = "created_at"
    change_list_template = "admin/ingestion/ingestion/change_list.html"

    def has_add_permission(self, request) -> bool:
        return False  # through "New from article", which reads the article

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a log; the review page is where candidates are decided

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        own = [
            path("new/", view(self.new), name="ingestion_new"),
            path("queue/", view(self.queue), name="ingestion_queue"),
            path("<int:pk>/review/", view(self.review), name="ingestion_review"),
            path(
                "candidate/<int:pk>/<str:action>/",
                view(self.decide),
                name="ingestion_candidate_decide",
            ),
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:ingestion_review", args=[object_id]))

    # --- views -------------------------------------------------------------------------

    def _require(self, request) -> None:
        if not services.may_ingest(request.user):
            raise PermissionDenied

    def new(self, request):
        self._require(request)
        form = NewFromArticleForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if data["url"]:
                    ingestion = services.ingest_url(url=data["url"], user=request.user)
                elif data["file"]:
                    ingestion = services.ingest_html(
                        data=data["file"].read(), file_name=data["file"].name, user=request.user
                    )
                else:
                    ingestion = services.ingest_text(
                        text=data["text"],
                        title=data["title"],
                        published=data["published"],
                        user=request.user,
                    )
            except services.IngestRefused as exc:
                form.add_error(None, exc.reason)
            else:
                self.message_user(
                    request,
                    f"{ingestion}: {ingestion.candidate_count} candidate(s) to review"
                    + (
                        f", {ingestion.skipped_count} rejected before and not proposed again."
                        if ingestion.skipped_count
                        else "."
                    ),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:ingestion_review", args=[ingestion.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "New from article",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/ingestion/ingestion/new.html", context)

    def queue(self, request):
        self._require(request)
        pending = Ingestion.objects.filter(candidates__state=CandidateState.PENDING).distinct()
        return self._review_page(request, pending, "Candidates to review", only_pending=True)

    def review(self, request, pk: int):
        self._require(request)
        ingestion = get_object_or_404(Ingestion, pk=pk)
        return self._review_page(
            request, Ingestion.objects.filter(pk=ingestion.pk), f"Review: {ingestion}"
        )

    def _review_page(self, request, ingestions, title: str, only_pending: bool = False):
        candidates = Candidate.objects.select_related("event_type", "event").prefetch_related(
            "actors", "duplicates"
        )
        if only_pending:
            candidates = candidates.filter(state=CandidateState.PENDING)
        ingestions = ingestions.select_related("source").prefetch_related(
            Prefetch("candidates", queryset=candidates)
        )
        groups = [
            {
                "ingestion": ingestion,
                "rows": [self._row(c, ingestion) for c in ingestion.candidates.all()],
            }
            for ingestion in ingestions
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "groups": groups,
            "opts": self.model._meta,
            "media": self.media + AcceptIntoForm(admin_site=self.admin_site).media,
            "only_pending": only_pending,
            "next": request.get_full_path(),
        }
        return TemplateResponse(request, "admin/ingestion/ingestion/review.html", context)

    def _row(self, candidate: Candidate, ingestion: Ingestion) -> dict:
        paragraphs = ingestion.paragraphs
        paragraph = (
            paragraphs[candidate.paragraph - 1]
            if 0 < candidate.paragraph <= len(paragraphs)
            else ""
        )
        before, found, after = paragraph.partition(candidate.sentence)
        date = (
            dates.edtf_date(candidate.start_date, candidate.precision)
            if candidate.start_date
            else ""
        )
        return {
            "candidate": candidate,
            "highlighted": format_html("{}<mark>{}</mark>{}", before, found, after)
            if found
            else None,
            "paragraph": paragraph,
            "date": date,
            "accept_form": AcceptForm(
                initial={"event_type": candidate.event_type_id, "date": date},
                prefix=f"c{candidate.pk}",
            ),
            "into_form": AcceptIntoForm(admin_site=self.admin_site, prefix=f"i{candidate.pk}"),
        }

    def decide(self, request, pk: int, action: str):
        self._require(request)
        if request.method != "POST" or action not in ("accept", "accept-into", "reject"):
            raise PermissionDenied
        candidate = get_object_or_404(Candidate.objects.select_related("ingestion"), pk=pk)
        back = request.POST.get("next") or reverse(
            "admin:ingestion_review", args=[candidate.ingestion_id]
        )
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("admin:ingestion_review", args=[candidate.ingestion_id])
        try:
            message = self._apply(request, candidate, action)
        except ValidationError as exc:
            for text in exc.messages:
                self.message_user(request, text, messages.ERROR)
        else:
            self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(back)

    def _apply(self, request, candidate: Candidate, action: str):
        if action == "reject":
            services.reject(candidate=candidate, user=request.user)
            return "Rejected: it will not be proposed again for this article."
        if action == "accept":
            form = AcceptForm(request.POST, prefix=f"c{candidate.pk}")
            if not form.is_valid():
                raise ValidationError([f"{k}: {' '.join(v)}" for k, v in form.errors.items()])
            event = services.accept(
                candidate=candidate,
                user=request.user,
                title=form.cleaned_data["title"],
                event_type=form.cleaned_data["event_type"],
                date=form.cleaned_data["date"],
            )
            url = reverse("admin:events_event_change", args=[event.pk])
            return format_html('Draft event <a href="{}">{}</a> created.', url, event)
        event_id = request.POST.get("event") or request.POST.get(f"i{candidate.pk}-event")
        event = Event.objects.filter(pk=event_id).first() if str(event_id).isdigit() else None
        if event is None:
            raise ValidationError("Choose the event to add the citation to.")
        services.accept_into(candidate=candidate, event=event, user=request.user)
        url = reverse("admin:events_event_change", args=[event.pk])
        return format_html('The sentence is cited on <a href="{}">{}</a>.', url, event)
