"""A 903 episodes table carrying the header's fields, and no header table beside it.

An analyst's merged table gives each episode with the child's ``SEX`` and ``DOB`` (and
often ``ETHNIC``) added as columns, and no header file: the history was refused
outright, "no 903 header table found". Where a year's return has no header table and
its episodes table has ``SEX`` and ``DOB`` columns, those columns (with any other
header field present) are read as the header: one row a child where every one of the
child's rows agrees, said in one warning a table. A child whose rows disagree keeps one
row for each version, as a header giving a child twice: ``validate`` calls it the
duplicate it is, and the forecast uses the child's last row, as for any header.
"""

from __future__ import annotations

from dataclasses import replace

from sufficiency.errors import Problem
from sufficiency.io.code_labels import read_code_labels
from sufficiency.io.dates import normalise_dates
from sufficiency.io.ssda903_scan import FoundTable, Return
from sufficiency.io.ssda903_xml import DFE_TABLES

CODE = "header_from_episodes"
#: The header's fields, lower case as tables hold them (``child`` first).
_HEADER = tuple(c.lower() for c in DFE_TABLES["header"])


def with_merged_headers(returns: list[Return]) -> tuple[list[Return], list[Problem]]:
    """``returns`` with a header read from the episodes' header columns for each year that
    has no header table, and a warning for each table so read."""
    out: list[Return] = []
    notes: list[Problem] = []
    for ret in returns:
        episodes = ret.tables.get("episodes", ())
        merged = {id(t) for t in episodes if {"child", "sex", "dob"} <= set(t.raw.data.columns)}
        if "header" in ret.tables or not merged:
            out.append(ret)
            continue
        heads, eps = [], []
        for t in episodes:
            if id(t) in merged:  # a FoundTable's frames cannot be compared with ==
                head, ep, said = _split(t)
                heads.append(head)
                notes += said
                t = ep
            eps.append(t)
        tables = {**ret.tables, "episodes": tuple(eps), "header": tuple(heads)}
        out.append(replace(ret, tables=tables))
    return out, notes


def _split(t: FoundTable) -> tuple[FoundTable, FoundTable, list[Problem]]:
    """The header ``t``'s header columns give, ``t`` without them, and what was said."""
    raw = t.raw
    cols = [c for c in _HEADER if c in raw.data.columns]
    head = replace(
        raw,
        data=raw.data[cols],
        original_columns={c: raw.column_label(c) for c in cols},
        date_cells=frozenset(c for c in raw.date_cells if c in cols),
        notes=(),
        row_errors=(),
        uncalculated=frozenset(u for u in raw.uncalculated if u[1] in cols),
    )
    head, date_notes = normalise_dates(head, ("dob", "mc_dob"))
    head, code_notes = read_code_labels(head, "header")
    data = head.data
    first = ~data.astype("string").fillna("").duplicated(keep="first") & data["child"].notna()
    rows = data[first.to_numpy(bool)]
    twice = rows["child"][rows["child"].duplicated(keep=False)].nunique()
    named = ", ".join(raw.column_label(c) for c in cols if c != "child")
    children = rows["child"].nunique()
    message = (
        f"no header table for this year: the header's columns in this episodes table "
        f"({named}) read as its header, {children:,} child{'ren' if children != 1 else ''}"
    )
    if twice:
        message += (
            f"; {twice:,} child{'ren' if twice != 1 else ''}'s rows differ in them, read as a "
            "header giving the child twice (each named below)"
        )
    note = Problem(raw.source, None, None, None, message, severity="warning", code=CODE,
                   action="one header row a child")  # fmt: skip
    header = replace(t, raw=replace(head, data=rows), kind="header")
    rest = [c for c in cols if c != "child"]
    episodes = replace(
        raw,
        data=raw.data.drop(columns=rest),
        original_columns={k: v for k, v in raw.original_columns.items() if k not in rest},
        date_cells=frozenset(c for c in raw.date_cells if c not in rest),
    )
    return header, replace(t, raw=episodes), [note, *date_notes, *code_notes]
