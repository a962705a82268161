"""The vote record's admin page: its per-country roll renders in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.choices import VoteOption
from tests.events.test_admin import form_values
from tests.factories import CountryVoteFactory, StateFactory, VoteRecordFactory

pytestmark = pytest.mark.django_db

# The page itself (session, user, permissions, the record, the roll with its members, the
# version …) takes 8 queries today; none of them per row.
CHANGE_PAGE_QUERY_BUDGET = 12


def record_with_roll(members: int):
    record = VoteRecordFactory(yes_count=members, no_count=0, abstain_count=0)
    for number in range(members):
        state = StateFactory(name=f"State {number:03}", slug=f"state-{record.pk}-{number}")
        CountryVoteFactory(vote_record=record, actor=state, option=VoteOption.YES)
    return record


def change_url(record) -> str:
    return reverse("admin:events_voterecord_change", args=[record.pk])


def queries_to_render(client, record) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(change_url(record))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("members", [5, 40])
def test_the_roll_renders_in_a_fixed_number_of_queries(
    members, curator_client, django_assert_max_num_queries
):
    record = record_with_roll(members)
    curator_client.get(change_url(record))  # warm the content-type and permission caches

    with django_assert_max_num_queries(CHANGE_PAGE_QUERY_BUDGET):
        response = curator_client.get(change_url(record))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<option value="') >= members  # every member's country is shown …
    assert "State 000" in page and f"State {members - 1:03}" in page  # … by its name


def test_five_or_forty_members_cost_the_same_queries(curator_client):
    few, many = record_with_roll(5), record_with_roll(40)
    queries_to_render(curator_client, few)  # warm the caches

    assert queries_to_render(curator_client, few) == queries_to_render(curator_client, many)


def test_the_roll_saves_back_and_a_member_can_be_changed(curator_client):
    record = record_with_roll(5)
    replacement = StateFactory(name="Replacement", slug="replacement")
    data = form_values(curator_client.get(change_url(record)))
    assert data["country_votes-0-actor"] == [str(record.country_votes.first().actor_id)]
    data["country_votes-0-actor"] = [str(replacement.pk)]

    response = curator_client.post(change_url(record), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    members = set(record.country_votes.values_list("actor__name", flat=True))
    assert "Replacement" in members and "State 000" not in members


def test_a_roll_sent_back_with_an_error_still_shows_each_members_choice(curator_client):
    record = record_with_roll(5)
    other = StateFactory(name="Other state", slug="other-state")
    data = form_values(curator_client.get(change_url(record)))
    data["country_votes-0-actor"] = [str(other.pk)]  # changed, so looked up, not preloaded
    data["country_votes-1-option"] = ["maybe"]

    response = curator_client.post(change_url(record), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert f'<option value="{other.pk}" selected>Other state</option>' in page
    assert "State 001" in page and "State 004" in page
