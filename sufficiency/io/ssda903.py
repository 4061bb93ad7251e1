"""SSDA903 history: read, check and reconcile several collection years.

Accepts a folder of per-year folders (``2026/header.csv``, ``2025-26/episodes.csv``),
any files whose table is detected from their columns as DfE's tools do, and DfE XML
returns (see :mod:`.ssda903_scan`). Two ways in:

- :func:`load_ssda903` (``sufficiency validate``, and ``--strict``) checks every field
  of the header, episodes and uasc tables against DfE's specification and lists
  every problem;
- :func:`read_history` (the analytic commands) reads what it can, repairs and sets
  aside by stated rules, and records what it did (:mod:`.reconcile`).

Both reconcile the returns the way DfE counts children: each year's return is the
authority for its own period, and a later return replaces what it overlaps in an
earlier one.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from sufficiency import codes
from sufficiency.errors import InputDataError, Problem
from sufficiency.figures import day as said_day
from sufficiency.io.history import SSDA903History
from sufficiency.io.id_shape import id_problems, not_an_id
from sufficiency.io.merged_header import with_merged_headers
from sufficiency.io.open_late_start import said_as_read
from sufficiency.io.quality import VALIDATED
from sufficiency.io.repeated_episode import MESSAGE as REPEAT
from sufficiency.io.repeated_episode import repeats
from sufficiency.io.schema import DMY, Field, TableSchema, check_table
from sufficiency.io.set_aside import ends_before_start
from sufficiency.io.ssda903_scan import (
    DFE_TABLES,
    Return,
    Scan,
    assign_years,
    collection_year,
    detect_table,
    period,
    scan,
    year_label,
)
from sufficiency.io.tables import RawTable
from sufficiency.io.upn import upn_problems
from sufficiency.io.year_end_open import as_read
from sufficiency.io.zip903 import unzipped

HEADER_COLUMNS = DFE_TABLES["header"]
EPISODE_COLUMNS = DFE_TABLES["episodes"]
UASC_COLUMNS = DFE_TABLES["uasc"]
__all__ = [
    "SSDA903History",
    "collection_year",
    "detect_table",
    "load_ssda903",
    "read_history",
    "read_ssda903",
]


def _codes(values: frozenset[str]) -> dict[str, str]:
    return {v.lower(): v for v in values}


def _code(
    name: str, what: str, values: frozenset[str], *, required: bool = False, nullable: bool = True
) -> Field:
    """A field holding one of DfE's ``values``, in any case."""
    return Field(name, "code", what, required=required, nullable=nullable, choices=_codes(values))


def _postcode(name: str, what: str) -> Field:
    """A postcode, never echoed; a sector (W11 2), as regional pipelines share, accepted."""
    return Field(name, "postcode", f"{what} (or its sector).", sensitive=True, sector_ok=True)


def _table(name: str, child: str, *fields: Field, one_row_a_child: bool) -> TableSchema:
    """The 903 table ``name``: its CHILD column (``child`` says what it is) first, then
    ``fields``; with ``one_row_a_child``, no child on two rows."""
    return TableSchema(
        name=f"903 {name}",
        child_id="CHILD",
        unique=("CHILD",) if one_row_a_child else (),
        fields=(Field("CHILD", "text", child, required=True, nullable=False), *fields),
    )


def header_schema() -> TableSchema:
    return _table(
        "header",
        "Child identifier, stable across years.",
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
        _code("ETHNIC", "Ethnicity code.", codes.ETHNIC_CODES),
        Field("UPN", "text", "Unique pupil number or UN1-UN5; see UPN above.", sensitive=True),
        Field("MOTHER", "code", "1 if the child is a mother.", choices={"0": "0", "1": "1"}),
        Field(
            "MC_DOB",
            "date",
            "Date of birth of the child's child.",
            sensitive=True,
            date_formats=DMY,
        ),
        one_row_a_child=True,
    )


def episodes_schema(year: int | None) -> TableSchema:
    places = codes.ALL_PLACE_CODES if year is None else codes.place_codes_for_year(year)
    return _table(
        "episodes",
        "Child identifier.",
        Field("DECOM", "date", "Episode start.", required=True, nullable=False, date_formats=DMY),
        _code("RNE", "Reason for new episode.", codes.RNE_CODES, required=True, nullable=False),
        _code("LS", "Legal status.", codes.LEGAL_STATUS_CODES, required=True, nullable=False),
        _code("CIN", "Category of need.", codes.CIN_CODES),
        _code(
            "PLACE",
            "Placement type (valid list depends on the year).",
            places,
            required=True,
            nullable=False,
        ),
        _code("PLACE_PROVIDER", "Placement provider.", codes.PROVIDER_CODES),
        Field("DEC", "date", "Episode end (blank if open).", required=True, date_formats=DMY),
        _code("REC", "Reason episode ceased.", codes.REC_CODES, required=True),
        _code(
            "REASON_PLACE_CHANGE", "Reason for placement change.", codes.REASON_PLACE_CHANGE_CODES
        ),
        _postcode("HOME_POST", "Home postcode"),
        _postcode("PL_POST", "Placement postcode"),
        Field("URN", "text", "Ofsted URN of the setting."),
        one_row_a_child=False,
    )


