"""Vocabulary: SSDA903 code lists and the enumerations of our own input contracts.

903 code lists follow DfE's guidance as encoded in ``csc-validator-be-903``
(see ``docs/data-contract.md``). Placement-type lists differ by collection year.
"""

from __future__ import annotations

from enum import StrEnum

# --- SSDA903 ---------------------------------------------------------------

#: 903 SEX: 1/2 up to 2023-24; M/F/U (U = not known) from 2024-25. Read as M/F/U.
SEX_CODES_903 = {"1": "M", "2": "F", "m": "M", "f": "F", "u": "U"}

ETHNIC_CODES = frozenset(
    "WBRI WIRI WOTH WIRT WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH "
    "CHNE OOTH REFU NOBT".split()
)

RNE_CODES = frozenset({"S", "L", "P", "T", "B", "U"})

LEGAL_STATUS_CODES = frozenset(
    {"C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3"}
)
SHORT_BREAK_LEGAL_STATUSES = frozenset({"V3", "V4"})

CIN_CODES = frozenset({f"N{i}" for i in range(1, 9)})

_PLACE_BASE = frozenset(
    "A3 A4 A5 A6 H5 K1 K2 P1 P2 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z1".split()
)
#: Valid placement types by collection year, keyed by the year the collection ends.
PLACE_CODES_BY_YEAR: dict[int, frozenset[str]] = {
    2023: _PLACE_BASE,
    2024: _PLACE_BASE,
    2025: _PLACE_BASE | {"K3"},
    2026: (_PLACE_BASE | {"K3", "Z11", "Z12", "Z13", "Z14"}) - {"H5", "P2", "Z1"},
    2027: (_PLACE_BASE | {"K3", "Z11", "Z12", "Z13", "Z14"}) - {"H5", "P2", "Z1"},
}
#: Every placement type seen in any year, including historic codes in older returns.
ALL_PLACE_CODES = frozenset().union(*PLACE_CODES_BY_YEAR.values()) | {"Q1", "Q2"}
TEMPORARY_PLACE_CODES = frozenset({"T0", "T1", "T2", "T3", "T4"})
NO_PROVIDER_PLACE_CODES = TEMPORARY_PLACE_CODES | {"Z1", "Z11", "Z12", "Z13", "Z14"}

PROVIDER_CODES = frozenset({"PR0", "PR1", "PR2", "PR3", "PR4", "PR5"})

REC_CODES = frozenset(
    "X1 E11 E12 E13 E14 E15 E16 E17 E2 E3 E41 E43 E44 E45 E46 E47 E48 E4A E4B "
    "E5 E6 E7 E8 E9".split()
)

REASON_PLACE_CHANGE_CODES = frozenset(
    "CARPL CLOSE ALLEG STAND APPRR CUSTOD CREQB CREQO CHILD LAREQ PLACE OTHER".split()
)


def place_codes_for_year(collection_year_end: int) -> frozenset[str]:
    """Placement types valid in the collection year ending 31 March ``collection_year_end``."""
    if collection_year_end in PLACE_CODES_BY_YEAR:
        return PLACE_CODES_BY_YEAR[collection_year_end]
    if collection_year_end < min(PLACE_CODES_BY_YEAR):
        return _PLACE_BASE
    return PLACE_CODES_BY_YEAR[max(PLACE_CODES_BY_YEAR)]


# --- Our contracts ------------------------------------------------------------


class Setting(StrEnum):
    """Where a placement offer is: a foster home, a children's home, or supported accommodation."""

    FOSTER = "foster"
    RESIDENTIAL = "residential"
    SUPPORTED = "supported"


class Provider(StrEnum):
    """Who provides a placement: the council, an IFA, an external provider, another council."""

    IN_HOUSE = "in_house"
    IFA = "ifa"
    EXTERNAL = "external"
    OTHER_LA = "other_la"


#: Private (PR4) and voluntary (PR5) providers: foster carers are IFAs, the rest external.
_INDEPENDENT = {
    Setting.FOSTER: Provider.IFA,
    Setting.RESIDENTIAL: Provider.EXTERNAL,
    Setting.SUPPORTED: Provider.EXTERNAL,
}

#: 903 provider codes accepted in the placement register, mapped to our providers.
#: PR4/PR5 foster carers are IFAs; PR4/PR5 homes are external. PR3 (other public)
#: is treated as external; PR0 (parents) is not a placement offer.
PROVIDER_903_TO_OURS: dict[str, dict[Setting, Provider]] = {
    "PR1": {s: Provider.IN_HOUSE for s in Setting},
    "PR2": {s: Provider.OTHER_LA for s in Setting},
    "PR3": {s: Provider.EXTERNAL for s in Setting},
    "PR4": _INDEPENDENT,
    "PR5": _INDEPENDENT,
}


