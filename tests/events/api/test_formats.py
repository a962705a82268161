"""The same queries as CSV, TimelineJS3, iCalendar, Atom and JSON-LD, each parsed for real."""

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from icalendar import Calendar

from events.choices import DatePrecision, EventStatus
from tests.factories import (
    ActorFactory,
    CitationFactory,
    EventFactory,
    ParticipationFactory,
    PublishedEventFactory,
    SourceFactory,
    StateFactory,
    event_type,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def dated():
    """One event per precision, one spanning two months, a retraction and a draft."""
    usa = StateFactory(name="United States", slug="united-states", iso3="USA")
    russia = StateFactory(name="Russia", slug="russia", iso3="RUS")
    day = PublishedEventFactory(
        slug="day",
        title='Talks in Riyadh, "first round"',
        summary="Met in **Riyadh**. <script>alert(1)</script>",
        start_date=dt.date(2025, 2, 18),
        event_type=event_type("bilateral-talks"),
        published_at=dt.datetime(2025, 2, 18, 12, tzinfo=dt.UTC),
    )
    ParticipationFactory(event=day, actor=usa)
    ParticipationFactory(event=day, actor=russia)
    CitationFactory(event=day, source=SourceFactory(url="https://news.example.org/riyadh"))
    PublishedEventFactory(
        slug="month",
        start_date=dt.date(2025, 3, 1),
        start_precision=DatePrecision.MONTH,
        published_at=dt.datetime(2025, 3, 5, tzinfo=dt.UTC),
    )
    PublishedEventFactory(
        slug="year",
        start_date=dt.date(2024, 1, 1),
        start_precision=DatePrecision.YEAR,
        published_at=dt.datetime(2025, 1, 5, tzinfo=dt.UTC),
    )
    PublishedEventFactory(
        slug="span",
        start_date=dt.date(2025, 3, 1),
        start_precision=DatePrecision.MONTH,
        end_date=dt.date(2025, 4, 1),
        end_precision=DatePrecision.MONTH,
        published_at=dt.datetime(2025, 4, 5, tzinfo=dt.UTC),
    )
    PublishedEventFactory(
        slug="retracted",
        status=EventStatus.RETRACTED,
        retraction_reason="Wrong date.",
        start_date=dt.date(2025, 5, 1),
        published_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC),
    )
    EventFactory(slug="draft", title="Secret draft", start_date=dt.date(2025, 2, 18))


