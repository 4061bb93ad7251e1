"""Read a CSV or XLSX file into a table of strings, or say in one sentence why not.

Everything is read as text so that validation sees exactly what the user wrote;
parsing into dates and numbers happens in the schemas. Column names are matched
case-insensitively and stripped of surrounding spaces. A title row above the header
(``SSDA903 episodes 2025-26, Anytown``), as exports from case-management systems often
carry, is found and skipped, and said so in :attr:`RawTable.notes`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import chain
from pathlib import Path
from typing import Any

import pandas as pd

from sufficiency.errors import InputDataError, Problem
from sufficiency.io.csv_text import text_formulas, unquote_formula_text
from sufficiency.io.delimiter import delimiter, read_note
from sufficiency.io.ids import fold_id, folded, shown_id, spellings_note
from sufficiency.io.mac_roman import is_mac_roman, mac_roman_note
from sufficiency.io.text_marks import text_marks
from sufficiency.io.unnamed import drop_unnamed, second_header
from sufficiency.io.utf16 import bomless_utf16, utf16_note
from sufficiency.io.xlsx_formulas import uncalculated_cells
from sufficiency.io.xlsx_hidden import hidden_columns, hidden_note, hidden_rows
from sufficiency.io.xlsx_merged import fill_merged, merged_down
from sufficiency.io.xlsx_size import too_large

#: Extensions we read: a table as text (``.tsv`` as databases and case systems' reports
#: write tab-separated values; ``.txt`` as Excel's "Text (Tab delimited)"), and workbooks.
CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
#: Rows above the header that may be titles: the header is looked for among these.
_TITLE_ROWS_MAX = 10


@dataclass(frozen=True)
class RawTable:
    """A table as read from a file: every cell a string or ``<NA>``.

    Attributes
    ----------
    source
        How to name the file in messages (path, plus ``[sheet]`` for workbooks).
    data
        Columns renamed to lower case; values stripped strings, blanks as ``<NA>``.
    original_columns
        Lower-case name -> the column name as written in the file.
    first_data_row
        Spreadsheet row number of ``data``'s first row (2 when the header is row 1).
    notes
        Warnings about how the file was read (title rows skipped above the header).
    from_workbook
        Read from an Excel workbook: a whole number in a date column is then an Excel
        serial date (45383 = 1 April 2024) rather than a typing error.
    date_cells
        Columns (lower case) holding real Excel date cells, written as DD/MM/YYYY.
    excel_1904
        Read from a workbook in Excel for Mac's 1904 date system: its serial dates count
        from 1 January 1904 (1,462 days later than the 1900 system's).
    row_errors
        Errors of single rows found in reading (a row with more cells than the header):
        each reader sets such a row aside, as it does a row with a bad value.
    delimiter
        The character between a CSV's columns (``;`` for Excel's CSV in a European
        language, whose figures are read by :mod:`sufficiency.io.european`); ``,`` otherwise.
    uncalculated
        Cells of a workbook holding a formula and no value worked out for it (read as
        blank), as (spreadsheet row, column in lower case): see
        :mod:`sufficiency.io.xlsx_formulas`.
    """

    source: str
    data: pd.DataFrame
    original_columns: dict[str, str]
    first_data_row: int = 2
    notes: tuple[Problem, ...] = ()
    from_workbook: bool = False
    date_cells: frozenset[str] = field(default_factory=frozenset)
    row_errors: tuple[Problem, ...] = ()
    excel_1904: bool = False
    delimiter: str = ","
    uncalculated: frozenset[tuple[int, str]] = field(default_factory=frozenset)

    def row_number(self, index: int) -> int:
        """Spreadsheet row number for an index label of ``data``."""
        return self.first_data_row + int(index)

    def column_label(self, name: str) -> str:
        """The column name as the user wrote it."""
        return self.original_columns.get(name, name)

    def problem(
        self, index: Any, column: str, value: str | None, message: str, **kw: Any
    ) -> Problem:
        """A :class:`Problem` at row ``index`` of ``data`` (``None``: the whole column).

        ``column`` is named as the user wrote it; ``kw`` are the remaining
        :class:`Problem` fields (``severity``, ``code``, ``action``).
        """
        row = None if index is None else self.row_number(int(index))
        return Problem(self.source, row, self.column_label(column), value, message, **kw)

    def problems_where(
        self, table: pd.DataFrame, mask: Any, column: str, message: str, **kw: Any
    ) -> list[Problem]:
        """A :class:`Problem` for each row of ``table`` where ``mask`` holds, quoting ``column``."""
        rows = table.index[pd.Series(mask, index=table.index).fillna(False).to_numpy(bool)]
        cells = table[column].astype("string").fillna("")  # a blank is not quoted ('<NA>')
        return [self.problem(i, column, cells.at[i], message, **kw) for i in rows]


def unreadable(exc: OSError) -> str:
    """What a file or folder that cannot be opened is, as a problem's message."""
    return (f"cannot be read ({exc.strerror or exc}): check that the account running "
            "sufficiency may read it")  # fmt: skip


