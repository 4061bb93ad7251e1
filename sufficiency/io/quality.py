"""What the analytic commands did to a council's 903 history to use it.

Councils' returns are never clean. The forecast, backtest, spend and commissioning
commands run on them anyway: they repair what a stated rule can repair, set aside
what cannot be used, and say so. :class:`DataQuality` holds every finding (file, row,
column, problem and what was done) for ``data_quality.csv``, and a summary of at most
15 lines for the console, the workbooks and the HTML reports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.figures import day as said_day
from sufficiency.io.fill_down import FILLED_DOWN
from sufficiency.io.quality_phrases import PHRASES
from sufficiency.io.ssda903_scan import year_label
from sufficiency.io.x1_gap import X1_GAP, X1_UNFOLLOWED
from sufficiency.io.year_end_open import AFTER_EXTRACT, REC_WITHOUT_DEC, YEAR_END_OPEN
from sufficiency.plurals import for_count, numbered
from sufficiency.results import BriefRepr
from sufficiency.vocabulary import counted

#: Console and report summaries are at most this many lines.
MAX_SUMMARY_LINES = 15
#: Share of the children in care at the start set aside (an open episode that cannot be
#: used) from which the summary says the forecast will run low.
SET_ASIDE_CAUTION = 0.05
#: Codes whose findings are about how a file was read, not about its rows.
READING_CODES = frozenset(
    {
        "skipped_file",
        "title_rows",
        "delimiter",
        "excel_dates",
        "excel_serial_dates",
        "dates_with_time",
        "iso_dates",
        "two_digit_years",
        "month_name_dates",
        "dotted_dates",
        "year_first_dates",
        "zoned_dates",
        "month_first_dates",
        "month_first_column",
        "null_blanks",
        "year_from_content",
        "quiet_year",
        "stale_year",
        "duplicate_table",
        "last_copy_used",
        "unknown_year",
        "in_year_extract",
        "part_month",
        "quiet_year_end",
        "missing_year",
        "table_not_used",
        "unnamed_column",
        "hidden_rows",
        "hidden_columns",
        "unknown_xml_element",
        "misspelt_xml_element",
        "xml_windows_1252",
        "year_column",
        "weekday_dates",
        "mac_roman",
        "text_formulas",
        "header_row_missing",
        "european_figures",
        "other_sheets",
        "ticks",
        "no_group",
        "merged_cells",
        "code_labels",
        "open_end_date",
        "zip_read",
    }
)
#: How a file was read, said with how many tables or files were so read.
_READ_COUNTS = (
    ("delimiter", "tabs or semicolons between columns in {} table(s)"),
    ("xml_windows_1252", "XML in Windows-1252, not UTF-8, in {} file(s)"),
    ("mac_roman", "accented letters as Excel's 'CSV (Macintosh)' writes them in {} file(s)"),
    ("text_formulas", 'cells written ="..." or \'... (kept text for Excel) in {} table(s)'),
    ("header_row_missing", "no header row in {} table(s): columns read by their values"),
    (
        "european_figures",
        "figures written the European way (1.234,50) in {} table(s), read as 1234.50",
    ),
    ("other_sheets", "{} workbook(s) with several sheets of one table, one of them read"),
    ("ticks", "ticks and crosses read as yes and no in {} column(s)"),
    ("no_group", "a sibling group written N/A, None or a dash read as none in {} table(s)"),
    ("merged_cells", "cells merged down rows read in each row in {} sheet(s)"),
    ("title_rows", "title rows above the header in {}"),
    ("zip_read", "{} zip file(s) read in place"),
    (
        "open_end_date",
        "open episodes' end dates written 31/12/9999 or '-' in {} table(s): read as open",
    ),
    ("code_labels", "codes written with their descriptions (U6 - Foster...) in {} column(s)"),
    (
        "year_column",
        "{} table(s) of several years, each row read as part of the return its YEAR column names",
    ),
    ("last_copy_used", "a previous-year copy used as its year's return in {} table(s)"),
    (
        "duplicate_table",
        "a year's table held twice (a copy or another version) in {} "
        "place(s): data_quality.csv says which rows were used",
    ),
)
#: Findings of reconciling the returns that ``validate`` lists too, as warnings.
VALIDATED = frozenset(
    "revised_episode revised_dates closed_absent missing_year in_year_extract quiet_year_end "
    "child_id_form blank_provider empty_return adult_at_start several_years uasc_dob_differs "
    f"{X1_GAP} {X1_UNFOLLOWED} {YEAR_END_OPEN} {REC_WITHOUT_DEC} {FILLED_DOWN} "
    f"{AFTER_EXTRACT}".split()
)


@dataclass(frozen=True)
class ReturnInfo:
    """One collection year's return as read."""

    year: int
    start: pd.Timestamp
    end: pd.Timestamp
    sources: str
    num_episodes: int

    @property
    def label(self) -> str:
        return year_label(self.year)


