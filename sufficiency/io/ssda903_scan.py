"""Find the 903 returns in what a council holds: folders of CSV, XLSX and XML files.

A returns folder as councils export it holds every DfE 903 table (header, episodes,
uasc, reviews, missing, oc2, oc3, ad1, placed_for_adoption, previous_permanence,
social-worker episodes, DoLO), often with ``*_last`` copies of the previous year's
tables, and sometimes notes, budgets and the lock files Office leaves behind. Each
table is recognised by its columns, as DfE's validator recognises it; files that are
not tables are skipped with one line each. Only a file that looks like a 903 table
and cannot be read is an error.

Each return's collection year is checked against its content: a return cannot hold
episodes starting or ending after its year. A folder named ``2017`` may hold the year
*ending* 31 March 2017 (as DfE names returns) or the year *starting* 1 April 2017 (as
some tools name them); when the dates inside are later than the name allows, they
settle it, and the user is told which year was used and why. A file with no year in
its name is dated by its content alone: the latest year in which its episodes start
or end.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from sufficiency.errors import InputDataError, Problem
from sufficiency.figures import day as said_day
from sufficiency.io.aliases903 import field_key
from sufficiency.io.child_column import message as child_message
from sufficiency.io.child_column import near_table
from sufficiency.io.code_labels import read_code_labels
from sufficiency.io.dates import normalise_dates, read_dates
from sufficiency.io.enotation import read_exact
from sufficiency.io.header_twins import drop_twin_rows
from sufficiency.io.headerless903 import as_header
from sufficiency.io.headings903 import lookalike_problem, read_aliases
from sufficiency.io.headings903 import near_table as near_fields
from sufficiency.io.open_end import blank_open_ends
from sufficiency.io.repeated_header import drop_repeated_headers
from sufficiency.io.schema import column_key
from sufficiency.io.ssda903_xml import DFE_TABLES, looks_like_903_xml, read_xml_return
from sufficiency.io.tables import (
    CSV_SUFFIXES,
    XLSX_SUFFIXES,
    RawTable,
    blank_nulls,
    read_tables,
    unreadable,
)
from sufficiency.io.twice import one_of_each

#: Date columns of the tables this package reads.
DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "header": ("dob", "mc_dob"),
    "episodes": ("decom", "dec"),
    "uasc": ("dob", "duc"),
}
#: Columns a table must have to be taken for that DfE table (besides CHILD).
_KEY_COLUMNS: dict[str, frozenset[str]] = {
    "header": frozenset({"DOB", "SEX"}),
    "episodes": frozenset({"DECOM"}),
    "uasc": frozenset({"DUC"}),
    "reviews": frozenset({"REVIEW"}),
    "oc2": frozenset({"SDQ_SCORE"}),
    "oc3": frozenset({"IN_TOUCH"}),
    "ad1": frozenset({"DATE_INT"}),
    "placed_for_adoption": frozenset({"DATE_PLACED"}),
    "previous_permanence": frozenset({"PREV_PERM"}),
    "missing": frozenset({"MIS_START"}),
    "sw_episodes": frozenset({"SW_ID"}),
    "dolo": frozenset({"DOLO_START"}),
}
#: A previous-year copy: ``header_last`` as DfE's tool keys it, and as people name one
#: (``episodes_previous``, ``Header prev``, ``episodes last year``, ``Episodes (previous
#: year)``): not read so, it joined this year's return, its header's rows used over this
#: year's where they differed (read last, by name), and its own year had no header
_LAST = re.compile(r"(?:^|[\s_.(-])(?:last|prev|previous)(?:[\s_-]?year)?\)?$", re.IGNORECASE)
#: Names that say a file is meant to be part of a 903 return.
_LOOKS_903 = re.compile(
    r"903|header|episode|uasc|review|oc2|oc3|ad1|adopt|permanence|missing|dolo|lac|cla",
    re.IGNORECASE,
)
_N = r"(?:^|[^0-9])"  # no digit before
_E = r"(?:[^0-9]|$)"  # no digit after
#: Year forms in names, tried in turn: (pattern, kind). ``pair``: the two years a
#: collection spans (2025-26, 2025-2026, 202526, 25-26, 2526); ``date``: a day in it
#: (31032026, 2026-03-31); ``year``: a lone year, the year a collection ends.
_YEAR_PATTERNS = (
    (re.compile(_N + r"(20\d\d)\s*(?:[-_/ ]|to)\s*(?:20)?(\d\d)" + _E, re.I), "pair"),
    (re.compile(_N + r"(20\d\d)(\d\d)" + _E), "pair"),
    (re.compile(_N + r"(20\d\d)[-_]?([01]\d)[-_]?[0-3]\d" + _E), "date"),
    (re.compile(_N + r"[0-3]\d([01]\d)(20\d\d)" + _E), "date"),
    (re.compile(_N + r"(20\d\d)" + _E), "year"),
    (re.compile(_N + r"(\d\d)\s*[-_/]?\s*(\d\d)" + _E), "pair"),
)
#: Suffixes read as tables; anything else in a folder is skipped with one line.
TABLE_SUFFIXES = CSV_SUFFIXES | XLSX_SUFFIXES | {".xml"}


def detect_table(columns: Iterable[str]) -> str | None:
    """Which DfE 903 table a file holds, from its columns (any case), or ``None``.

    A table needs ``CHILD`` and the columns that mark it out (``DECOM`` for episodes,
    ``DUC`` for uasc...); among those that qualify, the one whose columns best match
    (by the share of columns in common, a Jaccard index) wins. Names are matched as the
    contracts match them, ignoring case, spaces and punctuation (``Place Provider``), and
    DfE's names for the fields (``Date episode commenced``: :mod:`~sufficiency.io.aliases903`).
    """
    cols = {field_key(str(c)) for c in columns}
    if "CHILD" not in cols:
        return None
    best, best_score = None, 0.0
    for name, expected in DFE_TABLES.items():
        if not _KEY_COLUMNS[name] <= cols:
            continue
        exp = set(expected)
        score = len(exp & cols) / len(exp | cols)
        if score > best_score:
            best, best_score = name, score
    return best


def collection_year(path: Path, root: Path | None = None) -> int | None:
    """Year a return's collection ends, from the nearest file or folder name that says,
    up to ``root`` (the folder given, itself included; none: every folder above).

    ``2026``, ``2025-26``, ``2025_26``, ``202526``, ``lac2025_26``, ``2025-2026``,
    ``2025 to 2026``, ``25-26``, ``2526`` and a day in the year (``31032026``,
    ``2026-03-31``) all give 2026. A lone year is read as the year the collection
    ends, as DfE names returns; the content of the files may overrule it (see
    :func:`assign_years`).
    """
    # folders above the one given are the council's own filing ("/shares/LAC 2019/903"):
    # a year there is no return's (a file straight in the folder took it with no word)
    above = set(root.parents) if root is not None else set()
    for part in [path.stem, *(p.name for p in path.parents if p not in above)]:
        year = _name_year(part)
        if year is not None:
            return year
    return None


def _name_year(text: str) -> int | None:
    """The collection year one name (a file, folder or sheet name, a YEAR cell) gives."""
    for pattern, kind in _YEAR_PATTERNS:
        for m in pattern.finditer(text):
            a, b = int(m.group(1)), int(m.group(2)) if kind != "year" else 0
            if kind == "year":
                return a
            if kind == "date":
                month, year = (b, a) if a > 12 else (a, b)
                if 1 <= month <= 12:
                    return year + (month >= 4)
            elif b == (a + 1) % 100:
                return 2000 + b if a < 100 else a + 1
    return None


def year_label(year: int) -> str:
    """``2025-26`` for the collection year ending 31 March 2026."""
    return f"{year - 1}-{year % 100:02d}"


def period(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the collection year ending 31 March ``year``."""
    return pd.Timestamp(year - 1, 4, 1), pd.Timestamp(year, 3, 31)


