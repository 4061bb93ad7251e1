"""903 tables whose columns are headed by DfE's names for the fields, not their codes.

DfE's CSV return heads each column with a code (``DECOM``, ``PLACE_PROVIDER``); its
guide and validator messages name the same fields in words ("date episode commenced",
"placement provider"), and councils' extracts for research and data requests are headed
so (``Date episode commenced``, ``Date episode ceased``), or in the snake_case a cleaning
step makes of them (``date_episode_commenced``). Such a history was refused with "no 903
header or episodes table found", no word of which heading was not known.

:data:`~sufficiency.io.aliases903.ALIASES` lists the headings read as a field, each
naming exactly one field, matched as column names are (ignoring case, spaces and
punctuation, so the snake_case form is the same heading). A table read so is said once,
with each heading and the field it was read as. Nothing is guessed: a heading close to
one of these or to a field's code but not on the list (``Date episode ceasd``,
``Placement types``) is an error naming it and the field it looks like, as is a field
given by two headings. The child's identifier has no alias: ``Child ID`` and the like
are named by :mod:`sufficiency.io.child_column`, for the reason given there.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import replace

from sufficiency.errors import Problem
from sufficiency.io.aliases903 import BY_KEY, field_key
from sufficiency.io.child_column import child_lookalikes
from sufficiency.io.schema import column_key
from sufficiency.io.ssda903_xml import DFE_TABLES
from sufficiency.io.tables import RawTable

_FIELDS = {c for cols in DFE_TABLES.values() for c in cols}
#: Every heading key that names a field, and the field.
_KNOWN = {**BY_KEY, **{f.lower(): f for f in _FIELDS}}
#: How close a heading must be to a known one to be named as looking like it.
_CLOSE = 0.85

ALIAS_CODE = "heading_alias"


def lookalikes(labels: Iterable[str], fields: Iterable[str]) -> list[tuple[str, str]]:
    """(heading, field) for each heading that names no field but is close to a name of
    one of ``fields`` (its code or an alias); ``Child ID`` and the like are left to
    :func:`~sufficiency.io.child_column.child_lookalikes`."""
    labels = [str(c) for c in labels]
    wanted = set(fields)
    names = {k: f for k, f in _KNOWN.items() if f in wanted}
    child = set(child_lookalikes(labels))
    out = []
    for label in labels:
        key = column_key(label)
        if label in child or len(key) < 4 or key in _KNOWN:
            continue
        near = difflib.get_close_matches(key, list(names), n=1, cutoff=_CLOSE)
        if near:
            out.append((label, names[near[0]]))
    return out


def near_table(
    labels: Iterable[str], detect: Callable[[list[str]], str | None]
) -> tuple[str, list[tuple[str, str]]] | None:
    """The DfE table a table not taken for one would be with its headings that look like
    a field's renamed (``detect`` is the scan's ``detect_table``), and those headings."""
    labels = [str(c) for c in labels]
    like = lookalikes(labels, _FIELDS)
    if not like:
        return None
    renamed = dict(like)
    kind = detect([renamed.get(c, c) for c in labels])
    return (kind, like) if kind is not None else None


def _said(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(f"'{h}' looks like {f}" for h, f in pairs)


def lookalike_problem(source: str, kind: str, like: list[tuple[str, str]]) -> Problem:
    """The error for a table whose headings look like ``kind``'s fields but are not
    names this tool reads."""
    return Problem(
        source, None, like[0][0], None,
        f"is not read as the 903 {kind} table: {_said(like)}, not a heading this tool "
        f"reads (docs/data-contract.md lists them); rename "
        + ", ".join(f"'{h}' {f}" for h, f in like),
        code="heading_lookalike",
    )  # fmt: skip


def read_aliases(raw: RawTable, kind: str) -> tuple[RawTable, list[Problem]]:
    """``raw`` with each column headed by an alias of one of ``kind``'s fields read as
    that field, a warning naming them; or ``raw`` unchanged and the errors that stop it
    being read: a field given by two headings in words (beside its code, the code is read
    and the other said), or a heading that looks like a field the table lacks but is not a
    name this tool reads."""
    fields = DFE_TABLES[kind]
    by_field: dict[str, list[str]] = {}
    for col in raw.data.columns:
        field = field_key(col)
        if field in fields:
            by_field.setdefault(field, []).append(col)
    # a field's code read as ever, its names in words beside it left as other columns
    # (a label column, 'Placement type' in words beside PLACE's code, as exports give)
    beside = {field: [c for c in cols if column_key(c) != field.lower()]
              for field, cols in by_field.items()
              if len(cols) > 1 and any(column_key(c) == field.lower() for c in cols)}  # fmt: skip
    for field, cols in beside.items():
        by_field[field] = [c for c in by_field[field] if c not in cols]
    errors = [
        raw.problem(None, cols[1], None,
                    f"{' and '.join(repr(raw.column_label(c)) for c in cols)} both give "
                    f"{field}, so the table is not read: keep the one that holds it",
                    code="heading_twice")
        for field, cols in by_field.items()
        if len(cols) > 1
    ]  # fmt: skip
    labels = [raw.column_label(c) for c in raw.data.columns]
    like = lookalikes(labels, [f for f in fields if f not in by_field])
    if like:
        errors.append(lookalike_problem(raw.source, kind, like))
    if errors:
        return raw, errors
    rename = {
        cols[0]: field.lower() for field, cols in by_field.items() if column_key(cols[0]) in BY_KEY
    }
    kept = [
        raw.problem(None, col, None,
                    f"names {field} in words, beside the {field} column: {field} is read, "
                    f"'{raw.column_label(col)}' is not",
                    severity="warning", code="heading_beside")
        for field, cols in beside.items() for col in cols
    ]  # fmt: skip
    if not rename:
        return raw, kept
    read = ", ".join(f"'{raw.column_label(c)}' as {f.upper()}" for c, f in rename.items())
    note = Problem(
        raw.source, None, None, None,
        f"headed by DfE's names for the 903 fields, not their codes: read {read}",
        severity="warning", code=ALIAS_CODE, action="read as the fields named",
    )  # fmt: skip
    original = {rename.get(k, k): v for k, v in raw.original_columns.items()}
    return (
        replace(
            raw,
            data=raw.data.rename(columns=rename),
            original_columns=original,
            date_cells=frozenset(rename.get(c, c) for c in raw.date_cells),
        ),
        [note, *kept],
    )
