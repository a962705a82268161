"""Admin forms: optimistic locking for versioned rows, vote rolls that agree with their counts,
and messages that say what to fix."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from events import dates, revisions
from events.choices import CitationStance, VoteOption
from events.duplicates import duplicates_of, is_likely
from events.models import CountryVote, Source, VoteRecord
from events.models.base import aggregate_root
from events.urls_normalise import normalise_url


def latest_change_note(obj) -> str:
    """“alice at 2026-11-25 09:30 UTC” from the newest revision, or "" if there is none."""
    revision = revisions.latest(obj)
    if revision is None:
        return ""
    who = revision.user.get_username() if revision.user else "someone"
    when = timezone.localtime(revision.date_created).strftime("%Y-%m-%d %H:%M %Z")
    return f"{who} at {when}"


class VersionedModelForm(forms.ModelForm):
    """Carries the version the curator loaded, and refuses to save over a newer one.

    For a part of an aggregate (a citation, a vote record, a post …) that is its root's
    version (the event's, the person's), which every change to any part moves: a page opened
    before someone changed the event or any of its rows is refused, never saved over them.
    The model's save() checks the version again (ConcurrentEditError), so a change that lands
    between this check and the save is still never overwritten silently.
    """

    # Not named `version`: that model field is non-editable, and ModelForm refuses to list it.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    change_reason = forms.CharField(
        label="Reason for this change",
        required=False,
        max_length=500,
        help_text="Optional; shown in the history beside what changed.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            # The row's current version, not the instance's (which may be a cached copy).
            self.initial["loaded_version"] = _stored_version(aggregate_root(self.instance))

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        loaded = cleaned.get("loaded_version")
        root = aggregate_root(self.instance)
        current = _stored_version(root)
        if loaded is None:
            raise ValidationError(
                "This form is missing the version it was loaded at; reload the page and "
                "make your change again."
            )
        if current is not None and loaded != current:
            raise ValidationError(conflict_message(root, loaded, current))
        # The model's optimistic lock compares against this on save.
        root.version = loaded
        return cleaned


def _stored_version(obj) -> int | None:
    return type(obj)._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()


def conflict_message(obj, loaded: int, current: int):
    opts = obj._meta
    note = latest_change_note(obj)
    history_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
    return format_html(
        "Someone else changed this {} since you opened it{} (you loaded version {}, it is now "
        "at version {}). Your changes were not saved. "
        '<a href="{}">Review their change in the history</a>, then reload this page and '
        "reapply yours.",
        opts.verbose_name,
        f": {note}" if note else "",
        loaded,
        current,
        history_url,
    )


def describe_duplicates(records) -> str:
    """“<a>“Talks in Riyadh”</a> (event, published, 18 Feb 2025: same title, overlapping
    dates)”, joined: the records found, each linked to its admin page."""

    def parts(record):
        opts = record._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        facts = [opts.verbose_name]
        if hasattr(record, "status"):
            facts += [record.get_status_display().lower(), record.display_date]
        return url, str(record), ", ".join(facts), ", ".join(record.duplicate_reasons)

    return format_html_join("; ", '<a href="{}">“{}”</a> ({}: {})', (parts(r) for r in records))


class DuplicateCheckedForm(VersionedModelForm):
    """Warns of a likely duplicate (events.duplicates) when a record is added, or when what
    identifies it changes: the save is refused with links to the records it may repeat until
    the curator ticks “I checked”; possible duplicates below that bar are shown after the save
    (`duplicates`, read by the admin) without stopping it."""

    # Changes to these fields are checked again; other edits of a stored record are not.
    identifying_fields: tuple[str, ...] = ()

    confirm_duplicate = forms.BooleanField(
        label="I checked: this is not a duplicate, save it anyway",
        required=False,
        widget=forms.HiddenInput,
        help_text="Tick after opening the records listed above and making sure they are "
        "different (if one is the same, edit or merge it instead).",
    )

    def participant_ids(self) -> list[int] | None:
        """Participants as posted with the form, for events (None: use the stored ones)."""
        return None

    def _post_clean(self):
        super()._post_clean()
        self.duplicates = []
        if self._errors or not self._identity_changed():
            return
        self.duplicates = duplicates_of(self.instance, actor_ids=self.participant_ids())
        likely = [record for record in self.duplicates if is_likely(record)]
        if likely and not self.cleaned_data.get("confirm_duplicate"):
            self.fields["confirm_duplicate"].widget = forms.CheckboxInput()
            self.add_error(
                None,
                ValidationError(
                    format_html(
                        "This may be a duplicate of {}. If it is the same, edit that record "
                        "instead (editors can merge the two); if it is not, tick “I checked” "
                        "below and save again.",
                        describe_duplicates(likely),
                    ),
                    code="likely_duplicate",
                ),
            )

    def _identity_changed(self) -> bool:
        if self.instance.pk is None:
            return True
        return bool(set(self.changed_data) & set(self.identifying_fields)) or (
            self.participant_ids() is not None
            and set(self.participant_ids())
            != set(self.instance.participations.values_list("actor_id", flat=True))
        )


class ActorForm(DuplicateCheckedForm):
    identifying_fields = ("name", "short_name", "aliases", "iso3", "wikidata_id")


class EventForm(DuplicateCheckedForm):
    """The event form: one `date` typed as the source says it, and a tick for an unusual year.

    `date` is read by dates.parse_written_date into the stored start/end, precision and
    approximation; the model's own errors about those fields are shown on `date`.
    The confirmation checkbox stays hidden until the model reports an unusual date
    (dates.UNUSUAL_DATE), so a curator sees it only beside the error that explains it.
    """

    # The model fields `date` is stored in; their errors are reported on `date`.
    DATE_FIELDS = (
        "start_date",
        "start_precision",
        "start_approximate",
        "end_date",
        "end_precision",
        "end_approximate",
    )

    identifying_fields = ("title", "date", "event_type")

    date = forms.CharField(
        label="Date",
        max_length=100,
        help_text=dates.DATE_HELP,
        widget=forms.TextInput(attrs={"size": 30, "placeholder": "e.g. 18 Feb 2025"}),
    )
    confirm_unusual_date = forms.BooleanField(
        label="Yes, this date is right",
        required=False,
        widget=forms.HiddenInput,
        help_text="Tick to keep a year before 1800 or more than a year ahead.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance
        if event.start_date and "date" not in self.initial:
            self.initial["date"] = event.display_date

    def participant_ids(self) -> list[int] | None:
        # The participations inline as posted (prefix "participations"), deleted rows left out.
        if not self.is_bound or "participations-TOTAL_FORMS" not in self.data:
            return None
        ids = []
        for key, value in self.data.items():
            row = re.fullmatch(r"participations-(\d+)-actor", key)
            if (
                row
                and str(value).isdigit()
                and not self.data.get(f"participations-{row[1]}-DELETE")
            ):
                ids.append(int(value))
        return ids

    def clean_date(self):
        try:
            return dates.parse_written_date(self.cleaned_data["date"])
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid_date") from exc

    def clean(self):
        cleaned = super().clean()
        self.instance.confirm_unusual_date = bool(cleaned.get("confirm_unusual_date"))
        return cleaned

    def _post_clean(self):
        written = self.cleaned_data.get("date")
        if written is not None:
            for name, value in written.as_fields().items():
                setattr(self.instance, name, value)
        super()._post_clean()  # the model's clean(), which reports the unusual date
        if self.has_error("date", dates.UNUSUAL_DATE):
            self.fields["confirm_unusual_date"].widget = forms.CheckboxInput()

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict") and "date" in self.fields:
            moved = {}
            for name, messages in errors.error_dict.items():
                key = "date" if name in self.DATE_FIELDS else name
                moved.setdefault(key, []).extend(messages)
            errors = ValidationError(moved)
        super()._update_errors(errors)


class SupportingCitationFormSetMixin:
    """For an event's citations edited together: a published event keeps at least one with
    stance “supports” after the whole change (removals, downgrades and additions counted)."""

    def clean(self):
        super().clean()
        event = self.instance
        if any(self.errors) or event.pk is None:
            return
        leaving, arriving = [], 0
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data:
                continue
            stays = not self._should_delete_form(form) and data.get("stance") == (
                CitationStance.SUPPORTS
            )
            if form.instance.pk is not None and not stays:
                leaving.append(form.instance.pk)
            elif form.instance.pk is None and stays:
                arriving += 1
        problem = event.supporting_citation_problem(leaving=leaving, arriving=arriving)
        if problem:
            raise ValidationError(problem, code="last_supporting_citation")


def https_by_default(db_field, **kwargs):
    """Form fields for a model, with URLs pasted without a scheme taken as https."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class SourceForm(DuplicateCheckedForm):
    identifying_fields = ("url", "full_text")

    class Meta:
        model = Source
        formfield_callback = https_by_default
        fields = (
            "kind",
            "title",
            "url",
            "reference",
            "publisher",
            "authors",
            "published_on",
            "published_precision",
            "published_approximate",
            "language",
            "archive_url",
            "full_text",
        )

    def clean_url(self):
        url = normalise_url(self.cleaned_data.get("url") or "") or None
        if url:
            duplicate = Source.objects.filter(url=url).exclude(pk=self.instance.pk).first()
            if duplicate is not None:
                link = reverse("admin:events_source_change", args=[duplicate.pk])
                raise ValidationError(
                    format_html(
                        "This address is already recorded (written as https, without tracking "
                        'parameters or fragments, it is {}) as the source <a href="{}">“{}”</a>. '
                        "Cite that source instead of adding it again.",
                        url,
                        link,
                        duplicate.title,
                    )
                )
        return url


