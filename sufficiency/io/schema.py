"""Table contracts: field specifications enforced with pandera, then typed normalisation.

A :class:`TableSchema` lists its :class:`Field` s. :func:`check_table` validates a
:class:`~sufficiency.io.tables.RawTable` against it, collecting *every* problem
(missing and unknown columns, blanks in required cells, unparseable numbers and
dates, values outside code lists, duplicates) with file, row and column, and
returns the table converted to typed, canonical columns.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from sufficiency.errors import Problem, Severity
from sufficiency.geo import is_sector, is_wellformed, normalise_postcodes
from sufficiency.io.cells import (
    DECIMAL_COMMA,
    FLAG_ERROR,
    FLAG_VALUES,
    excel_errors,
    parse_numbers,
    said_once,
)
from sufficiency.io.dates import (
    EXCEL_DATE_CELLS,
    ISO_DATES,
    OUT_OF_RANGE,
    WRONG_WEEKDAY,
    dates_any_year,
    in_range,
    normalise_dates,
    wrong_weekday,
)
from sufficiency.io.ids import folded, shown_id, spellings_note
from sufficiency.io.shape import quoted
from sufficiency.io.tables import RawTable, duplicate_message, read_tables

Kind = Literal["text", "int", "number", "date", "code", "codes", "flag", "postcode"]

DMY, DMY_OR_ISO = ("%d/%m/%Y",), ("%d/%m/%Y", "%Y-%m-%d")


@dataclass(frozen=True)
class Field:
    """One column of an input contract.

    ``choices`` maps each accepted spelling (lower case) to the canonical value.
    ``sensitive`` columns (dates of birth, postcodes) never have their values
    echoed in messages: the value's shape is shown instead (``99/99/9999``).
    """

    name: str
    kind: Kind
    description: str
    required: bool = False
    nullable: bool = True
    choices: Mapping[str, str] | None = None
    min_value: float | None = None
    max_value: float | None = None
    aliases: tuple[str, ...] = ()
    sensitive: bool = False
    date_formats: tuple[str, ...] = DMY_OR_ISO
    default: Any = None
    #: A flag whose blank (or missing column) means "not known" (nullable boolean NA),
    #: not N: where a wrong "no" would be unsafe (a home's pets).
    blank_unknown: bool = False
    #: A postcode that may be a sector (``W11 2``), as regional pipelines share 903
    #: returns: accepted where nothing needs the full postcode (read as not known).
    sector_ok: bool = False


@dataclass(frozen=True)
class TableSchema:
    """An input contract: its fields and which columns must be unique."""

    name: str
    fields: tuple[Field, ...]
    unique: tuple[str, ...] = ()
    unknown_columns: Severity = "warning"
    #: The ID column of a table about children: a bad value elsewhere is shown by shape.
    child_id: str | None = None
    #: Severity of an unknown column whose name is close to a known field's (a typo
    #: that would otherwise drop the field silently); ``None`` treats it as unknown.
    close_columns: Severity | None = None
    description: str = ""
    _by_key: dict[str, Field] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for f in self.fields:
            for key in (f.name, *f.aliases):
                self._by_key[column_key(key)] = f

    def field_for(self, column: str) -> Field | None:
        return self._by_key.get(column_key(column))

    def resembles(self, column: str) -> Field | None:
        """The field whose name or alias ``column`` is a near miss of, if any."""
        key = column_key(column)
        if not key:
            return None
        best = difflib.get_close_matches(key, list(self._by_key), n=1, cutoff=0.8)
        return self._by_key[best[0]] if best else None

    def personal(self, f: Field | None) -> bool:
        """Whether a bad value of ``f`` is shown by its shape only (see ``child_id``)."""
        return f is not None and (f.sensitive or self.child_id not in (None, f.name))

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)


def column_key(name: str) -> str:
    """Case- and punctuation-insensitive key for matching column names and aliases."""
    return re.sub(r"[^a-z0-9<>]+", "_", name.strip().lower()).strip("_")


# --- Parsing ---------------------------------------------------------------------


def _dates_any_year(s: pd.Series, formats: tuple[str, ...]) -> pd.Series:
    """Strings read with the first matching format, whatever the year; unparseable -> NaT."""
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]")
    for fmt in formats:
        todo = out.isna() & s.notna()
        if not todo.any():
            break
        out[todo] = dates_any_year(s[todo], fmt)
    return out


def parse_dates(s: pd.Series, formats: tuple[str, ...]) -> pd.Series:
    """Parse strings with the first matching format; unparseable, or a year outside
    1900 to 2099 (:data:`~sufficiency.io.dates.FIRST_DAY`), -> NaT."""
    d = _dates_any_year(s, formats)
    return d.where(in_range(d)).astype("datetime64[ns]")


def code_key(s: pd.Series) -> pd.Series:
    """A code as its choices are keyed: lower case, and a numeric code saved as a decimal
    (``1.0``, as pandas writes a number column with blanks: LIIA tools' merged files, the
    CSC data synthesiser) read as the whole number."""
    return s.str.lower().str.replace(r"^(\d+)\.0+$", r"\1", regex=True)


def split_codes(s: pd.Series) -> pd.Series:
    """Semicolon (or comma) separated lists -> lists of stripped lower-case items."""
    return (
        s.astype("string")
        .str.lower()
        .str.split(r"[;,]", regex=True)
        .map(
            lambda xs: [x.strip() for x in xs if x.strip()] if isinstance(xs, list) else [],
            na_action=None,
        )
    )


# --- Validation -----------------------------------------------------------------


def _checks(f: Field) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if f.kind == "int":
        checks.append(
            pa.Check(lambda s: s.str.fullmatch(r"[+-]?\d+(\.0+)?"), error="is not a whole number")
        )
    elif f.kind == "number":
        checks.append(pa.Check(lambda s: parse_numbers(s).notna() | s.str.fullmatch(DECIMAL_COMMA),
                               error="is not a number"))  # fmt: skip
        checks.append(pa.Check(lambda s: ~s.str.fullmatch(DECIMAL_COMMA),
                               error="has a decimal comma: write the decimal point as a full "
                               "stop (691.21, not 691,21); a comma is read only between "
                               "thousands"))  # fmt: skip
    elif f.kind == "date":
        fmts = " or ".join(x.replace("%d", "DD").replace("%m", "MM").replace("%Y", "YYYY")
                           for x in f.date_formats)  # fmt: skip
        checks += [
            pa.Check(lambda s, _f=f.date_formats: _dates_any_year(s, _f).notna() | wrong_weekday(s),
                     error=f"is not a date in the form {fmts}"),
            pa.Check(lambda s: ~wrong_weekday(s), error=WRONG_WEEKDAY),
            pa.Check(lambda s, _f=f.date_formats: ~((d := _dates_any_year(s, _f)).notna()
                                                    & ~in_range(d)), error=OUT_OF_RANGE),
        ]  # fmt: skip
    elif f.kind == "code" and f.choices is not None:
        keys = set(f.choices)
        shown = ", ".join(sorted(dict.fromkeys(f.choices.values())))
        checks.append(
            pa.Check(lambda s, _k=keys: code_key(s).isin(_k), error=f"must be one of: {shown}")
        )
    elif f.kind == "codes" and f.choices is not None:
        keys = set(f.choices)
        shown = ", ".join(sorted(dict.fromkeys(f.choices.values())))
        checks.append(
            pa.Check(
                lambda s, _k=keys: split_codes(s).map(lambda xs: all(x in _k for x in xs)),
                error=f"lists a value that is not one of: {shown} (separate items with ;)",
            )
        )
    elif f.kind == "flag":
        checks.append(pa.Check(lambda s: s.str.lower().isin(FLAG_VALUES), error=FLAG_ERROR))
    elif f.kind == "postcode":
        checks.append(
            pa.Check(
                lambda s, _sector=f.sector_ok: (
                    is_wellformed(normalise_postcodes(s)) | (is_sector(s) if _sector else False)
                ),
                error="is not a UK postcode in the form AA9 9AA",
            )
        )
    if f.kind in ("int", "number"):
        if f.min_value is not None:
            checks.append(
                pa.Check(
                    lambda s, _m=f.min_value: ~(parse_numbers(s) < _m).fillna(False),
                    error=f"must be at least {f.min_value:g}",
                )
            )
        if f.max_value is not None:
            checks.append(
                pa.Check(
                    lambda s, _m=f.max_value: ~(parse_numbers(s) > _m).fillna(False),
                    error=f"must be at most {f.max_value:g}",
                )
            )
    return checks


def _convert(f: Field, s: pd.Series) -> pd.Series:
    if f.kind == "int":
        n = parse_numbers(s)
        n = n.where(n.notna() & (n == n.round()))
        out = n.astype("Int64")
        return out.fillna(f.default) if f.default is not None else out
    if f.kind == "number":
        out = parse_numbers(s)
        return out.fillna(f.default) if f.default is not None else out
    if f.kind == "date":
        return parse_dates(s, f.date_formats)
    if f.kind == "code":
        assert f.choices is not None
        out = code_key(s).map(f.choices).astype("string")
        return out.fillna(f.default) if f.default is not None else out
    if f.kind == "codes":
        assert f.choices is not None
        ch = f.choices
        return split_codes(s).map(lambda xs: tuple(sorted({ch[x] for x in xs if x in ch})))
    if f.kind == "flag":
        out = s.str.lower().map(FLAG_VALUES)
        if f.blank_unknown:
            return out.astype("boolean")
        default = bool(f.default) if f.default is not None else False
        return out.fillna(default).astype(bool)
    if f.kind == "postcode":
        compact = normalise_postcodes(s)
        good = is_wellformed(compact)
        display = compact.str[:-3] + " " + compact.str[-3:]
        return display.where(good).astype("string")
    out = s.astype("string")
    return out.fillna(f.default) if f.default is not None else out


def check_table(raw: RawTable, schema: TableSchema) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate ``raw`` against ``schema``; return the typed table and every problem found.

    The returned frame has one column per field (absent optional fields filled with
    their default) and keeps ``raw``'s index, so ``raw.row_number(i)`` names a row.
    Cells that failed a check become missing values in the returned frame.
    """
    problems: list[Problem] = list(raw.row_errors)  # a row with more cells than the header
    src = raw.source
    mapping: dict[str, Field] = {}
    headerless = not any(schema.field_for(c) is not None for c in raw.data.columns)
    if headerless:  # the first row is data (an export without its header row): its cells,
        problems.append(  # a child's name, date of birth or address, are not listed
            Problem(src, None, None, None,
                    f"has none of the columns of a {schema.name} file: if its first row is "
                    "data (the header row left out), add the header row (its "
                    f"{len(raw.data.columns):,} cells are not listed here, as they may be a "
                    "child's details)",
                    severity=schema.unknown_columns, code="no_known_columns")
        )  # fmt: skip
    for col in raw.data.columns if not headerless else ():
        f = schema.field_for(col)
        near = schema.resembles(col) if f is None and schema.close_columns else None
        if near is not None and any(schema.field_for(c) is near for c in raw.data.columns):
            near = None  # the field is there under its own name: this is another column
        if near is not None and schema.close_columns is not None:
            problems.append(
                raw.problem(
                    None,
                    col,
                    None,
                    f"is not a known column for a {schema.name} file but resembles "
                    f"{near.name!r}"
                    + (f" ({near.aliases[0]!r})" if near.aliases else "")
                    + f"; rename it to {near.name} if that is what it holds, or remove it",
                    severity=schema.close_columns,
                    code="close_column",
                )
            )
        elif f is None:
            problems.append(
                raw.problem(
                    None,
                    col,
                    None,
                    f"unknown column for a {schema.name} file; it is ignored"
                    if schema.unknown_columns == "warning"
                    else f"unknown column for a {schema.name} file",
                    severity=schema.unknown_columns,
                    code="unknown_column",
                )
            )
        elif f.name in {g.name for g in mapping.values()}:
            problems.append(
                raw.problem(
                    None,
                    col,
                    None,
                    f"is another name for column {f.name}, which is already present",
                    code="duplicate_column",
                )
            )
        else:
            mapping[col] = f
    present = {f.name for f in mapping.values()}
    for f in schema.fields:
        if f.required and f.name not in present:
            problems.append(
                Problem(
                    src,
                    None,
                    f.name,
                    None,
                    f"required column is missing from this {schema.name} file",
                    code="missing_column",
                )
            )

    data, failed, found = excel_errors(raw, mapping, schema.child_id)  # #N/A: said, blank
    problems += found
    fields = {f.name: f for f in mapping.values()}
    columns = {
        name: pa.Column("string", _checks(f), nullable=f.nullable or not f.required, required=True)
        for name, f in fields.items()
    }
    try:
        pa.DataFrameSchema(columns, coerce=False).validate(data, lazy=True)
    except SchemaErrors as exc:
        fc = exc.failure_cases
        for rec in said_once(fc.to_dict("records"), failed):
            name = rec.get("column")
            f = fields.get(str(name)) if name is not None else None
            idx = rec.get("index")
            check = str(rec.get("check"))
            value = rec.get("failure_case")
            if check == "not_nullable":
                msg, value = "is blank but a value is required", None
            else:
                msg = check
            shown = None if value is None or pd.isna(value) else quoted(value, schema.personal(f))
            problems.append(
                Problem(
                    src,
                    raw.row_number(int(idx)) if idx is not None and not pd.isna(idx) else None,
                    raw.column_label(mapping_key(mapping, str(name))) if name else None,
                    shown,
                    msg,
                    code="invalid_value",
                )
            )

    out = pd.DataFrame(index=data.index)
    for f in schema.fields:
        if f.name in data.columns:
            out[f.name] = _convert(f, data[f.name])
        else:
            out[f.name] = _default_column(f, data.index)
    for name in schema.unique:
        if name in data.columns:
            problems.extend(duplicate_problems(raw, out, name, mapping))
    return out, problems