@dataclass(frozen=True)
class FoundTable:
    """A DfE 903 table found in a file.

    Attributes
    ----------
    raw
        The table as read (dates already normalised to DD/MM/YYYY).
    kind
        The DfE table (a key of :data:`DFE_TABLES`).
    path
        The file it came from.
    is_last
        A ``*_last`` copy: the previous year's table, as DfE's tool takes it.
    group
        Tables of one return share a group: the same folder and year in the name, or
        the same XML file or workbook.
    name_year
        The collection year the file or folder name gives, if any.
    """

    raw: RawTable
    kind: str
    path: Path
    is_last: bool
    group: tuple[str, int | None, bool]
    name_year: int | None


@dataclass(frozen=True)
class Scan:
    """What a set of paths holds: 903 tables, other tables and files, and read problems.

    ``notes`` are warnings about how files were read (title rows, date forms);
    ``skipped`` one warning per file that is not a 903 table; ``errors`` the files
    that look like 903 tables but cannot be read.
    """

    tables: tuple[FoundTable, ...]
    other_tables: tuple[tuple[str, str], ...]  # (source, DfE table name) present, not read
    skipped: tuple[Problem, ...]
    notes: tuple[Problem, ...]
    errors: tuple[Problem, ...]
    paths: tuple[Path, ...] = field(default=())