def _fail(source: str, message: str) -> InputDataError:
    return InputDataError([Problem(source, None, None, None, message, code="malformed_file")])


def _decode(raw: bytes, source: str) -> tuple[str, tuple[Problem, ...]]:
    """The file's text, and a note when it was read as Mac Roman."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # UTF-16 with its byte-order mark, as Excel's "Unicode Text" and some exports write
        try:
            return raw.decode("utf-16"), ()
        except UnicodeDecodeError:
            raise _fail(source, "cannot be decoded as UTF-16 text; save it as CSV UTF-8") from None
    if (utf16 := bomless_utf16(raw)) is not None:  # UTF-16 whose exporter left off its mark
        return utf16[0], (utf16_note(source, utf16[1]),)
    if b"\x00" in raw[:8192]:
        raise _fail(source, "is a binary file, not a CSV; save it as CSV (comma-separated) or XLSX")
    try:
        return raw.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        pass
    lines = raw.splitlines(keepends=True)
    if is_mac_roman(raw, [ln for ln in lines if not _utf8(ln)]):  # Excel's CSV (Macintosh)
        return windows_text(raw, "mac_roman"), (mac_roman_note(source),)
    # Windows-1252 (Excel's "CSV" on an English Windows), line by line: a UTF-8 file with
    # rows added in Windows-1252 (pasted from an older export) was read whole as
    # Windows-1252, and every UTF-8 letter in it garbled with no word ("José" as "JosÃ©")
    try:
        return windows_text(raw), ()
    except UnicodeDecodeError:  # a byte Windows-1252 has no letter for (0x81, 0x8D...)
        raise _fail(source, "cannot be decoded as text; save it as CSV UTF-8") from None


def windows_text(raw: bytes, encoding: str = "cp1252") -> str:
    """A file that is not UTF-8 throughout, line by line: UTF-8 where a line is, else
    Windows-1252 (``UnicodeDecodeError`` for a byte it has no letter for) or ``encoding``."""
    return "".join(_windows_line(line, encoding) for line in raw.splitlines(keepends=True))


def _utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def _windows_line(line: bytes, encoding: str) -> str:
    return line.decode("utf-8-sig") if _utf8(line) else line.decode(encoding)


def header_row_index(rows: list[list[str]]) -> int:
    """Index of the header among the first rows of a table, past any title rows.

    A title row (``SSDA903 episodes 2025-26``, perhaps with a comma and a second cell)
    fills far fewer cells than the header, which names every column: the header is the
    first row filling at least 60% as many cells as the fullest of the rows looked at.
    """
    filled = [sum(1 for c in r if c is not None and str(c).strip()) for r in rows]
    if not filled or max(filled) == 0:
        return 0
    need = max(2, math.ceil(0.6 * max(filled)))
    for i, n in enumerate(filled[: _TITLE_ROWS_MAX + 1]):
        if n >= need:
            return i
    return 0


def _title_note(source: str, header_row: int) -> tuple[Problem, ...]:
    if header_row <= 1:
        return ()
    return (
        Problem(
            source,
            None,
            None,
            None,
            f"{header_row - 1} row(s) above the header (a title) were skipped; the header "
            f"is row {header_row}",
            severity="warning",
            code="title_rows",
        ),
    )


def _finish(
    source: str,
    df: pd.DataFrame,
    first_data_row: int,
    *,
    allow_empty: bool = False,
    notes: tuple[Problem, ...] = (),
    from_workbook: bool = False,
    date_cells: frozenset[str] = frozenset(),
    quoted: bool = True,
    sheet: str | None = None,
) -> RawTable:
    if (two := second_header(df, source, first_data_row)) is not None:
        raise InputDataError([two])
    df, unnamed = drop_unnamed(df, source, first_data_row, sheet)
    notes = (*notes, *unnamed)
    original: dict[str, str] = {}
    renamed: list[str] = []
    problems: list[Problem] = []
    for col in df.columns:
        label = str(col).strip()
        key = label.lower()
        if key in original:
            problems.append(
                Problem(source, 1, label, None, "column appears twice", code="duplicate_column")
            )
        original[key] = label
        renamed.append(key)
    if problems:
        raise InputDataError(problems)
    df.columns = pd.Index(renamed)
    data = df.astype("string").apply(lambda s: s.str.strip())
    if quoted and not from_workbook:  # the apostrophe our CSVs put before formula-like text
        data = data.apply(unquote_formula_text)
    if not from_workbook:  # ="00123", as exports keep leading zeros
        data, said = text_formulas(data, source)
        notes = (*notes, *said)
    data, marked = text_marks(data, source, original)  # '100314, forced to text for Excel
    notes = (*notes, *marked)
    data = data.mask(data == "")
    # Blank rows are dropped but the index keeps each row's position in the file,
    # so row numbers in messages stay true.
    data = data.dropna(how="all")
    if data.empty and not allow_empty:
        raise _fail(source, "has a header row but no data rows")
    return RawTable(
        source,
        data,
        original,
        first_data_row,
        notes=notes,
        from_workbook=from_workbook,
        date_cells=frozenset(date_cells),
    )


def frame_table(frame: pd.DataFrame, source: str) -> RawTable:
    """A table built in code (a notebook's DataFrame) read like a file, so it is checked
    like one: each cell as its text; rows numbered by position from 0, as ``iloc``."""
    return _finish(source, frame.reset_index(drop=True), 0)


def read_csv_table(path: Path, source: str | None = None, *, allow_empty: bool = False) -> RawTable:
    """Read a CSV file as strings.

    ``allow_empty`` accepts a header row with no data rows (a 903 table for a year with
    no such children); otherwise that is an error.
    """
    source = source or str(path)
    raw = path.read_bytes()
    if not raw.strip():
        raise _fail(source, "is empty")
    if raw[:2] == b"PK":
        raise _fail(source, "is an Excel workbook or zip archive with a .csv name; rename it .xlsx")
    text, decoded = _decode(raw, source)
    sep = delimiter(text.splitlines()[: _TITLE_ROWS_MAX + 1])
    head_lines = text.splitlines()[: _TITLE_ROWS_MAX + 1]
    try:
        skip = header_row_index(list(csv.reader(head_lines, delimiter=sep)))
    except csv.Error:
        skip = 0
    try:
        df, wide = _read_csv(text, skip, sep=sep)
    except (pd.errors.ParserError, csv.Error) as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if m is None:
            first_line = str(exc).strip().splitlines()[0]
            raise _fail(source, f"is not a well-formed CSV ({first_line})") from None
        # a row with more cells than the header (an unquoted comma in a value): read its
        # first cells; the row is set aside below, not the file
        df, wide = _read_csv(text, skip, width=int(m.group(1)), sep=sep)[0], True
    extra = _extra_cells(text, skip, len(df.columns), source, sep) if wide else []
    notes = (*decoded, *_title_note(source, skip + 1))  # quoted: a cell may hold our apostrophe
    if sep != ",":
        notes = (read_note(source, sep), *notes)
    table = _finish(source, df, skip + 2, allow_empty=allow_empty, notes=notes,
                    quoted="'" in text)  # fmt: skip
    return replace(table, row_errors=tuple(extra), delimiter=sep)


def _read_csv(
    text: str, skip: int, width: int | None = None, sep: str = ","
) -> tuple[pd.DataFrame, bool]:
    """The CSV's cells as text below its header, and whether a row is wider than it; with
    ``width``, rows wider than that are cut to it (their extra cells checked by
    :func:`_extra_cells`)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        # index_col=False: rows with more cells than the header (a trailing comma on each
        # row) would otherwise make the first columns an index, shifting every value left
        cut: dict[str, Any] = (
            {} if width is None else {"engine": "python", "on_bad_lines": lambda r: r[:width]}
        )
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                         skip_blank_lines=False, skiprows=skip, index_col=False,
                         sep=sep, **cut)  # fmt: skip
    return df, any(issubclass(w.category, pd.errors.ParserWarning) for w in caught)