def mapping_key(mapping: dict[str, Field], field_name: str) -> str:
    """The raw column that was mapped onto ``field_name`` (or the name itself)."""
    return next((c for c, f in mapping.items() if f.name == field_name), field_name)


def _default_column(f: Field, index: pd.Index) -> pd.Series:
    n = len(index)
    if f.kind == "codes":
        return pd.Series([() for _ in range(n)], index=index, dtype=object)
    if f.kind == "flag" and f.blank_unknown:
        return pd.Series(pd.NA, index=index, dtype="boolean")
    if f.kind == "flag":
        return pd.Series(bool(f.default) if f.default is not None else False, index=index)
    if f.kind == "date":
        return pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    if f.kind == "int":
        return pd.Series(f.default if f.default is not None else pd.NA, index=index, dtype="Int64")
    if f.kind == "number":
        return pd.Series(
            f.default if f.default is not None else np.nan, index=index, dtype="Float64"
        )
    return pd.Series(f.default if f.default is not None else pd.NA, index=index, dtype="string")


def duplicate_problems(
    raw: RawTable, table: pd.DataFrame, name: str, mapping: dict[str, Field] | None = None
) -> list[Problem]:
    """One error per repeated value of ``name``, listing every row it appears on."""
    col, key = table[name], folded(table[name])  # R014 beside r014: one ID, as matching reads
    dup = key[key.notna() & key.duplicated(keep=False)]
    label = raw.column_label(mapping_key(mapping, name)) if mapping else raw.column_label(name)
    out = []
    for rows in dup.groupby(dup, sort=True).groups.values():
        nums, value = [raw.row_number(int(i)) for i in rows], col.loc[rows[0]]
        out.append(
            Problem(
                raw.source,
                nums[0],
                label,
                shown_id(value),
                duplicate_message(name, nums[1:]) + spellings_note(col.loc[rows]),
                code="duplicate_id",
            )
        )
    return out


