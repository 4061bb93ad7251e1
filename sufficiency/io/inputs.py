"""Input contracts for tonight's referrals and the placement register.

Each reader validates the whole file, collects every problem, and either returns
a typed, canonical table or raises :class:`~sufficiency.errors.InputDataError`.
Field-by-field documentation: ``docs/data-contract.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from sufficiency.codes import (
    ALONGSIDE_ALIASES,
    NEEDED_BY_ALIASES,
    PROVIDER_903_TO_OURS,
    REGISTER_CATEGORY,
    RISK_ALIASES,
    Communication,
    Pets,
    Provider,
    Setting,
)
from sufficiency.errors import InputDataError, Problem
from sufficiency.geo import (
    PostcodeStatus,
    council_name,
    directory,
    names_a_council,
    responsible_la_problem,
)
from sufficiency.io import plain_none as none_words
from sufficiency.io.blank_read import ALONGSIDE_SAID, SEX_SAID
from sufficiency.io.current_ages import age_problems
from sufficiency.io.current_blank import blank_counts, not_given
from sufficiency.io.decisions import read_decisions_for_night
from sufficiency.io.group_case import one_spelling
from sufficiency.io.hidden_sheets import read_shown_table
from sufficiency.io.home_aside import with_home_rows_set_aside
from sufficiency.io.id_shape import decimal_id_notes, id_problems
from sufficiency.io.no_group import no_group
from sufficiency.io.plain_answers import PETS_SAID, RISKS_SAID, plain_answers
from sufficiency.io.repeated_rows import mark_repeats
from sufficiency.io.same_child import same_child_problems
from sufficiency.io.same_home import same_home_problems
from sufficiency.io.schema import (
    Field,
    TableSchema,
    check_table,
    column_key,
)
from sufficiency.io.shape import mask_value
from sufficiency.io.siblings_aside import siblings_set_aside
from sufficiency.io.stray_rows import maybe_totals, not_records, set_aside_not_records
from sufficiency.io.suitability_columns import suitability_columns_unread
from sufficiency.io.tables import NOT_A_RECORD, NightTable, RawTable, split_rows
from sufficiency.io.ticks import read_ticks, yes_and_no
from sufficiency.prices import (
    DAYS_PER_WEEK,
    DEFAULT_WEEKLY_COSTS,
    MOST_WEEKLY_GBP,
    NOT_A_WEEKS_COST,
    far_below_usual,
)
from sufficiency.vocabulary import counted, home_type, listed

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
    "yes-must": "must",
    "yes-can": "can",
    "yes": "can",
    "not known": "unknown",
}
NEEDED_BY = {
    **{k: v.value for k, v in NEEDED_BY_ALIASES.items()},
    "in less than 5 days": "<5 days",
    "less than 5 days": "<5 days",
    "in more than 5 days": ">5 days",
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


#: Placements Data Standard v2 fields a referral may carry that matching does not use
#: (our name -> the label as published). Read without a warning; free-text risks are
#: flagged, as a person must read them.
STANDARD_NOT_USED: dict[str, str] = {
    "preferred_location": "Preferred location for home search",
    "communication_needs": "Communication, language and learning needs",
    "cultural_needs": "Cultural needs (e.g. place of worship)",
    "additional_support": "Additional support (Please specify)",
    "additional_support_required": "Additional support required",
    "risk_to_child_other": "Risk to child: Other (please specify)",
    "risk_to_others_other": "Risk to others or property: Other (please specify)",
    "actual_weekly_cost": "Total Weekly Cost (actual weekly fee paid)",
    "actual_location": "Placement Location",
    "location_preferable": "Preferabilty of placement location",
    "education_continuity": "Education Continuity",
    "actual_provider_urn": "Provider URN (linked to Ofsted)",
    "siblings_placed_together": "How many siblings were placed together?",
    "actual_placement_type": "Placement Type",
    "officer_referral": "Name of officer (referral)",
    "entered_referral": "Date of Data entry (referral)",
    "officer_placement": "Name of officer (placement)",
    "entered_placement": "Date of Data entry (placement)",
    "officer_cost": "Name of officer (placement cost)",
    "entered_cost": "Date of Data entry (placement cost)",
}
NOT_USED = "Read, not used by matching."
#: Free-text risk columns: a value is a risk matching cannot check.
FREE_TEXT_RISKS = ("risk_to_child_other", "risk_to_others_other")


def _suit(name: str, label: str, *aliases: str) -> Field:
    return Field(
        name,
        "code",
        f"Suitability of {label}: preferred, suitable or unsuitable (blank = suitable).",
        choices=SUITABILITY,
        default="suitable",
        aliases=aliases,
    )


def _tonight(name: str, description: str, key: str, fields: tuple[Field, ...],
             children: bool = False) -> TableSchema:  # fmt: skip
    """One of tonight's tables: ``key`` unique, and a column named close to a field's name
    is an error (a typo would otherwise drop a safety field without a word). In a table of
    ``children`` a bad value is shown by its shape, but for the ID (``key``)."""
    return TableSchema(name, fields, (key,), close_columns="error", description=description,
                       child_id=key if children else None)  # fmt: skip


REFERRALS = _tonight(
    "referrals",
    "Children needing a placement tonight, one row per child.",
    "child_id",
    (
        Field(
            "child_id",
            "text",
            "The child's ID in the case management system.",
            required=True,
            nullable=False,
            aliases=("Child ID", "Child ID number", "CHILD"),
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
        Field(
            "sex",
            "code",
            "1/2 or M/F.",
            required=True,
            nullable=False,
            choices=SEX_CHILD,
            sensitive=True,
        ),
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
            "Children sharing a value should be placed together. An ID the council assigns "
            "(S12, say), never a family name: it is written in the outputs. A group whose "
            "referrals name different responsible authorities is warned of. N/A, None, "
            "NULL or a dash is no group (as blank), said in a warning.",
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
            choices=NEEDED_BY,
            default="today",
            aliases=("When placement is needed by", "When do you need this placement by"),
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
            ALONGSIDE_SAID,
            choices=ALONGSIDE,
            default="no_preference",
            aliases=("Who can the child be cared for alongside?",),
        ),
        Field(
            "pets",
            "code",
            PETS_SAID,
            choices=PETS,
            default="unknown",
            aliases=("Can the child live with pets/animals?", "Can child live with pets/animals?"),
        ),
        Field("risks", "codes", RISKS_SAID, choices=RISKS, sensitive=True),
        Field(
            "communication",
            "codes",
            none_words.COMMUNICATION_SAID,
            choices={**COMMUNICATION, "none": "none"},
            aliases=("Specific communication and language requirements",),
            sensitive=True,
        ),
        Field(
            "adaptations",
            "flag",
            none_words.ADAPTATIONS_SAID,
            aliases=("Adaptation to the home",),
            sensitive=True,
        ),
        Field(
            "dolo",
            "flag",
            "Y if the child is subject to a deprivation of liberty order.",
            aliases=("Deprivation of Liberty Order", "Deprivation of Liberty Order)"),
            sensitive=True,
        ),
        Field(
            "responsible_la",
            "text",
            "ONS code of the child's responsible authority, whose area decides out of area "
            "(blank = [general] responsible_la, with a warning where other referrals name "
            "other councils; set aside when that is not set either, and a council's name is "
            "set aside naming its code; a council in Wales, by its code or its English or "
            "Welsh name (Wrexham, Wrecsam, Ynys Môn), or an authority's code in Scotland or "
            "Northern Ireland, is set aside as outside England, the tool's area).",
        ),
        Field(
            "siblings_to_place_with",
            "int",
            "Number of siblings to place with (checked against sibling_group).",
            min_value=0,
            max_value=20,
            aliases=("Number of siblings to place with",),
        ),
        *(
            Field(
                name, "text", f"Placements Data Standard v2: {label}. {NOT_USED}", aliases=(label,)
            )
            for name, label in STANDARD_NOT_USED.items()
        ),
    ),
    children=True,
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

PLACEMENTS = _tonight(
    "placements",
    "Tonight's placement register, one row per placement offer.",
    "placement_id",
    (
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
        Field(
            "postcode",
            "postcode",
            "Postcode of the home. A placement whose postcode is blank, malformed or not "
            "in the postcode directory is not proposed (rule 15; see `unlocatable`).",
            required=True,
        ),
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
        Field("sex", "code", SEX_SAID, choices=PLACEMENT_SEX, default="any"),
        Field(
            "current_children",
            "int",
            "Children already living there (blank: at least one, of ages not known).",
            min_value=0,
            default=0,
        ),
        Field(
            "current_ages",
            "text",
            "Semicolon list of their ages (blank = unknown).",
            sensitive=True,
        ),
        Field(
            "risk_exclusions",
            "codes",
            "Risk codes it cannot accept (blank = none; no column: a warning, as every home "
            "is then read as taking any risk).",
            choices=RISKS,
        ),
        Field(
            "has_pets",
            "flag",
            "Y if there are pets, N if none (blank = not known: see the matching rules 7 and 13).",
            blank_unknown=True,
        ),
        Field(
            "communication",
            "codes",
            none_words.HOME_COMMUNICATION_SAID,
            choices={**COMMUNICATION, "none": "none"},
        ),
        Field("adapted", "flag", none_words.ADAPTED_SAID),
        Field("ofsted_rating", "text", "Latest Ofsted judgement (inadequate: costed, flagged)."),
        Field(
            "urn",
            "text",
            "Ofsted URN (blank for a residential or supported home: flagged). "
            "Rows of a children's home or supported accommodation with the same URN and "
            "postcode are one home for who may live alongside whom.",
        ),
        Field(
            "home_id",
            "text",
            "The team's ID of the home or household: rows with the same home_id are one home "
            "for who may live alongside whom, as rows with the same URN and postcode are (a "
            "foster household on two rows); different home_ids are different homes. Blank = "
            "not said. Its rows together take no more children than home_places.",
            aliases=("household", "household_id", "home_ref", "household_ref"),
        ),
        Field(
            "home_places",
            "int",
            "For a home on several rows (the same URN and postcode, or one home_id): the "
            "children it can take tonight across all its rows. Blank = the most vacancies "
            "any one of its rows gives (two rows of 1 may be one bed offered twice); give it "
            "(2, say) where the rows are separate beds. A foster household still takes at "
            "most three children in all.",
            min_value=0,
        ),
        Field("available_from", "date", "Date the vacancy opens (blank = now)."),
        Field("tier", "text", "Framework tier. Read, not used by matching."),
        Field(
            "council",
            "text",
            "ONS code of the council whose home it is, for an in-house or another council's "
            "home on a register several councils share: the report then says whose it is "
            "('Bolton (in-house)'). Blank = not said; a code that names no council is "
            "warned of and not said.",
            aliases=("local_authority", "la_code", "owning_la"),
        ),
    ),
)


# --- Shared helpers ---------------------------------------------------------


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
            PostcodeStatus.UNKNOWN: "is not in the ONS Postcode Directory (mistyped, "
            "terminated, or newer than the directory's release, as a new-build's may be: "
            "give the nearest postcode it has to locate it)",
            PostcodeStatus.NO_GRID: "has no grid reference (Channel Islands, Isle of Man or "
            "a non-geographic postcode)",
            PostcodeStatus.NOT_GB_GRID: "is in Northern Ireland, on a different grid",
        }.get(PostcodeStatus(status), "cannot be located")
        out.append(
            raw.problem(
                idx,
                column,
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


#: Answers of the Placements Data Standard v2 wide risk columns (lower case).
RISK_ANSWERS: dict[str, bool] = {
    "risk present": True, "yes": True, "y": True, "no known risk": False, "no": False, "n": False,
}  # fmt: skip


def referral_field_for(label: str) -> str | None:
    """The contract field a referral column feeds (``risks`` for the standard's wide
    risk columns), or ``None`` for a column matching does not know."""
    if column_key(label) in STANDARD_RISK_COLUMNS:
        return "risks"
    f = REFERRALS.field_for(label)
    return None if f is None else f.name


def _yes_no(label: str) -> tuple[str, str] | None:
    """What a tick and a cross mean in a referral column (:mod:`sufficiency.io.ticks`)."""
    if column_key(label) in STANDARD_RISK_COLUMNS:
        return ("risk present", "no known risk")
    return yes_and_no(REFERRALS.field_for(label))


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
            if pd.isna(v) or RISK_ANSWERS.get(v) is False:
                continue
            if RISK_ANSWERS.get(v):
                items[pos].append(code)
            else:
                problems.append(
                    raw.problem(
                        idx,
                        col,
                        mask_value(str(v)),
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
    # the rest of what reading found (rows wider than the header, notes) is kept
    return replace(raw, data=data, original_columns=original), problems


def load_referrals(
    path: Path | str,
    *,
    default_responsible_la: str,
    run_date: dt.date | None = None,
    harm_animals_excludes_pets: bool = True,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate a referrals file; return the typed table and every problem found.

    ``run_date`` enables the age checks (no child aged 18 or over, no future DOB).
    ``harm_animals_excludes_pets`` is the configuration's rule 13, which the warning on a
    referral saying both pets and a risk to animals describes.
    A file with a header row and no referrals is valid (a night with nobody to place).
    """
    _, table, problems = _load_referrals(
        path, default_responsible_la, run_date, harm_animals_excludes_pets
    )
    return table.reset_index(drop=True), problems