def files_under(folder: Path, errors: list[Problem] | None = None) -> list[Path]:
    """Every file under ``folder``, sorted. A linked folder (a year's returns linked in
    from a share) is followed, once; rglob left it out and the year read as missing. A
    folder that cannot be listed or a link to nothing is an error (added to ``errors``),
    not a missing year."""
    errors = [] if errors is None else errors
    found: list[Path] = []
    seen: set[str] = set()

    def failed(exc: OSError) -> None:
        errors.append(Problem(str(exc.filename or folder), None, None, None, unreadable(exc),
                              code="malformed_file"))  # fmt: skip

    for top, dirs, names in os.walk(folder, onerror=failed, followlinks=True):
        if (real := os.path.realpath(top)) in seen:
            dirs[:] = []  # a link back up the tree
            continue
        seen.add(real)
        for name in names:
            f = Path(top) / name
            if f.is_file():
                found.append(f)
            elif f.is_symlink() and not name.startswith("."):
                errors.append(Problem(str(f), None, None, None,
                                      f"is a link to {os.readlink(f)}, which is not there "
                                      "(a network drive not connected?)",
                                      code="malformed_file"))  # fmt: skip
    return sorted(found)


def _files(paths: list[Path], errors: list[Problem]) -> tuple[list[Path], list[Problem]]:
    out: list[Path] = []
    skipped: list[Problem] = []
    for p in paths:
        if not p.is_dir():
            out.append(p)
            continue
        for f in files_under(p, errors):
            name = f.name
            if name.startswith("."):
                if name.startswith(".~lock."):
                    skipped.append(_skip(f, "is a LibreOffice lock file; skipped"))
                continue
            if name.startswith("~$"):
                skipped.append(_skip(f, "is an Office lock file; skipped"))
            elif f.suffix.lower() not in TABLE_SUFFIXES:
                skipped.append(_skip(f, "is not a CSV, XLSX or XML file; skipped"))
            else:
                out.append(f)
    return out, skipped


def _skip(path: Path | str, message: str) -> Problem:
    return Problem(str(path), None, None, None, message, severity="warning", code="skipped_file")


def _looks_like_903(path: Path) -> bool:
    if _LOOKS_903.search(path.stem):
        return True
    try:
        head = path.read_bytes()[:2048].upper()
    except OSError:
        return True  # a file that cannot be read is an error, whatever it holds
    return b"CHILD" in head and (b"DECOM" in head or b"DOB" in head)