def uasc_schema() -> TableSchema:
    return _table(
        "uasc",
        "Child identifier.",
        Field(
            "SEX",
            "code",
            "1/M male, 2/F female, U not known; read as M, F or U.",
            choices=codes.SEX_CODES_903,
        ),
        Field("DOB", "date", "Date of birth.", sensitive=True, date_formats=DMY),
        Field("DUC", "date", "Date the child ceased to be UASC.", date_formats=DMY),
        one_row_a_child=True,
    )


def episode_problems(raw: RawTable, ep: pd.DataFrame) -> list[Problem]:
    """Episode-level rules: DEC after DECOM, and no child in two overlapping episodes."""
    problems = []
    dec, decom = ep["DEC"], ep["DECOM"]
    for said, hit in ends_before_start(dec, decom):
        problems += [
            raw.problem(i, "dec", None, said, code="dec_before_decom") for i in ep.index[hit]
        ]
    for idx in ep.index[(dec == decom).fillna(False).to_numpy(bool)]:
        problems.append(
            raw.problem(
                idx,
                "dec",
                None,
                "episode starts and ends on the same day",
                code="zero_length",
            )
        )
    again = repeats(ep)  # a row written twice: one episode, named as such, not an overlap
    for i, first in again.items():
        said = REPEAT.format(row=raw.row_number(int(first)))
        problems.append(
            raw.problem(i, "decom", None, said, severity="warning", code="duplicate_episode")
        )
    ordered = ep.drop(index=again.index).dropna(subset=["CHILD", "DECOM"])
    ordered = ordered.sort_values(["CHILD", "DECOM"])
    prev_end = ordered.groupby("CHILD")["DEC"].shift()
    prev_open = prev_end.isna() & ordered.groupby("CHILD").cumcount().gt(0)
    overlap = (ordered["DECOM"] < prev_end).fillna(False) | prev_open
    prev_idx = ordered.index.to_series().groupby(ordered["CHILD"]).shift()
    for idx in ordered.index[overlap.to_numpy(bool)]:
        other = raw.row_number(int(prev_idx[idx]))
        problems.append(  # the value is the child's ID, so its column is CHILD (pseudonymised)
            raw.problem(idx, "child", str(ordered.at[idx, "CHILD"]),
                        f"child is in two overlapping episodes (this and row {other}): check "
                        "their DECOM and DEC", code="overlapping_episodes")
        )  # fmt: skip
    return problems


def year_problems(raw: RawTable, ep: pd.DataFrame, year: int) -> list[Problem]:
    """Dates outside the return's collection year: an episode starting after it, or
    ending before it began or after it ended (DfE's checks of the return's period)."""
    first, last = period(year)
    label = year_label(year)
    backwards = (ep["DEC"] < ep["DECOM"]).fillna(False)
    checks = (
        ("decom", ep["DECOM"] > last, f"episode starts after the end of the {label} "
         "collection year (31 March)", "decom_after_year"),
        ("dec", (ep["DEC"] > last) & ~backwards, f"episode ends after the end of the {label} "
         "collection year (31 March)", "dec_after_year"),
        ("dec", (ep["DEC"] < first) & ~backwards, f"episode ended before the {label} "
         "collection year began (1 April), so does not belong in this return", "dec_before_year"),
    )  # fmt: skip
    out = []
    for col, mask, message, code in checks:
        for idx in ep.index[mask.fillna(False).to_numpy(bool)]:
            out.append(
                raw.problem(idx, col, None,
                        message, code=code)
            )  # fmt: skip
    return out


#: What the forecast reads from a return: ``--strict`` refuses only on these.
FORECAST_FIELDS = {
    "header": frozenset({"CHILD", "DOB"}),
    "episodes": frozenset({"CHILD", "DECOM", "RNE", "LS", "PLACE", "PLACE_PROVIDER", "DEC"}),
}


def _used(problem: Problem, kind: str) -> bool:
    """Whether a problem concerns a field the forecast reads (or the table as a whole)."""
    used = FORECAST_FIELDS.get(kind)
    if used is None:
        return False
    return problem.column is None or problem.column.strip().upper() in used