def _dates_normalised(raw: RawTable, schema: TableSchema) -> RawTable:
    """``raw`` with its date columns in forms other tools write (a time after the date, a
    two-digit year, the month's name, Excel serials in a workbook) read as DD/MM/YYYY, as
    a 903 return's are, each form noted once. A referral whose DOB a database export
    wrote 2012-12-22 00:00:00 was set aside. Neither a plain ISO date, which the contracts
    read, nor an Excel date cell is noted."""
    dates = [c for c in raw.data.columns if (f := schema.field_for(c)) and f.kind == "date"]
    if not dates:
        return raw
    out, notes = normalise_dates(raw, tuple(dates))
    iso_read = all("%Y-%m-%d" in f.date_formats for f in schema.fields if f.kind == "date")
    quiet = {EXCEL_DATE_CELLS.code, *([ISO_DATES.code] if iso_read else [])}
    notes = [n for n in notes if n.code not in quiet]
    return replace(out, notes=(*out.notes, *notes))


def read_single_table(
    path: Path | str, schema: TableSchema, *, allow_empty: bool = False
) -> RawTable:
    """Read a CSV, or the sheet of a workbook whose columns best fit ``schema`` (the first
    of equals). Other sheets with columns of ``schema`` are named in a warning in the
    table's ``notes``: a workbook holding tonight's referrals and an old copy must not
    have one read in silence."""
    tables = [
        _dates_normalised(t, schema) for t in read_tables(Path(path), allow_empty=allow_empty)
    ]
    if len(tables) == 1:
        return tables[0]
    fits = [sum(schema.field_for(c) is not None for c in t.data.columns) for t in tables]
    best = tables[fits.index(max(fits))]

    def sheet(t: RawTable) -> str:  # a sheet's source is "file[sheet]"
        return t.source[t.source.rindex("[") + 1 : -1]

    sheets = [sheet(t) for t, n in zip(tables, fits, strict=True) if n]
    if len(sheets) < 2:
        return best
    why = "the best fit" if fits.count(max(fits)) == 1 else "the first"
    note = Problem(
        str(path), None, None, None,
        f"has {len(sheets)} sheets that read as {schema.name}: {', '.join(sheets)}; only "
        f"{sheet(best)} is read ({why} of them); delete or rename the other "
        f"{'sheet' if len(sheets) == 2 else 'sheets'} if it is not "
        + ("tonight's" if schema.unique else "the one to use"),  # a budget is no night's
        severity="warning", code="other_sheets",
    )  # fmt: skip
    return replace(best, notes=(*best.notes, note))
