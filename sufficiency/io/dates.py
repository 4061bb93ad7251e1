"""Dates as councils' files hold them, normalised to DfE's DD/MM/YYYY.

DfE specifies DD/MM/YYYY for every date in the 903 return, but exports meet other
forms on the way: real Excel date cells (already written as DD/MM/YYYY by
:mod:`sufficiency.io.tables`), Excel serial numbers (45383 is 1 April 2024) in
workbooks, and in CSVs where a date column was pasted from Excel into one formatted
General (read in Excel's 1900 date system, and said so), a time of day after the date
(``01/04/2024 00:00:00``, as pandas and some databases write them), ISO dates
(``2024-04-01``, unambiguous), two-digit years (``01/04/24``, read as 2024: every date
a 903 return holds is in this century), the month's name (``01-Apr-2024``,
``1 April 2024``), full stops or hyphens between the parts (``01.04.2024``,
``01-04-2024``, as European settings and SQL exports write them), year first without
hyphens (``20240401``, ``2024/04/01``, as databases write them), a moment in time with
its time zone (``2024-03-31T23:00:00Z``, as web systems and JSON exports write a date:
read as the day it is in England, 1 April here, not the day in UTC) and, in a table
whose dates can only be read so, US month-first dates (``04/25/2024``, or with full
stops or hyphens). A date may begin with its day of the week (``Mon 03/02/2014``,
``Monday, 3 February 2014``, as a report's long date format writes it): read as the
date, and only where that is the day's weekday, so a day and month swapped
(``Mon 02/03/2014``, a Sunday) is not read but said to be a date whose day of the week
is not its own, the error of its row. Each form is recognised only where it
cannot be mistaken for another, rewritten as DD/MM/YYYY, and reported once per file and
form so the user knows what was assumed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.tables import RawTable
from sufficiency.io.unnamed import some_rows

#: Excel's day zero for serial dates (it counts 1900 as a leap year, so day 60 is
#: the fictitious 29 February 1900; serials from 61 on are right from this origin).
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: Days from the 1900 date system's day zero to the 1904 system's (Excel for Mac's).
_MAC_DAYS = 1462
#: Serial numbers accepted as dates: 1 January 1950 to 31 December 2099.
_SERIAL_MIN, _SERIAL_MAX = 18264, 73050

_DMY = r"\d{1,2}/\d{1,2}/\d{4}"
#: A time of day after a date, on the 24-hour clock or the 12-hour one (``12:00:00 AM``,
#: as .NET, SSRS and a US-set Excel write a date-time): ignored.
_TIME = r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp]\.?[Mm]\.?)?"
_DMY_TIME = r"(\d{1,2}/\d{1,2}/\d{4})" + _TIME
_ISO = r"(\d{4})-(\d{2})-(\d{2})(?:" + _TIME + ")?"
_SERIAL = r"(\d{5})(?:\.0+)?"
_DMY_SHORT = r"(\d{1,2})([/.])(\d{1,2})\2(\d{2})"  # 01/04/25; 01.04.25 (a German Excel)
_ISO_ZONE = r"\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s?(?:Z|[+-]\d{2}:?\d{2})"
_MONTH_NAME = r"(\d{1,2})(?:st|nd|rd|th)?[ /-]+([A-Za-z]{3,9})\.?[ /,-]+(\d{4}|\d{2})"
#: Month names and their usual shortenings (Sept), lower case.
_MONTHS = {
    name: i
    for i, full in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"), start=1)
    for name in {full, full[:3], full[:4]}
}  # fmt: skip


@dataclass(frozen=True)
class DateForm:
    """A way of writing dates other than DD/MM/YYYY, and what the reader says about it."""

    code: str
    message: str


EXCEL_DATE_CELLS = DateForm("excel_dates", "holds dates as Excel date cells; read as dates")
EXCEL_SERIALS = DateForm(
    "excel_serial_dates",
    "holds dates as Excel serial numbers (45383 is 01/04/2024); read as dates",
)
EXCEL_SERIALS_1904 = DateForm(
    "excel_serial_dates",
    "holds dates as Excel serial numbers in the workbook's 1904 date system (Excel for "
    "Mac's: 43921 is 01/04/2024); read as dates in that system",
)
EXCEL_SERIALS_TEXT = DateForm(
    "excel_serial_dates",
    "holds whole numbers where dates should be (45383), as a date column pasted from Excel "
    "into one formatted General does; read as Excel serial dates in the 1900 date system "
    "(45383 is 01/04/2024): check a few against the source, and save the column formatted "
    "as DD/MM/YYYY",
)
DATE_WITH_TIME = DateForm(
    "dates_with_time", "writes dates with a time of day (DD/MM/YYYY 00:00:00); the time is ignored"
)


def _with_time(written: str) -> DateForm:
    """:data:`DATE_WITH_TIME` naming the form ``written`` (a date with a time) has:
    ``YYYY-MM-DD 00:00:00`` when the file writes that, not DD/MM/YYYY. The time is
    quoted only when it is midnight (``00:00:00``, ``12:00:00 AM``); another is its
    shape (``00:00``), a date of birth's time being the child's own."""
    parts = re.match(r"(\S+?)([ T])(.*)$", written.strip())
    if parts is None:
        return DATE_WITH_TIME
    date, sep, time = parts.groups()
    date = "YYYY-MM-DD" if "-" in date else "DD/MM/YYYY"
    if not re.fullmatch(r"(?:0+|12)(?::0+)*(?:\.0+)?(?:\s?[AaPp]\.?[Mm]\.?)?", time):
        time = re.sub(r"\d", "0", time)
    return DateForm(DATE_WITH_TIME.code, DATE_WITH_TIME.message.replace(
        "DD/MM/YYYY 00:00:00", f"{date}{sep}{time}"))  # fmt: skip


ISO_DATES = DateForm("iso_dates", "writes dates as YYYY-MM-DD; read as ISO dates")
MONTH_NAMES = DateForm(
    "month_name_dates",
    "writes dates with the month's name (01-Apr-2025, 1 April 2025); read as dates",
)
TWO_DIGIT_YEARS = DateForm(
    "two_digit_years",
    "writes years with two digits (DD/MM/YY); read as 20YY (every date these files hold "
    "is in this century)",
)
DOTTED_DATES = DateForm(
    "dotted_dates",
    "writes dates with full stops or hyphens between the parts (01.04.2024, 01-04-2024); "
    "read day first, as DD/MM/YYYY",
)
YEAR_FIRST = DateForm(
    "year_first_dates",
    "writes dates year first without hyphens (20240401 or 2024/04/01, as databases do); "
    "read as year, month, day",
)
ZONED_DATES = DateForm(
    "zoned_dates",
    "writes dates as a moment in time with its time zone (2024-03-31T23:00:00Z, as web "
    "systems do); read as the day it is in England (here 01/04/2024, not the day in UTC)",
)
#: Forms read by rearranging their parts: the pattern, the groups holding the day, month
#: and year, what goes before the year, and the form noted.
_PART_FORMS = (
    (r"(\d{1,2})[.-](\d{1,2})[.-](\d{4})", (0, 1, 2), "", DOTTED_DATES),
    (r"((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})", (2, 1, 0), "", YEAR_FIRST),
    (r"((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])", (2, 1, 0), "", YEAR_FIRST),
    (_DMY_SHORT, (0, 2, 3), "20", TWO_DIGIT_YEARS),
)
WEEKDAYS = DateForm(
    "weekday_dates",
    "writes dates with the day of the week (Mon 03/02/2014); read as the date where the "
    "day of the week is that date's (a date whose day of the week is not is an error of "
    "its row)",
)
#: A day of the week before a date, and the date: ``Mon 03/02/2014``, ``Monday, 3 Feb 2014``.
_WEEKDAY = r"(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+(\S.*)"
_WEEKDAY_NUMBER = {d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
#: Why a date whose day of the week is not its own (``Tuesday 3 March 2025``, a Monday)
#: is no date. Neither day is named: for a date of birth that would
#: tell part of it.
WRONG_WEEKDAY = (
    "begins with a day of the week that is not that date's day of the week: the day, the "
    "month (or the two swapped) or the day of the week is mistyped; correct it"
)
MONTH_FIRST = DateForm(
    "month_first_dates",
    "writes dates month first (MM/DD/YYYY, as US settings do): no date in it has a day "
    "over 12 first, and some have a month over 12; read as MM/DD/YYYY",
)
#: One column month first where the table's others are day first (a column pasted in from
#: a US-set machine): its dates alone decide, as a table's do. Read day first as the table
#: is, the sample's 2025-26 DEC so written had 614 end dates refused and the rest read with
#: day and month swapped: the return read as 2026-27's, 781 children counted, not 869.
MONTH_FIRST_COLUMN = DateForm(
    "month_first_column",
    "writes its dates month first (MM/DD/YYYY, as US settings do), though the table's "
    "other dates are day first: none in this column has a day over 12 first, and some "
    "have a month over 12; read as MM/DD/YYYY",
)
#: A table is read month first only with at least this many dates that cannot be day
#: first (a second part over 12) and none that cannot be month first.
MONTH_FIRST_MIN = 3
_PARTS = r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(.*)$"
#: The dates any input may hold: years 1900 to 2099. A year outside them is a slip
#: (0212 for 2012) or a placeholder (31/12/9999 for "no end"), and pandas holds few such
#: dates in nanoseconds: read as a date, one crashed the reader or made a child 1,800
#: years old, left out of the forecast without a word.
FIRST_DAY, LAST_DAY = pd.Timestamp("1900-01-01"), pd.Timestamp("2099-12-31")
OUT_OF_RANGE = f"is a date outside the years {FIRST_DAY.year} to {LAST_DAY.year}; check the year"


def eighteenth_birthdays(dob: pd.Series | pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Each child's 18th birthday: the day they leave care. For a child born on 29
    February it is 1 March in a year without one (English law), where pandas' year
    offset gives 28 February, a day when they are still 17."""
    d = pd.DatetimeIndex(dob)
    out = d + pd.DateOffset(years=18)
    moved = (d.month == 2) & (d.day == 29) & (out.day == 28)
    return out + pd.to_timedelta(np.where(moved, 1, 0), unit="D")


