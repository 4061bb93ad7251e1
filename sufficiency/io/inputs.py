"""Input contracts for tonight's referrals and the placement register.

Each reader validates the whole file, collects every problem, and either returns
a typed, canonical table or raises :class:`~sufficiency.errors.InputDataError`.
Field-by-field documentation: ``docs/data-contract.md``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from sufficiency.codes import (
    ALONGSIDE_ALIASES,
    NEEDED_BY_ALIASES,
    PROVIDER_903_TO_OURS,
    RISK_ALIASES,
    Communication,
    Pets,
    Provider,
    Setting,
)
from sufficiency.errors import InputDataError, Problem
from sufficiency.geo import PostcodeStatus, directory, known_upper_tier_codes
from sufficiency.io.schema import Field, TableSchema, check_table, column_key, mask_value
from sufficiency.io.tables import RawTable, read_tables

SUITABILITY = {
    "preferred": "preferred",
    "suitable": "suitable",
    "suitable but not preferred": "suitable",
    "not specified": "suitable",
    "unsuitable": "unsuitable",
}
SEX_CHILD = {"1": "M", "2": "F", "m": "M", "f": "F", "male": "M", "female": "F"}
PETS = {
    **{p.value: p.value for p in Pets},
    "yes - must": "must",
    "yes - can": "can",
    "not known": "unknown",
}
ALONGSIDE = {
    **{k: v.value for k, v in ALONGSIDE_ALIASES.items()},
    "solo placement recommended": "solo",
    "with other children recommended": "with_others",
    "only with other older children": "only_older",
    "only with other younger children": "only_younger",
}
COMMUNICATION = {**{c.value: c.value for c in Communication}}
RISKS = {k: v.value for k, v in RISK_ALIASES.items()}
YES_NO = {"yes": "Y", "no": "N"}

#: Placements Data Standard v2 wide risk columns ("Risk Present" / "No known risk").
STANDARD_RISK_COLUMNS = {
    column_key("Risk to child: Self-harm"): "self_harm",
    column_key("Risk to child: Sexual exploitation"): "cse",
    column_key("Risk to child: Criminal exploitation"): "cce",
    column_key("Risk to child: Drug and alcohol use"): "substances",
    column_key("Risk to child: Eating disorder"): "eating_disorder",
    column_key("Risk to child: Going missing"): "missing",
    column_key("Risk to others or property: Physical harm"): "harm_physical",
    column_key("Risk to others or property: Sexual harm"): "harm_sexual",
    column_key("Risk to others or property: Fire-setting"): "fire_setting",
    column_key("Risk to others or property: Harm to animals"): "harm_animals",
    column_key("Risk to others or property: Criminal exploitation"): "cce",
}


def _suit(name: str, label: str, *aliases: str) -> Field:
    return Field(
        name,
        "code",
        f"Suitability of {label}: preferred, suitable or unsuitable (blank = suitable).",
        choices=SUITABILITY,
        default="suitable",
        aliases=aliases,
    )


REFERRALS = TableSchema(
    name="referrals",
    description="Children needing a placement tonight, one row per child.",
    unique=("child_id",),
    fields=(
        Field(
            "child_id",
            "text",
            "The child's ID in the case management system.",
            required=True,
            nullable=False,
            aliases=("Child ID", "CHILD"),
        ),
        Field(
            "dob",
            "date",
            "Date of birth, DD/MM/YYYY.",
            required=True,
            nullable=False,
            sensitive=True,
            aliases=("date_of_birth", "DOB"),
        ),
        Field("sex", "code", "1/2 or M/F.", required=True, nullable=False, choices=SEX_CHILD),
        Field(
            "home_postcode",
            "postcode",
            "Postcode of the home the child is leaving; blank for unaccompanied "
            "asylum-seeking children (distance then unknown).",
            required=True,
            sensitive=True,
            aliases=("HOME_POST",),
        ),
        Field(
            "sibling_group",
            "text",
            "Children sharing a value should be placed together.",
            aliases=("siblings_group",),
        ),
        Field("school_postcode", "postcode", "Postcode of the child's school.", sensitive=True),
        Field(
            "school_year",
            "int",
            "National curriculum year (Reception = 0); 10 and 11 are key stage 4.",
            min_value=0,
            max_value=14,
        ),
        Field(
            "needed_by",
            "code",
            "today, <5 days or >5 days (blank = today).",
            choices={k: v.value for k, v in NEEDED_BY_ALIASES.items()},
            default="today",
            aliases=("When do you need this placement by",),
        ),
        _suit("foster_suitability", "foster care", "Foster care suitability"),
        _suit("residential_suitability", "residential care", "Residential care suitability"),
        _suit(
            "supported_suitability",
            "supported accommodation",
            "Supported Accomodation suitability",
            "Supported Accommodation suitability",
        ),
        Field(
            "alongside",
            "code",
            "Who the child can live alongside: solo, with_others, "
            "only_older, only_younger or no_preference (blank = no_preference).",
            choices=ALONGSIDE,
            default="no_preference",
            aliases=("Who can the child be cared for alongside",),
        ),
        Field(
            "pets",
            "code",
            "must, can, no or unknown (blank = unknown).",
            choices=PETS,
            default="unknown",
            aliases=("Can child live with pets/animals?",),
        ),
        Field("risks", "codes", "Semicolon list of risk codes.", choices=RISKS),
        Field(
            "communication",
            "codes",
            "Semicolon list: esol, bsl, makaton, other.",
            choices={**COMMUNICATION, "none": "none"},
            aliases=("Specific communication and language requirements",),
        ),
        Field(
            "adaptations",
            "flag",
            "Y if the home needs adaptations.",
            aliases=("Adaptation to the home",),
        ),
        Field(
            "dolo",
            "flag",
            "Y if the child is subject to a deprivation of liberty order.",
            aliases=("Deprivation of Liberty Order", "Deprivation of Liberty Order)"),
        ),
        Field(
            "responsible_la",
            "text",
            "ONS code of the responsible authority (blank = the configured default).",
        ),
    ),
)

SETTINGS = {
    **{s.value: s.value for s in Setting},
    "fostering": "foster",
    "residential care": "residential",
    "children's home": "residential",
    "childrens home": "residential",
    "supported accommodation": "supported",
}
PROVIDERS = {
    **{p.value: p.value for p in Provider},
    "in-house": "in_house",
    "other la": "other_la",
    **{c.lower(): c for c in PROVIDER_903_TO_OURS},
    "pr0": "PR0",
}
PLACEMENT_SEX = {"any": "any", "mixed": "any", "m": "M", "male": "M", "f": "F", "female": "F"}

PLACEMENTS = TableSchema(
    name="placements",
    description="Tonight's placement register, one row per placement offer.",
    unique=("placement_id",),
    fields=(
        Field("placement_id", "text", "Unique ID of the offer.", required=True, nullable=False),
        Field(
            "setting",
            "code",
            "foster, residential or supported.",
            required=True,
            nullable=False,
            choices=SETTINGS,
        ),
        Field(
            "provider",
            "code",
            "in_house, ifa, external or other_la, or 903 code PR1-PR5.",
            required=True,
            nullable=False,
            choices=PROVIDERS,
        ),
        Field("postcode", "postcode", "Postcode of the home.", required=True, nullable=False),
        Field(
            "vacancies",
            "int",
            "Children it can take tonight.",
            required=True,
            nullable=False,
            min_value=0,
        ),
        Field(
            "weekly_cost",
            "number",
            "GBP per child per week.",
            required=True,
            nullable=False,
            min_value=0,
        ),
        Field(
            "age_min",
            "int",
            "Youngest age accepted (whole years).",
            required=True,
            nullable=False,
            min_value=0,
            max_value=25,
        ),
        Field(
            "age_max",
            "int",
            "Oldest age accepted (whole years).",
            required=True,
            nullable=False,
            min_value=0,
            max_value=25,
        ),
        Field("sex", "code", "any, M or F (blank = any).", choices=PLACEMENT_SEX, default="any"),
        Field(
            "current_children",
            "int",
            "Children already living there (blank = 0).",
            min_value=0,
            default=0,
        ),
        Field("current_ages", "text", "Semicolon list of their ages (blank = unknown)."),
        Field("risk_exclusions", "codes", "Risk codes it cannot accept.", choices=RISKS),
        Field("has_pets", "flag", "Y if there are pets."),
        Field(
            "communication",
            "codes",
            "Communication needs it supports.",
            choices={**COMMUNICATION, "none": "none"},
        ),
        Field("adapted", "flag", "Y if the home is adapted."),
        Field("ofsted_rating", "text", "Latest Ofsted judgement."),
        Field("urn", "text", "Ofsted URN."),
        Field("available_from", "date", "Date the vacancy opens (blank = now)."),
        Field("tier", "text", "Framework tier."),
    ),
)


# --- Shared helpers ---------------------------------------------------------


def read_single_table(path: Path | str, schema: TableSchema) -> RawTable:
    """Read a CSV, or the sheet of a workbook whose columns best fit ``schema``."""
    tables = read_tables(Path(path))
    if len(tables) == 1:
        return tables[0]
    return max(tables, key=lambda t: sum(schema.field_for(c) is not None for c in t.data.columns))


def postcode_problems(
    raw: RawTable, table: pd.DataFrame, column: str, *, what: str
) -> list[Problem]:
    """Warn about well-formed postcodes that cannot be placed on the grid."""
    present = table[column].notna()
    if not present.any():
        return []
    looked = directory().lookup(table.loc[present, column])
    out = []
    for idx, status, pc in zip(table.index[present], looked.status, looked.postcode, strict=True):
        if status == PostcodeStatus.OK:
            continue
        reason = {
            PostcodeStatus.UNKNOWN: "is not in the ONS Postcode Directory (mistyped or "
            "terminated?)",
            PostcodeStatus.NO_GRID: "has no grid reference (Channel Islands, Isle of Man or "
            "a non-geographic postcode)",
            PostcodeStatus.NOT_GB_GRID: "is in Northern Ireland, on a different grid",
        }.get(PostcodeStatus(status), "cannot be located")
        out.append(
            Problem(
                raw.source,
                raw.row_number(int(idx)),
                raw.column_label(column),
                mask_value(str(pc)),
                f"{what} postcode {reason}; distance will be unknown",
                severity="warning",
                code="unknown_postcode",
            )
        )
    return out


def _raise_on_errors(problems: list[Problem]) -> None:
    if any(p.severity == "error" for p in problems):
        raise InputDataError(problems)


def age_in_years(dob: pd.Series, on: dt.date) -> pd.Series:
    """Whole years of age on date ``on`` (birthdays count on the day)."""
    d = pd.to_datetime(dob)
    before = (d.dt.month > on.month) | ((d.dt.month == on.month) & (d.dt.day > on.day))
    return (on.year - d.dt.year - before.astype(int)).astype("Int64")


# --- Referrals ------------------------------------------------------------------


def _fold_standard_risks(raw: RawTable) -> tuple[RawTable, list[Problem]]:
    """Turn Placements Data Standard v2 wide risk columns into one ``risks`` list."""
    wide = [c for c in raw.data.columns if column_key(c) in STANDARD_RISK_COLUMNS]
    if not wide:
        return raw, []
    problems = []
    data = raw.data.copy()
    items: list[list[str]] = [[] for _ in range(len(data))]
    for col in wide:
        code = STANDARD_RISK_COLUMNS[column_key(col)]
        vals = data[col].str.lower()
        for pos, (idx, v) in enumerate(vals.items()):
            if pd.isna(v) or v in ("no known risk", "no", "n"):
                continue
            if v in ("risk present", "yes", "y"):
                items[pos].append(code)
            else:
                problems.append(
                    Problem(
                        raw.source,
                        raw.row_number(int(idx)),
                        raw.column_label(col),
                        str(v),
                        "must be 'Risk Present' or 'No known risk'",
                    )
                )
    joined = pd.Series(
        [";".join(x) if x else pd.NA for x in items], index=data.index, dtype="string"
    )
    if "risks" in data.columns:
        joined = (data["risks"].fillna("") + ";" + joined.fillna("")).str.strip(";")
        joined = joined.mask(joined == "")
    data = data.drop(columns=wide)
    data["risks"] = joined
    original = {k: v for k, v in raw.original_columns.items() if k not in wide}
    original.setdefault("risks", "risks")
    return RawTable(raw.source, data, original, raw.first_data_row), problems


def load_referrals(
    path: Path | str, *, default_responsible_la: str, run_date: dt.date | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate a referrals file; return the typed table and every problem found.

    ``run_date`` enables the age checks (no child aged 18 or over, no future DOB).
    """
    raw, problems = _fold_standard_risks(read_single_table(path, REFERRALS))
    table, found = check_table(raw, REFERRALS)
    problems += found
    table["communication"] = table["communication"].map(
        lambda xs: tuple(x for x in xs if x != "none")
    )
    table["responsible_la"] = table["responsible_la"].fillna(default_responsible_la)
    bad_la = table["responsible_la"].notna() & ~table["responsible_la"].isin(
        known_upper_tier_codes()
    )
    for idx in table.index[bad_la]:
        problems.append(
            Problem(
                raw.source,
                raw.row_number(int(idx)),
                "responsible_la",
                str(table.at[idx, "responsible_la"]),
                "is not an English upper-tier authority code (e.g. E10000034)",
            )
        )
    if run_date is not None:
        age = age_in_years(table["dob"], run_date)
        for idx in table.index[(age >= 18).fillna(False).to_numpy(bool)]:
            problems.append(
                Problem(
                    raw.source,
                    raw.row_number(int(idx)),
                    raw.column_label("dob"),
                    None,
                    "makes the child 18 or over on the run date; "
                    "children's placements are for under-18s",
                    code="adult",
                )
            )
        for idx in table.index[(table["dob"] > pd.Timestamp(run_date)).to_numpy(bool)]:
            problems.append(
                Problem(
                    raw.source,
                    raw.row_number(int(idx)),
                    raw.column_label("dob"),
                    None,
                    "is after the run date",
                    code="future_dob",
                )
            )
    groups = table["sibling_group"].dropna()
    sizes = groups.map(groups.value_counts())
    for idx in sizes.index[sizes == 1]:
        problems.append(
            Problem(
                raw.source,
                raw.row_number(int(idx)),
                raw.column_label("sibling_group"),
                str(groups[idx]),
                "sibling group has only one member; check the other "
                "children's sibling_group values",
                severity="warning",
                code="lone_sibling",
            )
        )
    for col, what in (("home_postcode", "home"), ("school_postcode", "school")):
        problems += postcode_problems(raw, table, col, what=what)
    return table.reset_index(drop=True), problems


