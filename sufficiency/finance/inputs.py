"""The council's own cost file and budget file, validated like every other input.

Cost file (CSV or XLSX): ``category, weekly_cost`` rows replace the configuration's
costs for their categories (the others keep the configuration's, with a warning where
the forecast has children in them); rows that also give ``child_id`` are today's actual
placements, whose mean per category becomes that category's unit cost and whose sum is
today's run-rate.

Budget file: ``financial_year`` (``2026-27``; ``2026/27`` and ``2026-2027`` are read as
``2026-27``, and ``2026`` names a financial year that starts in January), ``cost_line``
(a forecast category or ``all``), ``budget_gbp``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from sufficiency.errors import InputDataError
from sufficiency.finance.projection import UnitCosts
from sufficiency.io.schema import Field, TableSchema, check_table
from sufficiency.io.tables import frame_table, read_tables


def _cost_schema(categories: tuple[str, ...]) -> TableSchema:
    return TableSchema(
        name="cost",
        fields=(
            Field("category", "code", "Forecast category.", required=True, nullable=False,
                  choices={c: c for c in categories}),
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
                  nullable=False, choices={c: c for c in (*lines, "all")}),
            Field("budget_gbp", "number", "Budget for the year, GBP.", required=True,
                  nullable=False, min_value=0, aliases=("budget",)),
        ),
    )  # fmt: skip


def read_costs(
    path: Path | str, categories: tuple[str, ...], defaults: UnitCosts
) -> tuple[UnitCosts, float | None]:
    """The cost table from a cost file, and today's actual weekly cost if it lists placements.

    A category the file gives no cost for keeps the cost of ``defaults`` (the
    configuration's), its source saying so; the projection warns where such a category
    has children.
    """
    raw = read_tables(Path(path))[0]
    table, problems = check_table(raw, _cost_schema(categories))
    per_category = table[table["child_id"].isna()]
    dup = per_category["category"].duplicated(keep=False) & per_category["category"].notna()
    problems += raw.problems_where(
        per_category, dup, "category", "category has more than one cost row", code="duplicate_id"
    )
    if any(p.severity == "error" for p in problems):
        raise InputDataError(problems)
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
    return UnitCosts(costs, sources, current, origin=str(path), filled=filled), actual_weekly


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


def read_budget(path: Path | str | pd.DataFrame, lines: tuple[str, ...]) -> pd.DataFrame:
    """The budget: one row per financial year and cost line, from its file or a table
    with the file's columns (checked alike: rows named by position from 0)."""
    if isinstance(path, pd.DataFrame):
        raw = frame_table(path, "budget table")
    else:
        raw = read_tables(Path(path))[0]
    table, problems = check_table(raw, _budget_schema(lines))
    fy = table["financial_year"].map(_financial_year, na_action="ignore")
    bad = table["financial_year"].notna() & fy.isna()
    problems += raw.problems_where(
        table, bad, "financial_year", "is not a financial year such as 2026-27 (or 2026 "
        "where the financial year is the calendar year)",
    )  # fmt: skip
    table["financial_year"] = fy
    key = (
        table["financial_year"].fillna("").astype(str)
        + "|"
        + table["cost_line"].fillna("").astype(str)
    )
    complete = table["financial_year"].notna() & table["cost_line"].notna()
    problems += raw.problems_where(
        table, key.duplicated(keep="first") & complete, "cost_line",
        "budget line appears twice for the same year", code="duplicate_id",
    )  # fmt: skip
    if any(p.severity == "error" for p in problems):
        raise InputDataError(problems)
    return table.reset_index(drop=True)