def findings_table(problems: Iterable[Problem]) -> pd.DataFrame:
    """``data_quality.csv`` of ``problems``: file, row, column, problem, what was done,
    severity, code (also what ``sufficiency validate`` found in a history the region could
    not read)."""
    rows = [
        {
            "file": p.file,
            "row": p.row,
            "column": p.column or "",
            "problem": p.message,
            "action": p.action,
            "severity": p.severity,
            "code": p.code,
        }
        for p in sorted(problems, key=Problem.sort_key)
    ]
    cols = ["file", "row", "column", "problem", "action", "severity", "code"]
    out = pd.DataFrame(rows, columns=cols)
    out["row"] = out["row"].astype("Int64")
    return out


@dataclass(frozen=True, repr=False)
class DataQuality(BriefRepr):
    """Every finding on a 903 history and what was done about it.

    Attributes
    ----------
    problems
        One :class:`~sufficiency.errors.Problem` per finding, with its ``action``.
    returns
        The returns read, earliest first.
    missing_years
        Collection years (by the year each ends) with no return between the first and
        last held: their months are left out of rate estimation.
    not_used
        ``(source, table)`` for other 903 tables present but not needed.
    data_end
        The last day the data cover: 31 March, or an in-year extract's last month end.
    num_looked_after
        Children looked after on ``data_end`` by DfE's definition: distinct children
        with an open episode in the latest return, short breaks (V3/V4) and children
        aged 18 or over left out.
    num_set_aside_open
        Further children with an open episode on ``data_end`` that had to be set aside
        (no usable start or date of birth, a ``CHILD`` whose digits Excel lost: see
        :mod:`sufficiency.io.set_aside`): the effect on the starting population.
    """

    problems: tuple[Problem, ...]
    returns: tuple[ReturnInfo, ...]
    missing_years: tuple[int, ...]
    not_used: tuple[tuple[str, str], ...]
    data_end: pd.Timestamp
    num_looked_after: int
    num_set_aside_open: int

    @property
    def in_year_extract(self) -> bool:
        """Whether the latest return stops before 31 March (an in-year extract)."""
        return bool(self.returns) and self.data_end < pd.Timestamp(self.returns[-1].year, 3, 31)

    def counts(self) -> Counter[str]:
        """Findings on rows, by code (reading notes left out)."""
        return Counter(p.code for p in self.problems if p.code not in READING_CODES)

    def num_findings(self) -> int:
        """How many rows were repaired or set aside (as ``data_quality.csv`` lists them)."""
        return sum(self.counts().values())

    def commonest(self) -> str:
        """The commonest kind of finding, in words with its count (``""`` for none)."""
        top = self.counts().most_common(1)
        return (
            numbered(top[0][1], PHRASES.get(top[0][0], top[0][0].replace("_", " "))) if top else ""
        )

    def table(self) -> pd.DataFrame:
        """``data_quality.csv``: file, row, column, problem, what was done, severity, code."""
        return findings_table(self.problems)

    def cautions(self) -> list[str]:
        """What a reader must know of the history before any figure: a missing year, and
        an in-year extract (each report's "Read with care", near its headline; before,
        only its data-quality section at the end said so, and the commissioning page not
        at all)."""
        said = []
        if self.in_year_extract:
            last = self.returns[-1]
            said.append(
                f"The {last.label} return is an in-year extract, with data only to "
                f"{said_day(self.data_end)}: the forecast starts on that day, from the "
                "children looked after then."
            )
        return said + self._missing_years_said()

    def cautions_brief(self) -> str:
        """:meth:`cautions` in a few words, for a line already saying the data's last day:
        ``2025-26 an in-year extract; no return for 2023-24`` (``""`` for neither)."""
        said = [f"{self.returns[-1].label} an in-year extract"] if self.in_year_extract else []
        if self.missing_years:
            said.append("no return for " + ", ".join(year_label(y) for y in self.missing_years))
        return "; ".join(said)

    def _missing_years_said(self) -> list[str]:
        if not self.missing_years:
            return []
        gone = ", ".join(year_label(y) for y in self.missing_years)
        return [
            f"No return for {gone}: children entering, moving and leaving then are "
            "unknown, so those months are left out of the rates."
        ]

    def summary_lines(self) -> list[str]:
        """At most :data:`MAX_SUMMARY_LINES` lines for a person: what was read, what was
        repaired or set aside (counts by problem), and the starting population."""
        lines = [self._returns_line()]
        lines += self._missing_years_said()
        lines += self.reading_lines()
        counts = self.counts().most_common()
        room = MAX_SUMMARY_LINES - len(lines) - 2
        if counts:
            lines.append(
                f"Repaired or set aside ({numbered(sum(n for _, n in counts), 'finding(s)')}):"
            )
            shown = counts if len(counts) <= room else counts[: room - 1]
            for code, n in shown:
                lines.append("  " + numbered(n, PHRASES.get(code, code.replace("_", " "))))
            if len(shown) < len(counts):
                rest = counts[len(shown) :]
                lines.append(
                    f"  {sum(n for _, n in rest):,} more of "
                    f"{numbered(len(rest), 'other kind(s)')}: see data_quality.csv"
                )
        lines.append(self._start_line())
        return lines[:MAX_SUMMARY_LINES]

    def reading_notes(self, where: str = "its data_quality.csv") -> list[str]:
        """How the files were read and what was repaired or set aside, in sentences for a
        report's cautions (the region's Read with care): tabs or semicolons between
        columns, XML in Windows-1252, a previous-year copy used, rows set aside, children
        with an open episode set aside. The member's own forecast says these in its data
        quality summary; the region said none of them. ``where`` names the file listing
        each finding."""
        said = self.reading_lines()
        counts = self.counts().most_common()
        if counts:
            found = "; ".join(numbered(n, PHRASES.get(c, c.replace("_", " "))) for c, n in counts)
            total = numbered(sum(n for _, n in counts), "finding(s)")
            said.append(f"Repaired or set aside ({total}, each in {where}): {found}.")  # fmt: skip
        if self.num_set_aside_open:
            said.append(self._start_line())
        return said

    def reading_lines(self) -> list[str]:
        """What else the folder held ("Also present: ...") and how its files were read
        ("Read as found: ..."): at most two lines."""
        lines: list[str] = []
        reading = Counter(p.code for p in self.problems if p.code in READING_CODES)
        found = []
        if self.not_used:
            names = sorted({t for _, t in self.not_used})
            listed = ", ".join(names) if len(names) <= 4 else ", ".join(names[:3]) + "..."
            found.append(
                f"{numbered(len(self.not_used), 'other 903 table(s)')} not used ({listed})"
            )
        if reading["skipped_file"]:
            found.append(f"{numbered(reading['skipped_file'], 'file(s)')} skipped (not 903 tables)")
        if found:
            lines.append("Also present: " + "; ".join(found) + ".")
        read_bits = []
        formats = sum(reading[c] for c in ("excel_dates", "excel_serial_dates", "dates_with_time",
                                           "iso_dates", "two_digit_years", "month_name_dates",
                                           "dotted_dates", "year_first_dates",
                                           "zoned_dates", "weekday_dates"))  # fmt: skip
        if formats:
            read_bits.append(f"dates not in DD/MM/YYYY in {numbered(formats, 'table(s)')}")
        if month_first := reading["month_first_dates"] + reading["month_first_column"]:
            read_bits.append(
                f"dates month first (MM/DD/YYYY) in {numbered(month_first, 'table(s)')}"
            )
        if reading["part_month"]:
            read_bits.append(
                "the latest return ends part-way through a month, so the history "
                "ends with the month before"
            )
        if reading["quiet_year_end"]:
            read_bits.append(
                "the latest return's last weeks hold no start or end of an episode, as a "
                "small authority's can: read as the whole year, not an in-year extract"
            )
        if reading["null_blanks"]:
            read_bits.append(
                "empty cells written NULL, nan or None in "
                + numbered(reading["null_blanks"], "table(s)")
            )
        if reading["unnamed_column"]:
            read_bits.append(f"{numbered(reading['unnamed_column'], 'column(s)')} without a "
                             "header but holding values, not read")  # fmt: skip
        if reading["hidden_rows"]:
            tables = numbered(reading["hidden_rows"], "table(s)")
            read_bits.append(f"rows hidden in Excel in {tables}, read like the others")
        if reading["hidden_columns"]:
            tables = numbered(reading["hidden_columns"], "table(s)")
            read_bits.append(f"columns hidden in Excel in {tables}, read like the others")
        if xml := reading["unknown_xml_element"] + reading["misspelt_xml_element"]:
            near = reading["misspelt_xml_element"]
            said = f" ({near} a near miss of a field's name)" if near else ""
            read_bits.append(
                f"{numbered(xml, 'kind(s)')} of XML element no 903 table has, not read{said}"
            )
        read_bits += [
            for_count(reading[code], said).format(reading[code])
            for code, said in _READ_COUNTS
            if reading[code]
        ]
        if reading["year_from_content"]:
            read_bits.append(
                f"{reading['year_from_content']} named for an earlier year than their dates "
                "(the dates' year used)"
            )
        if reading["stale_year"]:
            read_bits.append(
                f"{reading['stale_year']} named for a later year than any of their dates (an "
                "earlier year's return, read as that year)"
            )
        if read_bits:
            lines.append("Read as found: " + "; ".join(read_bits) + ".")
        return lines

    def _start_line(self) -> str:
        start = (
            f"Children looked after on {self.data_end.day} {self.data_end:%B %Y} (DfE's count): "
        )
        start += f"{self.num_looked_after:,}"
        if self.num_set_aside_open:
            start += (
                f"; {self.num_set_aside_open:,} more with an open episode set aside, so not "
                "in the forecast"
            )
            share = self.num_set_aside_open / (self.num_set_aside_open + self.num_looked_after)
            if share >= SET_ASIDE_CAUTION:
                start += (
                    f". That is {share:.0%} of the children in care: the forecast starts "
                    "without them and learns its rates without theirs, so its figures are too "
                    "low; repair the data (data_quality.csv) before relying on it"
                )
        return start + "."

    def _returns_line(self) -> str:
        if not self.returns:
            return "903 history: no returns read."
        first, last = self.returns[0], self.returns[-1]
        span = first.label if first is last else f"{first.label} to {last.label}"
        line = f"903 history: {counted(len(self.returns), 'return')}, {span}, "
        line += f"data to {self.data_end.day} {self.data_end:%B %Y}"  # as figures.day
        if self.in_year_extract:
            line += f" (the {last.label} return is an in-year extract; the forecast starts there)"
        return line + "."