def dates_any_year(s: pd.Series, fmt: str) -> pd.Series:
    """``s`` read with ``fmt`` (NaT where it does not fit), whatever the year."""
    return pd.to_datetime(s, format=fmt, errors="coerce").astype("datetime64[us]")


def wrong_weekday(s: pd.Series) -> pd.Series:
    """Where ``s`` (as :func:`normalise_dates` left it: unread) is a date after a day of
    the week that is not its own (:data:`WRONG_WEEKDAY`): the date as the reader reads
    one without a day of the week, its day of the week compared."""
    out = pd.Series(False, index=s.index)
    rest, weekday = _without_weekday(s.astype("string"))
    if len(weekday):
        alone = RawTable("", pd.DataFrame({"d": rest[weekday.index]}), {})
        read = pd.to_datetime(normalise_dates(alone, ("d",))[0].data["d"], format="%d/%m/%Y",
                              errors="coerce")  # fmt: skip
        out[weekday.index] = (read.notna() & (read.dt.weekday != weekday)).to_numpy(bool)
    return out


def in_range(d: pd.Series) -> pd.Series:
    """Whether each date is one an input may hold (:data:`FIRST_DAY` to :data:`LAST_DAY`)."""
    return (d >= FIRST_DAY) & (d <= LAST_DAY)