def _load_referrals(
    path: Path | str,
    default_responsible_la: str,
    run_date: dt.date | None,
    harm_animals_excludes_pets: bool = True,
) -> tuple[RawTable, pd.DataFrame, list[Problem]]:
    """:func:`load_referrals` keeping the file's row index (``raw.row_number`` names rows)."""
    read, ticked = read_ticks(read_shown_table(path, REFERRALS), _yes_no)
    read, none = no_group(read, mapping_key_for(read, REFERRALS, "sibling_group"))
    read, plain = plain_answers(read, lambda name: mapping_key_for(read, REFERRALS, name))
    read, said = none_words.plain_none(
        read, "referrals", lambda name: mapping_key_for(read, REFERRALS, name)
    )
    plain += said
    strays = _not_records(read, REFERRALS, ("dob", "sex"), "a child's referral",
                          "no date of birth or sex")  # fmt: skip
    raw, problems = _fold_standard_risks(read)
    table, found = check_table(raw, REFERRALS)
    group_column = mapping_key_for(raw, REFERRALS, "sibling_group")
    table["sibling_group"], spelt = one_spelling(raw, table["sibling_group"], group_column)
    problems = [*raw.notes, *ticked, *none, *plain, *spelt, *problems, *found]
    problems += id_problems(raw, table, "child_id")
    problems += decimal_id_notes(raw, table, "child_id")
    table["communication"] = table["communication"].map(
        lambda xs: tuple(x for x in xs if x != "none")
    )
    problems += _responsible_las(raw, table, default_responsible_la, strays)
    if run_date is not None:
        age = age_in_years(table["dob"], run_date)
        for idx in table.index[(age >= 18).fillna(False).to_numpy(bool)]:
            problems.append(
                raw.problem(
                    idx,
                    "dob",
                    None,
                    "makes the child 18 or over on the run date; "
                    "children's placements are for under-18s",
                    code="adult",
                )
            )
        for idx in table.index[(table["dob"] > pd.Timestamp(run_date)).to_numpy(bool)]:
            problems.append(
                raw.problem(
                    idx,
                    "dob",
                    None,
                    "is after the run date",
                    code="future_dob",
                )
            )
    groups = table["sibling_group"].dropna()
    sizes = groups.map(groups.value_counts())
    for idx in sizes.index[sizes == 1]:
        problems.append(
            raw.problem(
                idx,
                "sibling_group",
                mask_value(str(groups[idx])),  # often the family's name
                "sibling group has only one member; check the other "
                "children's sibling_group values",
                severity="warning",
                code="lone_sibling",
            )
        )
    problems += _sibling_groups_across_councils(raw, table, strays)
    for col, what in (("home_postcode", "home"), ("school_postcode", "school")):
        problems += postcode_problems(raw, table, col, what=what)
    problems += _referral_safety_notes(raw, table, harm_animals_excludes_pets)
    problems += _safety_columns_absent(raw, table)
    problems += suitability_columns_unread(raw, lambda c: _field_name(REFERRALS, c))
    problems = [_unlocated_child(raw, table, p) for p in problems]
    label = raw.column_label(mapping_key_for(raw, REFERRALS, "child_id"))
    problems += same_child_problems(raw, _rows_kept(raw, table, problems, strays), label)
    problems += _maybe_totals(read, REFERRALS, ("dob", "sex"), strays, "a child referred")
    return raw, table, set_aside_not_records(raw, problems, strays)