def _extra_cells(text: str, skip: int, width: int, source: str, sep: str) -> list[Problem]:
    """Rows with more cells than the header: blank extra cells (a trailing comma) are
    dropped; any that hold something are an error of that row, as which of its cells
    shifted is unknown: the readers set the row aside (one unquoted comma stopped every
    job reading the file)."""
    problems = []
    for i, row in enumerate(csv.reader(io.StringIO(text), delimiter=sep)):
        if i > skip and len(row) > width and any(c.strip() for c in row[width:]):
            problems.append(
                Problem(
                    source, i + 1, None, None,
                    f"row has {len(row)} cells but the header has {width} columns, and the "
                    "cells past the last column are not blank (an unquoted comma in a "
                    "value?): which value is in which column is unknown",
                    code="extra_cells",
                )
            )  # fmt: skip
    return problems


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        # the number as Excel shows it (1234567890123450000), not its binary expansion
        # (1234567890123449856): past 2**53 the two differ, and an identifier Excel
        # rounded to 15 digits is then told by its zeros (cells.excel_rounded)
        return str(int(Decimal(repr(value))))
    return str(value)


#: Columns of a worksheet read at most (far more than any table here has); Excel's rows.
_XLSX_MAX_COLUMNS, _XLSX_MAX_ROWS = 256, 1_048_576