def read_dates(s: pd.Series, fmt: str = "%d/%m/%Y") -> pd.Series:
    """``s`` read with ``fmt`` as dates in nanoseconds; NaT where it does not fit or the
    year is outside :data:`FIRST_DAY` to :data:`LAST_DAY`."""
    d = dates_any_year(s, fmt)
    return d.where(in_range(d)).astype("datetime64[ns]")


def _month_first(data: pd.DataFrame, columns: list[str]) -> dict[str, pd.Series]:
    """The date ``columns`` rewritten day first if the table writes them month first."""
    parts = {c: data[c].dropna().str.extract(_PARTS) for c in columns}
    found = [p.dropna(subset=[0]) for p in parts.values()]
    if not found:
        return {}
    both = pd.concat(found)
    if both.empty:
        return {}
    first, second = both[0].astype(int), both[1].astype(int)
    if (first > 12).any() or int((second > 12).sum()) < MONTH_FIRST_MIN:
        return {}
    out = {}
    for col, p in parts.items():
        p = p.dropna(subset=[0])
        if p.empty:
            continue
        s = data[col].copy()
        s[p.index] = p[1] + "/" + p[0] + "/" + p[2] + p[3]
        out[col] = s
    return out


def _month_first_columns(data: pd.DataFrame, columns: list[str]) -> dict[str, pd.Series]:
    """Each of ``columns`` that by its own dates is month first, rewritten day first."""
    out: dict[str, pd.Series] = {}
    for col in columns:
        out.update(_month_first(data, [col]))
    return out