def scan(paths: list[Path]) -> Scan:
    """Read every file under ``paths`` and sort out its 903 tables."""
    errors: list[Problem] = []
    files, skipped = _files(paths, errors)
    tables: list[FoundTable] = []
    others: list[tuple[str, str]] = []
    notes: list[Problem] = []
    explicit = {p for p in paths if not p.is_dir()}
    roots = [p for p in paths if p.is_dir()]
    for f in files:
        is_last = bool(_LAST.search(f.stem))
        root = f.parent if f in explicit else next((r for r in roots if f.is_relative_to(r)), None)
        name_year = collection_year(f, root)
        if f.suffix.lower() == ".xml":
            if not looks_like_903_xml(f):
                skipped.append(_skip(f, "is XML but not a 903 return; skipped"))
                continue
            try:
                found, other = read_xml_return(f)
            except InputDataError as exc:
                errors += exc.problems
                continue
            group = (str(f), name_year, is_last)
            for name, raw in found:
                tables.append(_found(raw, name, f, is_last, group, name_year, notes))
            others += [(str(f), o) for o in sorted(other)]
            continue
        try:
            raws = read_tables(f, allow_empty=True)
            raws = [one_of_each(r) if detect_table(r.data.columns) else r for r in raws]
        except InputDataError as exc:
            if f in explicit or _looks_like_903(f):
                errors += exc.problems
            else:
                skipped.append(_skip(f, "cannot be read as a table and is not a 903 table; "
                                        "skipped"))  # fmt: skip
            continue
        kinds = [detect_table(raw.original_columns.values()) for raw in raws]
        # a workbook holding both header and episodes sheets is a return by itself; other
        # files join the return of their folder and the year in their names
        own = f.suffix.lower() in XLSX_SUFFIXES and {"episodes", "header"} <= set(kinds)
        group = (str(f) if own else str(f.parent), name_year, is_last)
        for raw, kind in zip(raws, kinds, strict=True):
            near = near_table(raw.original_columns.values(), detect_table) if kind is None else None
            headerless = as_header(raw) if kind is None and near is None else None
            if headerless is not None:  # a header exported without its header row
                (raw, note), kind = headerless, "header"
                notes.append(note)
            if near is not None:  # a 903 table but for its CHILD heading: named, not skipped
                errors.append(
                    Problem(raw.source, None, near[1][0] if near[1] else "CHILD", None,
                            child_message(near[0], raw.original_columns.values(), near[1]),
                            code="no_child_column")
                )  # fmt: skip
                continue
            close = None if kind else near_fields(raw.original_columns.values(), detect_table)
            if close is not None:  # a 903 table but for headings close to a field's name
                errors.append(lookalike_problem(raw.source, *close))
                continue
            if kind is None:
                if f in explicit:
                    errors.append(
                        Problem(raw.source, None, None, None,
                                "is not a 903 table (expected DfE column names such as "
                                "CHILD, DECOM, PLACE)", code="unknown_table")
                    )  # fmt: skip
                else:
                    skipped.append(_skip(raw.source, "is not a 903 table; skipped"))
                continue
            if kind not in DATE_COLUMNS:
                others.append((raw.source, kind))
                continue
            raw, said = read_aliases(raw, kind)  # Date episode commenced is DECOM
            if any(p.severity == "error" for p in said):
                errors += said
                continue
            notes += said
            councils = _councils(raw)
            if len(councils) > 1:
                errors.append(
                    Problem(raw.source, None, raw.column_label("la"), None,
                            f"holds the returns of {len(councils)} local authorities in its "
                            f"LA column ({', '.join(councils[:3])}"
                            f"{', ...' if len(councils) > 3 else ''}); give each council's rows "
                            "on their own (several councils: `sufficiency region`)",
                            code="several_councils")
                )  # fmt: skip
                continue
            # a workbook's sheets may each hold a year (``Episodes 2025``, ``2024-25``)
            sheet = raw.source.removeprefix(f"{f}[").removesuffix("]")
            sheet = "" if sheet == raw.source else sheet
            year = _name_year(sheet) or name_year
            table = _found(raw, kind, f, is_last, (group[0], year, is_last), year, notes)
            tables += _by_year_column(table, notes)
    return Scan(tuple(tables), tuple(others), tuple(skipped), tuple(notes), tuple(errors),
                tuple(paths))  # fmt: skip


def _councils(raw: RawTable) -> list[str]:
    """The local authorities a table's ``LA`` column names (LIIA tools' files have one;
    their pan-London files hold every council's returns)."""
    if "la" not in raw.data.columns:
        return []
    names = raw.data["la"].dropna().astype(str).str.strip()
    return sorted({n.casefold(): n for n in names if n}.values())


