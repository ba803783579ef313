"""EDTF levels 0 and 1: parsing, display at the date's own precision, sort on the earliest moment."""

from __future__ import annotations

import pytest

from generator.dates import MAX_KEY, MIN_KEY, EdtfDate, EdtfError, EdtfInterval, display, parse_edtf, sort_key


@pytest.mark.parametrize(
    ("text", "shown", "earliest", "latest"),
    [
        # level 0
        ("2019-04-25", "25 April 2019", (2019, 4, 25), (2019, 4, 25)),
        ("2023-07", "July 2023", (2023, 7, 1), (2023, 7, 31)),
        ("2022", "2022", (2022, 1, 1), (2022, 12, 31)),
        ("2020-02", "February 2020", (2020, 2, 1), (2020, 2, 29)),
        ("2019-02-27/2019-02-28", "27–28 February 2019", (2019, 2, 27), (2019, 2, 28)),
        ("2019-04/2019-06", "April–June 2019", (2019, 4, 1), (2019, 6, 30)),
        ("2018-03/2019-01", "March 2018 – January 2019", (2018, 3, 1), (2019, 1, 31)),
        ("2019-04-25T10:30:00Z", "25 April 2019, 10:30", (2019, 4, 25), (2019, 4, 25)),
        # level 1: qualifiers
        ("2023-09~", "c. September 2023", (2023, 9, 1), (2023, 9, 30)),
        ("2023-09?", "September 2023?", (2023, 9, 1), (2023, 9, 30)),
        ("2023-09%", "c. September 2023?", (2023, 9, 1), (2023, 9, 30)),
        ("2004?", "2004?", (2004, 1, 1), (2004, 12, 31)),
        # level 1: unspecified digits
        ("201X", "2010s", (2010, 1, 1), (2019, 12, 31)),
        ("19XX", "1900s", (1900, 1, 1), (1999, 12, 31)),
        ("2019-XX", "2019", (2019, 1, 1), (2019, 12, 31)),
        ("2019-04-XX", "April 2019", (2019, 4, 1), (2019, 4, 30)),
        # level 1: seasons
        ("2019-21", "Spring 2019", (2019, 3, 1), (2019, 5, 31)),
        ("2019-22", "Summer 2019", (2019, 6, 1), (2019, 8, 31)),
        ("2019-23", "Autumn 2019", (2019, 9, 1), (2019, 11, 30)),
        # level 1: extended years, years before the common era (ISO: year 0 is 1 BCE)
        ("Y170000002", "170000002", (170000002, 1, 1), (170000002, 12, 31)),
        ("0000", "1 BCE", (0, 1, 1), (0, 12, 31)),
        ("-0044-03-15", "15 March 45 BCE", (-44, 3, 15), (-44, 3, 15)),
    ],
)
def test_valid_dates(
    text: str, shown: str, earliest: tuple[int, int, int], latest: tuple[int, int, int]
) -> None:
    date = parse_edtf(text)
    assert date.display() == shown
    assert display(text) == shown
    assert date.earliest[:3] == earliest
    assert date.latest[:3] == latest
    assert sort_key(text) == date.earliest


@pytest.mark.parametrize(
    ("text", "shown", "earliest", "latest"),
    [
        ("2019/..", "from 2019", (2019, 1, 1, 0), MAX_KEY),
        ("../2019", "until 2019", MIN_KEY, (2019, 12, 31, 1)),
        ("/2019", "unknown start – 2019", MIN_KEY, (2019, 12, 31, 1)),
        ("2019/", "2019 – unknown end", (2019, 1, 1, 0), MAX_KEY),
        ("2019-04-25~/2019-05", "c. 25 April 2019 – May 2019", (2019, 4, 25, 0), (2019, 5, 31, 1)),
    ],
)
def test_open_and_unknown_intervals(
    text: str, shown: str, earliest: tuple[int, ...], latest: tuple[int, ...]
) -> None:
    date = parse_edtf(text)
    assert isinstance(date, EdtfInterval)
    assert date.display() == shown
    assert date.earliest == earliest
    assert date.latest == latest