def read_referrals(
    path: Path | str,
    *,
    default_responsible_la: str = "E10000034",
    run_date: dt.date | None = None,
) -> pd.DataFrame:
    """Read and validate referrals; raise :class:`InputDataError` listing every error."""
    table, problems = load_referrals(
        path, default_responsible_la=default_responsible_la, run_date=run_date
    )
    _raise_on_errors(problems)
    return table


# --- Placements -------------------------------------------------------------------


def _parse_ages(raw: RawTable, table: pd.DataFrame) -> tuple[pd.Series, list[Problem]]:
    out: list[tuple[int, ...]] = []
    problems = []
    for idx, text in table["current_ages"].items():
        if pd.isna(text):
            out.append(())
            continue
        parts = [p.strip() for p in str(text).replace(",", ";").split(";") if p.strip()]
        if not all(p.isdigit() for p in parts):
            problems.append(
                Problem(
                    raw.source,
                    raw.row_number(int(idx)),
                    raw.column_label("current_ages"),
                    str(text),
                    "must be a semicolon list of whole-year ages, e.g. 7;12",
                )
            )
            out.append(())
            continue
        ages = tuple(sorted(int(p) for p in parts))
        n = table.at[idx, "current_children"]
        if pd.notna(n) and len(ages) > int(n):
            problems.append(
                Problem(
                    raw.source,
                    raw.row_number(int(idx)),
                    raw.column_label("current_ages"),
                    str(text),
                    f"lists {len(ages)} ages but current_children is {n}",
                )
            )
        out.append(ages)
    return pd.Series(out, index=table.index, dtype=object), problems