def _by_year_column(t: FoundTable, notes: list[Problem]) -> list[FoundTable]:
    """A table with a ``YEAR`` column of collection years (as Social Finance's LIIA tools
    write their cleaned and merged 903 files, several years in one file) split into one
    table per year, each row keeping its row number; any other table as it is. A row
    whose YEAR is blank or not a year stays with the file's own year, and is named."""
    data = t.raw.data
    if "year" not in data.columns or data.empty:
        return [t]
    text = data["year"].astype("string").str.strip().fillna("")
    by_text = {v: _name_year(v) for v in text.unique()}
    years = text.map(by_text).astype("Int64")
    values = sorted({int(y) for y in years.dropna()})
    if not values:
        return [t]
    column = t.raw.column_label("year")
    if len(values) > 1:
        notes.append(
            Problem(t.raw.source, None, column, None,
                    f"holds {len(values)} collection years in its YEAR column "
                    f"({year_label(values[0])} to {year_label(values[-1])}); each row read "
                    "as part of the return its YEAR names", severity="warning",
                    code="year_column")
        )  # fmt: skip
    unread = years.isna().to_numpy(bool)
    if unread.any():
        rows = [t.raw.row_number(i) for i in data.index[unread][:3]]
        notes.append(
            Problem(t.raw.source, rows[0], column, None,
                    f"{int(unread.sum())} row(s) (rows {', '.join(map(str, rows))}"
                    f"{', ...' if unread.sum() > 3 else ''}) have no collection year in "
                    "YEAR; read as the year the file's name gives, or their dates show",
                    severity="warning",
                    code="year_blank")
        )  # fmt: skip
    parts = []
    for y in [*values, None] if unread.any() else values:
        rows = years.isna() if y is None else (years == y).fillna(False)
        raw = replace(t.raw, data=data[rows.to_numpy(bool)].drop(columns="year"))
        year = t.name_year if y is None else y
        parts.append(replace(t, raw=raw, group=(t.group[0], year, t.is_last), name_year=year))
    return parts


def _found(
    raw: RawTable,
    kind: str,
    path: Path,
    is_last: bool,
    group: tuple[str, int | None, bool],
    name_year: int | None,
    notes: list[Problem],
) -> FoundTable:
    raw, null_notes = blank_nulls(raw)
    raw, header_notes = drop_repeated_headers(_dfe_names(raw, kind))  # files joined
    raw, date_notes = normalise_dates(raw, DATE_COLUMNS[kind])
    raw, id_notes = read_exact(raw)  # 1.00211E+05 is the child 100211
    raw, code_notes = read_code_labels(raw, kind)  # U6 - Foster placement... is U6
    raw, end_notes = blank_open_ends(raw) if kind == "episodes" else (raw, [])  # 31/12/9999
    raw, twin_notes = (raw, []) if kind == "episodes" else drop_twin_rows(raw)  # joined
    read = (*null_notes, *header_notes, *date_notes, *id_notes, *code_notes, *end_notes,
            *twin_notes)  # fmt: skip
    notes += [*raw.notes, *read]
    return FoundTable(raw, kind, path, is_last, group, name_year)


def _dfe_names(raw: RawTable, kind: str) -> RawTable:
    """``raw`` with a column DfE names another way (``Place Provider``, ``place-provider``
    for ``PLACE_PROVIDER``) under DfE's name, as every reader of the table looks it up;
    messages still name it as the file does. Read under its own name, every foster and
    residential placement of an export so headed was counted in-house (no provider)."""
    want = {column_key(c): c.lower() for c in DFE_TABLES[kind]}
    have = set(raw.data.columns)
    rename = {
        c: want[column_key(c)]
        for c in raw.data.columns
        if column_key(c) in want and want[column_key(c)] not in have
    }
    if not rename:
        return raw
    return replace(
        raw,
        data=raw.data.rename(columns=rename),
        original_columns={rename.get(k, k): v for k, v in raw.original_columns.items()},
        date_cells=frozenset(rename.get(c, c) for c in raw.date_cells),
    )


@dataclass(frozen=True)
class Return:
    """One collection year's return: its tables and the period it covers.

    ``end`` is 31 March, or the last day an in-year extract covers (the end of the
    month of its latest episode date) for the latest return.
    """

    year: int
    tables: dict[str, tuple[FoundTable, ...]]
    start: pd.Timestamp
    end: pd.Timestamp

    def sources(self, kind: str) -> str:
        return ", ".join(t.raw.source for t in self.tables.get(kind, ()))