def _check_return(ret: Return, *, all_fields: bool = True) -> list[Problem]:
    """Every field of one return's header, episodes and uasc tables, as ``validate`` checks.

    With ``all_fields`` false, only what the forecast reads is checked (``--strict`` on
    an analytic command): no postcodes, no uasc table, no fields it never uses.
    """
    from sufficiency.io.inputs import postcode_problems
    from sufficiency.io.reconcile import numeric_key

    def key(raw: RawTable, table: pd.DataFrame) -> pd.Series:  # how the forecast reads it
        return numeric_key(table["CHILD"], dotted=raw.delimiter in (";", "\t"))

    problems: list[Problem] = []
    dob_parts: list[pd.DataFrame] = []
    children: set[str] | None = None
    numbers: set[str] = set()  # the header's numeric CHILDs, as whole numbers
    checked_eps: list[tuple[RawTable, pd.DataFrame]] = []
    for kind, schema in (
        ("header", header_schema()),
        ("episodes", episodes_schema(ret.year)),
        ("uasc", uasc_schema()),
    ):
        for t in ret.tables.get(kind, ()):
            table, found = check_table(t.raw, schema)
            problems += found if all_fields else [p for p in found if _used(p, kind)]
            problems += id_problems(t.raw, table, "CHILD")  # a name is no child's ID
            table.loc[not_an_id(table["CHILD"]), "CHILD"] = pd.NA
            if kind == "header":
                children = (children or set()) | set(table["CHILD"].dropna())
                numbers |= set(key(t.raw, table).dropna())
                dob_parts.append(table.dropna(subset=["CHILD", "DOB"])[["CHILD", "DOB"]])
                problems += _two_dobs(t.raw, table)
                problems += upn_problems(t.raw, table) if all_fields else []
            elif kind == "episodes":
                problems += episode_problems(t.raw, table)
                problems += year_problems(t.raw, table, ret.year)
                for col, what in (("HOME_POST", "home"), ("PL_POST", "placement")):
                    if all_fields:
                        problems += postcode_problems(t.raw, table, col, what=what)
                checked_eps.append((t.raw, table))
    dobs = (
        pd.concat(dob_parts).drop_duplicates("CHILD", keep="last").set_index("CHILD")["DOB"]
        if dob_parts
        else pd.Series(dtype="datetime64[ns]", index=pd.Index([], dtype="string"))
    )
    for raw, table in checked_eps:
        missing = pd.Series(False, index=table.index)
        k = key(raw, table)
        forms = pd.DataFrame({"id": table["CHILD"], "k": k}).dropna().drop_duplicates()
        # 100211.0 is the header's 100211, unless this table writes it two ways (0101434
        # beside 101434: two children to the forecast, as to reconcile's _same_ids)
        twins = forms[forms["k"].duplicated(keep=False)].groupby("k")["id"].agg(list)
        if children is not None:
            missing = ~table["CHILD"].isin(children) & table["CHILD"].notna()
            missing &= ~(k.isin(numbers) & ~k.isin(twins.index))
        born = pd.Series(dobs.reindex(table["CHILD"].to_numpy()).to_numpy(), index=table.index)
        late = (born > table["DECOM"]).fillna(False)
        for mask, column, message, code in (
            (missing, "child", "child has episodes but no row in that year's header",
             "child_not_in_header"),
            (late, "child", "episode starts (DECOM) before the child's date of birth (DOB in "
             "the header)", "dob_after_start"),
        ):  # fmt: skip
            for idx in table.index[mask.to_numpy(bool)]:
                child = str(table.at[idx, "CHILD"])
                other = [i for i in twins.get(k[idx], []) if i != child] if mask is missing else []
                problems.append(
                    raw.problem(idx, column, child, message + (
                        f": it and {other[0]}, both in this table, are one number written "
                        "two ways (leading zeros, a decimal point or separators), so are read "
                        "as two children; write one identifier"
                        if other else ""), code=code)
                )  # fmt: skip
    return problems


def _two_dobs(raw: RawTable, table: pd.DataFrame) -> list[Problem]:
    """A warning for each header row repeating a child with another date of birth than
    the child's last row, which the forecast uses (an age band may hang on the choice)."""
    known = table.dropna(subset=["CHILD", "DOB"])
    last = known.drop_duplicates("CHILD", keep="last")
    used = pd.Series(last.index, index=last["CHILD"].to_numpy())
    odd = known[known["DOB"].to_numpy() != last.set_index("CHILD")["DOB"].reindex(
        known["CHILD"]).to_numpy()]  # fmt: skip
    rows = {i: raw.row_number(int(used[odd.at[i, "CHILD"]])) for i in odd.index}
    return [
        raw.problem(i, "dob", None, "child appears twice in this header with different dates "
                    f"of birth: the forecast uses row {rows[i]}'s; check which is right",
                    severity="warning", code="duplicate_child")
        for i in odd.index
    ]  # fmt: skip


def _source(paths: list[Path]) -> str:
    return ", ".join(str(p) for p in paths)


