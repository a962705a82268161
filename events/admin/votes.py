"""Recorded votes and the per-country roll, which must agree with the official counts."""

from django.contrib import admin

from events.admin.base import REASON_FIELDSET, PreloadedFormSet, PreloadedInline, VersionedAdmin
from events.forms import CountryVoteForm, CountryVoteFormSet
from events.models import CountryVote, VoteRecord


class CountryVoteInlineFormSet(PreloadedFormSet, CountryVoteFormSet):
    """The roll's rules (CountryVoteFormSet), rendered without a query per member."""


class CountryVoteInline(PreloadedInline, admin.TabularInline):
    model = CountryVote
    formset = CountryVoteInlineFormSet
    autocomplete_fields = ("actor",)
    fields = ("actor", "option")
    extra = 0


@admin.register(VoteRecord)
class VoteRecordAdmin(VersionedAdmin):
    list_display = (
        "__str__",
        "event",
        "body",
        "result",
        "yes_count",
        "no_count",
        "abstain_count",
        "roll_complete",
    )
    list_select_related = ("event", "body")
    list_filter = ("result", "roll_complete", ("body", admin.RelatedOnlyFieldListFilter))
    search_fields = ("document_symbol", "draft_symbol", "title", "event__title")
    autocomplete_fields = ("event", "body")
    fieldsets = (
        (None, {"fields": ("event", "body", "title", "result", "loaded_version")}),
        ("Symbols", {"fields": (("document_symbol", "draft_symbol"),)}),
        (
            "Official counts",
            {
                "fields": (
                    ("yes_count", "no_count", "abstain_count", "non_voting_count"),
                    "roll_complete",
                )
            },
        ),
        REASON_FIELDSET,
    )
    inlines = (CountryVoteInline,)


@admin.register(CountryVote)
class CountryVoteAdmin(VersionedAdmin):
    form = CountryVoteForm
    list_display = ("vote_record", "actor", "option")
    list_select_related = ("vote_record", "actor")
    list_filter = ("option",)
    search_fields = ("actor__name", "vote_record__document_symbol", "vote_record__title")
    autocomplete_fields = ("vote_record", "actor")
