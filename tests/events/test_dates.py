import datetime as dt

import pytest

from events import dates
from events.choices import DatePrecision as P


@pytest.mark.parametrize(
    ("value", "precision", "approximate", "shown", "edtf"),
    [
        (dt.date(2025, 2, 18), P.DAY, False, "18 Feb 2025", "2025-02-18"),
        (dt.date(2025, 2, 18), P.DAY, True, "c. 18 Feb 2025", "2025-02-18~"),
        (dt.date(2025, 3, 1), P.MONTH, False, "Mar 2025", "2025-03"),
        (dt.date(2025, 1, 1), P.YEAR, False, "2025", "2025"),
        (dt.date(2025, 1, 1), P.YEAR, True, "c. 2025", "2025~"),
    ],
)
def test_a_date_is_shown_and_encoded_in_its_precision(value, precision, approximate, shown, edtf):
    assert dates.display_date(value, precision, approximate) == shown
    assert dates.edtf_date(value, precision, approximate) == edtf


def test_month_precision_never_shows_the_placeholder_day():
    assert "1" not in dates.display_date(dt.date(2025, 3, 1), P.MONTH).split()[0:1]
    assert dates.display_date(dt.date(2025, 3, 1), P.MONTH) == "Mar 2025"


@pytest.mark.parametrize(
    ("start", "sp", "end", "ep", "lower", "upper"),
    [
        (dt.date(2025, 3, 1), P.MONTH, None, None, dt.date(2025, 3, 1), dt.date(2025, 3, 31)),
        (dt.date(2024, 2, 1), P.MONTH, None, None, dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        (dt.date(2025, 1, 1), P.YEAR, None, None, dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        (dt.date(2025, 2, 18), P.DAY, None, None, dt.date(2025, 2, 18), dt.date(2025, 2, 18)),
        (
            dt.date(2025, 2, 18),
            P.DAY,
            dt.date(2025, 4, 1),
            P.MONTH,
            dt.date(2025, 2, 18),
            dt.date(2025, 4, 30),
        ),
    ],
)
def test_bounds_cover_every_day_the_event_may_have_happened(start, sp, end, ep, lower, upper):
    assert dates.bounds(start, sp, end, ep) == (lower, upper)


def test_a_range_is_encoded_as_an_edtf_interval():
    assert (
        dates.edtf(dt.date(2025, 3, 3), P.DAY, False, dt.date(2025, 3, 11), P.DAY, False)
        == "2025-03-03/2025-03-11"
    )
    assert (
        dates.display_range(dt.date(2025, 3, 3), P.DAY, False, dt.date(2025, 3, 11), P.DAY)
        == "3 Mar 2025 – 11 Mar 2025"
    )


@pytest.mark.parametrize(
    ("value", "precision", "fits"),
    [
        (dt.date(2025, 2, 18), P.MONTH, False),
        (dt.date(2025, 2, 1), P.MONTH, True),
        (dt.date(2025, 2, 1), P.YEAR, False),
        (dt.date(2025, 1, 1), P.YEAR, True),
        (dt.date(2025, 2, 18), P.DAY, True),
    ],
)
def test_precision_must_fit_the_date(value, precision, fits):
    assert (dates.precision_error(value, precision) is None) is fits


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025", (dt.date(2025, 1, 1), P.YEAR)),
        ("2025-03", (dt.date(2025, 3, 1), P.MONTH)),
        ("2025-03-15", (dt.date(2025, 3, 15), P.DAY)),
    ],
)
def test_partial_dates_parse_with_their_precision(text, expected):
    assert dates.parse_partial(text) == expected


@pytest.mark.parametrize("text", ["March 2025", "2025-13", "2025-02-30", "25-03-01", ""])
def test_bad_partial_dates_say_what_is_allowed(text):
    with pytest.raises(ValueError, match=r"YYYY|valid calendar date"):
        dates.parse_partial(text)