def _gather(paths: list[Path]) -> tuple[list[Return], list[Problem], list[Problem], Scan]:
    """Scan ``paths`` (zips read in place): the returns found, errors that stop
    everything, reading notes."""
    with unzipped(paths) as z:
        found = z.scan(scan(z.paths), paths)
    errors = list(found.errors)
    notes = [*found.skipped, *found.notes]
    if not found.tables and not errors:
        errors.append(
            Problem(_source(paths), None, None, None,
                    "no CSV or XLSX files found" if not found.skipped and not found.other_tables
                    else "no 903 header or episodes table found", code="no_files")
        )  # fmt: skip
        return [], errors, notes, found
    returns, year_notes = assign_years(found.tables)
    returns, merged_notes = with_merged_headers(returns)  # SEX, DOB in the episodes
    notes += year_notes + merged_notes
    missing = [k for k in ("header", "episodes") if not any(k in r.tables for r in returns)]
    if found.tables and missing:
        errors.append(
            Problem(_source(paths), None, None, None,
                    f"no 903 {' or '.join(missing)} table found", code="missing_table")
        )  # fmt: skip
    return [r for r in returns if "episodes" in r.tables], errors, notes, found


def _not_used(found: Scan) -> list[Problem]:
    other = found.other_tables
    return [
        Problem(src, None, None, None, f"is the 903 {name} table: present, not used",
                severity="warning", code="table_not_used")
        for src, name in other
    ]  # fmt: skip


def load_ssda903(
    paths: list[Path], *, all_fields: bool = True
) -> tuple[SSDA903History | None, list[Problem]]:
    """Read and check 903 files strictly; return the history (None if unusable) and problems.

    Every field of the header, episodes and uasc tables is checked against DfE's
    specification (only those the forecast reads when ``all_fields`` is false); what
    reconciling the returns finds (revised episodes, open episodes whose child
    vanished, missing years) is added as warnings.
    """
    returns, errors, notes, found = _gather(list(paths))
    problems = errors + notes
    if errors and not returns:
        return None, problems
    for r in returns:
        seen = set(problems)  # a file of several years: its unknown column said once
        problems += [p for p in _check_return(r, all_fields=all_fields) if p not in seen]
    if errors:
        return None, problems
    history = _history(returns, found, notes)
    assert history.quality is not None
    problems += [replace(p, action="") for p in history.quality.problems if p.code in VALIDATED]
    problems = said_as_read(problems, returns, history.end)  # its end read as open
    return history, as_read(problems)  # an open end written as the last day: not zero-length


def _history(returns: list[Return], found: Scan, notes: list[Problem]) -> SSDA903History:
    from sufficiency.io.reconcile import reconcile

    rec = reconcile(returns)
    assert rec.quality is not None  # reconcile records what it found
    extra = list(notes) + _not_used(found)
    source = _source(list(found.paths))
    for y in rec.missing_years:
        extra.append(
            Problem(source, None, None, None,
                    f"no return for the {year_label(y)} collection year",
                    severity="warning", code="missing_year",
                    action="its months are left out of the rates")
        )  # fmt: skip
    if rec.quality.in_year_extract and rec.data_end is not None:  # an extract has its end
        extra.append(
            Problem(rec.quality.returns[-1].sources, None, None, None,
                    f"the {year_label(rec.years[-1])} return holds data only to "
                    f"{said_day(rec.data_end)} (an in-year extract)", severity="warning",
                    code="in_year_extract", action="the history ends, and forecasts start, there")
        )  # fmt: skip
    quality = replace(
        rec.quality,
        problems=tuple(extra) + rec.quality.problems,
        not_used=found.other_tables,
    )
    return replace(rec, quality=quality)


def read_history(paths: list[Path] | Path | str, *, strict: bool = False) -> SSDA903History:
    """Read a 903 history for the analytic commands, repairing and setting aside by rule.

    Parameters
    ----------
    paths
        Folders and files holding the returns (one path, as a ``Path`` or a string, or a
        list of them).
    strict
        Refuse (raise) on any error :func:`load_ssda903` finds in the fields the forecast
        reads, as ``validate`` would, instead of repairing.

    Raises
    ------
    InputDataError
        No header or episodes table; a file that looks like a 903 table cannot be read;
        or, with ``strict``, any error in the checked fields.
    """
    plist = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    if strict:
        history, problems = load_ssda903(plist, all_fields=False)
        if history is None or any(p.severity == "error" for p in problems):
            raise InputDataError(problems)
        return history
    returns, errors, notes, found = _gather(plist)
    if errors:
        raise InputDataError([*errors, *notes])  # what reading found too (skipped files)
    return _history(returns, found, notes)


def read_ssda903(paths: list[Path] | Path | str) -> SSDA903History:
    """Read a 903 history strictly; raise :class:`InputDataError` listing every error found."""
    return read_history(paths, strict=True)