def _dates(raw: RawTable, column: str) -> pd.Series:
    if column not in raw.data.columns:
        return pd.Series(dtype="datetime64[ns]")
    return read_dates(raw.data[column]).dropna()


#: An episodes table this long always has a child starting or ending an episode in a
#: year: one with none in its named year is suspect.
QUIET_MIN_ROWS = 50


def content_year(raw: RawTable) -> int | None:
    """The earliest collection year an episodes table can be the return for: the latest
    year in which its episodes start or end, ignoring the odd mistyped date (a year needs
    2% of the dates, or one in a table of under 50 rows)."""
    dates = pd.concat([_dates(raw, "decom"), _dates(raw, "dec")])
    if dates.empty:
        return None
    years = dates.dt.year + (dates.dt.month >= 4)
    counts = years.value_counts()
    need = 1 if len(dates) < 50 else max(1, round(0.02 * len(dates)))
    return int(counts[counts >= need].index.max())


def _before(members: list[FoundTable], first: pd.Timestamp) -> bool:
    """Whether the group's episodes tables hold dates, every one before ``first``, in
    enough rows (:data:`QUIET_MIN_ROWS`) that a year with no start or end is not real."""
    eps = [t.raw for t in members if t.kind == "episodes"]
    if sum(len(raw.data) for raw in eps) < QUIET_MIN_ROWS:
        return False
    dates = [_dates(raw, c) for raw in eps for c in ("decom", "dec")]
    dates = [d for d in dates if not d.empty]
    return bool(dates) and max(d.max() for d in dates) < first


#: The columns that name one row of a table: a child's episode, or a child.
_ROW_KEYS = {"episodes": ("child", "decom"), "header": ("child",), "uasc": ("child",)}


def _versions(kind: str, tables: list[FoundTable]) -> str:
    """How tables of one kind and year are read together, in words. Where they share rows
    that differ (two versions of one return, such as ``episodes.csv`` and
    ``episodes (1).csv``), it says which file's rows are used, so the user can keep the
    right one."""
    key = list(_ROW_KEYS[kind])
    frames = [t.raw.data.assign(_file=i) for i, t in enumerate(tables)]
    if not all(set(key) <= set(f.columns) for f in frames):
        return "read together (repeated rows once)"
    rows = pd.concat(frames, ignore_index=True)
    rows["_key"] = rows[key].astype("string").fillna("").agg("|".join, axis=1)
    files = rows.groupby("_key")["_file"].nunique()
    shared = files.index[files > 1]
    what = ("episode", "episodes") if kind == "episodes" else ("child", "children")
    if not len(shared):
        return f"read together (no {what[0]} in common)"
    distinct = rows.drop_duplicates([c for c in rows.columns if c != "_file"])
    versions = distinct[distinct["_key"].isin(shared)].groupby("_key").size()
    differ = int((versions > 1).sum())
    both = f"{len(shared):,} {what[len(shared) != 1]}"
    if not differ:
        return f"read together: {both} in more than one, the same in each, counted once"
    return (
        f"two versions of one return? {both} in more than one, {differ:,} of them "
        f"different; where they differ, the rows of {tables[-1].raw.source} (read last, by "
        "file name) are used: keep only the right version in the folder"
    )


