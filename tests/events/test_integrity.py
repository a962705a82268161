"""Invariants that hold at every save, through the models, the services and the admin: a
published event keeps a supporting citation, what was published is never deleted, votes and
dates are plausible, and publishing a timeline is an editor's action."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from events import dates, revisions
from events.choices import (
    ActorKind,
    CitationStance,
    DatePrecision,
    EventStatus,
    TimelineStatus,
    VoteOption,
    VoteResult,
)
from events.forms import EventForm
from events.models import Citation, Event, Timeline, VoteRecord
from events.services import (
    deletion_conflict,
    event_publish,
    event_unpublish,
    timeline_publish,
    timeline_unpublish,
)
from tests.events.test_admin import admin_url, form_values, messages_of
from tests.events.test_curator_permissions import row_index
from tests.factories import (
    ActorFactory,
    CitationFactory,
    CountryVoteFactory,
    EventFactory,
    PublishedEventFactory,
    SourceFactory,
    StateFactory,
    TimelineFactory,
    VoteRecordFactory,
)

pytestmark = pytest.mark.django_db


# --- a published event keeps a supporting citation ------------------------------------------


def test_the_last_supporting_citation_of_a_published_event_cannot_be_deleted():
    event = PublishedEventFactory(title="Aid paused")
    citation = event.citations.get()

    with pytest.raises(ValidationError, match="“Aid paused” is published and this is its last"):
        citation.delete()

    assert event.citations.count() == 1


def test_a_supporting_citation_goes_once_another_supports_the_event():
    event = PublishedEventFactory()
    first = event.citations.get()
    CitationFactory(event=event, stance=CitationStance.SUPPORTS)
    first.delete()
    assert event.citations.count() == 1


def test_a_drafts_citations_may_all_go():
    citation = CitationFactory()
    citation.delete()
    assert not Citation.objects.exists()


def test_the_last_supporting_citation_cannot_be_downgraded_or_moved():
    event = PublishedEventFactory()
    citation = event.citations.get()
    citation.stance = CitationStance.CONTEXT
    with pytest.raises(ValidationError) as excinfo:
        citation.full_clean()
    assert "last citation with stance “supports”" in excinfo.value.message_dict["stance"][0]

    citation.stance = CitationStance.SUPPORTS
    citation.event = EventFactory()
    with pytest.raises(ValidationError, match="last citation"):
        citation.full_clean()


def _citation_form(client, event):
    url = admin_url(Event, "change", event.pk)
    return url, form_values(client.get(url))


def test_the_admin_refuses_to_remove_the_last_supporting_citation(curator_client):
    event = PublishedEventFactory(title="Aid paused")
    citation = event.citations.get()
    url, data = _citation_form(curator_client, event)
    data[f"citations-{row_index(data, 'citations', citation.pk)}-DELETE"] = ["on"]

    response = curator_client.post(url, data)

    assert response.status_code == 200
    assert "“Aid paused” is published and this is its last citation" in (response.content.decode())
    assert Citation.objects.filter(pk=citation.pk).exists()


def test_the_admin_refuses_to_downgrade_the_last_supporting_citation(curator_client):
    event = PublishedEventFactory()
    citation = event.citations.get()
    url, data = _citation_form(curator_client, event)
    data[f"citations-{row_index(data, 'citations', citation.pk)}-stance"] = ["context"]

    response = curator_client.post(url, data)

    assert response.status_code == 200
    assert "its last citation with stance" in response.content.decode()
    assert Citation.objects.get(pk=citation.pk).stance == CitationStance.SUPPORTS


def test_the_admin_replaces_a_supporting_citation_in_one_save(editor_client):
    # An editor's change is made at once (a curator's waits for review: test_reviews.py).
    event = PublishedEventFactory()
    old = event.citations.get()
    source = SourceFactory()
    url, data = _citation_form(editor_client, event)
    data[f"citations-{row_index(data, 'citations', old.pk)}-DELETE"] = ["on"]
    new = int(data["citations-TOTAL_FORMS"][0]) - 1  # the empty extra row
    data[f"citations-{new}-source"] = [str(source.pk)]
    data[f"citations-{new}-stance"] = ["supports"]
    data[f"citations-{new}-quote"] = ["It happened."]

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(event.citations.values_list("source", "stance")) == [
        (source.pk, CitationStance.SUPPORTS)
    ]


# --- what was published is never deleted ---------------------------------------------------


def test_publishing_marks_the_event_for_good(editor):
    event = CitationFactory().event
    event_publish(event=event, user=editor)
    first = Event.objects.get(pk=event.pk).first_published_at
    assert first is not None

    event_unpublish(event=event, user=editor)
    event.refresh_from_db()
    assert (event.status, event.first_published_at) == (EventStatus.DRAFT, first)
    with pytest.raises(ValidationError, match="it is never deleted"):
        event.delete()
    assert Event.objects.filter(pk=event.pk).exists()


def test_an_editor_cannot_delete_an_unpublished_event_in_the_admin(editor_client, editor):
    event = PublishedEventFactory(title="Once public")
    event_unpublish(event=event, user=editor)

    response = editor_client.post(
        admin_url(Event, "delete", event.pk), {"post": "yes"}, follow=True
    )

    assert any("“Once public” has been published" in m for m in messages_of(response))
    assert Event.objects.filter(pk=event.pk).exists()


def test_an_actor_in_a_saved_query_cannot_be_deleted():
    actor = StateFactory(name="Freedonia")
    timeline = TimelineFactory(title="Freedonia watch")
    timeline.query_actors.add(actor)
    assert deletion_conflict(actor) == (
        "“Freedonia” is used by the saved query of “Freedonia watch”: remove it there first."
    )
    assert deletion_conflict(StateFactory()) is None


# --- votes are plausible ---------------------------------------------------------------------


def _messages(record: VoteRecord) -> list[str]:
    with pytest.raises(ValidationError) as excinfo:
        record.full_clean()
    return excinfo.value.messages


def _council():
    return ActorFactory(
        name="UN Security Council",
        kind=ActorKind.ORGAN,
        voting_members=15,
        votes_to_adopt=9,
        veto_members="CHN FRA GBR RUS USA",
    )


def test_an_adopted_text_needs_more_in_favour_than_against():
    record = VoteRecordFactory.build(
        event=EventFactory(event_type=VoteRecordFactory().event.event_type),
        body=ActorFactory(kind=ActorKind.ORGAN),
        result=VoteResult.ADOPTED,
        yes_count=2,
        no_count=9,
    )
    assert _messages(record) == [
        "An adopted text needs more votes in favour than against; these counts have 2 in "
        "favour and 9 against. Fix the counts or the result."
    ]
    record.result = VoteResult.REJECTED
    record.full_clean()


def test_a_security_council_adoption_needs_nine_in_favour():
    record = VoteRecordFactory(body=_council(), yes_count=9, no_count=0, abstain_count=6)
    record.full_clean()
    record.yes_count, record.abstain_count = 8, 7
    assert _messages(record) == [
        "The UN Security Council adopts a text with at least 9 votes in favour; these counts "
        "have 8. Fix the counts or the result."
    ]


def test_counts_cannot_add_up_to_more_than_the_members():
    assembly = ActorFactory(name="UN General Assembly", kind=ActorKind.ORGAN, voting_members=193)
    record = VoteRecordFactory(body=assembly, yes_count=141, no_count=5, abstain_count=35)
    record.full_clean()
    record.non_voting_count = 13
    assert _messages(record) == [
        "These counts add up to 194, more than the 193 members of the UN General Assembly."
    ]


def test_a_permanent_member_against_is_a_veto():
    record = VoteRecordFactory(body=_council(), yes_count=10, no_count=1, abstain_count=4)
    CountryVoteFactory(vote_record=record, actor=StateFactory(iso3="RUS"), option=VoteOption.NO)
    with pytest.raises(ValidationError, match="RUS voted against, and in the UN Security"):
        record.check_roll()
    record.result = VoteResult.VETOED
    record.check_roll()


def test_a_partial_roll_never_exceeds_the_official_counts():
    record = VoteRecordFactory(yes_count=2, no_count=1, abstain_count=0)
    with pytest.raises(ValidationError) as excinfo:
        record.check_roll([VoteOption.NO, VoteOption.NO])
    assert excinfo.value.messages == [
        "The roll records more votes than the official counts (Against: the roll has 2, more "
        "than the official count of 1). Fix the counts or the roll."
    ]
    record.check_roll([VoteOption.NO, VoteOption.YES])


def test_the_admin_refuses_an_implausible_vote_on_the_event(editor_client):
    record = VoteRecordFactory(body=_council(), yes_count=10, no_count=0, abstain_count=5)
    url = admin_url(Event, "change", record.event.pk)
    data = form_values(editor_client.get(url))
    data["vote_record-0-yes_count"] = ["2"]
    data["vote_record-0-no_count"] = ["9"]

    response = editor_client.post(url, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "An adopted text needs more votes in favour than against" in html
    assert "adopts a text with at least 9 votes in favour" in html
    assert VoteRecord.objects.get(pk=record.pk).yes_count == 10


def test_the_admin_refuses_a_permanent_member_against_an_adopted_text(editor_client):
    record = VoteRecordFactory(body=_council(), yes_count=10, no_count=1, abstain_count=4)
    russia = StateFactory(iso3="RUS", name="Russia")
    url = admin_url(VoteRecord, "change", record.pk)
    data = form_values(editor_client.get(url))
    data["country_votes-TOTAL_FORMS"] = ["1"]
    data["country_votes-0-actor"] = [str(russia.pk)]
    data["country_votes-0-option"] = ["no"]

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "RUS voted against" in response.content.decode()
    assert not record.country_votes.exists()


# --- dates that look like typos ----------------------------------------------------------


def test_dates_always_show_four_digit_years():
    assert dates.display_date(dt.date(25, 3, 3), DatePrecision.DAY) == "3 Mar 0025"
    assert dates.display_date(dt.date(25, 3, 1), DatePrecision.MONTH) == "Mar 0025"
    assert dates.display_date(dt.date(25, 1, 1), DatePrecision.YEAR) == "0025"


def test_a_year_before_1800_or_over_a_year_ahead_is_unusual():
    today = dt.date(2026, 12, 2)
    assert dates.unusual_date_problem(dt.date(1799, 12, 31), today).startswith(
        "Year 1799 looks like a typo"
    )
    assert dates.unusual_date_problem(dt.date(1800, 1, 1), today) is None
    assert dates.unusual_date_problem(dt.date(2027, 12, 2), today) is None
    assert "more than a year ahead" in dates.unusual_date_problem(dt.date(2028, 1, 1), today)


def test_an_unusual_date_needs_confirming_once():
    event = EventFactory.build(event_type=EventFactory().event_type, start_date=dt.date(25, 3, 3))
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert excinfo.value.message_dict["start_date"] == [
        "Year 0025 looks like a typo: dates before 1800 are rare here. Correct the year, or "
        "confirm that the date is meant."
    ]
    event.confirm_unusual_date = True
    event.full_clean()
    event.save()

    stored = Event.objects.get(pk=event.pk)
    stored.title = "Renamed"
    stored.full_clean()  # the stored date was confirmed when entered


def _event_form_data(client, event):
    url = admin_url(Event, "change", event.pk)
    return url, form_values(client.get(url))


def test_the_admin_asks_to_confirm_an_unusual_year(curator_client):
    event = EventFactory(title="Aid paused")
    url, data = _event_form_data(curator_client, event)
    data["date"] = ["3 Mar 0025"]

    response = curator_client.post(url, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Year 0025 looks like a typo" in html
    assert 'type="checkbox" name="confirm_unusual_date"' in html
    assert Event.objects.get(pk=event.pk).start_date == dt.date(2025, 2, 18)

    data = form_values(response)
    data["confirm_unusual_date"] = ["on"]
    response = curator_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Event.objects.get(pk=event.pk).display_date == "3 Mar 0025"


def test_the_confirmation_box_is_hidden_until_needed(curator_client):
    event = EventFactory()
    html = curator_client.get(admin_url(Event, "change", event.pk)).content.decode()
    assert 'type="hidden" name="confirm_unusual_date"' in html
    assert EventForm.base_fields["confirm_unusual_date"].widget.is_hidden


# --- publishing a timeline is an editor's action ------------------------------------------


def test_only_editors_publish_and_unpublish_timelines(curator, editor):
    timeline = TimelineFactory(status=TimelineStatus.DRAFT)
    with pytest.raises(PermissionDenied, match="Only editors may publish"):
        timeline_publish(timeline=timeline, user=curator)

    timeline_publish(timeline=timeline, user=editor)
    assert Timeline.objects.get(pk=timeline.pk).status == TimelineStatus.PUBLISHED
    with pytest.raises(ValidationError, match="already published"):
        timeline_publish(timeline=timeline, user=editor)

    timeline_unpublish(timeline=timeline, user=editor)
    stored = Timeline.objects.get(pk=timeline.pk)
    assert (stored.status, stored.updated_by) == (TimelineStatus.DRAFT, editor)


def test_the_timeline_form_does_not_offer_the_status(curator_client):
    timeline = TimelineFactory(status=TimelineStatus.DRAFT)
    url = admin_url(Timeline, "change", timeline.pk)
    data = form_values(curator_client.get(url))
    assert "status" not in data
    data["status"] = ["published"]

    assert curator_client.post(url, data).status_code == 302
    assert Timeline.objects.get(pk=timeline.pk).status == TimelineStatus.DRAFT


def _timeline_action(client, action, timelines):
    data = {"action": action, ACTION_CHECKBOX_NAME: [t.pk for t in timelines], "index": 0}
    return client.post(admin_url(Timeline, "changelist"), data, follow=True)


def test_curators_are_not_offered_timeline_publishing(curator_client):
    timeline = TimelineFactory(status=TimelineStatus.DRAFT)
    response = curator_client.get(admin_url(Timeline, "changelist"))
    form = response.context["action_form"]  # None when no action is offered at all
    names = {name for name, _ in form.fields["action"].choices} if form else set()
    assert not names & {"publish_timelines", "unpublish_timelines"}

    _timeline_action(curator_client, "publish_timelines", [timeline])
    assert Timeline.objects.get(pk=timeline.pk).status == TimelineStatus.DRAFT


def test_an_editor_publishes_and_unpublishes_timelines_in_the_admin(editor_client):
    timeline = TimelineFactory(title="Signs", status=TimelineStatus.DRAFT)

    response = _timeline_action(editor_client, "publish_timelines", [timeline])

    assert "1 timeline published: “Signs”." in messages_of(response)
    assert Timeline.objects.get(pk=timeline.pk).status == TimelineStatus.PUBLISHED
    _timeline_action(editor_client, "unpublish_timelines", [timeline])
    assert Timeline.objects.get(pk=timeline.pk).status == TimelineStatus.DRAFT


# --- reverts and the citation list keep the rules ------------------------------------------


def test_a_revert_to_before_publication_keeps_the_tombstone_marker(curator_client, editor):
    with revisions.recorded(reason="draft"):
        event = CitationFactory(event=EventFactory(title="Draft title")).event
    draft_revision = revisions.latest(event)
    event_publish(event=event, user=editor)
    event_unpublish(event=Event.objects.get(pk=event.pk), user=editor)

    revert_url = reverse("admin:events_event_revert", args=[event.pk, draft_revision.pk])
    data = form_values(curator_client.get(revert_url))
    assert curator_client.post(revert_url, data).status_code == 302

    event.refresh_from_db()
    assert event.first_published_at is not None
    assert deletion_conflict(event)


def test_a_revert_never_publishes_a_timeline(curator_client, editor):
    timeline = TimelineFactory(status=TimelineStatus.DRAFT)
    timeline_publish(timeline=timeline, user=editor)
    published_revision = revisions.latest(timeline)
    timeline_unpublish(timeline=Timeline.objects.get(pk=timeline.pk), user=editor)

    revert_url = reverse("admin:events_timeline_revert", args=[timeline.pk, published_revision.pk])
    data = form_values(curator_client.get(revert_url))
    assert curator_client.post(revert_url, data).status_code == 302

    assert Timeline.objects.get(pk=timeline.pk).status == TimelineStatus.DRAFT


def test_the_citation_list_keeps_the_last_supporting_citation(editor_client):
    citation = PublishedEventFactory(title="Aid paused").citations.get()

    response = editor_client.post(
        admin_url(Citation, "delete", citation.pk), {"post": "yes"}, follow=True
    )
    assert any("“Aid paused” is published" in m for m in messages_of(response))

    data = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [citation.pk], "post": "yes"}
    response = editor_client.post(admin_url(Citation, "changelist"), data, follow=True)
    assert any("Nothing was deleted" in m for m in messages_of(response))
    assert Citation.objects.filter(pk=citation.pk).exists()