#: The forecast category (and finance cost line) of a register home by its setting and
#: provider: another council's home counts as in-house care, every supported home as
#: supported accommodation.
REGISTER_CATEGORY: dict[tuple[str, str], str] = {
    ("foster", "in_house"): "in_house_foster",
    ("foster", "other_la"): "in_house_foster",
    ("foster", "ifa"): "ifa_foster",
    ("foster", "external"): "ifa_foster",
    ("residential", "in_house"): "in_house_residential",
    ("residential", "other_la"): "in_house_residential",
    ("residential", "external"): "external_residential",
    ("residential", "ifa"): "external_residential",
    **{("supported", p.value): "supported" for p in Provider},
}


class Suitability(StrEnum):
    """How a setting suits a referred child, in the social worker's judgement."""

    PREFERRED = "preferred"
    SUITABLE = "suitable"
    UNSUITABLE = "unsuitable"


class Alongside(StrEnum):
    """Which other children a referred child can live with."""

    SOLO = "solo"
    WITH_OTHERS = "with_others"
    ONLY_OLDER = "only_older"
    ONLY_YOUNGER = "only_younger"
    NO_PREFERENCE = "no_preference"


class Pets(StrEnum):
    """Whether a child must, can or cannot live with pets."""

    MUST = "must"
    CAN = "can"
    NO = "no"
    UNKNOWN = "unknown"


class NeededBy(StrEnum):
    """When a placement is needed by."""

    TODAY = "today"
    WITHIN_5_DAYS = "<5 days"
    AFTER_5_DAYS = ">5 days"


class Risk(StrEnum):
    """A risk a child poses or faces; a placement lists the risks it cannot manage."""

    SELF_HARM = "self_harm"
    CSE = "cse"
    CCE = "cce"
    SUBSTANCES = "substances"
    EATING_DISORDER = "eating_disorder"
    MISSING = "missing"
    HARM_PHYSICAL = "harm_physical"
    HARM_SEXUAL = "harm_sexual"
    FIRE_SETTING = "fire_setting"
    HARM_ANIMALS = "harm_animals"


class Communication(StrEnum):
    """A communication need a placement must be able to meet."""

    ESOL = "esol"
    BSL = "bsl"
    MAKATON = "makaton"
    OTHER = "other"


class PlacementSex(StrEnum):
    """Which sex a placement offer takes."""

    ANY = "any"
    MALE = "M"
    FEMALE = "F"


#: Accepted spellings of values, normalised to our codes (keys are lower case).
NEEDED_BY_ALIASES = {
    "today": NeededBy.TODAY,
    "<5 days": NeededBy.WITHIN_5_DAYS,
    "< 5 days": NeededBy.WITHIN_5_DAYS,
    "within 5 days": NeededBy.WITHIN_5_DAYS,
    ">5 days": NeededBy.AFTER_5_DAYS,
    "> 5 days": NeededBy.AFTER_5_DAYS,
    "more than 5 days": NeededBy.AFTER_5_DAYS,
}
ALONGSIDE_ALIASES = {
    "solo": Alongside.SOLO,
    "with_others": Alongside.WITH_OTHERS,
    "with others": Alongside.WITH_OTHERS,
    "only_older": Alongside.ONLY_OLDER,
    "only older": Alongside.ONLY_OLDER,
    "only_younger": Alongside.ONLY_YOUNGER,
    "only younger": Alongside.ONLY_YOUNGER,
    "no_preference": Alongside.NO_PREFERENCE,
    "no preference": Alongside.NO_PREFERENCE,
}
RISK_ALIASES = {
    **{r.value: r for r in Risk},
    "self-harm": Risk.SELF_HARM,
    "sexual exploitation": Risk.CSE,
    "criminal exploitation": Risk.CCE,
    "substance misuse": Risk.SUBSTANCES,
    "eating disorder": Risk.EATING_DISORDER,
    "going missing": Risk.MISSING,
    "physical harm": Risk.HARM_PHYSICAL,
    "sexual harm": Risk.HARM_SEXUAL,
    "fire setting": Risk.FIRE_SETTING,
    "fire-setting": Risk.FIRE_SETTING,
    "harm to animals": Risk.HARM_ANIMALS,
}