def _responsible_las(
    raw: RawTable, table: pd.DataFrame, default: str, strays: dict[int, str]
) -> list[Problem]:
    """Each referral's responsible authority, the configured ``default`` where it names
    none (set in ``table``); an error for a code no placement can be in the area of (an
    old code, a district's, a DfE LA number), and one for the whole file when referrals
    name none and no council is configured (a row of its own when others name theirs: set
    aside, the rest matched): no other council's code is assumed."""
    written = table["responsible_la"].astype("string").str.strip()
    given = written.str.upper().mask(written == "")
    table["responsible_la"] = given.fillna(default) if default else given
    out = []
    read = set()
    for idx, code in given.dropna().items():
        why = responsible_la_problem(str(code))
        if why:
            text = str(written[idx])
            shown = text if names_a_council(str(code)) else mask_value(text)
            out.append(raw.problem(idx, "responsible_la", shown, why))
        else:
            read.add(str(code))
    blank = [i for i in table.index[given.isna().to_numpy(bool)] if i not in strays]
    others = sorted(read - {default})
    if blank and default and others:
        # a regional night: the configured council is one of several, so a blank cell is
        # read as it, but said, as out of area and whose approval are judged against it
        column = mapping_key_for(raw, REFERRALS, "responsible_la")
        more = [f"{len(others) - 3} more"] if others[3:] else []
        names = listed([council_name(c) for c in others[:3]] + more)
        out += [raw.problem(i, column, None, f"is blank, so the child is read as "
                            f"{council_name(default)}'s ({default}, [general] responsible_la), "
                            f"while other referrals name other councils ({names}): check the "
                            "child's council, as out of area, and whose nominated officer "
                            "approves it, are judged against it", severity="warning",
                            code="responsible_la_assumed") for i in blank]  # fmt: skip
    if blank and not default and given.notna().any():
        # the export gives the code but not on these rows: set them aside, match the rest
        # (one blank cell never blocks a night)
        column = mapping_key_for(raw, REFERRALS, "responsible_la")
        out += [raw.problem(i, column, None, "is blank and [general] responsible_la is not "
                            "set, so which council's area is 'in area' is unknown: give the "
                            "council's ONS code (such as E08000035 for Leeds)",
                            code="no_responsible_la") for i in blank]  # fmt: skip
    elif blank and not default:
        out.append(Problem(
            raw.source, None, raw.column_label(mapping_key_for(raw, REFERRALS, "responsible_la")),
            None, f"{len(blank)} referral(s) name no responsible authority and the configuration "
            "names no council: set [general] responsible_la to your council's ONS code (such as "
            "E08000035 for Leeds) in your configuration file, a copy of configs/default.toml "
            "given with --config, or give each referral's code in a responsible_la column",
            code="no_responsible_la",
        ))  # fmt: skip
    return out


