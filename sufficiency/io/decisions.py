"""Input contract for the placement team's decisions, carried from night to night.

A decision *pins* a child to a placement (the match is agreed) or *excludes* a
child-placement pair (this child must not go there). The reader validates the
whole file and either returns a typed table or raises
:class:`~sufficiency.errors.InputDataError` naming every bad file, row and column.
What the matching does with each decision is in :mod:`sufficiency.matching.decisions`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from sufficiency.errors import InputDataError, Problem
from sufficiency.io.hidden_sheets import read_shown_table
from sufficiency.io.ids import fold_id
from sufficiency.io.schema import Field, TableSchema, check_table
from sufficiency.io.tables import NightTable, RawTable, split_rows

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
    raw = read_shown_table(path, DECISIONS)
    table, found = check_table(raw, DECISIONS)
    problems = [*raw.notes, *found]  # a title row skipped, another sheet of decisions
    for rows in _repeated_pairs(table):
        nums = [raw.row_number(int(i)) for i in rows]
        for i, num in zip(rows, nums, strict=True):
            others = ", ".join(str(n) for n in nums if n != num)
            spelt = _written_otherwise(raw, table, i, [r for r in rows if r != i])
            problems.append(
                raw.problem(
                    i,
                    _placement_column(raw),
                    str(table.at[i, "placement_id"]),  # the child: the row's ID
                    f"the same child and placement also have a decision on row(s) {others}"
                    f"{spelt}; keep one row per pair",
                    code="duplicate_decision",
                )
            )
    return raw, table, problems


def _placement_column(raw: RawTable) -> str:
    """The placement ID column as the file names it (``Placement ID``, say)."""
    for col in raw.data.columns:
        f = DECISIONS.field_for(str(col))
        if f is not None and f.name == "placement_id":
            return str(col)
    return "placement_id"


def _folded(column: pd.Series) -> pd.Series:
    """Each ID as matching compares it (:func:`~sufficiency.io.ids.fold_id`), blank as missing."""
    return column.astype("string").map(fold_id, na_action="ignore").astype("string")


def _repeated_pairs(table: pd.DataFrame, among: pd.Index | None = None) -> list[list[int]]:
    """Index labels of the rows sharing a child-placement pair, one list per pair. IDs are
    compared as matching reads them, ignoring case and spaces: ``r007,PL1`` and
    ``R007,PL1`` are one pair written twice (matching applies the decision once)."""
    pair = _folded(table["child_id"]) + "\x1f" + _folded(table["placement_id"])
    if among is not None:
        pair = pair.loc[among]
    dup = pair[pair.notna() & pair.duplicated(keep=False)]
    return [[int(i) for i in rows] for _, rows in sorted(dup.groupby(dup).groups.items())]


def _written_otherwise(raw: RawTable, table: pd.DataFrame, i: int, others: list[int]) -> str:
    """What a row repeating row ``i``'s pair adds when it writes the IDs otherwise:
    `` (row 3 writes them R007 and PL1: ...)``; ``""`` when every row writes them alike."""
    ids = ["child_id", "placement_id"]
    mine = [str(v) for v in table.loc[i, ids]]
    said = []
    for r in others:
        written = [str(v) for v in table.loc[r, ids]]
        if written != mine:
            said.append(f"row {raw.row_number(int(r))} writes them {' and '.join(written)}")
    if not said:
        return ""
    once = (table.loc[[i, *others], "decision"] == table.at[i, "decision"]).all()
    return (f" ({'; '.join(said)}: the same IDs but for case and spaces, as matching reads "
            f"them{', so one decision is written twice' * bool(once)})")  # fmt: skip


#: Columns whose error does not stop an exclusion being applied: who, why and when.
_DETAIL_COLUMNS = frozenset({"reason", "decided_by", "until", "decided_on"})
#: What an exclusion kept in spite of an error in a detail column is recorded with.
_DETAIL_FILL = {"reason": "(no reason given)", "decided_by": "(not recorded)"}
_KEPT = (
    "; the exclusion is applied all the same{until}, since a child is not placed where the "
    "team said they must not go"
)
#: What a decision whose word cannot be read (or is blank) is kept as: an exclusion, since
#: it may be one ("exclusion", "do not place"), and a pin is obeyed only when written so.
_READ_AS_EXCLUSION = (
    "; read as an exclusion until it says pin or exclude, since a child is not placed where "
    "the team may have said they must not go (a pin is obeyed only when written pin)"
)


def _keep_exclusions(
    raw: RawTable, table: pd.DataFrame, problems: list[Problem]
) -> tuple[pd.DataFrame, list[Problem]]:
    """Exclusions kept in doubt, rather than set aside: an exclusion whose only errors are
    in who, why or when (``reason``, ``decided_by``, ``until``, ``decided_on``) is applied,
    with no end date if ``until`` is not readable, and so is a row whose ``decision`` is
    not read or blank ("exclusion", "do not place": it may mean "must not go", and a pin
    is obeyed only when written so); each error becomes a warning saying so; of rows
    repeating a child-placement pair, one is applied (an exclusion before a pin, the
    latest ``until`` first, blank meaning no end) and the others are listed."""
    field = {p: DECISIONS.field_for(p.column) if p.column else None for p in problems}
    by_row: dict[int | None, list[Problem]] = {}
    for p in problems:
        if p.severity == "error" and p.code != "duplicate_decision":
            by_row.setdefault(p.row, []).append(p)
    soft: set[int] = set()
    exclude = (table["decision"] == "exclude").fillna(False)
    for i in table.index:
        found = by_row.get(raw.row_number(int(i)), [])
        named = {f.name if (f := field[p]) else None for p in found}
        word = "decision" in named  # not read, or blank: kept as an exclusion
        if found and (exclude[i] or word) and named - {"decision"} <= _DETAIL_COLUMNS:
            table.at[i, "decision"] = "exclude"
            soft.add(raw.row_number(int(i)))
            for col, fill in _DETAIL_FILL.items():
                if pd.isna(table.at[i, col]):
                    table.at[i, col] = fill
    out: list[Problem] = []
    for p in problems:
        if p.row in soft and p.severity == "error":
            f = field[p]
            until = ", with no end date" if f and f.name == "until" else ""
            said = _READ_AS_EXCLUSION if f and f.name == "decision" else _KEPT
            p = replace(p, severity="warning", message=p.message + said.format(until=until))
        if p.code != "duplicate_decision":
            out.append(p)
    clean = table.index[[raw.row_number(int(i)) not in by_row or raw.row_number(int(i)) in soft
                         for i in table.index]]  # fmt: skip
    for rows in _repeated_pairs(table, clean):
        order = sorted(rows, key=lambda i: (table.at[i, "decision"] != "exclude",
                                            -_day(table.at[i, "until"]), int(i)))  # fmt: skip
        first = order[0]
        kept = raw.row_number(int(first))
        what = "excluded" if table.at[first, "decision"] == "exclude" else "pinned"
        spelt = {i: _written_otherwise(raw, table, i, [first]) for i in order[1:]}
        for i in order[1:]:
            same = table.at[i, "decision"] == table.at[first, "decision"]
            out.append(
                raw.problem(
                    i,
                    _placement_column(raw),
                    str(table.at[i, "placement_id"]),  # the child: the row's ID
                    f"the same child and placement are {what} on row {kept}{spelt[i]}, "
                    "which is applied"
                    + ("; this copy is not needed" if same else "; this pin is not obeyed"),
                    severity="warning" if same else "error",
                    code="duplicate_decision",
                )
            )
            if same:
                table = table.drop(index=i)
    return table, out


def _day(value: object) -> int:
    """A date as a day number for ordering, blank (no end) latest."""
    return 10**9 if value is None or pd.isna(value) else pd.Timestamp(value).toordinal()  # type: ignore[arg-type]


def read_decisions_for_night(path: Path | str, *, strict: bool = False) -> NightTable:
    """Read a decisions file for tonight's run: a row with an error is set aside (listed
    with the run's other rows set aside, so the team sees it was not applied) and the
    rest applied; ``strict`` refuses instead. A file the run cannot use at all (a
    required column missing) is refused.

    An exclusion is not set aside for an error in who, why or when, nor for being
    written twice: it is applied and the error listed as a warning
    (:func:`_keep_exclusions`), since setting it aside could place a child where the
    team said they must not go.
    """
    raw, table, problems = _load_decisions(path)
    if not strict and not any(p.severity == "error" and p.row is None for p in problems):
        table, problems = _keep_exclusions(raw, table, problems)
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