def load_placements(path: Path | str) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate a placement register; return the typed table and every problem found."""
    raw = read_single_table(path, PLACEMENTS)
    table, problems = check_table(raw, PLACEMENTS)
    for col in ("communication",):
        table[col] = table[col].map(lambda xs: tuple(x for x in xs if x != "none"))
    table["current_ages"], found = _parse_ages(raw, table)
    problems += found
    inverted = (table["age_min"] > table["age_max"]).fillna(False).to_numpy(bool)
    for idx in table.index[inverted]:
        problems.append(
            Problem(
                raw.source,
                raw.row_number(int(idx)),
                raw.column_label("age_min"),
                f"{table.at[idx, 'age_min']} > {table.at[idx, 'age_max']}",
                "age_min is greater than age_max",
                code="age_range",
            )
        )
    # 903 provider codes: map onto our providers by setting.
    for idx, code in table["provider"].items():
        if pd.isna(code) or not str(code).startswith("PR"):
            continue
        setting = table.at[idx, "setting"]
        if code == "PR0":
            problems.append(
                Problem(
                    raw.source,
                    raw.row_number(int(idx)),
                    raw.column_label("provider"),
                    "PR0",
                    "PR0 (parents) is not a placement offer",
                )
            )
            table.at[idx, "provider"] = pd.NA
        elif pd.notna(setting):
            table.at[idx, "provider"] = PROVIDER_903_TO_OURS[str(code)][Setting(setting)].value
    young_supported = (table["setting"] == "supported") & (table["age_min"] < 16)
    for idx in table.index[young_supported.fillna(False).to_numpy(bool)]:
        problems.append(
            Problem(
                raw.source,
                raw.row_number(int(idx)),
                raw.column_label("age_min"),
                str(table.at[idx, "age_min"]),
                "supported accommodation is only for 16-17 year olds; younger "
                "children will not be matched to it",
                severity="warning",
                code="supported_age",
            )
        )
    free = (table["weekly_cost"] == 0).fillna(False).to_numpy(bool)
    for idx in table.index[free]:
        problems.append(
            Problem(
                raw.source,
                raw.row_number(int(idx)),
                raw.column_label("weekly_cost"),
                "0",
                "weekly cost is zero; check it is not missing",
                severity="warning",
                code="zero_cost",
            )
        )
    problems += postcode_problems(raw, table, "postcode", what="placement")
    table["vacancies"] = table["vacancies"].fillna(0)
    table["current_children"] = table["current_children"].fillna(0)
    for col in ("vacancies", "age_min", "age_max", "current_children"):
        table[col] = table[col].astype("Int64")
    table["weekly_cost"] = table["weekly_cost"].astype("Float64")
    return table.reset_index(drop=True), problems


def read_placements(path: Path | str) -> pd.DataFrame:
    """Read and validate a placement register; raise :class:`InputDataError` on errors.

    Returned numeric columns are plain NumPy dtypes (errors have been ruled out).
    """
    table, problems = load_placements(path)
    _raise_on_errors(problems)
    for col in ("vacancies", "age_min", "age_max", "current_children"):
        table[col] = table[col].astype(np.int64)
    table["weekly_cost"] = table["weekly_cost"].astype(np.float64)
    return table