def _sibling_groups_across_councils(
    raw: RawTable, table: pd.DataFrame, strays: dict[int, str]
) -> list[Problem]:
    """One warning per sibling group whose referrals name more than one responsible
    authority (a brother under Bury, a sister under Bolton on a regional night): siblings
    are almost always one council's, so it is a data error worth checking, but the group is
    still matched, each child against their own council (codes set aside are left out)."""
    valid = [
        pd.notna(code) and not responsible_la_problem(str(code)) and i not in strays
        for i, code in table["responsible_la"].items()
    ]
    members = table.loc[table["sibling_group"].notna() & np.array(valid, dtype=bool)]
    label = raw.column_label(mapping_key_for(raw, REFERRALS, "sibling_group"))
    out = []
    for group, rows in members.groupby("sibling_group", sort=False)["responsible_la"]:
        if rows.nunique() < 2:
            continue
        by_council = [
            f"{council_name(str(code))} ({code}) on "
            + ("row " if len(of) == 1 else "rows ")
            + listed([str(raw.row_number(int(i))) for i in of.index])
            for code, of in rows.groupby(rows, sort=False)
        ]
        out.append(Problem(
            raw.source, None, label, str(group),
            f"the referrals of sibling group {group} name different responsible authorities: "
            f"{listed(by_council)}. Siblings are almost always one council's responsibility: "
            "check each child's responsible_la (the group is matched, each child's out of "
            "area and approvals judged against their own council)",
            severity="warning", code="siblings_across_councils",
        ))  # fmt: skip
    return out


def _unlocated_child(raw: RawTable, table: pd.DataFrame, problem: Problem) -> Problem:
    """A malformed home or school postcode does not stop a child being matched: the
    distance is unknown and flagged (the text is kept, so the child is not mistaken
    for one with no home postcode)."""
    for name, what in (("home_postcode", "home"), ("school_postcode", "school")):
        col = mapping_key_for(raw, REFERRALS, name)
        if problem.code != "invalid_value" or problem.column != raw.column_label(col):
            continue
        idx = next(i for i in table.index if raw.row_number(int(i)) == problem.row)
        table.at[idx, name] = str(raw.data.at[idx, col]).strip().upper()
        return replace(
            problem,
            severity="warning",
            code="unknown_postcode",
            message=f"{problem.message}; the child is matched with the distance from "
            f"{what} unknown",
        )
    return problem


