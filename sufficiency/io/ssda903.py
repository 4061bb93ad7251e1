"""SSDA903 history: read, validate and de-duplicate several collection years.

Accepts a folder of per-year folders (``2026/header.csv``, ``2025-26/episodes.csv``),
or any files whose table is detected from their columns, as DfE's tools do. The
collection year is taken from the file or folder name: ``2026``, ``2025-26``,
``2025_26`` and ``lac2025_26`` all mean the return for 1 April 2025 to 31 March
2026. Episodes repeated in consecutive returns are de-duplicated, keeping the
latest return's version (councils revise earlier years).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sufficiency import codes
from sufficiency.errors import InputDataError, Problem
from sufficiency.io.inputs import postcode_problems
from sufficiency.io.schema import DMY, Field, TableSchema, check_table
from sufficiency.io.tables import CSV_SUFFIXES, XLSX_SUFFIXES, RawTable, read_tables

HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODE_COLUMNS = (
    "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
)  # fmt: skip
UASC_COLUMNS = ("CHILD", "SEX", "DOB", "DUC")


def _codes(values: frozenset[str]) -> dict[str, str]:
    return {v.lower(): v for v in values}


def header_schema() -> TableSchema:
    return TableSchema(
        name="903 header",
        unknown_columns="warning",
        unique=("CHILD",),
        fields=(
            Field(
                "CHILD",
                "text",
                "Child identifier, stable across years.",
                required=True,
                nullable=False,
            ),
            Field(
                "SEX",
                "code",
                "1/M male, 2/F female, U not known (M/F/U from 2024-25); read as M, F or U.",
                required=True,
                nullable=False,
                choices=codes.SEX_CODES_903,
            ),
            Field(
                "DOB",
                "date",
                "Date of birth.",
                required=True,
                nullable=False,
                sensitive=True,
                date_formats=DMY,
            ),
            Field("ETHNIC", "code", "Ethnicity code.", choices=_codes(codes.ETHNIC_CODES)),
            Field("UPN", "text", "Unique pupil number or UN1-UN5.", sensitive=True),
            Field("MOTHER", "code", "1 if the child is a mother.", choices={"0": "0", "1": "1"}),
            Field(
                "MC_DOB",
                "date",
                "Date of birth of the child's child.",
                sensitive=True,
                date_formats=DMY,
            ),
        ),
    )


def episodes_schema(year: int | None) -> TableSchema:
    places = codes.ALL_PLACE_CODES if year is None else codes.place_codes_for_year(year)
    return TableSchema(
        name="903 episodes",
        unknown_columns="warning",
        fields=(
            Field("CHILD", "text", "Child identifier.", required=True, nullable=False),
            Field(
                "DECOM", "date", "Episode start.", required=True, nullable=False, date_formats=DMY
            ),
            Field(
                "RNE",
                "code",
                "Reason for new episode.",
                required=True,
                nullable=False,
                choices=_codes(codes.RNE_CODES),
            ),
            Field(
                "LS",
                "code",
                "Legal status.",
                required=True,
                nullable=False,
                choices=_codes(codes.LEGAL_STATUS_CODES),
            ),
            Field("CIN", "code", "Category of need.", choices=_codes(codes.CIN_CODES)),
            Field(
                "PLACE",
                "code",
                "Placement type (valid list depends on the year).",
                required=True,
                nullable=False,
                choices=_codes(places),
            ),
            Field(
                "PLACE_PROVIDER",
                "code",
                "Placement provider.",
                choices=_codes(codes.PROVIDER_CODES),
            ),
            Field("DEC", "date", "Episode end (blank if open).", required=True, date_formats=DMY),
            Field(
                "REC",
                "code",
                "Reason episode ceased.",
                required=True,
                choices=_codes(codes.REC_CODES),
            ),
            Field(
                "REASON_PLACE_CHANGE",
                "code",
                "Reason for placement change.",
                choices=_codes(codes.REASON_PLACE_CHANGE_CODES),
            ),
            Field("HOME_POST", "postcode", "Home postcode.", sensitive=True),
            Field("PL_POST", "postcode", "Placement postcode.", sensitive=True),
            Field("URN", "text", "Ofsted URN of the setting."),
        ),
    )


def uasc_schema() -> TableSchema:
    return TableSchema(
        name="903 uasc",
        unknown_columns="warning",
        unique=("CHILD",),
        fields=(
            Field("CHILD", "text", "Child identifier.", required=True, nullable=False),
            Field(
                "SEX",
                "code",
                "1/M male, 2/F female, U not known; read as M, F or U.",
                choices=codes.SEX_CODES_903,
            ),
            Field("DOB", "date", "Date of birth.", sensitive=True, date_formats=DMY),
            Field("DUC", "date", "Date the child ceased to be UASC.", date_formats=DMY),
        ),
    )


TABLE_COLUMNS = {"header": HEADER_COLUMNS, "episodes": EPISODE_COLUMNS, "uasc": UASC_COLUMNS}
_YEAR_PATTERNS = (
    re.compile(r"(?:^|[^0-9])(20\d\d)\s*[-_/ ]\s*(\d\d)(?:[^0-9]|$)"),
    re.compile(r"(?:^|[^0-9])(20\d\d)(\d\d)(?:[^0-9]|$)"),
    re.compile(r"(?:^|[^0-9])(20\d\d)(?:[^0-9]|$)"),
)


def detect_table(columns: list[str]) -> str | None:
    """Which 903 table a file holds, from its columns (as DfE's tools detect it)."""
    cols = {c.upper() for c in columns}
    best, best_score = None, 0.0
    for name, expected in TABLE_COLUMNS.items():
        exp = set(expected)
        if {"CHILD"} - cols:
            return None
        core = {"header": {"SEX", "DOB"}, "episodes": {"DECOM"}, "uasc": {"DUC"}}[name]
        if not core <= cols:
            continue
        score = len(exp & cols) / len(exp | cols)
        if score > best_score:
            best, best_score = name, score
    return best


def collection_year(path: Path) -> int | None:
    """Year a return's collection ends, from the nearest file or folder name that says."""
    for part in [path.stem, *(p.name for p in path.parents)]:
        for i, pattern in enumerate(_YEAR_PATTERNS):
            m = pattern.search(part)
            if not m:
                continue
            first = int(m.group(1))
            if i < 2:
                second = int(m.group(2))
                if second == (first + 1) % 100:
                    return first + 1
                continue
            return first
    return None


@dataclass(frozen=True)
class SSDA903History:
    """Several years of 903 returns, validated and de-duplicated.

    ``episodes`` has the DfE columns (dates as datetimes, DEC NaT when open) plus
    ``collection_year``; ``header`` one row per child (latest return's values).
    """

    header: pd.DataFrame
    episodes: pd.DataFrame
    uasc: pd.DataFrame
    years: tuple[int, ...]


def _files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in CSV_SUFFIXES | XLSX_SUFFIXES
                and not f.name.startswith((".", "~$"))
            )
        else:
            out.append(p)
    return out