def test_qualifiers_are_recorded() -> None:
    approx, uncertain, both = parse_edtf("2023-09~"), parse_edtf("2023-09?"), parse_edtf("2023-09%")
    assert isinstance(approx, EdtfDate) and isinstance(uncertain, EdtfDate) and isinstance(both, EdtfDate)
    assert (approx.approximate, approx.uncertain) == (True, False)
    assert (uncertain.approximate, uncertain.uncertain) == (False, True)
    assert (both.approximate, both.uncertain) == (True, True)


@pytest.mark.parametrize("text", ["2023-07", "2022", "2023-09~", "201X", "2019-XX", "2019-21", "2019/.."])
def test_display_never_invents_a_day(text: str) -> None:
    shown = display(text)
    assert not any(part.isdigit() and len(part) <= 2 for part in shown.replace("–", " ").split())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2019-13", "'2019-13': month 13 does not exist"),
        ("2019-00", "'2019-00': month 00 does not exist"),
        ("2019-02-30", "'2019-02-30': February 2019 has no day 30"),
        ("2019-02-29", "'2019-02-29': February 2019 has no day 29"),
        ("2019-04-00", "'2019-04-00': April 2019 has no day 0"),
        ("19XX-02-30", "'19XX-02-30': no February has a day 30"),
        ("23-09", "'23-09' is not an EDTF date (a year has four digits); expected e.g."),
        ("2019-9", "'2019-9' is not an EDTF date (months and days have two digits: 2019-04-05)"),
        ("2019-04-5", "'2019-04-5' is not an EDTF date (months and days have two digits"),
        ("April 2019", "'April 2019' is not an EDTF date"),
        ("2019-04-25 ", "'2019-04-25 ': remove the spaces around the date"),
        ("", 'expected an EDTF date in quotes, e.g. "2019-04-25"'),
        ("2019-21-01", "'2019-21-01': month 21 does not exist"),
        ("20X9", "'20X9': unspecified digits (X) must come last in the year"),
        ("2019-X1", "'2019-X1': write an unknown month as XX"),
        ("2019-XX-25", "'2019-XX-25': a day needs a known month"),
        ("2019-04-X5", "'2019-04-X5': write an unknown day as XX"),
        ("2019-04-25T25:00:00", "'2019-04-25T25:00:00': 25:00:00 is not a time of day"),
        ("2019-05/2019-04", "'2019-05/2019-04': the interval ends before it starts"),
        ("2019/2020/2021", "'2019/2020/2021': an interval has exactly one '/'"),
        ("/", "'/': an interval needs at least one known end"),
        ("../..", "'../..': an interval needs at least one known end"),
        ("2019-04-25~~", "is not an EDTF date"),
    ],
)
def test_invalid_dates(text: str, message: str) -> None:
    with pytest.raises(EdtfError) as info:
        parse_edtf(text)
    assert message in str(info.value)


def test_sort_key_is_the_earliest_possible_moment() -> None:
    texts = ["2019-04-25", "2019", "2019-04", "2019-04~", "2018/2020", "2019-21", "../2019", "201X"]
    ordered = sorted(texts, key=sort_key)
    assert ordered[0] == "../2019"  # open start: earlier than anything
    assert ordered[1:3] == ["201X", "2018/2020"]
    assert ordered[3] == "2019"
    assert ordered[4] == "2019-21"  # spring: March
    assert sort_key("2019-04") == sort_key("2019-04~") < sort_key("2019-04-25")


def test_sort_key_puts_undated_and_invalid_last() -> None:
    assert sort_key(None) == MAX_KEY
    assert sort_key("not a date") == MAX_KEY
    assert sort_key("9999-12-31") < MAX_KEY


def test_intervals_compare_with_single_dates_and_open_ones() -> None:
    # the edtf package raises here; our keys are plain tuples, a total order
    keys = [sort_key(t) for t in ("2019/..", "../2019", "2019-02-27/2019-02-28", "2019-02-27")]
    assert sorted(keys) == [MIN_KEY, (2019, 1, 1, 0), (2019, 2, 27, 0), (2019, 2, 27, 0)]