#: Safety fields whose absence reads every child the least careful way: how each child
#: is then read, and what matching may then propose.
_SAFETY_READ_AS = {
    "risks": ("no known risk", "a home that cannot care for a child's risks"),
    "dolo": ("no deprivation of liberty order", "a child under a DoLO a home other than a "
             "children's home"),
}  # fmt: skip


def _safety_columns_absent(raw: RawTable, table: pd.DataFrame) -> list[Problem]:
    """One warning when the file has no column for a safety field: every child is then read
    as without it (no risks, no DoLO), and a home that cannot care for them may be proposed."""
    gone = [n for n in _SAFETY_READ_AS if not _present(raw, REFERRALS, n).any()]
    if not len(table) or not gone:
        return []
    read = " and ".join(_SAFETY_READ_AS[n][0] for n in gone)
    risk = " or ".join(_SAFETY_READ_AS[n][1] for n in gone)
    return [
        Problem(raw.source, None, None, None,
                f"has no {' or '.join(gone)} column: every child is read as having {read}, "
                f"so matching may propose {risk}. Give the column (blank where a child has "
                "none).", severity="warning", code="safety_column_absent")
    ]  # fmt: skip


def _row_warnings(
    raw: RawTable, table: pd.DataFrame, mask: pd.Series, column: str, code: str,
    message: Callable[[object], str], value: Callable[[object], str | None] = lambda _: None,
) -> list[Problem]:  # fmt: skip
    """One warning per row of ``table`` where ``mask`` holds, naming file, row and the
    referral column (``column``, a field name) as the file labels it."""
    label = raw.column_label(mapping_key_for(raw, REFERRALS, column))
    return [
        Problem(
            raw.source,
            raw.row_number(int(idx)),
            label,
            value(idx),
            message(idx),
            severity="warning",
            code=code,
        )
        for idx in table.index[mask.fillna(False).to_numpy(bool)]
    ]


def _pets_harm_animals_note(harm_animals_excludes_pets: bool) -> str:
    """What matching does with a referral saying the child can (or must) live with pets
    and also listing a risk of harm to animals, under the configuration's rule 13."""
    said = "says the child can live with pets but also lists a risk of harm to animals; "
    if harm_animals_excludes_pets:
        return said + "the safer reading applies: no home with pets is proposed (rule 13)"
    return said + (
        "rule 13 is switched off ([matching] harm_animals_excludes_pets = false), so a home "
        "with pets may be proposed: check the risk to animals before agreeing one"
    )


def _referral_safety_notes(
    raw: RawTable, table: pd.DataFrame, harm_animals_excludes_pets: bool
) -> list[Problem]:
    """Warnings a placement officer must see: contradictions and how matching reads them,
    risks given only in free text, and sibling counts that disagree with the sibling
    groups."""
    animals = table["risks"].map(lambda t: "harm_animals" in t).astype(bool)
    wants_pets = table["pets"].isin(["can", "must"])
    note = _pets_harm_animals_note(harm_animals_excludes_pets)
    out = _row_warnings(
        raw, table, animals & wants_pets, "pets", "pets_harm_animals", lambda _: note,
        lambda idx: str(table.at[idx, "pets"]),
    )  # fmt: skip
    for col in FREE_TEXT_RISKS:
        out += _row_warnings(
            raw, table, table[col].notna(), col, "free_text_risk",
            lambda _: "describes a risk in free text, which matching cannot check; read it "
            "before agreeing the proposal",
        )  # fmt: skip
    given = table["siblings_to_place_with"]
    groups = table["sibling_group"]
    sizes = groups.map(groups.value_counts()).fillna(1).astype(int) - 1
    out += _row_warnings(
        raw, table, given.notna() & (given != sizes), "siblings_to_place_with", "sibling_count",
        lambda idx: f"says {given[idx]} sibling(s) to place with, but {sizes[idx]} other "
        "referral(s) share this child's sibling_group; siblings are matched by sibling_group",
        lambda idx: str(given[idx]),
    )  # fmt: skip
    return out