class VoteRecordInlineForm(forms.ModelForm):
    """The vote record edited on its event: the per-country roll is edited on the record's own
    page, so a complete roll is checked here against the votes already stored."""

    class Meta:
        model = VoteRecord
        fields = (
            "body",
            "document_symbol",
            "draft_symbol",
            "title",
            "result",
            "yes_count",
            "no_count",
            "abstain_count",
            "non_voting_count",
            "roll_complete",
        )

    def clean(self):
        cleaned = super().clean()
        record = self.instance
        if not self.errors:
            for name in (
                "body",
                "result",
                "yes_count",
                "no_count",
                "abstain_count",
                "non_voting_count",
                "roll_complete",
            ):
                setattr(record, name, cleaned.get(name))
            if record.pk:
                record.check_roll()
        return cleaned


class CountryVoteFormSet(forms.BaseInlineFormSet):
    """Per-country votes on a vote record: a roll marked complete must match the counts."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        record = self.instance
        if record.yes_count is None or record.no_count is None or record.abstain_count is None:
            return  # the record's own form reports the missing counts
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("option")
        ]
        record.check_roll(
            [row["option"] for row in rows],
            against=[
                row["actor"].iso3
                for row in rows
                if row["option"] == VoteOption.NO and row.get("actor")
            ],
        )


class CountryVoteForm(VersionedModelForm):
    """One country's vote edited on its own: a complete roll must still match the counts."""

    class Meta:
        model = CountryVote
        fields = ("vote_record", "actor", "option")

    def clean(self):
        cleaned = super().clean()
        record, option = cleaned.get("vote_record"), cleaned.get("option")
        actor = cleaned.get("actor")
        if record is not None and option:
            others = record.country_votes.exclude(pk=self.instance.pk)
            against = list(
                others.filter(option=VoteOption.NO).values_list("actor__iso3", flat=True)
            )
            if option == VoteOption.NO and actor is not None:
                against.append(actor.iso3)
            record.check_roll([*others.values_list("option", flat=True), option], against=against)
        return cleaned


class RetractForm(forms.Form):
    """The reason readers will see next to a retracted event."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text="Shown to readers beside the event. Say what was wrong.",
    )
