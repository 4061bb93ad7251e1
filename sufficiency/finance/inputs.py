"""The council's own cost file and budget file, validated like every other input.

Cost file (CSV or XLSX): ``category, weekly_cost`` rows replace the configuration's
costs for their categories (the others keep the configuration's, with a warning where
the forecast has children in them); rows that also give ``child_id`` are today's actual
placements, whose mean per category becomes that category's unit cost and whose sum is
today's run-rate.

Budget file (by year, or by month with a ``month`` column whose twelve months of a line are
added up): ``financial_year`` (``2026-27``; ``2026/27`` and ``2026-2027`` are read as
``2026-27``, and ``2026`` names a financial year that starts in January), ``cost_line``
(a forecast category or ``all``), ``budget_gbp``. A category or cost line may be written
by its code or in the words spend.xlsx names it with (``IFA foster care``, ``All
placements``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pandas as pd

from sufficiency import vocabulary
from sufficiency.errors import InputDataError, Problem
from sufficiency.finance.brackets import read_brackets, said_of_brackets
from sufficiency.finance.budget_grid import grid_to_years
from sufficiency.finance.budget_totals import total_rows
from sufficiency.finance.budget_versions import budget_heading
from sufficiency.finance.credits import credit_notes, negative_year_notes
from sufficiency.finance.grid_thousands import grid_in_thousands, unmarked
from sufficiency.finance.grid_years import budget_grids
from sufficiency.finance.ledger_columns import monitoring_columns
from sufficiency.finance.line_names import finance_names
from sufficiency.finance.pence import pounds
from sufficiency.finance.periods import periods_as_months, with_dated_labels
from sufficiency.finance.projection import UnitCosts
from sufficiency.finance.quarters import quarters_to_years
from sufficiency.finance.rows_said import rows_said
from sufficiency.finance.thousands import in_thousands, to_pounds
from sufficiency.finance.year_sheets import budget_by_sheet, year_sheets
from sufficiency.io.cells import parse_numbers
from sufficiency.io.hidden_sheets import read_visible_table
from sufficiency.io.money import read_money_cells, said_of_money
from sufficiency.io.schema import Field, TableSchema, check_table, column_key
from sufficiency.io.tables import RawTable, first_rows, frame_table
from sufficiency.prices import MOST_WEEKLY_GBP, NOT_A_WEEKS_COST
from sufficiency.vocabulary import counted


def _line_choices(codes: tuple[str, ...]) -> dict[str, str]:
    """Each cost line by its code, its code in words (``External residential``) or the
    words spend.xlsx names it with (``IFA foster care``, ``All placements``): a file typed
    from the workbook, or from finance's own names for the lines (``IFA``, ``Residential -
    external``: :mod:`~sufficiency.finance.line_names`), is read as it was meant."""
    return {**finance_names(codes), **{vocabulary.category(c).lower(): c for c in codes},
            **{c.replace("_", " "): c for c in codes}, **{c: c for c in codes}}  # fmt: skip


def _cost_schema(categories: tuple[str, ...]) -> TableSchema:
    return TableSchema(
        name="cost",
        fields=(
            Field("category", "code", "Forecast category.", required=True, nullable=False,
                  choices=_line_choices(categories)),
            Field("weekly_cost", "number", "GBP per child per week.", required=True,
                  nullable=False, min_value=0, aliases=("weekly_cost_gbp",)),
            Field("child_id", "text", "Blank for a category cost; a child's ID for an actual "
                  "current placement.", aliases=("CHILD",)),
            Field("source", "text", "Where the figure comes from."),
        ),
    )  # fmt: skip


def _budget_schema(lines: tuple[str, ...]) -> TableSchema:
    return TableSchema(
        name="budget",
        fields=(
            Field("financial_year", "text", "e.g. 2026-27.", required=True, nullable=False),
            Field("cost_line", "code", "A forecast category or all.", required=True,
                  nullable=False, choices=_line_choices((*lines, "all"))),
            Field("budget_gbp", "number", "Budget for the year, GBP; a negative figure, "
                  "-1,200 or (1,200) as accountants write one, is a credit that reduces its "
                  "line's budget (said in a note).", required=True, nullable=False,
                  aliases=("budget",)),
            Field("month", "text", "For a budget by month: the month (2025-04, Apr-25, "
                  "April 2025); a line's twelve months are added up to its year's budget, and "
                  "the whole placements line's months are the workbook's cumulative budget "
                  "profile (a budget by year is profiled straight-line, a twelfth a month).",
                  aliases=("period",)),
        ),
    )  # fmt: skip


def _load_costs(
    path: Path | str, categories: tuple[str, ...]
) -> tuple[RawTable, pd.DataFrame, list[Problem]]:
    """The cost table as read (the file's row index kept) and every problem found: a
    category given two costs, a child listed twice (each copy)."""
    schema = _cost_schema(categories)
    raw = read_visible_table(Path(path), schema)  # another sheet of costs: named, not lost
    raw, totals = total_rows(
        raw, _line_choices(categories), line="category", noun="row of the cost file"
    )  # a Total under the placements
    money = read_money_cells(raw, ("weekly_cost", "weekly_cost_gbp"))  # £1.2k: said
    table, problems = check_table(raw, schema)
    problems = [*raw.notes, *totals, *said_of_money(raw, money), *problems]
    per_category = table[table["child_id"].isna()]
    dup = per_category["category"].duplicated(keep=False) & per_category["category"].notna()
    problems += raw.problems_where(
        per_category, dup, "category", "category has more than one cost row", code="duplicate_id"
    )
    dear = parse_numbers(table["weekly_cost"]) > MOST_WEEKLY_GBP
    problems += raw.problems_where(table, dear, "weekly_cost", NOT_A_WEEKS_COST)
    placed = table[table["child_id"].notna()]
    twice = placed[placed["child_id"].duplicated(keep=False)]
    for rows in twice.index.groupby(twice["child_id"].to_numpy()).values():
        nums = [raw.row_number(int(i)) for i in rows]
        problems += [  # the ID is not quoted: a pseudonymised night's outputs must not hold it
            raw.problem(i, "child_id", None, "the same child is listed among the current "
                        f"placements on row(s) {', '.join(str(n) for n in nums if n != num)}: "
                        "which cost is right is unknown", code="duplicate_id")
            for i, num in zip(rows, nums, strict=True)
        ]  # fmt: skip
    return raw, table, problems


def _by_code(raw: RawTable, table: pd.DataFrame) -> bool:
    """Whether the cost file names a category by its code (``ifa_foster``) on any row, not
    only in the words spend.xlsx uses (``IFA foster care``): its messages then give the
    code in brackets after the words."""
    given = raw.data[raw.column_label("category")].reindex(table.index).astype("string")
    return bool((given.str.strip().str.lower() == table["category"]).any())


def _unit_costs(
    table: pd.DataFrame, path: Path | str, defaults: UnitCosts, *, by_code: bool
) -> tuple[UnitCosts, float | None]:
    """The unit costs and today's actual weekly cost from a cost table without errors;
    ``by_code`` as :func:`_by_code` of its file."""
    per_category = table[table["child_id"].isna()]
    costs: dict[str, float] = {}
    sources: dict[str, str] = {}
    current: dict[str, tuple[int, float]] = {}
    actual = table[table["child_id"].notna()]
    for cat, grp in actual.groupby("category"):
        costs[str(cat)] = float(grp["weekly_cost"].astype(float).mean())
        current[str(cat)] = (len(grp), float(grp["weekly_cost"].astype(float).sum()))
        sources[str(cat)] = f"mean of {len(grp)} current placements in {Path(path).name}"
    for rec in per_category.to_dict("records"):
        costs[rec["category"]] = float(rec["weekly_cost"])
        src = rec["source"]
        sources[rec["category"]] = str(src) if pd.notna(src) else f"{Path(path).name}"
    filled = frozenset(defaults.weekly_cost_gbp) - set(costs)
    for line in sorted(filled):
        costs[line] = float(defaults.weekly_cost_gbp[line])
        sources[line] = f"not in {Path(path).name}: configuration, " + defaults.source.get(
            line, "no source given"
        )
    actual_weekly = float(actual["weekly_cost"].astype(float).sum()) if len(actual) else None
    children = {str(c).strip(): (str(cat), float(w)) for c, cat, w
                in zip(actual["child_id"], actual["category"], actual["weekly_cost"],
                       strict=True)}  # fmt: skip
    return UnitCosts(costs, sources, current, origin=str(path), filled=filled,
                     children=children, by_code=by_code), actual_weekly  # fmt: skip


def read_costs(
    path: Path | str, categories: tuple[str, ...], defaults: UnitCosts
) -> tuple[UnitCosts, float | None]:
    """The cost table from a cost file, and today's actual weekly cost if it lists placements.

    A category the file gives no cost for keeps the cost of ``defaults`` (the
    configuration's), its source saying so; the projection warns where such a category
    has children. Any error refuses the file (:func:`costs_for_run` sets the rows aside).
    """
    raw, table, problems = _load_costs(path, categories)
    if any(p.severity == "error" for p in problems):
        raise InputDataError(problems)
    return _unit_costs(table, path, defaults, by_code=_by_code(raw, table))


def costs_for_run(
    path: Path | str, categories: tuple[str, ...], defaults: UnitCosts, *, strict: bool = False
) -> tuple[UnitCosts, float | None, list[str]]:
    """:func:`read_costs` with the rows that have errors set aside, and the sentences saying
    which, and how the file was read (another sheet of costs not read, a title row
    skipped): a category whose row is set aside keeps the
    configuration's cost (the projection says so), a placement's leaves the actual
    run-rate. A total row, a note or a cost that is not a number costs that row, not the
    night's spend projection.

    Raises
    ------
    InputDataError
        The file cannot be used at all (unreadable, a column missing), or ``strict`` and
        a row has an error.
    """
    raw, table, problems = _load_costs(path, categories)
    kept, said, notes = _rows_for_run(raw, table, problems, strict)
    unit, actual = _unit_costs(kept, path, defaults, by_code=_by_code(raw, table))
    if said:
        notes.append(
            f"{Path(path).name}: {counted(len(table) - len(kept), 'row')} of the cost file "
            "set aside for "
            f"errors ({first_rows(said)}): the costs are those of its other "
            f"{counted(len(kept), 'row')} (the configuration's for a category it then gives "
            "no cost for). Correct those rows to use theirs."
        )
    return unit, actual, notes


def _rows_for_run(
    raw: RawTable, table: pd.DataFrame, problems: list[Problem], strict: bool
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """``table`` without the rows that have an error, a description of the rows set
    aside for each reason (``rows 7 and 9: column: what is wrong``), and how the file was read, in
    sentences (another sheet of the same kind not read, a budget's sheet per year; title
    rows skipped); refuse when an error concerns the whole file or, with ``strict``, any
    error at all."""
    errors = [p for p in problems if p.severity == "error"]
    at = {raw.row_number(int(i)): i for i in table.index}
    if any(p.row not in at for p in errors) or (strict and errors):
        raise InputDataError(problems)
    found: dict[int, list[Problem]] = {}
    for p in errors:
        found.setdefault(int(p.row or 0), []).append(p)
    said = rows_said(found)  # rows set aside for one reason said together
    notes = [
        f"{p.file}: {p.describe(file_named=True)}"
        for p in problems
        if p.severity == "warning" and p.row is None
    ]  # the column named, if one
    return table.drop(index=[at[r] for r in found]).reset_index(drop=True), said, notes


def _financial_year(text: str) -> str | None:
    """``2026-27`` from ``2026-27``, ``2026/27``, ``2026-2027`` or ``2026/2027``; ``2026``
    as written (a financial year starting in January); ``None`` for anything else,
    including a range that is not one year (``2026-28``)."""
    m = re.fullmatch(r"\s*(20\d\d)(?:\s*[-/]\s*(\d\d|20\d\d))?\s*", str(text))
    if m is None:
        return None
    first, second = int(m.group(1)), m.group(2)
    if second is None:
        return str(first)
    if int(second) % 100 != (first + 1) % 100 or (len(second) == 4 and int(second) != first + 1):
        return None
    return f"{first}-{(first + 1) % 100:02d}"


def _load_budget(
    path: Path | str | pd.DataFrame | RawTable, lines: tuple[str, ...]
) -> tuple[RawTable, pd.DataFrame, list[Problem], dict[int, tuple[str, str]]]:
    """The budget table as read (the file's row index kept), every problem found, and the
    rows whose figure is written in brackets (:func:`read_brackets`)."""
    if isinstance(path, pd.DataFrame | RawTable):  # a table, or a workbook's year sheet
        raw = path if isinstance(path, RawTable) else frame_table(path, "budget table")
    else:
        raw = read_visible_table(Path(path), _budget_schema(lines))  # other sheets: named
    raw, versions = monitoring_columns(raw)  # Revised budget read; Actual YTD: said, not read
    raw, thousands = in_thousands(raw)  # 'Budget £k', or 'Figures in £000' above the table
    thousands = thousands or grid_in_thousands(raw, unmarked(_month))  # 'Apr-26 £k', 'Total £k'
    raw, totals = total_rows(raw, _line_choices((*lines, "all")))  # 'Sub-total': left out
    raw, profiles, grid = grid_to_years(raw, with_dated_labels(unmarked(_month)))  # Apr-26 ...
    bracketed = read_brackets(raw, ("budget_gbp", "budget"))  # (1,200): -1,200
    money = read_money_cells(raw, ("budget_gbp", "budget"))  # £74m, 11 000 000: said
    money = {r: (c, bracketed.get(r, (c, w))[1], v) for r, (c, w, v) in money.items()}
    raw, quarterly, by_quarter = quarters_to_years(raw)  # Q1 ... Q4: added up, profiled
    table, problems = check_table(raw, _budget_schema(lines))
    if profiles := {**profiles, **by_quarter}:  # a grid's months or quarters: the profiles
        table[PROFILE] = [profiles.get(int(i)) for i in table.index]
    problems = [*raw.notes, *versions, *to_pounds(raw, table, thousands, ("budget_gbp", PROFILE)),
                *totals, *grid, *said_of_money(raw, money), *quarterly,
                *said_of_brackets(_blank_figures(problems), bracketed)]  # fmt: skip
    fy = table["financial_year"].map(_financial_year, na_action="ignore")
    bad = table["financial_year"].notna() & fy.isna()
    problems += raw.problems_where(
        table, bad, "financial_year", "is not a financial year such as 2026-27 (or 2026 "
        "where the financial year is the calendar year)",
    )  # fmt: skip
    table["financial_year"] = fy
    problems += [*periods_as_months(raw, table), *_months(raw, table)]  # P1: April
    key = (
        table["financial_year"].fillna("").astype(str)
        + "|"
        + table["cost_line"].fillna("").astype(str)
        + "|"
        + table["month"].fillna("").astype(str)
    )
    complete = table["financial_year"].notna() & table["cost_line"].notna()
    twice = key.duplicated(keep=False) & complete
    for rows in table.index[twice].groupby(key[twice].to_numpy()).values():
        nums = [raw.row_number(int(i)) for i in rows]
        problems += [  # every copy: which figure is right is unknown
            raw.problem(i, "cost_line", str(table.at[i, "cost_line"]),
                        "budget line appears twice for the same year (also on row(s) "
                        f"{', '.join(str(n) for n in nums if n != num)})", code="duplicate_id")
            for i, num in zip(rows, nums, strict=True)
        ]  # fmt: skip
    return raw, table, [*problems, *_short_of_a_row(raw, table, problems)], bracketed


def _blank_figures(problems: list[Problem]) -> list[Problem]:
    """``problems`` with a blank budget figure said in a finance officer's words: "is blank
    but a value is required" told them nothing of what to write; nor did "required column
    is missing" of a sheet per year, its year in its name or title and on no row."""
    told = ("is blank: give the figure, 0 where there is no budget, as a blank is not taken "
            "for nothing")  # fmt: skip
    out = [dataclasses.replace(p, message=told)
           if p.message == "is blank but a value is required"
           and budget_heading(column_key(str(p.column))) else p
           for p in problems]  # fmt: skip
    return [
        dataclasses.replace(p, message=p.message + YEAR_ON_EACH_ROW)
        if (p.code, p.column) == ("missing_column", "financial_year")
        else p
        for p in out
    ]


#: Said of a budget file without a financial_year column.
YEAR_ON_EACH_ROW = (
    ": give each row its financial year (2026-27) in a column financial_year; "
    "a year named only in a title above the table is not read (a workbook of a sheet "
    "per year is read when each sheet is named for its year: 2026-27)"
)


def _short_of_a_row(raw: RawTable, table: pd.DataFrame, problems: list[Problem]) -> list[Problem]:
    """A budget by month whose line has a row with an error (a figure written ``(1,200.00)``,
    a negative, below the least a budget may be): a problem on each of the line's other
    rows, which are short of that month once it is set aside. The twelve months were
    counted before it was, so eleven months of £6m were added up to a year's budget of
    £66m, and the workbook's budget profile, eleven long, stopped the run with a
    traceback."""
    if not table["month"].notna().any():
        return []
    at = {raw.row_number(int(i)): i for i in table.index}
    bad = {at[p.row] for p in problems if p.severity == "error" and p.row in at}
    known = table["financial_year"].notna() & table["cost_line"].notna()
    out = []
    for (fy, line), rows in table[known].groupby(["financial_year", "cost_line"]):
        lost = [i for i in rows.index if i in bad]
        if not lost:
            continue
        nums = ", ".join(str(raw.row_number(int(i))) for i in lost)
        said = (f"the budget by month for {fy} {vocabulary.category(str(line))} is short of "
                f"row(s) {nums}, set aside for an error: its other months cannot be added up "
                "to the year's budget")  # fmt: skip
        out += [raw.problem(i, "month", None, said) for i in rows.index if i not in bad]
    return out


#: The ways a budget by month may write its month (``2025-04``, ``Apr-25``, ``April 2025``).
_MONTH_FORMATS = ("%Y-%m", "%Y-%m-%d", "%b-%y", "%b %y", "%b-%Y", "%b %Y", "%B %Y", "%B-%Y",
                  "%m/%Y", "%d/%m/%Y")  # fmt: skip


def _month(text: object) -> str | None:
    """``2025-04`` from a month as a budget by month writes it, ``None`` if it is not one."""
    for fmt in _MONTH_FORMATS:
        try:
            return f"{dt.datetime.strptime(str(text).strip(), fmt):%Y-%m}"
        except ValueError:
            continue
    return None


def _months(raw: RawTable, table: pd.DataFrame) -> list[Problem]:
    """A budget by month: each month read as ``2025-04`` (in place), and every row of a
    year's cost line that does not give twelve different months a problem (a month
    missing would make the year's budget short by it, with no word)."""
    given = table["month"].notna()
    if not given.any():
        return []
    months = table.loc[given, "month"].map(_month)
    not_one = "is not a month such as 2025-04, Apr-25 or April 2025"
    problems = raw.problems_where(table.loc[given], months.isna(), "month", not_one)
    table.loc[given, "month"] = months
    problems += raw.problems_where(table, ~given, "month", "is blank, but other rows give the "
                                   "budget by month: give this row's month")  # fmt: skip
    outside, said_outside = _months_outside_year(raw, table)
    problems += said_outside
    in_year = given & table["month"].notna() & ~table.index.isin(outside)
    by_line = table[in_year].groupby(["financial_year", "cost_line"])
    for (fy, line), rows in by_line:
        n = rows["month"].nunique()
        if n == 12 and len(rows) == 12:
            continue
        said = (f"the budget by month gives {n} different months for {fy} "
                f"{vocabulary.category(str(line))} ({len(rows)} rows), not the year's twelve: "
                "its budget cannot be added up")  # fmt: skip
        problems += [raw.problem(i, "month", None, said) for i in rows.index]
    return problems


def _months_outside_year(raw: RawTable, table: pd.DataFrame) -> tuple[pd.Index, list[Problem]]:
    """Each month that is not in its row's financial year (April to March), and a problem
    for each: twelve months of 2025 given as 2025-26's were added up to that year's budget
    and profiled in the wrong order, without a word. The line's other months are then
    short of the year's twelve, and set aside by :func:`_months`."""
    month, fy = table["month"], table["financial_year"]
    read = month.notna() & fy.notna()
    start = fy[read].astype(str).str[:4].astype(int)
    year, mm = (month[read].astype(str).str[:4].astype(int),
                month[read].astype(str).str[5:7].astype(int))  # fmt: skip
    inside = ((year == start) & (mm >= 4)) | ((year == start + 1) & (mm <= 3))
    out = []
    outside = inside.index[~inside.to_numpy(bool)]
    for i in outside:
        y = int(start[i])
        out.append(raw.problem(
            i, "month", str(month[i]),
            f"is not in the row's financial year {fy[i]} (April {y} to March {y + 1})",
        ))  # fmt: skip
    return outside, out


#: A budget by month's column, after :func:`_by_year`: each line's twelve months in order
#: (the workbook's cumulative budget profile follows them; a budget by year's is even).
PROFILE = "month_profile"


def _by_year(table: pd.DataFrame, name: str) -> tuple[pd.DataFrame, list[str]]:
    """A budget by month added up to a row per year and cost line (its months kept in
    :data:`PROFILE`), and a sentence saying so; a budget by year as it is."""
    if "month" not in table.columns or not table["month"].notna().any():
        return table.drop(columns="month", errors="ignore"), []
    keys = ["financial_year", "cost_line"]
    year = table.groupby(keys, sort=False, as_index=False)["budget_gbp"].sum()
    by_month = table.sort_values("month").groupby(keys, sort=False)["budget_gbp"]
    profile = by_month.apply(lambda v: tuple(float(x) for x in v))  # the year's months in order
    pairs = zip(year["financial_year"], year["cost_line"], strict=True)
    year[PROFILE] = [profile.get(pair) for pair in pairs]
    whole = year[year["cost_line"] == "all"]
    shown = whole if len(whole) else year
    example = "; ".join(f"{r.financial_year} {vocabulary.category(str(r.cost_line))} "
                        f"{pounds(float(r.budget_gbp))}"
                        for r in shown.head(2).itertuples())  # fmt: skip
    return year, [
        f"{name} gives the budget by month: each cost line's twelve months are added up to "
        f"its year's budget ({example}); the workbook's cumulative budget profile follows "
        "the file's months"
    ]


def read_budget(path: Path | str | pd.DataFrame, lines: tuple[str, ...]) -> pd.DataFrame:
    """The budget: one row per financial year and cost line, from its file or a table
    with the file's columns (checked alike: rows named by position from 0). Any error
    refuses it (:func:`budget_for_run` sets the rows aside instead)."""
    _, table, problems, _ = _load_budget(path, lines)
    if any(p.severity == "error" for p in problems):
        raise InputDataError(problems)
    return _by_year(table, "the budget")[0].reset_index(drop=True)


def budget_for_run(
    path: Path | str | pd.DataFrame | RawTable, lines: tuple[str, ...], *, strict: bool = False
) -> tuple[pd.DataFrame, list[str]]:
    """The budget's lines without errors, and the sentences saying which rows were set
    aside and how the file was read (another sheet of budget lines not read, a title row
    skipped, total rows left out: :mod:`~sufficiency.finance.budget_totals`). A note under
    the figures, a line given twice (every copy: which is right is unknown) or a figure
    that is not a number costs the comparison that row, not the night's spend projection.

    Raises
    ------
    InputDataError
        The file cannot be used at all (unreadable, a column missing), or ``strict`` and
        a row has an error.
    """
    reader = lambda p: read_visible_table(p, _budget_schema(lines))  # noqa: E731
    if sheets := year_sheets(path) or budget_grids(path, reader, unmarked(_month)):  # a sheet
        # per year, two years' months across or P1 ... P12: each read as its year's budget
        return budget_by_sheet(sheets, lambda t: budget_for_run(t, lines, strict=strict))
    raw, table, problems, bracketed = _load_budget(path, lines)
    kept, said, notes = _rows_for_run(raw, table, problems, strict)
    name = raw.source if isinstance(path, pd.DataFrame) else Path(str(path)).name
    name = Path(raw.source).name if isinstance(path, RawTable) else name  # budget.xlsx[2026-27]
    aside = {int(p.row) for p in problems if p.severity == "error" and p.row is not None}
    rows_aside = len(table) - len(kept)
    notes += credit_notes(raw, table, name, bracketed, aside)  # -1,200: a credit, said once
    kept, monthly = _by_year(kept, name)
    notes += [*monthly, *negative_year_notes(kept, name)]
    if said:
        notes.append(
            f"{name}: {counted(rows_aside, 'budget row')} set aside for errors "
            f"({first_rows(said)}): "
            + (
                f"the spend is compared with the other {counted(len(kept), 'line')} only"
                if len(kept)
                else "no line of it is left, so the spend is compared with no budget"
            )
            + ". Correct those rows to compare theirs."
        )
    return kept, notes
