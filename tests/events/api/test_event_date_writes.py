"""The API's one `date` field: written as a source gives it, stored as start/end, precision
and approximation; the six stored fields stay accepted for older clients."""

import datetime as dt

import pytest

from events.models import Event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/"
NEW = {"title": "Talks", "slug": "talks", "type": "bilateral-talks"}


def post(client, data):
    return client.post(URL, data, content_type="application/json")


def stored(slug: str) -> tuple:
    event = Event.objects.get(slug=slug)
    return (
        event.start_date,
        event.start_precision,
        event.start_approximate,
        event.end_date,
        event.end_precision,
        event.end_approximate,
    )


@pytest.mark.parametrize(
    ("date", "expected", "shown"),
    [
        ("18 Feb 2025", (dt.date(2025, 2, 18), "day", False, None, "", False), "18 Feb 2025"),
        ("2025-02", (dt.date(2025, 2, 1), "month", False, None, "", False), "Feb 2025"),
        ("c. 2025", (dt.date(2025, 1, 1), "year", True, None, "", False), "c. 2025"),
        (
            "2024/2025",
            (dt.date(2024, 1, 1), "year", False, dt.date(2025, 1, 1), "year", False),
            "2024 – 2025",
        ),
    ],
)
def test_a_date_is_written_as_the_source_says_it(curator_client, date, expected, shown):
    response = post(curator_client, {**NEW, "date": date})
    assert response.status_code == 201, response.content
    assert response.json()["display_date"] == shown
    assert stored("talks") == expected
    event = Event.objects.get(slug="talks")
    assert (event.date_lower, event.date_upper) == (expected[0], response_upper(expected))


def response_upper(expected) -> dt.date:
    from events.dates import bounds

    return bounds(expected[0], expected[1], expected[3], expected[4] or None)[1]


def test_a_vague_date_is_a_400_with_a_hint_and_nothing_is_written(curator_client):
    response = post(curator_client, {**NEW, "date": "early 2025"})
    assert response.status_code == 400
    assert "“early 2025” is too vague to store" in response.json()["errors"]["date"][0]
    assert not Event.objects.filter(slug="talks").exists()


def test_the_old_fields_are_still_accepted(curator_client):
    response = post(curator_client, {**NEW, "start_date": "2025-03-01", "start_precision": "month"})
    assert response.status_code == 201, response.content
    assert stored("talks")[:2] == (dt.date(2025, 3, 1), "month")


def test_date_and_the_old_fields_together_are_refused(curator_client):
    response = post(curator_client, {**NEW, "date": "2025", "start_date": "2025-01-01"})
    assert response.status_code == 400
    assert response.json()["errors"]["date"] == ["Send either date or start_date, not both."]


def test_an_event_without_a_date_is_refused(curator_client):
    response = post(curator_client, NEW)
    assert response.status_code == 400
    assert response.json()["errors"]["date"] == ["Give the event's date."]


def test_an_unusual_year_in_date_is_reported_on_date_until_confirmed(curator_client):
    response = post(curator_client, {**NEW, "date": "3 Mar 0025"})
    assert response.status_code == 400
    assert "Year 0025 looks like a typo" in response.json()["errors"]["date"][0]
    response = post(curator_client, {**NEW, "date": "3 Mar 0025", "confirm_unusual_date": True})
    assert response.status_code == 201, response.content
    assert response.json()["display_date"] == "3 Mar 0025"


def test_a_patch_with_date_replaces_the_whole_date(curator_client):
    event = EventFactory(slug="spans", start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 6, 1))
    response = curator_client.patch(
        f"{URL}spans/",
        {"date": "Feb 2025"},
        content_type="application/json",
        headers={"If-Match": f'W/"{event.version}"'},
    )
    assert response.status_code == 200, response.content
    assert stored("spans") == (dt.date(2025, 2, 1), "month", False, None, "", False)