def test_csv_has_one_quoted_row_per_event(client, dated):
    response = client.get(URL, {"format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="events.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["slug"] for row in rows] == ["year", "day", "month", "span", "retracted"]
    day = rows[1]
    assert day["title"] == 'Talks in Riyadh, "first round"'
    assert day["display_date"] == "18 Feb 2025"
    assert (day["edtf"], day["start"], day["end"], day["precision"]) == (
        "2025-02-18",
        "2025-02-18",
        "",
        "day",
    )
    assert day["type"] == "Bilateral talks"
    assert day["actors"] == "United States; Russia"
    assert "https://news.example.org/riyadh" in day["source_urls"].split("; ")
    month = rows[2]
    assert (month["edtf"], month["start"], month["precision"]) == ("2025-03", "2025-03", "month")
    # No placeholder day in any column; the true bounds say which days it may cover.
    assert (month["earliest"], month["latest"]) == ("2025-03-01", "2025-03-31")
    assert rows[0]["start"] == "2024"
    assert rows[4]["status"] == "retracted"
    assert rows[4]["retraction_reason"] == "Wrong date."


def test_csv_defuses_spreadsheet_formulas(client):
    PublishedEventFactory(slug="formula", title='=HYPERLINK("http://evil")')
    (row,) = csv.DictReader(io.StringIO(client.get(URL, {"format": "csv"}).content.decode()))
    assert row["title"].startswith("'=")


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_prefixes_a_quote_to_every_cell_a_spreadsheet_would_run(client, prefix):
    event = PublishedEventFactory(
        slug=f"{'-' if prefix == '-' else ''}x",
        title=f"{prefix}1+1",
        location_name=f"{prefix}cmd|' /C calc'!A0",
        retraction_reason="",
    )
    ParticipationFactory(event=event, actor=ActorFactory(name=f"{prefix}SUM(A1:A9)"))
    (row,) = csv.DictReader(io.StringIO(client.get(URL, {"format": "csv"}).content.decode()))
    assert row["title"] == f"'{prefix}1+1"
    assert row["location"] == f"'{prefix}cmd|' /C calc'!A0"
    assert row["actors"] == f"'{prefix}SUM(A1:A9)"
    if prefix == "-":
        assert row["slug"] == "'-x"
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_formats_are_chosen_by_accept_too(client, dated):
    assert client.get(URL, headers={"Accept": "text/csv"})["Content-Type"].startswith("text/csv")
    calendar = client.get(URL, headers={"Accept": "text/calendar"})
    assert calendar["Content-Type"].startswith("text/calendar")
    atom = client.get(URL, headers={"Accept": "application/atom+xml"})
    assert atom["Content-Type"].startswith("application/atom+xml")
    timeline = client.get(URL, headers={"Accept": "application/vnd.timelinejs+json"})
    assert timeline["Content-Type"] == "application/vnd.timelinejs+json"
    assert "events" in timeline.json()
    assert client.get(URL)["Content-Type"] == "application/json"


def _vevents(content: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(content)
    return {
        str(event["URL"]).rstrip("/").rsplit("/", 1)[1]: event for event in calendar.walk("VEVENT")
    }


def test_icalendar_spans_match_each_precision(client, dated):
    response = client.get(URL, {"format": "ics"})
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = _vevents(response.content)

    def span(slug):
        return events[slug].decoded("DTSTART"), events[slug].decoded("DTEND")

    assert span("day") == (dt.date(2025, 2, 18), dt.date(2025, 2, 19))
    assert span("month") == (dt.date(2025, 3, 1), dt.date(2025, 4, 1))
    assert span("year") == (dt.date(2024, 1, 1), dt.date(2025, 1, 1))
    assert span("span") == (dt.date(2025, 3, 1), dt.date(2025, 5, 1))
    assert str(events["retracted"]["STATUS"]) == "CANCELLED"
    assert "draft" not in events
    assert str(events["day"]["UID"]) == f"event-{_id(client, 'day')}@timeline"


def _id(client, slug):
    return client.get(f"{URL}{slug}/").json()["id"]


def test_icalendar_uids_are_stable_between_requests(client, dated):
    first = {
        str(e["UID"])
        for e in Calendar.from_ical(client.get(URL, {"format": "ics"}).content).walk("VEVENT")
    }
    second = {
        str(e["UID"])
        for e in Calendar.from_ical(client.get(URL, {"format": "ics"}).content).walk("VEVENT")
    }
    assert first == second
    assert len(first) == 5


def test_timelinejs_dates_carry_only_the_parts_the_precision_allows(client, dated):
    data = client.get(URL, {"format": "timelinejs"}).json()
    events = {event["unique_id"]: event for event in data["events"]}

    assert set(data) == {"title", "events"}
    assert events["day"]["start_date"] == {"year": 2025, "month": 2, "day": 18}
    assert events["month"]["start_date"] == {"year": 2025, "month": 3}
    assert events["year"]["start_date"] == {"year": 2024}
    assert events["span"]["end_date"] == {"year": 2025, "month": 4}
    assert "end_date" not in events["day"]
    assert events["day"]["display_date"] == "18 Feb 2025"
    assert events["day"]["group"] == "Bilateral talks"
    assert events["day"]["text"]["headline"] == 'Talks in Riyadh, "first round"'
    assert "<strong>Riyadh</strong>" in events["day"]["text"]["text"]
    assert "<script>" not in events["day"]["text"]["text"]
    assert "Retracted" in events["retracted"]["text"]["text"]
    assert "draft" not in events


def test_atom_lists_recently_published_events_newest_first(client, dated):
    response = client.get(URL, {"format": "atom"})
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)

    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles[0].startswith("[Retracted] ")
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert [link.rstrip("/").rsplit("/", 1)[1] for link in links] == [
        "retracted",
        "span",
        "month",
        "day",
        "year",
    ]
    assert all(entry.findtext(f"{ATOM}updated") for entry in entries)
    assert "Secret draft" not in response.content.decode()


def test_the_grouped_timeline_exports_too(client, dated):
    rows = list(
        csv.DictReader(io.StringIO(client.get("/api/v1/timeline/?format=csv").content.decode()))
    )
    assert [row["slug"] for row in rows] == ["year", "day", "month", "span", "retracted"]
    timeline = client.get("/api/v1/timeline/", {"format": "timelinejs"}).json()
    assert len(timeline["events"]) == 5
    assert len(_vevents(client.get("/api/v1/timeline/", {"format": "ics"}).content)) == 5


def test_exports_page_by_500_and_link_to_the_next_page(client):
    for index in range(3):
        PublishedEventFactory(slug=f"e{index}")
    response = client.get(URL, {"format": "csv", "page_size": 2})
    assert 'rel="next"' in response["Link"]
    assert len(list(csv.DictReader(io.StringIO(response.content.decode())))) == 2
    assert "Link" not in client.get(URL, {"format": "csv"})


def test_errors_in_an_export_come_back_as_json(client):
    response = client.get(URL, {"format": "csv", "from": "soon"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "from" in response.json()["errors"]


def test_an_unknown_format_is_400_naming_the_formats(client):
    response = client.get(URL, {"format": "xlsx"})
    assert response.status_code == 400
    assert "csv" in response.json()["errors"]["format"][0]


@pytest.mark.parametrize("fmt", ["csv", "ics", "timelinejs", "atom"])
def test_exports_answer_conditional_requests_with_an_empty_304(client, dated, fmt):
    first = client.get(URL, {"format": fmt})
    again = client.get(URL, {"format": fmt}, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.get("Content-Length", "0") == "0"  # not even a CSV header row
    other = client.get(URL, {"format": "json"}, headers={"If-None-Match": first["ETag"]})
    assert other.status_code == 200  # each format has its own tag


def test_control_characters_in_curated_text_never_break_an_export(client):
    PublishedEventFactory(slug="odd", title="Bell\x07 and\x0b tab", summary="Form\x0cfeed")
    for fmt in ("csv", "ics", "timelinejs", "atom"):
        assert client.get(URL, {"format": fmt}).status_code == 200, fmt
    feed = ET.fromstring(client.get(URL, {"format": "atom"}).content)
    assert feed.find(f"{ATOM}entry").findtext(f"{ATOM}title") == "Bell and tab"
    calendar = Calendar.from_ical(client.get(URL, {"format": "ics"}).content)
    assert len(list(calendar.walk("VEVENT"))) == 1


def test_atom_entries_link_to_the_public_page_and_carry_the_event_date(client, dated):
    feed = ET.fromstring(client.get(URL, {"format": "atom"}).content)
    entries = {entry.find(f"{ATOM}id").text: entry for entry in feed.findall(f"{ATOM}entry")}
    day = next(e for e in entries.values() if e.findtext(f"{ATOM}title").startswith("Talks"))
    links = {link.get("rel"): link.get("href") for link in day.findall(f"{ATOM}link")}
    assert links["alternate"] == "http://testserver/events/day/"
    assert links["related"] == "http://testserver/api/v1/events/day/"
    date = day.find("{tag:timeline,2026:event}date")
    assert (date.text, date.get("edtf")) == ("18 Feb 2025", "2025-02-18")
    assert '<time datetime="2025-02-18">18 Feb 2025</time>' in day.findtext(f"{ATOM}summary")
    month = next(
        e
        for e in entries.values()
        if e.find("{tag:timeline,2026:event}date").get("edtf") == "2025-03"
    )
    assert month.find("{tag:timeline,2026:event}date").text == "Mar 2025"
    # The public page it links to answers.
    assert client.get(links["alternate"].removeprefix("http://testserver")).status_code == 200
