"""Input contract for the placement team's decisions, carried from night to night.

A decision *pins* a child to a placement (the match is agreed) or *excludes* a
child-placement pair (this child must not go there). The reader validates the
whole file and either returns a typed table or raises
:class:`~sufficiency.errors.InputDataError` naming every bad file, row and column.
What the matching does with each decision is in :mod:`sufficiency.matching.decisions`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sufficiency.errors import InputDataError, Problem
from sufficiency.io.schema import Field, TableSchema, check_table
from sufficiency.io.tables import NightTable, RawTable, read_tables, split_rows

DECISION_KINDS = {
    "pin": "pin",
    "pinned": "pin",
    "agreed": "pin",
    "exclude": "exclude",
    "excluded": "exclude",
}

DECISIONS = TableSchema(
    name="decisions",
    description="The placement team's decisions, one row per child-placement pair.",
    fields=(
        Field(
            "child_id",
            "text",
            "The child's ID, as in the referrals.",
            required=True,
            nullable=False,
            aliases=("Child ID",),
        ),
        Field(
            "placement_id",
            "text",
            "The placement's ID, as in the placement register.",
            required=True,
            nullable=False,
            aliases=("Placement ID",),
        ),
        Field(
            "decision",
            "code",
            "pin (this match is agreed: the child goes there) or exclude (the child "
            "must not go there).",
            required=True,
            nullable=False,
            choices=DECISION_KINDS,
        ),
        Field(
            "reason",
            "text",
            "Why, in a sentence (shown in the outputs and in `runs diff`; no personal "
            "details beyond IDs).",
            required=True,
            nullable=False,
        ),
        Field(
            "decided_by",
            "text",
            "Who decided (name or team).",
            required=True,
            nullable=False,
        ),
        Field(
            "until",
            "date",
            "Last day the decision holds (blank = no expiry); ignored after it.",
            required=True,
        ),
        Field("decided_on", "date", "Date of the decision (blank = not recorded)."),
    ),
)


def load_decisions(path: Path | str) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate a decisions file; return the typed table and every problem found.

    A file with a header row and no decisions is valid. Besides the field rules, the
    same child-placement pair may appear only once.
    """
    _, table, problems = _load_decisions(path)
    return table.reset_index(drop=True), problems


def _load_decisions(path: Path | str) -> tuple[RawTable, pd.DataFrame, list[Problem]]:
    """:func:`load_decisions` keeping the file's row index."""
    tables = read_tables(Path(path), allow_empty=True)
    raw: RawTable = max(
        tables, key=lambda t: sum(DECISIONS.field_for(c) is not None for c in t.data.columns)
    )
    table, problems = check_table(raw, DECISIONS)
    pair = table["child_id"].astype("string") + "\x1f" + table["placement_id"].astype("string")
    dup = pair[pair.notna() & pair.duplicated(keep=False)]
    for _, rows in dup.groupby(dup, sort=True).groups.items():
        nums = [raw.row_number(int(i)) for i in rows]
        first = rows[0]
        problems.append(
            Problem(
                raw.source,
                nums[0],
                raw.column_label("placement_id"),
                f"{table.at[first, 'child_id']} / {table.at[first, 'placement_id']}",
                "the same child and placement also have a decision on row(s) "
                f"{', '.join(map(str, nums[1:]))}; keep one row per pair",
                code="duplicate_decision",
            )
        )
    return raw, table, problems


def read_decisions_for_night(path: Path | str, *, strict: bool = False) -> NightTable:
    """Read a decisions file for tonight's run: a row with an error is set aside (listed
    with the run's other rows set aside, so the team sees it was not applied) and the
    rest applied; ``strict`` refuses instead. A file the run cannot use at all (a
    required column missing) is refused."""
    raw, table, problems = _load_decisions(path)
    return split_rows(raw, table, problems, "child_id", strict)


def read_decisions(path: Path | str) -> pd.DataFrame:
    """Read and validate a decisions file; raise :class:`InputDataError` listing every error.

    Columns: ``child_id``, ``placement_id``, ``decision`` (``pin``/``exclude``),
    ``reason``, ``decided_by``, ``until`` and ``decided_on`` (``NaT`` when blank).
    """
    table, problems = load_decisions(path)
    if any(p.severity == "error" for p in problems):
        raise InputDataError(problems)
    return table
