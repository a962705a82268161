import datetime as dt
import io

import openpyxl
import pytest
from reversion.models import Version

from events import revisions
from events.choices import DatePrecision, EventStatus
from events.imports import pipeline
from events.imports.formats import timelinejs_sheet
from events.imports.models import ImportStatus
from events.imports.pipeline import start_import
from events.models import Citation, Event, Source
from tests.events.imports.files import sheet
from tests.factories import ActorFactory, SourceFactory, StateFactory

pytestmark = pytest.mark.django_db

RIYADH = {
    "Year": 2025,
    "Month": 2,
    "Day": 18,
    "Headline": "Talks in Riyadh",
    "Text": "<p>US and Russian delegations met.</p>",
    "Media": "https://example.org/riyadh?utm_source=feed",
    "Media_Credit": "Reuters",
    "Group": "Diplomacy",
}
PAUSE = {"Year": 2025, "Month": 3, "Headline": "Aid paused", "Group": "United States"}


def run(data: bytes, user=None, **options):
    return start_import(data=data, file_name="sheet.csv", user=user, **options)


def test_it_creates_drafts_with_the_precision_of_the_date(curator):
    StateFactory(name="United States", slug="united-states", iso3="USA")
    result = run(sheet(RIYADH, PAUSE, {"Year": 2024, "Headline": "A year"}), curator)
    assert result.status == ImportStatus.DONE
    assert (result.created_count, result.rejected_count) == (3, 0)
    riyadh = Event.objects.get(slug="talks-in-riyadh-2025-02-18")
    assert riyadh.status == EventStatus.DRAFT
    assert riyadh.summary == "US and Russian delegations met."
    assert riyadh.event_type.slug == "diplomacy"
    assert riyadh.citations.get().source.url == "https://example.org/riyadh"
    pause = Event.objects.get(slug="aid-paused-2025-03")
    assert (pause.start_date, pause.start_precision) == (dt.date(2025, 3, 1), "month")
    assert pause.display_date == "Mar 2025"  # never a fake 1st
    assert [a.slug for a in pause.actors.all()] == ["united-states"]
    year = Event.objects.get(slug="a-year-2024")
    assert year.start_precision == DatePrecision.YEAR
    assert result.report["groups"] == {
        "Diplomacy": "type: Diplomacy",
        "United States": "actor: United States",
    }


def test_an_http_link_cites_the_source_already_recorded_over_https(curator):
    recorded = SourceFactory(title="Reuters on Riyadh", url="https://example.org/riyadh")
    result = run(sheet({**RIYADH, "Media": "http://example.org/riyadh"}), curator)
    assert (result.created_count, result.rejected_count) == (1, 0)
    assert Source.objects.get() == recorded
    assert Event.objects.get().citations.get().source == recorded


def test_the_imports_revision_names_the_import_and_the_user(curator):
    result = run(sheet(RIYADH), curator)
    event = Event.objects.get()
    reason = f"Import #{result.pk} (sheet.csv)"
    (entry,) = revisions.history(event)  # the import is one revision
    assert (entry.revision.get_comment(), entry.revision.user) == (reason, curator)
    (source_entry,) = revisions.history(Source.objects.get())
    assert source_entry.revision.get_comment() == reason
    assert event.created_by == curator


def test_reimporting_the_same_file_changes_nothing(curator):
    data = sheet(RIYADH, PAUSE)
    run(data, curator)
    versions = dict(Event.objects.values_list("slug", "version"))
    again = run(data, curator)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert dict(Event.objects.values_list("slug", "version")) == versions
    assert Source.objects.count() == 1


def test_a_changed_row_updates_its_event(curator):
    run(sheet(RIYADH), curator)
    again = run(sheet({**RIYADH, "Text": "Delegations met for four hours."}), curator)
    assert (again.created_count, again.updated_count) == (0, 1)
    assert Event.objects.get().summary == "Delegations met for four hours."


def test_a_dry_run_reports_what_would_change_and_writes_nothing(curator):
    run(sheet(RIYADH), curator)
    dry = run(sheet({**RIYADH, "Text": "New text"}, PAUSE), curator, dry_run=True)
    assert dry.status == ImportStatus.DRY_RUN
    assert (dry.created_count, dry.updated_count, dry.unchanged_count) == (1, 1, 0)
    assert Event.objects.count() == 1
    assert Event.objects.get().summary == "US and Russian delegations met."
    assert not dry.items.exists()