def _without_weekday(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``s`` with a day of the week before a date taken off (``Mon 03/02/2014`` is
    ``03/02/2014``), and the day of the week each such value named (0 for Monday)."""
    parts = s.str.extract("^" + _WEEKDAY + "$", flags=re.IGNORECASE)
    hit = parts[0].notna()
    if not hit.any():
        return s, pd.Series(dtype="int64")
    out = s.copy()
    out[hit[hit].index] = parts.loc[hit, 1].str.strip()
    return out, parts.loc[hit, 0].str.lower().map(_WEEKDAY_NUMBER).astype("int64")


def _month_first_doubt(raw: RawTable, columns: list[str]) -> Problem | None:
    """A warning where the table has dates that can only be month first (``02/13/2014``)
    but too few to read it so (:data:`MONTH_FIRST_MIN`), naming the rows of its dates read
    day first that would be another date month first (``03/04/2012``): a US export of a
    few children had those read day and month swapped without a word, the others refused
    as no date. Rows only, not dates: a date of birth is not quoted."""
    parts = [raw.data[c].dropna().str.extract(_PARTS).dropna(subset=[0]) for c in columns]
    parts = [p.astype({0: int, 1: int}) for p in parts if not p.empty]
    if not parts:
        return None
    both = pd.concat(parts)
    if (both[0] > 12).any() or not 0 < int((both[1] > 12).sum()) < MONTH_FIRST_MIN:
        return None
    only = sorted({raw.row_number(int(i)) for i in both.index[(both[1] > 12).to_numpy(bool)]})
    either = (both[1] <= 12) & (both[0] != both[1])
    rows = sorted({raw.row_number(int(i)) for i in both.index[either.to_numpy(bool)]})
    if not rows:
        return None
    return Problem(
        raw.source, None, None, None,
        f"has {len(only)} date(s) that can only be month first, MM/DD/YYYY as US settings "
        f"write them (row{'s' if len(only) > 1 else ''} {some_rows(only)}), too few to read "
        f"the file so: its {len(rows):,} date(s) whose day and month could be either way "
        f"round are read day first and may be wrong (row{'s' if len(rows) > 1 else ''} "
        f"{some_rows(rows)}); check them, or save the file with dates as DD/MM/YYYY",
        severity="warning", code="month_first_doubt",
    )  # fmt: skip


def normalise_dates(raw: RawTable, columns: tuple[str, ...]) -> tuple[RawTable, list[Problem]]:
    """``raw`` with the date ``columns`` (lower case) rewritten as DD/MM/YYYY where recognised.

    Values in no recognised form are left as they are, for validation to report.
    Returns the new table and one warning per file and form met.
    """
    data = raw.data
    seen: dict[str, tuple[DateForm, str]] = {}
    changed: dict[str, pd.Series] = {}
    mixed: dict[str, list[int]] = {}
    present = [c for c in columns if c in data.columns]
    swapped, form = _month_first(data, present), MONTH_FIRST
    if not swapped:  # a column pasted in month first among day-first ones
        swapped, form = _month_first_columns(data, present), MONTH_FIRST_COLUMN
    doubt = None if swapped else _month_first_doubt(raw, present)
    if swapped:
        data = data.assign(**swapped)
        changed.update(swapped)
        seen[form.code] = (form, next(iter(swapped)))
    for col in columns:
        if col not in data.columns:
            continue
        written = data[col]
        if raw.date_cells and col in raw.date_cells:
            seen.setdefault(EXCEL_DATE_CELLS.code, (EXCEL_DATE_CELLS, col))
        s, weekday = _without_weekday(written)
        if len(weekday):
            seen.setdefault(WEEKDAYS.code, (WEEKDAYS, col))
        text = s.dropna()
        # most files are as DfE specifies: look at the other values only
        text = text[~text.str.fullmatch(_DMY)]
        if text.empty and not len(weekday):
            continue
        out = s.copy()
        m = text.str.fullmatch(_DMY_TIME)
        if m.any():
            out[m[m].index] = text[m].str.extract(_DMY_TIME, expand=False)
            seen.setdefault(DATE_WITH_TIME.code, (_with_time(text[m].iloc[0]), col))
        iso = text.str.extract("^" + _ISO + "$")
        hit = iso[0].notna()
        if hit.any():
            out[hit[hit].index] = iso.loc[hit, 2] + "/" + iso.loc[hit, 1] + "/" + iso.loc[hit, 0]
            seen.setdefault(ISO_DATES.code, (ISO_DATES, col))
        timed = text[hit][text[hit].str.len() > 10]
        if len(timed):
            seen.setdefault(DATE_WITH_TIME.code, (_with_time(timed.iloc[0]), col))
        named = text.str.extract("^" + _MONTH_NAME + "$")
        month = named[1].str.lower().map(_MONTHS)
        hit = named[0].notna() & month.notna()
        if hit.any():
            year = named.loc[hit, 2].where(
                named.loc[hit, 2].str.len() == 4, "20" + named.loc[hit, 2]
            )
            out[hit[hit].index] = (
                named.loc[hit, 0] + "/" + month[hit].astype(int).astype(str) + "/" + year
            )
            seen.setdefault(MONTH_NAMES.code, (MONTH_NAMES, col))
        hit = text.str.fullmatch(_ISO_ZONE)
        if hit.any():
            moment = pd.to_datetime(text[hit], utc=True, errors="coerce", format="ISO8601")
            local = moment.dt.tz_convert("Europe/London").dt.strftime("%d/%m/%Y")
            out[hit[hit].index] = local.where(moment.notna(), text[hit])
            seen.setdefault(ZONED_DATES.code, (ZONED_DATES, col))
        for pattern, (day, month, year), century, form in _PART_FORMS:
            parts = text.str.extract("^" + pattern + "$")
            hit = parts[0].notna()
            if hit.any():
                parts = parts[hit]
                out[hit[hit].index] = parts[day] + "/" + parts[month] + "/" + century + parts[year]
                seen.setdefault(form.code, (form, col))
        # serials: a workbook's number cells, or a CSV's pasted from Excel (said so: a
        # CSV cannot say its date system, and DfE's validator would refuse them)
        serial = text.str.extract("^" + _SERIAL + "$")[0]
        days = pd.to_numeric(serial, errors="coerce") + (_MAC_DAYS if raw.excel_1904 else 0)
        ok = days.between(_SERIAL_MIN, _SERIAL_MAX)
        if ok.any():
            when = _EXCEL_EPOCH + pd.to_timedelta(days[ok], unit="D")
            out[ok[ok].index] = when.dt.strftime("%d/%m/%Y")
            form = EXCEL_SERIALS if raw.from_workbook else EXCEL_SERIALS_TEXT
            form = EXCEL_SERIALS_1904 if raw.excel_1904 else form
            if form is EXCEL_SERIALS_TEXT and int(ok.sum()) < int(s.notna().sum()):
                mixed[col] = [raw.row_number(int(i)) for i in ok[ok].index]  # a pasted block
            else:
                seen.setdefault(form.code, (form, col))
        if len(weekday):  # a day of the week that is not the date's: the value as written
            read = pd.to_datetime(out[weekday.index], format="%d/%m/%Y", errors="coerce")
            wrong = weekday.index[(read.dt.weekday != weekday).to_numpy(bool)]
            out[wrong] = written[wrong]
        if not out.equals(written):
            changed[col] = out
    if changed:
        raw = replace(raw, data=data.assign(**changed))
    notes = [
        Problem(
            raw.source,
            None,
            raw.column_label(col),
            None,
            form.message,
            severity="warning",
            code=form.code,
        )
        for form, col in seen.values()
    ] + [
        Problem(raw.source, None, raw.column_label(col), None,
                f"holds whole numbers where dates should be on rows {_runs(rows)} only, its "
                "other dates written as dates, as a block pasted from Excel into a column "
                "formatted General does; read as Excel serial dates in the 1900 date system "
                "(45383 is 01/04/2024): check them against the source", severity="warning",
                code="excel_serial_dates")
        for col, rows in mixed.items()
    ]  # fmt: skip
    return raw, notes + ([doubt] if doubt is not None else [])


def _runs(rows: list[int]) -> str:
    """Row numbers as runs (``2-40, 45``), the first ten runs and how many more."""
    runs: list[list[int]] = []
    for r in sorted(rows):
        if runs and r == runs[-1][1] + 1:
            runs[-1][1] = r
        else:
            runs.append([r, r])
    said = [f"{a}-{b}" if b > a else str(a) for a, b in runs]
    return ", ".join(said[:10]) + (f" and {len(said) - 10} more run(s)" if len(said) > 10 else "")