def episode_problems(raw: RawTable, ep: pd.DataFrame) -> list[Problem]:
    """Episode-level rules: DEC after DECOM, and no child in two overlapping episodes."""
    problems = []
    dec, decom = ep["DEC"], ep["DECOM"]
    for idx in ep.index[(dec < decom).fillna(False).to_numpy(bool)]:
        problems.append(
            Problem(
                raw.source,
                raw.row_number(int(idx)),
                raw.column_label("dec"),
                None,
                "episode ends (DEC) before it starts (DECOM)",
                code="dec_before_decom",
            )
        )
    for idx in ep.index[(dec == decom).fillna(False).to_numpy(bool)]:
        problems.append(
            Problem(
                raw.source,
                raw.row_number(int(idx)),
                raw.column_label("dec"),
                None,
                "episode starts and ends on the same day",
                code="zero_length",
            )
        )
    ordered = ep.dropna(subset=["CHILD", "DECOM"]).sort_values(["CHILD", "DECOM"])
    prev_end = ordered.groupby("CHILD")["DEC"].shift()
    prev_open = prev_end.isna() & ordered.groupby("CHILD").cumcount().gt(0)
    overlap = (ordered["DECOM"] < prev_end).fillna(False) | prev_open
    prev_idx = ordered.index.to_series().groupby(ordered["CHILD"]).shift()
    for idx in ordered.index[overlap.to_numpy(bool)]:
        other = raw.row_number(int(prev_idx[idx]))
        problems.append(
            Problem(
                raw.source,
                raw.row_number(int(idx)),
                raw.column_label("decom"),
                str(ordered.at[idx, "CHILD"]),
                f"child is in two overlapping episodes (this and row {other})",
                code="overlapping_episodes",
            )
        )
    return problems


