"""Read a CSV or XLSX file into a table of strings, or say in one sentence why not.

Everything is read as text so that validation sees exactly what the user wrote;
parsing into dates and numbers happens in the schemas. Column names are matched
case-insensitively and stripped of surrounding spaces.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sufficiency.errors import InputDataError, Problem

#: Extensions we read.
CSV_SUFFIXES = frozenset({".csv", ".txt"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
_ENCODINGS = ("utf-8-sig", "cp1252")


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
    """

    source: str
    data: pd.DataFrame
    original_columns: dict[str, str]
    first_data_row: int = 2

    def row_number(self, index: int) -> int:
        """Spreadsheet row number for an index label of ``data``."""
        return self.first_data_row + int(index)

    def column_label(self, name: str) -> str:
        """The column name as the user wrote it."""
        return self.original_columns.get(name, name)


def _fail(source: str, message: str) -> InputDataError:
    return InputDataError([Problem(source, None, None, None, message, code="malformed_file")])


def _decode(raw: bytes, source: str) -> str:
    if b"\x00" in raw[:8192]:
        raise _fail(source, "is a binary file, not a CSV; save it as CSV (comma-separated) or XLSX")
    for enc in _ENCODINGS:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise _fail(source, "cannot be decoded as text; save it as CSV UTF-8")  # pragma: no cover


def _check_delimiter(text: str, source: str) -> None:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if "," in first:
        return
    for delim, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")):
        if first.count(delim) >= 1:
            raise _fail(
                source,
                f"uses {name} between columns, not commas; save it as CSV (comma-separated)",
            )


def _finish(source: str, df: pd.DataFrame, first_data_row: int) -> RawTable:
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
    data = data.mask(data == "")
    # Blank rows are dropped but the index keeps each row's position in the file,
    # so row numbers in messages stay true.
    data = data.dropna(how="all")
    if data.empty:
        raise _fail(source, "has a header row but no data rows")
    return RawTable(source, data, original, first_data_row)


def read_csv_table(path: Path, source: str | None = None) -> RawTable:
    """Read a CSV file as strings."""
    source = source or str(path)
    raw = path.read_bytes()
    if not raw.strip():
        raise _fail(source, "is empty")
    if raw[:2] == b"PK":
        raise _fail(source, "is an Excel workbook or zip archive with a .csv name; rename it .xlsx")
    text = _decode(raw, source)
    _check_delimiter(text, source)
    try:
        df = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if m:
            raise InputDataError(
                [
                    Problem(
                        source, int(m.group(2)), None, None,
                        f"row has {m.group(3)} cells but the header has {m.group(1)} columns "
                        "(an unquoted comma in a value?)",
                        code="malformed_file",
                    )
                ]
            ) from None  # fmt: skip
        first_line = str(exc).strip().splitlines()[0]
        raise _fail(source, f"is not a well-formed CSV ({first_line})") from None
    return _finish(source, df, 2)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx_tables(path: Path) -> list[RawTable]:
    """Read every non-empty sheet of a workbook as a table (header in its first non-empty row)."""
    from openpyxl import load_workbook

    source = str(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _fail(source, f"is not a readable Excel workbook ({type(exc).__name__})") from None
    except Exception as exc:  # openpyxl raises many types for corrupt parts
        raise _fail(source, f"is not a readable Excel workbook ({type(exc).__name__})") from None
    tables: list[RawTable] = []
    try:
        for ws in wb.worksheets:
            rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            header_at = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), None)
            if header_at is None:
                continue
            header = rows[header_at]
            width = max((i + 1 for i, c in enumerate(header) if c.strip()), default=0)
            body = [r[:width] + [""] * (width - len(r[:width])) for r in rows[header_at + 1 :]]
            df = pd.DataFrame(body, columns=header[:width], dtype=str)
            name = f"{source}[{ws.title}]" if len(wb.worksheets) > 1 else source
            tables.append(_finish(name, df, header_at + 2))
    finally:
        wb.close()
    if not tables:
        raise _fail(source, "is an empty workbook")
    return tables


def read_tables(path: Path) -> list[RawTable]:
    """Read a CSV (one table) or XLSX (one table per non-empty sheet)."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise _fail(str(path), "does not exist")
    if path.is_dir():
        raise _fail(str(path), "is a folder, not a file")
    if suffix in XLSX_SUFFIXES:
        return read_xlsx_tables(path)
    if suffix in CSV_SUFFIXES:
        return [read_csv_table(path)]
    raise _fail(str(path), f"has extension {suffix or '(none)'}; expected .csv or .xlsx")