def _rows_as_found(ws: Any, source: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The rows of a read-only sheet holding a value, with their position (0 for the first),
    at most 256 cells wide: read as found, not at the size the sheet declares (openpyxl
    pads rows to it: a 5 KB workbook declaring A1:XFD1048576 took gigabytes of memory)."""
    ws.reset_dimensions()
    for i, row in enumerate(ws.iter_rows(values_only=True, max_col=_XLSX_MAX_COLUMNS)):
        if i >= _XLSX_MAX_ROWS:
            raise _fail(source, f"has more than {_XLSX_MAX_ROWS:,} rows, Excel's limit: "
                        "is the workbook damaged?")  # fmt: skip
        if row.count(None) != len(row):
            yield i, row


def read_xlsx_tables(path: Path, *, allow_empty: bool = False) -> list[RawTable]:
    """Read every non-empty sheet of a workbook as a table, past any title rows above the header.

    Real date cells become DD/MM/YYYY text and are remembered per column
    (:attr:`RawTable.date_cells`); whole numbers lose their ``.0``.
    """
    from openpyxl import load_workbook

    source = str(path)
    if (refused := too_large(path)) is not None:
        raise _fail(source, refused)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # BadZipFile, KeyError, ...: openpyxl raises many types for corrupt parts
        # said without the exception's name (BadZipFile), which means nothing to its reader
        raise _fail(source, "is not a readable Excel workbook (damaged, or another kind of "
                    "file named .xlsx): open it in Excel and save it again") from None  # fmt: skip
    tables: list[RawTable] = []
    try:
        for ws in wb.worksheets:
            found = _rows_as_found(ws, source)
            head: dict[int, tuple[Any, ...]] = {}  # the first rows holding text
            for i, row in found:
                if head or any(_cell_text(v).strip() for v in row):
                    head[i] = row
                    if i >= next(iter(head)) + _TITLE_ROWS_MAX:
                        break
            if not head:
                continue
            first = next(iter(head))
            window = range(first, min(max(head), first + _TITLE_ROWS_MAX) + 1)
            top = [[_cell_text(v) for v in head.get(i, ())] for i in window]
            header_at = first + header_row_index(top)
            header = top[header_at - first]
            width = max((i + 1 for i, c in enumerate(header) if c.strip()), default=0)
            if width >= _XLSX_MAX_COLUMNS:
                raise _fail(source, f"has a header {_XLSX_MAX_COLUMNS} or more columns wide; "
                            "no table read here has so many: is it the right sheet?")  # fmt: skip
            index, body, dates = [], [], set()  # row positions, their text, date columns
            full = width  # cells right of the last named column are read, to be reported
            for i, row in chain(sorted(head.items()), found):
                if i <= header_at:
                    continue
                cells = [_cell_text(v) for v in row]
                while cells and not cells[-1].strip():
                    cells.pop()
                if i <= header_at + 200:  # real date cells, by column
                    dates |= {j for j, v in enumerate(row[:width]) if isinstance(v, dt.date)}
                body.append(cells)
                full = max(full, len(cells))
                index.append(i - header_at - 1)  # its position: blank rows are not kept
            dated = frozenset(header[j].strip().lower() for j in dates)
            columns = (header + [""] * full)[:full]
            df = pd.DataFrame([c + [""] * (full - len(c)) for c in body], columns=columns,
                              dtype=str, index=pd.Index(index, dtype="int64"))  # fmt: skip
            name = f"{source}[{ws.title}]" if len(wb.worksheets) > 1 else source
            part = getattr(ws, "_worksheet_path", None)  # a filter's hidden rows are read
            df, notes = fill_merged(df, merged_down(path, part), header_at + 2, name)
            notes += _title_note(name, header_at + 1) if header_at > first else ()
            held = {header_at + 2 + j for j in index}  # rows read, as Excel numbers them
            notes += hidden_note(name, ws.title, [r for r in hidden_rows(path, part) if r in held],
                                 hidden_columns(path, part, header))  # fmt: skip
            table = _finish(name, df, header_at + 2, allow_empty=allow_empty, notes=notes,
                            from_workbook=True, date_cells=dated, sheet=ws.title)  # fmt: skip
            calc = {(r, columns[c - 1].strip().lower()) for r, c in uncalculated_cells(path, part)
                    if r in held and c <= full and columns[c - 1].strip()}  # fmt: skip
            # Excel for Mac's 1904 date system: its serial numbers count from 1 January 1904
            tables.append(replace(table, excel_1904=wb.epoch.year == 1904,
                                  uncalculated=frozenset(calc)))  # fmt: skip
    finally:
        wb.close()
    if not tables:
        raise _fail(source, "is an empty workbook")
    return tables


def read_tables(path: Path, *, allow_empty: bool = False) -> list[RawTable]:
    """Read a CSV (one table) or XLSX (one table per non-empty sheet).

    ``allow_empty`` accepts tables with a header row and no data rows.
    """
    suffix = path.suffix.lower()
    if not path.exists():
        raise _fail(str(path), "does not exist")
    if path.is_dir():
        raise _fail(str(path), "is a folder, not a file")
    try:  # a file this account may not read was a PermissionError traceback
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise _fail(str(path), unreadable(exc)) from None
    if suffix in XLSX_SUFFIXES:
        return read_xlsx_tables(path, allow_empty=allow_empty)
    if suffix in CSV_SUFFIXES:
        return [read_csv_table(path, allow_empty=allow_empty)]
    raise _fail(str(path), f"has extension {suffix or '(none)'}; expected .csv, .txt or .tsv "
                "(a table as text) or .xlsx (an Excel workbook)")  # fmt: skip


# --- Tonight's inputs: bad rows set aside -------------------------------------------

#: Columns of the set-aside list (``summary.json``, the report, the console).
SET_ASIDE_COLUMNS: tuple[str, ...] = ("file", "row", "id", "problem")
#: The code of a row that is no record (a total, notes or repeated header row: see
#: :mod:`sufficiency.io.stray_rows`): set aside with no ID, its first cell being no ID.
NOT_A_RECORD = "not_a_record"
#: The code of a row whose ID cannot be one (a name: :mod:`sufficiency.io.id_shape`).
NOT_AN_ID = "not_an_id"


@dataclass(frozen=True, eq=False)
class NightTable:
    """Tonight's referrals or register: the rows to match and the rows set aside.

    Attributes
    ----------
    table
        The rows without errors, typed and indexed from 0.
    set_aside
        One row per input row set aside (:data:`SET_ASIDE_COLUMNS`): the file, its
        spreadsheet row, the child's or placement's ID (blank when it is the problem)
        and every problem of the row in one sentence.
    problems
        Every problem found, warnings included.
    """

    table: pd.DataFrame
    set_aside: pd.DataFrame
    problems: tuple[Problem, ...]


def duplicate_message(name: str, others: list[int]) -> str:
    """What a row whose ``name`` is repeated says: the other rows holding the value."""
    return f"duplicate {name}: also on row(s) {', '.join(map(str, others))}"


def row_problems(found: list[Problem]) -> str:
    """A set-aside row's problems in one sentence: ``column: what is wrong (value 'x')``."""
    return "; ".join(
        f"{p.column}: {p.message}" + (f" (value {p.value!r})" if p.value else "")
        if p.column else p.message
        for p in found
    )  # fmt: skip


def first_rows(said: list[str], shown: int = 5) -> str:
    """The first ``shown`` of the rows set aside, each said, and how many more."""
    more = f"; and {len(said) - shown:,} more" if len(said) > shown else ""
    return "; ".join(said[:shown]) + more


def split_rows(
    raw: RawTable, table: pd.DataFrame, problems: list[Problem], id_col: str, strict: bool
) -> NightTable:
    """Set aside every row with an error; refuse when an error concerns the whole file
    (a column missing or misnamed) or, with ``strict``, any error at all."""
    errors = [p for p in problems if p.severity == "error"]
    index_of_row = {raw.row_number(int(i)): i for i in table.index}
    whole = [p for p in errors if p.row not in index_of_row]
    if whole or (strict and errors):
        raise InputDataError(problems)
    bad: dict[object, list[Problem]] = {}
    repeated = any(p.code == "duplicate_id" for p in errors)  # IDs folded once, not a row
    ids_folded = folded(table[id_col]) if repeated else pd.Series(dtype="string")
    for p in errors:
        idx = index_of_row[int(p.row or 0)]
        rows = [idx]
        if p.code == "duplicate_id" and pd.notna(table.at[idx, id_col]):
            # which copy is right is unknown: every copy is set aside, each naming the others
            same = (ids_folded == fold_id(table.at[idx, id_col])).fillna(False)
            rows = list(table.index[same.to_numpy(bool)])
            nums = [raw.row_number(int(r)) for r in rows]
            spelt = spellings_note(table.loc[rows, id_col])
            for r, num in zip(rows, nums, strict=True):
                others = [n for n in nums if n != num]
                message = duplicate_message(id_col, others) + spelt
                value = shown_id(table.at[r, id_col]) if spelt else p.value
                bad.setdefault(r, []).append(replace(p, row=num, message=message, value=value))
            continue
        for r in rows:
            bad.setdefault(r, []).append(p)
    records = []
    for idx in sorted(bad, key=lambda i: int(i)):  # type: ignore[call-overload]
        found = bad[idx]
        ident = table.at[idx, id_col]
        if any(p.code in (NOT_A_RECORD, NOT_AN_ID) for p in found):  # its first cell no ID
            ident = None
        records.append({
            "file": raw.source, "row": raw.row_number(int(idx)),  # type: ignore[call-overload]
            "id": None if pd.isna(ident) else str(ident), "problem": row_problems(found),
        })  # fmt: skip
    kept = table.drop(index=list(bad)).reset_index(drop=True)
    aside = pd.DataFrame(records, columns=list(SET_ASIDE_COLUMNS))
    # a row without an ID stays None: a text column would make it NaN ("(nan)" on the
    # console, NaN in summary.json, which is not JSON)
    aside["id"] = pd.Series([r["id"] for r in records], index=aside.index, dtype=object)
    return NightTable(kept, aside, tuple(sorted(problems, key=Problem.sort_key)))


#: How database exports write an empty cell (SQL Server ``NULL``, Oracle ``(null)``,
#: pandas ``NaT``, R's ``write.csv`` ``NA``): none is a value of any 903 field.
_NULL_WORDS = frozenset({"null", "(null)", "nat", "nan", "none", "na"})


def blank_nulls(raw: RawTable) -> tuple[RawTable, list[Problem]]:
    """``raw`` with cells reading ``NULL`` (any case), ``(null)``, ``NaT``, ``nan``, ``NA``
    or ``None`` made blank.

    A database export writes an open episode's end date as ``NULL``, a Python tool as
    ``nan`` or ``None``; read as written it is not a date, and the episode would be set
    aside. One warning per file says so.
    """
    data = raw.data
    hit = data.apply(lambda s: s.str.lower().isin(_NULL_WORDS).fillna(False))
    if not hit.to_numpy(bool).any():
        return raw, []
    cols = [raw.column_label(c) for c in data.columns[hit.any().to_numpy(bool)]]
    word = str(data.to_numpy(object)[hit.to_numpy(bool)][0])
    shown = ", ".join(cols[:4]) + (f" and {len(cols) - 4} more" if len(cols) > 4 else "")
    note = Problem(raw.source, None, None, None,
                   f"writes empty cells as {word} (in {shown}), as database exports and "
                   "Python tools do; read as blank", severity="warning",
                   code="null_blanks")  # fmt: skip
    return replace(raw, data=data.mask(hit)), [note]