def assign_years(found: tuple[FoundTable, ...]) -> tuple[list[Return], list[Problem]]:
    """Group tables into returns by collection year, from their content and names.

    Returns the returns (earliest first) and warnings saying where a name disagreed
    with the content, which tables were duplicates, and which could not be placed.
    """
    notes: list[Problem] = []
    by_group: dict[tuple[str, int | None, bool], list[FoundTable]] = {}
    for t in found:
        by_group.setdefault(t.group, []).append(t)
    placed: dict[int, dict[str, list[FoundTable]]] = {}
    last_copies: dict[int, dict[str, list[FoundTable]]] = {}
    for group, members in by_group.items():
        is_last = group[2]
        # a previous-year copy in a folder named for this year is named for the year before
        name_year = group[1] - 1 if is_last and group[1] is not None else group[1]
        own_years = {id(t): content_year(t.raw) for t in members if t.kind == "episodes"}
        years = [y for y in own_years.values() if y is not None]
        # the name stands unless the dates inside are later than its year allows, or
        # none reaches its year at all (an earlier year's return saved under this name)
        stale = name_year is not None and _before(members, period(name_year)[0])
        year = max([*years, *([name_year] if name_year is not None and not stale else [])],
                   default=None)  # fmt: skip
        if year is None:
            # the files beside it named by year (SSDA903_2026_episodes.csv): say how to name it
            named = sorted(g[1] for g in by_group if g[0] == group[0] and g[1] is not None)
            for t in members:
                why = (
                    (
                        ": its name has no year, as the names of the files beside it do; not "
                        f"used: name it for its year ({t.kind}_{named[-1]}.csv if it is "
                        f"{year_label(named[-1])}'s)"
                    )
                    if named
                    else (" (no year in its name and no episode dates beside it); not used")
                )
                notes.append(
                    Problem(t.raw.source, None, None, None,
                            f"cannot tell which collection year this table is for{why}",
                            severity="warning", code="unknown_year")
                )  # fmt: skip
            continue
        target = last_copies if is_last else placed
        for t in members:
            y = year if name_year is not None else (own_years.get(id(t)) or year)
            own = own_years.get(id(t))
            if t.kind == "episodes" and stale and name_year is not None:
                first, last = period(y)
                notes.append(
                    Problem(t.raw.source, None, None, None,
                            f"is named for {year_label(name_year)} but no episode in it starts "
                            f"or ends in {year_label(name_year)} or later: it is an earlier "
                            f"year's return, read as the return for {said_day(first)} to "
                            f"{said_day(last)}", severity="warning", code="stale_year")
                )  # fmt: skip
            elif t.kind == "episodes" and name_year is not None and name_year != y:
                first, last = period(y)
                notes.append(
                    Problem(t.raw.source, None, None, None,
                            f"is named for {year_label(name_year)} but holds episodes starting or "
                            f"ending in {year_label(y)}: read as the return for {said_day(first)} "
                            f"to {said_day(last)}", severity="warning", code="year_from_content")
                )  # fmt: skip
            elif (t.kind == "episodes" and own is not None and own < y
                  and len(t.raw.data) >= QUIET_MIN_ROWS):  # fmt: skip
                notes.append(
                    Problem(t.raw.source, None, None, None,
                            f"is named for {year_label(y)} but no episode in it starts or ends "
                            f"after {year_label(own)}; read as named (check it is the right file)",
                            severity="warning", code="quiet_year")
                )  # fmt: skip
            target.setdefault(y, {}).setdefault(t.kind, []).append(t)
    for year, kinds in last_copies.items():
        for kind, copies in kinds.items():
            present = placed.get(year, {}).get(kind)
            srcs = ", ".join(t.raw.source for t in copies)
            if present:
                notes.append(
                    Problem(srcs, None, None, None,
                            f"is a copy of the {year_label(year)} {kind} table, which "
                            f"is also present ({present[0].raw.source}); not used",
                            severity="warning", code="duplicate_table")
                )  # fmt: skip
            else:
                placed.setdefault(year, {})[kind] = copies
                notes.append(
                    Problem(srcs, None, None, None,
                            f"is the only {year_label(year)} {kind} table held (a "
                            "previous-year copy); used as that year's return",
                            severity="warning", code="last_copy_used")
                )  # fmt: skip
    for year, kinds in placed.items():
        for kind, tables in kinds.items():
            if len(tables) > 1:
                notes.append(
                    Problem(", ".join(t.raw.source for t in tables), None, None, None,
                            f"are {len(tables)} {kind} tables for {year_label(year)}; "
                            + _versions(kind, tables), severity="warning",
                            code="duplicate_table")
                )  # fmt: skip
    returns = []
    for year in sorted(placed):
        first, last = period(year)
        by_kind = {k: tuple(v) for k, v in placed[year].items()}
        returns.append(Return(year, by_kind, first, last))
    return returns, notes
