"""EDTF dates (levels 0 and 1): parsing, sorting on the earliest possible moment, display.

Our own small parser rather than the ``edtf`` package: that package pads approximate dates
by a whole unit each way and raises when open intervals are compared with closed ones,
while we need a total order ("earliest possible moment, ties by name") and display at the
date's own precision.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Edtf", "EdtfDate", "EdtfError", "EdtfInterval", "parse_edtf", "sort_key"]

MIN_KEY: tuple[int, int, int, int] = (-(10**12), 0, 0, 0)
MAX_KEY: tuple[int, int, int, int] = (10**12, 0, 0, 0)

MONTHS = [calendar.month_name[i] for i in range(1, 13)]
SEASONS = {21: "Spring", 22: "Summer", 23: "Autumn", 24: "Winter"}
# first and last month of each season (northern hemisphere, as EDTF level 1 defines 21-24)
SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 12)}

_DATE_RE = re.compile(
    r"""^(?P<year>Y-?\d{5,}|-?[\dX]{4})
        (?:-(?P<month>[\dX]{2})
           (?:-(?P<day>[\dX]{2})
              (?:T(?P<time>\d{2}:\d{2}:\d{2})(?P<tz>Z|[+-]\d{2}(?::\d{2})?)?)?
           )?
        )?
        (?P<qual>[?~%])?$""",
    re.VERBOSE,
)


class EdtfError(ValueError):
    """A string that is not an EDTF level 0 or 1 date."""


@dataclass(frozen=True)
class EdtfDate:
    """One date at its own precision: ``year`` always, ``month`` and ``day`` when given."""

    text: str
    year: int | None  # None when every digit is unspecified (XXXX)
    month: int | None = None  # 1-12, or 21-24 for a season
    day: int | None = None
    time: str | None = None
    uncertain: bool = False
    approximate: bool = False
    unspecified_year_digits: int = 0

    @property
    def earliest(self) -> tuple[int, int, int, int]:
        if self.year is None:
            return MIN_KEY
        year = self.year
        month = self.month or 1
        if self.month in SEASON_MONTHS:
            month = SEASON_MONTHS[self.month][0]
        return (year, month, self.day or 1, 0)

    @property
    def latest(self) -> tuple[int, int, int, int]:
        if self.year is None:
            return MAX_KEY
        year = self.year + (10**self.unspecified_year_digits - 1)
        if self.month is None:
            return (year, 12, 31, 1)
        month = SEASON_MONTHS[self.month][1] if self.month in SEASON_MONTHS else self.month
        day = self.day or calendar.monthrange(year, month)[1]
        return (year, month, day, 1)

    def display(self) -> str:
        """Human form at the date's own precision: never a day that was not given."""
        if self.year is None:
            core = "unknown date"
        elif self.unspecified_year_digits:
            core = f"{self.year // 10**self.unspecified_year_digits}{'0' * self.unspecified_year_digits}s"
        else:
            year = _year_text(self.year)
            if self.month is None:
                core = year
            elif self.month in SEASONS:
                core = f"{SEASONS[self.month]} {year}"
            elif self.day is None:
                core = f"{MONTHS[self.month - 1]} {year}"
            else:
                core = f"{self.day} {MONTHS[self.month - 1]} {year}"
            if self.time:
                core += f", {self.time[:5]}"
        if self.approximate:
            core = "c. " + core
        if self.uncertain:
            core += "?"
        return core


@dataclass(frozen=True)
class EdtfInterval:
    """``start/end``; either side may be open (``..``) or unknown (empty)."""

    text: str
    start: EdtfDate | None
    end: EdtfDate | None
    open_start: bool = False
    open_end: bool = False

    @property
    def earliest(self) -> tuple[int, int, int, int]:
        return self.start.earliest if self.start else MIN_KEY

    @property
    def latest(self) -> tuple[int, int, int, int]:
        return self.end.latest if self.end else MAX_KEY

    def display(self) -> str:
        s, e = self.start, self.end
        if s and e and s.year == e.year and not (s.approximate or s.uncertain):
            if s.month and e.month and s.month == e.month and s.day and e.day:
                return f"{s.day}–{e.display()}"
            if s.month and e.month and s.day is None and e.day is None:
                return f"{MONTHS[s.month - 1] if s.month <= 12 else SEASONS[s.month]}–{e.display()}"
        left = s.display() if s else ("" if not self.open_start else "…")
        right = e.display() if e else ("" if not self.open_end else "…")
        if not s:
            return f"until {right}" if self.open_start else f"unknown start – {right}"
        if not e:
            return f"from {left}" if self.open_end else f"{left} – unknown end"
        return f"{left} – {right}"


