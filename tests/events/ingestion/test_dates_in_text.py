import datetime as dt

import pytest

from events.ingestion.dates_in_text import find_dates, main_date

# A Thursday: "on Monday" is 3 March, "last week" 24 February to 2 March.
PUBLISHED = dt.date(2025, 3, 6)
D = dt.date


@pytest.mark.parametrize(
    ("sentence", "start", "end", "precision", "approximate"),
    [
        ("The aid was paused on Monday.", D(2025, 3, 3), D(2025, 3, 3), "day", False),
        ("Waltz spoke Thursday.", D(2025, 3, 6), D(2025, 3, 6), "day", False),
        ("They met last Thursday.", D(2025, 2, 27), D(2025, 2, 27), "day", False),
        ("He said so yesterday.", D(2025, 3, 5), D(2025, 3, 5), "day", False),
        ("It ended three days ago.", D(2025, 3, 3), D(2025, 3, 3), "day", False),
        ("Delegations met last week.", D(2025, 2, 24), D(2025, 3, 2), "day", True),
        ("Aid was halted earlier this week.", D(2025, 3, 3), D(2025, 3, 6), "day", True),
        ("Talks began in February.", D(2025, 2, 1), D(2025, 2, 28), "month", False),
        ("Talks began in late February.", D(2025, 2, 1), D(2025, 2, 28), "month", False),
        ("They met on Feb. 18 in Riyadh.", D(2025, 2, 18), D(2025, 2, 18), "day", False),
        ("They met on 18 February.", D(2025, 2, 18), D(2025, 2, 18), "day", False),
        ("On February 18, 2025, they met.", D(2025, 2, 18), D(2025, 2, 18), "day", False),
        ("On 18 February 2025 they met.", D(2025, 2, 18), D(2025, 2, 18), "day", False),
        ("The vote of 2022-03-02 was clear.", D(2022, 3, 2), D(2022, 3, 2), "day", False),
        ("It was signed around April 24, 2024.", D(2024, 4, 24), D(2024, 4, 24), "day", True),
        ("In April 2024, Biden signed it.", D(2024, 4, 1), D(2024, 4, 30), "month", False),
        ("Aid rose in 2024.", D(2024, 1, 1), D(2024, 12, 31), "year", False),
        ("Aid fell last year.", D(2024, 1, 1), D(2024, 12, 31), "year", False),
        ("Earlier this month, aid was paused.", D(2025, 3, 1), D(2025, 3, 31), "month", False),
        ("Relations soured last month.", D(2025, 2, 1), D(2025, 2, 28), "month", False),
    ],
)
def test_it_reads_each_phrase_with_its_written_precision(
    sentence, start, end, precision, approximate
):
    mention = main_date(sentence, published=PUBLISHED)
    assert (mention.start, mention.end, mention.precision, mention.approximate) == (
        start,
        end,
        precision,
        approximate,
    )


def test_a_month_is_never_given_a_made_up_day():
    mention = main_date("It happened in February.", published=PUBLISHED)
    assert mention.precision == "month"
    assert (mention.start.day, mention.end.day) == (1, 28)


def test_a_day_or_month_without_a_year_far_ahead_of_publication_is_last_years():
    assert main_date("Talks on Dec. 5 failed.", published=PUBLISHED).start == D(2024, 12, 5)
    assert main_date("Talks resume on March 20.", published=PUBLISHED).start == D(2025, 3, 20)
    assert main_date("It began in November.", published=PUBLISHED).start == D(2024, 11, 1)


def test_without_a_publication_date_only_dates_that_name_their_year_are_read():
    assert main_date("They met on Monday in February.", published=None) is None
    assert main_date("They met on 18 February 2025.", published=None).start == D(2025, 2, 18)


def test_the_most_precise_date_is_the_sentence_s_date():
    sentence = "In 2024 the talks failed; on Feb. 18 they resumed in Riyadh."
    assert [m.text for m in find_dates(sentence, published=PUBLISHED)] == ["In 2024", "Feb. 18"]
    assert main_date(sentence, published=PUBLISHED).start == D(2025, 2, 18)


@pytest.mark.parametrize(
    "sentence",
    [
        "The US may pause aid.",  # "may" the verb
        "Resolution 2774 was adopted.",  # a number, not a year
        "It received support from 93 countries.",
        "Such a notion was unthinkable a few years ago.",  # too vague to date
        "It has been the rule since Monday.",  # a bound, not when it happened
        "They met on 31 February 2025.",  # no such day, and not a month either
    ],
)
def test_it_reads_no_date_where_none_is_written(sentence):
    assert find_dates(sentence, published=PUBLISHED) == []