def read_referrals(
    path: Path | str,
    *,
    default_responsible_la: str = "",
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
            problems.append(  # its shape only: a child's date of birth typed here is personal
                raw.problem(
                    idx,
                    "current_ages",
                    mask_value(str(text)),
                    "must be a semicolon list of whole-year ages, e.g. 7;12",
                )
            )
            out.append(())
            continue
        ages = tuple(sorted(int(p) for p in parts))
        problems += age_problems(raw, idx, text, ages, table.loc[idx])  # "25" for 2;5
        n = table.at[idx, "current_children"]
        if pd.notna(n) and len(ages) > int(n):
            problems.append(
                raw.problem(
                    idx,
                    "current_ages",
                    str(text),
                    f"lists {len(ages)} ages but current_children is {n}",
                )
            )
        out.append(ages)
    return pd.Series(out, index=table.index, dtype=object), problems


def _pets_not_known(raw: RawTable, table: pd.DataFrame) -> list[Problem]:
    """One warning for the homes that do not say whether they have pets (matching reads
    them as possibly having pets: never for a child who cannot live with pets or is a risk
    to animals, nor for one who must have pets)."""
    present = bool(_present(raw, PLACEMENTS, "has_pets").any())
    unknown = table["has_pets"].isna()
    if present:  # blank cells only: a value that is not Y or N is an error of its own
        unknown &= raw.data[mapping_key_for(raw, PLACEMENTS, "has_pets")].isna()
    if not unknown.any():
        return []
    rows = [str(raw.row_number(int(i))) for i in table.index[unknown.to_numpy(bool)]]
    shown = listed(rows[:5] + ([f"{len(rows) - 5} more"] if rows[5:] else []))
    if not present:
        which = "there is no has_pets column: no home says"
    else:
        label = raw.column_label(mapping_key_for(raw, PLACEMENTS, "has_pets"))
        which = f"{label} is blank on {counted(len(rows), 'row')} ({shown}): those homes do not say"
    return [
        Problem(raw.source, None, None, None,
                f"{which} whether they have pets, so a child who cannot live with pets, must "
                "live with them, or is a risk to animals is not proposed there (rules 7 and 13). "
                "Give Y or N.", severity="warning", code="pets_unknown")
    ]  # fmt: skip


def load_placements(path: Path | str) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate a placement register; return the typed table and every problem found."""
    _, table, problems = _load_placements(path)
    return table.reset_index(drop=True), problems


def _located_only(problem: Problem, label: str) -> Problem:
    """A blank or malformed placement postcode is a warning: the row is kept and rule 15
    decides (set aside, or charged as far away)."""
    if problem.column != label or problem.row is None or problem.code != "invalid_value":
        return problem
    return replace(
        problem,
        severity="warning",
        code="unlocatable",
        message=f"{problem.message}; the placement cannot be located, so it is not "
        'proposed (rule 15) unless unlocatable = "assume_far"',
    )


def _load_placements(path: Path | str) -> tuple[RawTable, pd.DataFrame, list[Problem]]:
    """:func:`load_placements` keeping the file's row index."""
    raw, ticked = read_ticks(read_shown_table(path, PLACEMENTS),
                             lambda label: yes_and_no(PLACEMENTS.field_for(label)))  # fmt: skip
    raw, said = none_words.plain_none(
        raw, "placements", lambda name: mapping_key_for(raw, PLACEMENTS, name)
    )
    ticked += said
    strays = _not_records(raw, PLACEMENTS, ("setting", "provider"), "a placement",
                          "no setting or provider")  # fmt: skip
    table, problems = check_table(raw, PLACEMENTS)
    if not _present(raw, PLACEMENTS, "urn").any():  # no URNs given: none are checked
        table = table.drop(columns="urn")
    problems = [*raw.notes, *ticked, *problems]
    label = raw.column_label(mapping_key_for(raw, PLACEMENTS, "postcode"))
    problems = [_located_only(p, label) for p in problems]
    blank = table["postcode"].isna() & _present(raw, PLACEMENTS, "postcode")
    for idx in table.index[blank.to_numpy(bool)]:
        if not any(p.row == raw.row_number(int(idx)) and p.column == label for p in problems):
            problems.append(
                Problem(raw.source, raw.row_number(int(idx)), label, None,
                        "is blank; the placement cannot be located, so it is not proposed "
                        '(rule 15) unless unlocatable = "assume_far"',
                        severity="warning", code="unlocatable")
            )  # fmt: skip
    for col in ("communication",):
        table[col] = table[col].map(lambda xs: tuple(x for x in xs if x != "none"))
    count_column = mapping_key_for(raw, PLACEMENTS, "current_children")
    unsaid = blank_counts(raw, table, count_column)  # not 0: not known (current_blank.py)
    table.loc[unsaid, "current_children"] = pd.NA
    table["current_ages"], found = _parse_ages(raw, table)
    table["current_children"], more = not_given(raw, table, unsaid, count_column)
    problems += found + more + _pets_not_known(raw, table.drop(index=list(strays)))
    if len(table) and not _present(raw, PLACEMENTS, "risk_exclusions").any():  # read as none
        problems.append(
            Problem(raw.source, None, None, None,
                    "there is no risk_exclusions column: every home is read as able to take "
                    "a child with any risk (fire-setting, sexual harm, going missing...), so "
                    "matching cannot keep such a child from a home that cannot care for them. "
                    "Give each home's exclusions (blank where it has none).",
                    severity="warning", code="no_risk_exclusions")
        )  # fmt: skip
    inverted = (table["age_min"] > table["age_max"]).fillna(False).to_numpy(bool)
    for idx in table.index[inverted]:
        problems.append(
            raw.problem(
                idx,
                "age_min",
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
                raw.problem(
                    idx,
                    "provider",
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
            raw.problem(
                idx,
                "age_min",
                str(table.at[idx, "age_min"]),
                "supported accommodation is only for 16-17 year olds; younger "
                "children will not be matched to it",
                severity="warning",
                code="supported_age",
            )
        )
    problems += raw.problems_where(  # a year's fee (£318,400) read as a week's
        table, table["weekly_cost"] > MOST_WEEKLY_GBP, "weekly_cost", NOT_A_WEEKS_COST,
        code="out_of_range",
    )  # fmt: skip
    problems += _day_fees(raw, table) + _home_councils(raw, table)
    free = (table["weekly_cost"] == 0).fillna(False).to_numpy(bool)
    for idx in table.index[free]:
        problems.append(
            raw.problem(
                idx,
                "weekly_cost",
                "0",
                "weekly cost is zero; check it is not missing",
                severity="warning",
                code="zero_cost",
            )
        )
    problems += [
        replace(p, code="unlocatable", message=p.message.replace(
            "distance will be unknown",
            'it is not proposed (rule 15) unless unlocatable = "assume_far"'))
        for p in postcode_problems(raw, table, "postcode", what="placement")
    ]  # fmt: skip
    if label in raw.data.columns:  # a malformed postcode kept as given: rule 15 names it
        given = raw.data[label].astype("string").str.strip().reindex(table.index)
        kept = table["postcode"].isna() & given.fillna("").ne("")
        table["postcode"] = table["postcode"].astype(object).where(~kept, given)
    table["vacancies"] = table["vacancies"].fillna(0)
    table["current_children"] = table["current_children"].fillna(0)
    for col in ("vacancies", "age_min", "age_max", "current_children"):
        table[col] = table[col].astype("Int64")
    table["weekly_cost"] = table["weekly_cost"].astype("Float64")
    table = mark_repeats(table)  # one home given twice: one home (repeated_rows.py)
    problems += same_home_problems(
        raw, _rows_kept(raw, table, problems, strays), label,
        raw.column_label(mapping_key_for(raw, PLACEMENTS, "home_id")),
    )  # fmt: skip
    problems += _maybe_totals(raw, PLACEMENTS, ("setting", "provider"), strays, "placement")
    return raw, table, set_aside_not_records(raw, problems, strays)


def _rows_kept(
    raw: RawTable, table: pd.DataFrame, problems: list[Problem], strays: dict[int, str]
) -> pd.DataFrame:
    """The rows of ``table`` that will be matched: no total or note row, and no error
    among ``problems`` (a row with one is set aside)."""
    bad = {p.row for p in problems if p.severity == "error" and p.file == raw.source}
    keep = [i for i in table.index if i not in strays and raw.row_number(int(i)) not in bad]
    return table.loc[keep]


def _home_councils(raw: RawTable, table: pd.DataFrame) -> list[Problem]:
    """Each home's council as its ONS code (in ``table``), blank where none is given; a
    warning for a code that names no council (an old code, a district's, a name), which is
    then not said: the column only says whose an in-house home is."""
    written = table["council"].astype("string").str.strip()
    table["council"] = written.str.upper().mask(written == "")
    out = []
    for idx, code in table["council"].dropna().items():
        if why := responsible_la_problem(str(code)):
            out.append(raw.problem(idx, "council", str(written[idx]), f"{why}; the home is "
                                   "matched, its council not said", severity="warning",
                                   code="council_not_known"))  # fmt: skip
            table.at[idx, "council"] = pd.NA
    return out


#: Register homes whose usual weekly cost has a basis (DOMAIN.md section 7): supported
#: accommodation's has none (supported lodgings can cost a few hundred pounds a week).
_DOUBTED_CHEAP = ("in_house_foster", "ifa_foster", "in_house_residential", "external_residential")


def _day_fees(raw: RawTable, table: pd.DataFrame) -> list[Problem]:
    """A warning for each home whose weekly cost is under a fifth of what a week of its kind
    usually costs (:data:`~sufficiency.prices.DEFAULT_WEEKLY_COSTS`): a day's fee (£85 for
    an IFA carer, £900 for a children's home) read as a week's would show the team a very
    cheap home and draw children to it. The row is kept: an in-house carer's allowance can
    be low."""
    out: list[Problem] = []
    label = raw.column_label(mapping_key_for(raw, PLACEMENTS, "weekly_cost"))
    if label not in raw.data.columns:  # no weekly_cost column: an error of the file
        return out
    given = raw.data[label]
    kinds = [
        REGISTER_CATEGORY.get(k) for k in zip(table["setting"], table["provider"], strict=True)
    ]
    usual_of = [DEFAULT_WEEKLY_COSTS[k] if k in _DOUBTED_CHEAP else 0.0 for k in kinds]
    usuals = pd.Series(usual_of, index=table.index, dtype=float)
    costs = pd.to_numeric(table["weekly_cost"], errors="coerce").astype(float)
    # the whole register at once (a national one has 100,000 rows), then each doubted row
    doubted = costs.notna() & far_below_usual(costs, usuals)
    for idx in table.index[doubted.to_numpy(bool)]:
        cost, usual, rec = float(costs[idx]), float(usuals[idx]), table.loc[idx]
        out.append(raw.problem(
            idx, "weekly_cost", str(given.at[idx]).strip(),
            f"£{cost:,.2f} a week is under a fifth of what a week usually costs in such a home "
            f"({home_type(rec['setting'], rec['provider'])}: about £{usual:,.0f}); is it a "
            f"day's fee (£{cost * DAYS_PER_WEEK:,.2f} a week)? The home is matched at the "
            "figure given: give pounds a week", severity="warning", code="cheap_for_kind",
        ))  # fmt: skip
    return out


def _not_records(
    raw: RawTable, schema: TableSchema, details: tuple[str, ...], what: str, lacks: str
) -> dict[int, str]:
    """:func:`~sufficiency.io.stray_rows.not_records` of ``raw``, naming ``schema``'s
    fields (its ID, the first unique field, and ``details``) by the file's columns."""
    key = schema.unique[0]
    cols = [mapping_key_for(raw, schema, name) for name in details]
    return not_records(raw, mapping_key_for(raw, schema, key), cols, what=what, lacks=lacks)


def _maybe_totals(raw: RawTable, schema: TableSchema, details: tuple[str, ...],
                  strays: dict[int, str], what: str) -> list[Problem]:  # fmt: skip
    """:func:`~sufficiency.io.stray_rows.maybe_totals` of ``raw``, as :func:`_not_records`."""
    cols = [mapping_key_for(raw, schema, name) for name in details]
    key = mapping_key_for(raw, schema, schema.unique[0])
    return maybe_totals(raw, key, cols, strays, what=what)


def mapping_key_for(raw: RawTable, schema: TableSchema, name: str) -> str:
    """The file's own column that holds field ``name`` (or ``name`` when absent)."""
    return next((c for c in raw.data.columns if _field_name(schema, c) == name), name)


def _field_name(schema: TableSchema, column: str) -> str | None:
    f = schema.field_for(column)
    return None if f is None else f.name


def _present(raw: RawTable, schema: TableSchema, name: str) -> pd.Series:
    """Whether the file has a column for field ``name``, per row."""
    has = any(_field_name(schema, c) == name for c in raw.data.columns)
    return pd.Series(has, index=raw.data.index)


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


# --- Tonight's inputs: bad rows set aside -------------------------------------------


def read_referrals_for_night(
    path: Path | str,
    *,
    default_responsible_la: str = "",
    run_date: dt.date | None = None,
    strict: bool = False,
    harm_animals_excludes_pets: bool = True,
) -> NightTable:
    """Read referrals for tonight's run: rows with errors are set aside, the rest kept
    (``harm_animals_excludes_pets``: the configuration's rule 13, as in
    :func:`load_referrals`).

    Raises
    ------
    InputDataError
        The file cannot be used at all (unreadable, a required column missing or
        misnamed), or ``strict`` and any row has an error.
    """
    raw, table, problems = _load_referrals(
        path, default_responsible_la, run_date, harm_animals_excludes_pets
    )
    night = split_rows(raw, table, problems, "child_id", strict)
    night = siblings_set_aside(raw, table, night, mapping_key_for(raw, REFERRALS, "sibling_group"))
    aside = _needed_by_set_aside(raw, table, problems, night.set_aside)
    # a total, notes or repeated header row is set aside, but is no child referred
    stray = {p.row for p in problems if p.code == NOT_A_RECORD}
    return replace(night, set_aside=aside.assign(not_a_child=aside["row"].isin(stray)))


def _needed_by_set_aside(
    raw: RawTable, table: pd.DataFrame, problems: list[Problem], aside: pd.DataFrame
) -> pd.DataFrame:
    """``aside`` with each referral's ``needed_by`` where its cell was read without an
    error (a child set aside for a bad date of birth may still be needed today), blank
    where the cell itself is in error (its value is not known)."""
    label = raw.column_label(mapping_key_for(raw, REFERRALS, "needed_by"))
    unread = {p.row for p in problems if p.severity == "error"
              and (p.column == label or p.code == NOT_A_RECORD)}  # fmt: skip
    read = {raw.row_number(int(i)): v for i, v in table["needed_by"].items() if pd.notna(v)}
    needed = [None if r in unread else read.get(int(r)) for r in aside["row"]]
    return aside.assign(needed_by=pd.Series(needed, index=aside.index, dtype=object))


def read_placements_for_night(path: Path | str, *, strict: bool = False) -> NightTable:
    """Read the placement register for tonight's run, setting aside rows with errors
    (see :func:`read_referrals_for_night`)."""
    raw, table, problems = _load_placements(path)
    night = split_rows(raw, table, problems, "placement_id", strict)
    night = with_home_rows_set_aside(raw, table, night)  # the home's facts are every row's
    kept = night.table
    for col in ("vacancies", "age_min", "age_max", "current_children"):
        kept[col] = kept[col].astype(np.int64)
    kept["weekly_cost"] = kept["weekly_cost"].astype(np.float64)
    return night


@dataclass(frozen=True, eq=False)
class Tonight:
    """Tonight's referrals and register, each with its rows set aside."""

    referrals: NightTable
    placements: NightTable
    decisions: NightTable | None = None

    def _nights(self) -> list[tuple[str, NightTable]]:
        out = [("referrals", self.referrals), ("placements", self.placements)]
        return out + ([("decisions", self.decisions)] if self.decisions is not None else [])

    @property
    def set_aside(self) -> pd.DataFrame:
        """Every file's rows set aside, with ``file_kind`` ("referrals", "placements" or
        "decisions")."""
        parts = [night.set_aside.assign(file_kind=kind) for kind, night in self._nights()]
        return pd.concat(parts, ignore_index=True)

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem of every file."""
        return tuple(p for _, night in self._nights() for p in night.problems)


def read_tonight(
    referrals: Path | str,
    placements: Path | str,
    *,
    default_responsible_la: str = "",
    run_date: dt.date | None = None,
    strict: bool = False,
    decisions: Path | str | None = None,
    harm_animals_excludes_pets: bool = True,
) -> Tonight:
    """Read tonight's inputs (and the team's decisions, if given), reporting every problem
    of every file at once (``harm_animals_excludes_pets``: the configuration's rule 13, as
    in :func:`load_referrals`).

    Raises
    ------
    InputDataError
        Either file cannot be used at all, or ``strict`` and a row has an error.
    """
    found: list[Problem] = []
    nights: list[NightTable] = []
    for read in (
        lambda: read_referrals_for_night(
            referrals, default_responsible_la=default_responsible_la, run_date=run_date,
            strict=strict, harm_animals_excludes_pets=harm_animals_excludes_pets),
        lambda: read_placements_for_night(placements, strict=strict),
        *([lambda: _read_decisions(decisions, strict)] if decisions is not None else []),
    ):  # fmt: skip
        try:
            nights.append(read())
        except InputDataError as exc:
            found += exc.problems
    if found:
        raise InputDataError(found)
    return Tonight(nights[0], nights[1], nights[2] if decisions is not None else None)


def _read_decisions(path: Path | str, strict: bool) -> NightTable:
    return read_decisions_for_night(path, strict=strict)
