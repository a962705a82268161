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


# --- reading a date as a source writes it --------------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@st.composite
def one_date(draw, min_value=dt.date(1, 1, 1)):
    precision = draw(st.sampled_from([P.DAY, P.MONTH, P.YEAR]))
    value = draw(st.dates(min_value=min_value, max_value=dt.date(9999, 12, 31)))
    if precision == P.MONTH:
        value = value.replace(day=1)
    elif precision == P.YEAR:
        value = value.replace(month=1, day=1)
    return value, precision, draw(st.booleans())


@st.composite
def written_dates(draw):
    start, start_precision, start_approximate = draw(one_date())
    if not draw(st.booleans()):
        return dates.WrittenDate(start, start_precision, start_approximate)
    end, end_precision, end_approximate = draw(one_date(min_value=start))
    if end < start:  # a month or year placeholder before a start inside that month or year
        end, end_precision = start, P.DAY
    return dates.WrittenDate(
        start, start_precision, start_approximate, end, end_precision, end_approximate
    )


@given(written_dates())
def test_a_shown_date_reads_back_as_itself(written):
    assert dates.parse_written_date(str(written)) == written


@given(written_dates())
def test_an_edtf_date_reads_back_as_itself(written):
    text = dates.edtf(*written.as_fields().values())
    assert dates.parse_written_date(text) == written


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-02-18", dates.WrittenDate(dt.date(2025, 2, 18), P.DAY)),
        ("18 Feb 2025", dates.WrittenDate(dt.date(2025, 2, 18), P.DAY)),
        ("18 February 2025", dates.WrittenDate(dt.date(2025, 2, 18), P.DAY)),
        ("February 18, 2025", dates.WrittenDate(dt.date(2025, 2, 18), P.DAY)),
        ("Feb 2025", dates.WrittenDate(dt.date(2025, 2, 1), P.MONTH)),
        ("sept 2025", dates.WrittenDate(dt.date(2025, 9, 1), P.MONTH)),
        ("2025-02", dates.WrittenDate(dt.date(2025, 2, 1), P.MONTH)),
        ("2025", dates.WrittenDate(dt.date(2025, 1, 1), P.YEAR)),
        ("c. 2025", dates.WrittenDate(dt.date(2025, 1, 1), P.YEAR, True)),
        ("circa 2025", dates.WrittenDate(dt.date(2025, 1, 1), P.YEAR, True)),
        ("2025~", dates.WrittenDate(dt.date(2025, 1, 1), P.YEAR, True)),
        (
            "2024/2025",
            dates.WrittenDate(dt.date(2024, 1, 1), P.YEAR, False, dt.date(2025, 1, 1), P.YEAR),
        ),
        (
            "Jan 2025 – 3 Mar 2025",
            dates.WrittenDate(dt.date(2025, 1, 1), P.MONTH, False, dt.date(2025, 3, 3), P.DAY),
        ),
    ],
)
def test_a_date_is_read_as_sources_write_it(text, expected):
    assert dates.parse_written_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("early 2025", "“early 2025” is too vague to store. Write the period it falls in"),
        ("spring 2024", "is too vague to store"),
        ("2025/2024", "the end comes before the start"),
        ("30 Feb 2025", "is not a calendar date"),
        ("2025-13", "is not a calendar date"),
        ("Smarch 2025", "is not a date we can read. As the source says it: 18 Feb 2025"),
        ("2023/2024/2025", "has more than two ends"),
        ("", "Enter a date."),
    ],
)
def test_a_date_that_cannot_be_read_says_what_to_write(text, message):
    with pytest.raises(ValueError, match=message):
        dates.parse_written_date(text)