Edtf = EdtfDate | EdtfInterval


def _year_text(year: int) -> str:
    """ISO 8601 years count 0 as 1 BCE, -1 as 2 BCE, and so on."""
    return str(year) if year > 0 else f"{1 - year} BCE"


def _parse_date(text: str) -> EdtfDate:
    m = _DATE_RE.match(text)
    if not m:
        hint = ""
        if re.match(r"^-?\d{1,3}(?:-|$)", text):
            hint = " (a year has four digits)"
        elif re.match(r"^-?\d{4}-(?:\d|\d\d-\d)(?:\D|$)", text):
            hint = " (months and days have two digits: 2019-04-05)"
        raise EdtfError(
            f'\'{text}\' is not an EDTF date{hint}; expected e.g. "2019-04-25", "2023-07", '
            '"2022", "2023-09~" or "2019-02-27/2019-02-28"'
        )
    qual = m["qual"] or ""
    raw_year = m["year"]
    unspecified = 0
    year: int | None
    if raw_year.startswith("Y"):
        year = int(raw_year[1:])
    elif "X" in raw_year:
        digits = raw_year.lstrip("-")
        if not re.fullmatch(r"\d*X*", digits):
            raise EdtfError(f"'{text}': unspecified digits (X) must come last in the year")
        unspecified = digits.count("X")
        year = None if unspecified == 4 else int(digits.replace("X", "0"))
    else:
        year = int(raw_year)
    month: int | None = None
    day: int | None = None
    if m["month"] is not None:
        if "X" in m["month"]:
            if m["month"] != "XX":
                raise EdtfError(f"'{text}': write an unknown month as XX")
        else:
            month = int(m["month"])
            if not (1 <= month <= 12 or (month in SEASONS and m["day"] is None)):
                raise EdtfError(f"'{text}': month {m['month']} does not exist")
    if m["day"] is not None and "X" not in m["day"]:
        day = int(m["day"])
        if month is None:
            raise EdtfError(f"'{text}': a day needs a known month")
        known_year = None if year is None or unspecified else year
        last = calendar.monthrange(2000 if known_year is None else known_year, month)[1]  # 2000: leap
        if not 1 <= day <= last:
            if known_year is None:
                raise EdtfError(f"'{text}': no {MONTHS[month - 1]} has a day {day}")
            raise EdtfError(f"'{text}': {MONTHS[month - 1]} {_year_text(known_year)} has no day {day}")
    elif m["day"] is not None and m["day"] != "XX":
        raise EdtfError(f"'{text}': write an unknown day as XX")
    if m["time"] is not None:
        hours, minutes, seconds = (int(part) for part in m["time"].split(":"))
        if hours > 23 or minutes > 59 or seconds > 60:  # 60: a leap second
            raise EdtfError(f"'{text}': {m['time']} is not a time of day")
    return EdtfDate(
        text=text,
        year=year,
        month=month,
        day=day,
        time=m["time"],
        uncertain=qual in "?%" and bool(qual),
        approximate=qual in "~%" and bool(qual),
        unspecified_year_digits=unspecified if year is not None else 0,
    )


@lru_cache(maxsize=8192)
def parse_edtf(text: str) -> Edtf:
    """Parse an EDTF level 0/1 string; raise :class:`EdtfError` with a readable message."""
    if not isinstance(text, str) or not text.strip():
        raise EdtfError('expected an EDTF date in quotes, e.g. "2019-04-25"')
    if text != text.strip():
        raise EdtfError(f"'{text}': remove the spaces around the date")
    if "/" in text:
        left, _, right = text.partition("/")
        if "/" in right:
            raise EdtfError(f"'{text}': an interval has exactly one '/'")
        start = None if left in ("", "..") else _parse_date(left)
        end = None if right in ("", "..") else _parse_date(right)
        if start is None and end is None:
            raise EdtfError(f"'{text}': an interval needs at least one known end")
        if start and end and start.earliest > end.latest:
            raise EdtfError(f"'{text}': the interval ends before it starts")
        return EdtfInterval(text, start, end, open_start=left == "..", open_end=right == "..")
    return _parse_date(text)


def sort_key(text: str | None) -> tuple[int, int, int, int]:
    """Earliest possible moment of a date; undated items sort last."""
    if text is None:
        return MAX_KEY
    try:
        return parse_edtf(text).earliest
    except EdtfError:
        return MAX_KEY


def display(text: str | None) -> str:
    if text is None:
        return ""
    return parse_edtf(text).display()
