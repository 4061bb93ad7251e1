"""A workbook with a hidden sheet: last year's budget or last week's referrals, hidden,
not deleted.

Finance hides the sheet of an old budget (or of a draft), and a placement team last
week's referrals, rather than deleting it. The reader took the first of the sheets that
read as the table, hidden or not: a workbook whose hidden ``Old`` sheet (£60m) came
before its visible ``Budget`` sheet (£74m) was compared with the old budget, and a
referrals workbook whose hidden ``Old`` sheet held 5 of tonight's 45 children matched
those 5, with a note that "only Old is read" and no word that Old was hidden. A visible
sheet is now read in preference to a hidden one, and the note says which sheets were
hidden. A workbook whose only such sheet is hidden is read as before, said.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sufficiency.errors import InputDataError, Problem
from sufficiency.io.schema import TableSchema, read_single_table
from sufficiency.io.tables import RawTable, read_tables


def hidden_sheets(path: Path) -> list[str]:
    """The names of the sheets a workbook hides (hidden, or very hidden); none for a CSV
    or a workbook that cannot be opened (its reader says why)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True)
    except Exception:  # damaged: read_single_table names it
        return []
    try:
        return [ws.title for ws in wb.worksheets if ws.sheet_state != "visible"]
    finally:
        wb.close()


def _sheet(t: RawTable) -> str:
    return t.source[t.source.rindex("[") + 1 : -1] if t.source.endswith("]") else ""


def read_visible_table(path: Path, schema: TableSchema) -> RawTable:
    """:func:`~sufficiency.io.schema.read_single_table`, but a sheet hidden in Excel is read
    only when no visible sheet reads as ``schema``; a note names the hidden sheets. A sheet
    of a line or two beside it (a cover, notes) no longer refuses the workbook ("has a
    header row but no data rows"); the sheet read must have rows."""
    raw = read_shown_table(path, schema)
    if raw.data.empty:  # the sheet read has no rows: refused as before
        raise InputDataError([Problem(raw.source, None, None, None, "has a header row but no "
                                      "data rows", code="malformed_file")])  # fmt: skip
    return raw


def read_shown_table(path: Path | str, schema: TableSchema) -> RawTable:
    """:func:`~sufficiency.io.schema.read_single_table` (a table of no rows allowed), a
    visible sheet before a hidden one (:func:`visible_first`)."""
    return visible_first(path, schema, read_single_table(path, schema, allow_empty=True))


def visible_first(path: Path | str, schema: TableSchema, raw: RawTable) -> RawTable:
    """``raw``, the sheet :func:`~sufficiency.io.schema.read_single_table` read from
    ``path``, or the visible sheet that best fits ``schema`` where ``raw`` is a hidden
    one; a note names the hidden sheets that fit. A CSV, or a workbook hiding no sheet
    that fits, gives ``raw`` unchanged."""
    path = Path(path)
    hidden = hidden_sheets(path)
    if not hidden:
        return raw
    tables = read_tables(path, allow_empty=True)
    fits = {_sheet(t): sum(schema.field_for(c) is not None for c in t.data.columns)
            for t in tables}  # fmt: skip
    shown = [t for t in tables if _sheet(t) not in hidden and fits[_sheet(t)]]
    fitting_hidden = [s for s in hidden if fits.get(s)]
    if not fitting_hidden:
        return raw
    if _sheet(raw) in hidden and shown:
        raw = max(shown, key=lambda t: fits[_sheet(t)])  # the first of equals
    read = _sheet(raw)
    others = [_sheet(t) for t in shown if _sheet(t) != read]
    message = (
        f"hides sheet(s) {', '.join(fitting_hidden)} in Excel that read as {schema.name}: "
        + (f"{read} is read, hidden, as no visible sheet reads as {schema.name}" if read in hidden
           else f"{read} is read, a hidden sheet only when no visible one reads as {schema.name}")
        + (f"; visible sheet(s) {', '.join(others)} not read either (delete or rename them if "
           "they are not the one to use)" if others else "")
    )  # fmt: skip
    note = Problem(str(path), None, None, None, message, severity="warning", code="other_sheets")
    return replace(raw, notes=(*[n for n in raw.notes if n.code != "other_sheets"], note))