def test_unmatched_group_names_are_listed_and_created_only_when_asked(curator):
    result = run(sheet({**PAUSE, "Group": "Wagner Group"}), curator)
    assert result.report["unmatched_actors"] == ["Wagner Group"]
    assert not Event.objects.get().actors.exists()
    run(sheet({**PAUSE, "Group": "Wagner Group"}), curator, create_actors=True)
    assert [a.name for a in Event.objects.get().actors.all()] == ["Wagner Group"]


def test_actors_are_matched_by_alias_too(curator):
    ActorFactory(name="Volodymyr Zelensky", slug="zelensky", aliases="Zelenskyy\nSelenskyj")
    run(sheet({**PAUSE, "Group": "zelenskyy"}), curator)
    assert [a.slug for a in Event.objects.get().actors.all()] == ["zelensky"]


def test_publish_cited_publishes_rows_with_a_source_for_an_editor(editor):
    result = run(sheet(RIYADH, PAUSE), editor, publish_cited=True)
    assert result.report["published"] == 1
    statuses = dict(Event.objects.values_list("slug", "status"))
    assert statuses == {
        "talks-in-riyadh-2025-02-18": EventStatus.PUBLISHED,
        "aid-paused-2025-03": EventStatus.DRAFT,
    }


def test_publish_cited_leaves_a_curators_rows_drafts(curator):
    result = run(sheet(RIYADH), curator, publish_cited=True)
    assert Event.objects.get().status == EventStatus.DRAFT
    assert any("only editors publish" in note for note in result.report["notes"])


def test_it_reads_an_xlsx_workbook_and_never_evaluates_a_formula(curator):
    workbook = openpyxl.Workbook()
    sheet_ = workbook.active
    sheet_.append(timelinejs_sheet.COLUMNS)
    row = [""] * len(timelinejs_sheet.COLUMNS)
    row[0], row[1], row[2] = 2025, 2, 18
    row[timelinejs_sheet.COLUMNS.index("Headline")] = '=HYPERLINK("http://evil","Click")'
    sheet_.append(row)
    out = io.BytesIO()
    workbook.save(out)
    result = start_import(data=out.getvalue(), file_name="sheet.xlsx", user=curator)
    assert result.format == "timelinejs-sheet"
    assert result.status == ImportStatus.DONE
    assert Event.objects.get().title == '=HYPERLINK("http://evil","Click")'
    assert any("formula" in note and "not evaluated" in note for note in result.report["notes"])


def _recorded(revision_id) -> set:
    """(model label, pk, serialised data, name) of every version of a revision."""
    versions = Version.objects.filter(revision_id=revision_id).select_related("content_type")
    return {(v.content_type.model, v.object_id, v.serialized_data, v.object_repr) for v in versions}


def _as_stored(*roots) -> set:
    return {
        (model._meta.model_name, pk, data, shown)
        for root in roots
        for model, pk, data, shown in revisions.serialize_aggregate(root)
    }


def test_the_history_written_from_the_rows_in_hand_is_what_the_database_holds(curator):
    StateFactory(name="United States", slug="united-states", iso3="USA")
    run(sheet(RIYADH, {**PAUSE, "Media": "https://example.org/pause"}), curator)
    events = list(Event.objects.order_by("pk"))
    (revision_id,) = {revisions.latest(event).pk for event in events}
    assert _recorded(revision_id) == _as_stored(*events, *Source.objects.all())
    assert any(model == "participation" for model, *_ in _recorded(revision_id))


@pytest.mark.parametrize("batch", [1, 1000])
def test_rows_are_matched_against_what_was_stored_before_the_import(curator, monkeypatch, batch):
    # Two rows citing one article are two events, wherever the batches fall: the second row
    # does not find the first's event by its source (before, it did across a batch boundary,
    # and updated it).
    monkeypatch.setattr(pipeline, "BATCH", batch)
    second = {**RIYADH, "Headline": "Talks in Riyadh, day one", "Text": "Four hours."}
    result = run(sheet(RIYADH, second), curator)
    assert (result.created_count, result.updated_count) == (2, 0)
    source = Source.objects.get()
    for event in Event.objects.all():
        (entry,) = revisions.history(event)
        assert _recorded(entry.revision.pk) >= _as_stored(event)
    assert Citation.objects.filter(source=source).count() == 2
    # Importing the file again finds each event by its slug: nothing changes.
    again = run(sheet(RIYADH, second), curator)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)


def test_published_rows_are_recorded_as_published(editor):
    run(sheet(RIYADH), editor, publish_cited=True)
    event = Event.objects.get(status=EventStatus.PUBLISHED)
    (entry,) = revisions.history(event)
    assert entry.snapshot.root["status"] == EventStatus.PUBLISHED
    assert _recorded(entry.revision.pk) == _as_stored(event, Source.objects.get())
