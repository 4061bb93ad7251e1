"""A budget kept in thousands of pounds: ``Budget £k``, ``Budget (£000)``, or a title
above the table saying ``Figures in £000``.

Finance keeps a large budget in £000s. A heading ``Budget £k`` or ``Budget (£000)`` was
not the budget column ("unknown column ... ignored", then "required column is missing"):
the budget refused. Worse, a sheet headed ``Budget`` under a title ``Figures in £000``
was read in pounds, silently: a £74m budget compared as £74,000, its variance the whole
year's spend. Both are now read in thousands, each figure (and its month by month
profile) multiplied by 1,000, in a note saying which heading or title said so; a figure
written with its own multiplier (``£74m``) is taken as written.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.schema import column_key
from sufficiency.io.tables import RawTable

#: A budget column headed in thousands: budget_k, budget_000, budget_gbp_000s, budget_thousands.
HEADING = re.compile(r"(budget(?:_gbp)?)_(?:gbp_)?(?:k|000s?|0_000s?|thousands?)(?:_gbp)?")
#: Thousands said in a title: £000, £'000, £000s, £k, (000s), in thousands, £ thousands.
_TITLE = re.compile(r"£\s*'?000s?\b|£\s*k\b|\(\s*'?000s?\s*\)|\bin\s+thousands\b"
                    r"|£\s*thousands?\b|\bthousands\s+of\s+pounds\b", re.IGNORECASE)  # fmt: skip
#: The column figures are multiplied to pounds after being read.
THOUSAND = 1_000
#: A figure with its own multiplier, taken as written: £74m, (1.2k).
OWN_MULTIPLIER = r"(?i)\d\s*(?:k|m|mn|bn)\s*\)?\s*$"


@dataclass(frozen=True)
class Thousands:
    """What said a budget is in thousands, and the rows whose figure has its own multiplier."""

    said: str
    own_multiplier: frozenset[int]


def _sheet_rows(source: str, above: int) -> list[str]:
    """The text of the cells in the first ``above`` rows of the file or sheet ``source``
    names (``path`` or ``path[sheet]``); none when it is no file (a table given as such)."""
    sheet = source[source.rindex("[") + 1 : -1] if source.endswith("]") else None
    path = Path(source[: source.rindex("[")] if sheet else source)
    if above < 1 or not path.is_file():
        return []
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            ws = wb[sheet] if sheet else wb.worksheets[0]
            rows = ws.iter_rows(max_row=above, values_only=True)
            return [str(v) for row in rows for v in row if v is not None]
        finally:
            wb.close()
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as f:
        return [c for row, _ in zip(csv.reader(f), range(above), strict=False) for c in row]


def _own_multiplier(raw: RawTable) -> frozenset[int]:
    """The rows whose budget figure carries its own multiplier (``£74m``, ``(1.2k)``)."""
    figure = next((c for c in raw.data.columns if column_key(str(c)) in ("budget_gbp", "budget")),
                  None)  # fmt: skip
    if figure is None:
        return frozenset()
    own = raw.data[figure].astype("string").str.contains(OWN_MULTIPLIER, regex=True).fillna(False)
    return frozenset(int(i) for i in raw.data.index[own.to_numpy(bool)])


def in_thousands(raw: RawTable) -> tuple[RawTable, Thousands | None]:
    """``raw`` with a budget column headed in thousands named ``budget_gbp``, and what said
    its figures are in thousands (its heading, or a title above the table) with the rows
    whose figure has its own multiplier; ``None`` when nothing says so."""
    heading = next((c for c in raw.data.columns if HEADING.fullmatch(column_key(str(c)))), None)
    if heading is not None and not any(
        column_key(str(c)) in ("budget_gbp", "budget") for c in raw.data.columns
    ):
        label = raw.column_label(str(heading))
        data = raw.data.rename(columns={heading: "budget_gbp"})
        columns = {("budget_gbp" if k == heading else k): v
                   for k, v in raw.original_columns.items()}  # fmt: skip
        raw = replace(raw, data=data, original_columns=columns)
        return raw, Thousands(f"its heading {label!r}", _own_multiplier(raw))
    said = next((t for t in _sheet_rows(raw.source, raw.first_data_row - 2) if _TITLE.search(t)),
                None)  # fmt: skip
    if said is None:
        return raw, None
    return raw, Thousands(f"the title above the table {said.strip()!r}", _own_multiplier(raw))


def to_pounds(
    raw: RawTable, table: pd.DataFrame, said: Thousands | None, columns: tuple[str, ...]
) -> list[Problem]:
    """``table``'s ``columns`` multiplied by 1,000 in place where ``said`` (the budget is in
    thousands), figures written with their own multiplier (``£74m``) left as written; a
    note saying so."""
    if said is None or "budget_gbp" not in table.columns:
        return []
    scaled = [i for i in table.index if int(i) not in said.own_multiplier]
    for c in columns:
        if c in table.columns:
            table.loc[scaled, c] = table.loc[scaled, c].map(
                lambda v: tuple(x * THOUSAND for x in v) if isinstance(v, tuple)
                else None if v is None else v * THOUSAND
            )  # fmt: skip
    example = table.loc[scaled, "budget_gbp"].dropna()
    shown = (f" ({example.iloc[0] / THOUSAND:,.0f} read as £{example.iloc[0]:,.0f})"
             if len(example) else "")  # fmt: skip
    return [Problem(
        raw.source, None, None, None,
        f"gives its budget in thousands of pounds, as {said.said} says: each figure is read as "
        f"£000s and multiplied by 1,000{shown}", severity="warning", code="thousands",
    )]  # fmt: skip