def load_ssda903(paths: list[Path]) -> tuple[SSDA903History | None, list[Problem]]:
    """Read and validate 903 files; return the merged history (None if unusable) and problems."""
    problems: list[Problem] = []
    parts: dict[str, list[pd.DataFrame]] = {"header": [], "episodes": [], "uasc": []}
    files = _files(paths)
    if not files:
        src = ", ".join(str(p) for p in paths)
        return None, [Problem(src, None, None, None, "no CSV or XLSX files found", code="no_files")]
    headers_by_year: dict[int | None, set[str]] = {}
    episodes_by_year: list[tuple[RawTable, pd.DataFrame, int | None]] = []
    for f in files:
        try:
            tables = read_tables(f)
        except InputDataError as exc:
            problems += exc.problems
            continue
        year = collection_year(f)
        for raw in tables:
            kind = detect_table(list(raw.data.columns))
            if kind is None:
                problems.append(
                    Problem(
                        raw.source,
                        None,
                        None,
                        None,
                        "is not a 903 header, episodes or uasc table (expected "
                        "DfE column names such as CHILD, DECOM, PLACE)",
                        code="unknown_table",
                    )
                )
                continue
            schema = {
                "header": header_schema(),
                "episodes": episodes_schema(year),
                "uasc": uasc_schema(),
            }[kind]
            table, found = check_table(raw, schema)
            problems += found
            if kind == "episodes":
                problems += episode_problems(raw, table)
                for col, what in (("HOME_POST", "home"), ("PL_POST", "placement")):
                    problems += postcode_problems(raw, table, col, what=what)
                episodes_by_year.append((raw, table, year))
            if kind == "header":
                headers_by_year.setdefault(year, set()).update(table["CHILD"].dropna())
            table["collection_year"] = year if year is not None else pd.NA
            parts[kind].append(table)
    for raw, table, year in episodes_by_year:
        known = headers_by_year.get(year)
        if known is None:
            continue
        missing = ~table["CHILD"].isin(known) & table["CHILD"].notna()
        for idx in table.index[missing.to_numpy(bool)]:
            problems.append(
                Problem(
                    raw.source,
                    raw.row_number(int(idx)),
                    raw.column_label("child"),
                    str(table.at[idx, "CHILD"]),
                    "child has episodes but no row in that year's header",
                    code="child_not_in_header",
                )
            )
    if not parts["episodes"] or not parts["header"]:
        missing_tables = [k for k in ("header", "episodes") if not parts[k]]
        src = ", ".join(str(p) for p in paths)
        problems.append(
            Problem(
                src,
                None,
                None,
                None,
                f"no 903 {' or '.join(missing_tables)} table found",
                code="missing_table",
            )
        )
        return None, problems
    return _merge(parts), problems


def _latest_first(frames: list[pd.DataFrame]) -> pd.DataFrame:
    df = pd.concat(frames, ignore_index=True)
    df["collection_year"] = df["collection_year"].astype("Int64")
    return df.sort_values("collection_year", ascending=False, kind="stable", na_position="last")


def _merge(parts: dict[str, list[pd.DataFrame]]) -> SSDA903History:
    episodes = (
        _latest_first(parts["episodes"])
        .drop_duplicates(["CHILD", "DECOM"], keep="first")
        .sort_values(["CHILD", "DECOM"], kind="stable")
        .reset_index(drop=True)
    )
    header = (
        _latest_first(parts["header"])
        .drop_duplicates("CHILD", keep="first")
        .sort_values("CHILD", kind="stable")
        .reset_index(drop=True)
    )
    uasc = (
        _latest_first(parts["uasc"]).drop_duplicates("CHILD", keep="first").reset_index(drop=True)
        if parts["uasc"]
        else pd.DataFrame(columns=[*UASC_COLUMNS, "collection_year"])
    )
    years = tuple(
        sorted({int(y) for f in parts["episodes"] for y in f["collection_year"].dropna()})
    )
    return SSDA903History(header=header, episodes=episodes, uasc=uasc, years=years)


def read_ssda903(paths: list[Path] | Path) -> SSDA903History:
    """Read a 903 history; raise :class:`InputDataError` listing every error found."""
    history, problems = load_ssda903([paths] if isinstance(paths, Path) else list(paths))
    if history is None or any(p.severity == "error" for p in problems):
        raise InputDataError(problems)
    return history
