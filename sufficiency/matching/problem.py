"""Matching problem data: the two normalised input tables plus derived arrays.

A :class:`MatchProblem` is immutable and holds everything the hard rules and
the objective need as NumPy arrays aligned with the (sorted) input rows, so
candidate generation and costing are vectorised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

from sufficiency.config import MatchingParams
from sufficiency.errors import InputDataError, Problem
from sufficiency.geo import directory
from sufficiency.io.same_home import home_of

REFERRAL_COLUMNS: tuple[str, ...] = (
    "child_id", "dob", "sex", "home_postcode", "sibling_group", "school_postcode",
    "school_year", "needed_by", "foster_suitability", "residential_suitability",
    "supported_suitability", "alongside", "pets", "risks", "communication",
    "adaptations", "dolo", "responsible_la",
)  # fmt: skip
PLACEMENT_COLUMNS: tuple[str, ...] = (
    "placement_id", "setting", "provider", "postcode", "vacancies", "weekly_cost",
    "age_min", "age_max", "sex", "current_children", "current_ages", "risk_exclusions",
    "has_pets", "communication", "adapted", "available_from",
)  # fmt: skip
#: Days after the run date by which a placement must be available, by ``needed_by``.
NEEDED_BY_DAYS: dict[str, int] = {"today": 0, "<5 days": 4, ">5 days": 28}
#: Urgency order used by the greedy baseline (most urgent first).
NEEDED_BY_RANK: dict[str, int] = {"today": 0, "<5 days": 1, ">5 days": 2}
T = TypeVar("T")
SETTINGS: tuple[str, ...] = ("foster", "residential", "supported")
#: Small integer code of each setting, in :data:`SETTINGS` order.
SETTING_CODE: dict[str, int] = {s: i for i, s in enumerate(SETTINGS)}


def age_in_whole_years(dob: pd.Series, on: dt.date) -> np.ndarray:
    """Completed years of age on ``on`` for each date of birth."""
    d = pd.to_datetime(dob)
    years = on.year - d.dt.year.to_numpy()
    before_birthday = (d.dt.month.to_numpy() > on.month) | (
        (d.dt.month.to_numpy() == on.month) & (d.dt.day.to_numpy() > on.day)
    )
    return (years - before_birthday).astype(np.int64)


def days_to_birthday(dob: pd.Series, on: dt.date) -> np.ndarray:
    """Days from ``on`` until each child is a year older (1 to 366; a 29 February birthday
    counts from 1 March in a year without one, as :func:`age_in_whole_years` does)."""
    now = age_in_whole_years(dob, on)
    out = np.empty(len(now), dtype=np.int64)
    for i, d in enumerate(pd.to_datetime(dob)):
        year = d.year + int(now[i]) + 1
        try:
            birthday = dt.date(year, d.month, d.day)
        except ValueError:  # 29 February in a year without one
            birthday = dt.date(year, 3, 1)
        out[i] = (birthday - on).days
    return out


def _bitmasks(columns: list[pd.Series]) -> list[np.ndarray]:
    """Encode tuple-of-codes columns as int64 bitmasks over one shared vocabulary."""
    vocab = sorted({str(code) for col in columns for codes in col for code in codes})
    if len(vocab) > 62:
        raise ValueError("too many distinct codes to encode as a bitmask")
    bit = {code: 1 << i for i, code in enumerate(vocab)}
    return [
        np.array([sum(bit[str(c)] for c in set(codes)) for codes in col], dtype=np.int64)
        for col in columns
    ]


def _as_tuples(s: pd.Series) -> pd.Series:
    return s.map(lambda v: tuple(v) if isinstance(v, tuple | list) else ())


def _missing_columns(frame: pd.DataFrame, needed: tuple[str, ...], name: str) -> list[Problem]:
    return [
        Problem(name, None, col, None, "required column is missing.", code="missing_column")
        for col in needed
        if col not in frame.columns
    ]


@dataclass(frozen=True, eq=False)
class MatchProblem:
    """Tonight's referrals and vacancies, sorted by ID, with derived arrays.

    Build with :func:`build_problem`. Child arrays have one entry per referral
    row and placement arrays one per placement row, in the sorted order.
    """

    referrals: pd.DataFrame
    placements: pd.DataFrame
    run_date: dt.date
    child_age_years: np.ndarray
    child_days_to_birthday: np.ndarray  # rule 3 takes the age on the day a home opens
    child_group: np.ndarray  # sibling group index, -1 when the child has no siblings referred
    child_needed_days: np.ndarray
    child_home_east: np.ndarray
    child_home_north: np.ndarray
    child_school_east: np.ndarray
    child_school_north: np.ndarray
    child_risk_bits: np.ndarray
    child_comm_bits: np.ndarray
    child_harm_sexual: np.ndarray
    child_harm_physical: np.ndarray
    child_harm_animals: np.ndarray
    child_home_given: np.ndarray  # a home postcode was given (blank for some UASC)
    place_east: np.ndarray
    place_north: np.ndarray
    place_upper_tier: np.ndarray  # object array of str, "" when unknown
    place_located: np.ndarray  # the postcode is on the grid (rule 15)
    place_exclusion_bits: np.ndarray
    place_comm_bits: np.ndarray
    place_available_days: np.ndarray  # days after the run date; -inf when available now
    place_current: np.ndarray  # children living there now (of every row of its home)
    place_ages_known: np.ndarray
    place_min_age: np.ndarray  # of current children; +inf when none
    place_max_age: np.ndarray  # of current children; -inf when none
    place_capacity: np.ndarray  # vacancies after the usual fostering limit, before exemption
    place_vacancies: np.ndarray  # the row's, at most its home's places (home_places)
    place_foster_empty: np.ndarray  # foster households with no children now (sibling exemption)
    #: Per placement, the first row of its home: rows of one children's home (the same
    #: Ofsted URN and postcode) or of one team's home_id are one home for the
    #: who-lives-alongside rules.
    place_home: np.ndarray
    #: Per placement, the most children its home may be proposed across all its rows: its
    #: places (:func:`home_places`), less the usual fostering limit of three for a foster
    #: household (its current children counted); binding only for a home on several rows.
    place_home_room: np.ndarray
    #: Per placement, its home's places across its rows: the room a sibling group has
    #: under the exemption in an empty foster household.
    place_home_places: np.ndarray
    num_groups: int
    #: Rule settings from ``[matching]`` (rules 13-15).
    harm_animals_excludes_pets: bool = True
    harm_physical_years_younger: int = 3
    unlocatable: str = "exclude"
    # --- team decisions (set by :func:`sufficiency.matching.decisions.apply_decisions`) ---
    #: Per child, the placement row a valid pin sends them to, -1 when not pinned.
    decision_pin: np.ndarray | None = None
    #: Sorted ``child * num_placements + placement`` keys of excluded pairs.
    decision_excluded: np.ndarray | None = None

    def derived(self, name: str, build: Callable[[MatchProblem], T]) -> T:
        """``build(self)``, computed on first use and kept: the problem is immutable."""
        if name not in self.__dict__:
            object.__setattr__(self, name, build(self))
        return self.__dict__[name]  # type: ignore[no-any-return]

    @property
    def group_room(self) -> np.ndarray:
        """Places each placement has for one sibling group: its capacity, or, under the
        sibling exemption, an empty foster home's vacancies when they are more."""
        return self.derived("_group_room", lambda q: np.where(
            q.place_foster_empty, np.maximum(q.place_capacity, q.place_vacancies),
            q.place_capacity))  # fmt: skip

    def household_of(self, where: np.ndarray) -> np.ndarray:
        """Per child, the home (its first row, ``place_home``) of the placement ``where``
        gives, -1 when unplaced: siblings on two rows of one home live together."""
        where = np.asarray(where, np.int64)
        out = np.full(len(where), -1, np.int64)
        out[where >= 0] = self.place_home[where[where >= 0]]
        return out

    def over_home(self, values: np.ndarray) -> np.ndarray:
        """``values`` (one per placement) summed over the rows of each placement's home:
        the placement's own value for a home on one row."""
        total = np.bincount(self.place_home, weights=values, minlength=self.num_placements)
        return total[self.place_home]

    @property
    def foster_home(self) -> np.ndarray:
        """Whether each placement's home is a foster household: a foster row among its rows
        (the usual fostering limit of three and its sibling exemption hold on every row)."""
        return self.derived("_foster_home", lambda q: on_any_row(
            q.place_home, (q.placements["setting"] == "foster").to_numpy(bool)))  # fmt: skip

    @property
    def home_rows(self) -> np.ndarray:
        """How many register rows each placement's home is given on (1 for most)."""
        return self.derived("_home_rows", lambda q: np.bincount(
            q.place_home, minlength=q.num_placements)[q.place_home])  # fmt: skip

    @property
    def num_children(self) -> int:
        """Number of referred children."""
        return len(self.referrals)

    @property
    def num_placements(self) -> int:
        """Number of placement offers."""
        return len(self.placements)


def build_problem(
    referrals: pd.DataFrame,
    placements: pd.DataFrame,
    run_date: dt.date,
    params: MatchingParams | None = None,
) -> MatchProblem:
    """Check the two tables hold the contract's columns and derive the rule arrays.

    ``params`` gives the configurable rules (13-15); the defaults apply without it.

    Raises
    ------
    InputDataError
        A required column is missing from either table.
    """
    problems = _missing_columns(referrals, REFERRAL_COLUMNS, "referrals")
    problems += _missing_columns(placements, PLACEMENT_COLUMNS, "placements")
    if problems:
        raise InputDataError(problems)
    refs = referrals.sort_values("child_id", kind="stable").reset_index(drop=True).copy()
    plc = placements.sort_values("placement_id", kind="stable").reset_index(drop=True).copy()
    for col in ("risks", "communication"):
        refs[col] = _as_tuples(refs[col])
    for col in ("current_ages", "risk_exclusions", "communication"):
        plc[col] = _as_tuples(plc[col])

    groups = refs["sibling_group"].astype("string")
    sizes = groups.map(groups.value_counts())
    multi = groups.notna() & (sizes.fillna(0) >= 2)
    codes = pd.Categorical(groups.where(multi)).codes.astype(np.int64)

    geo = directory()
    home = geo.lookup(refs["home_postcode"])
    school = geo.lookup(refs["school_postcode"])
    where = geo.lookup(plc["postcode"])
    risk_bits, excl_bits = _bitmasks([refs["risks"], plc["risk_exclusions"]])
    child_comm, place_comm = _bitmasks([refs["communication"], plc["communication"]])

    mp = params if params is not None else MatchingParams()
    run = pd.Timestamp(run_date)
    avail = pd.to_datetime(plc["available_from"])
    avail_days = ((avail - run).dt.days).to_numpy(dtype=float, na_value=-np.inf)
    current = plc["current_children"].to_numpy(np.int64)
    ages_known = plc["current_ages"].map(len).to_numpy() == current
    min_age = np.array([min(a) if a else np.inf for a in plc["current_ages"]], dtype=float)
    max_age = np.array([max(a) if a else -np.inf for a in plc["current_ages"]], dtype=float)
    same_home = home_of(plc)
    # a home with a foster row is a foster household on every row (a home_id joining a
    # foster row to a children's home's is warned of: the stricter reading holds)
    foster = on_any_row(same_home, (plc["setting"] == "foster").to_numpy(bool))
    shown = _children_shown(same_home, plc["current_ages"])
    household = _household(same_home, np.maximum(current, shown), ages_known, min_age, max_age)
    places, home_room = home_places(plc, same_home, household[0])
    # a row offers no more places than its home has; a foster household's current
    # children, on any of its rows, count against the limit of three on every row
    vacancies = np.minimum(plc["vacancies"].to_numpy(np.int64), places)
    capacity = np.where(foster, np.minimum(vacancies, 3 - household[0]), vacancies)
    # what a home cannot take, on any of its rows, it cannot take on every row
    home_excl = np.zeros(len(plc), np.int64)
    np.bitwise_or.at(home_excl, same_home, excl_bits)
    # and what it supports it supports only if every row says so (communication needs)
    home_comm = np.full(len(plc), -1, np.int64)
    np.bitwise_and.at(home_comm, same_home, place_comm)

    return MatchProblem(
        referrals=refs,
        placements=plc,
        run_date=run_date,
        child_age_years=age_in_whole_years(refs["dob"], run_date),
        child_days_to_birthday=days_to_birthday(refs["dob"], run_date),
        child_group=codes,
        child_needed_days=refs["needed_by"].map(NEEDED_BY_DAYS).fillna(0).to_numpy(float),
        child_home_east=home.easting,
        child_home_north=home.northing,
        child_school_east=school.easting,
        child_school_north=school.northing,
        child_risk_bits=risk_bits,
        child_comm_bits=child_comm,
        child_harm_sexual=np.array(["harm_sexual" in t for t in refs["risks"]], dtype=bool),
        child_harm_physical=np.array(["harm_physical" in t for t in refs["risks"]], dtype=bool),
        child_harm_animals=np.array(["harm_animals" in t for t in refs["risks"]], dtype=bool),
        child_home_given=refs["home_postcode"].notna().to_numpy(bool),
        place_east=where.easting,
        place_north=where.northing,
        place_upper_tier=where.upper_tier.fillna("").to_numpy(object),
        place_located=~(np.isnan(where.easting) | np.isnan(where.northing)),
        place_exclusion_bits=home_excl[same_home],
        place_comm_bits=home_comm[same_home],
        place_available_days=avail_days,
        place_current=household[0],
        place_ages_known=household[1],
        place_min_age=household[2],
        place_max_age=household[3],
        place_capacity=np.maximum(capacity, 0),
        place_vacancies=vacancies,
        place_foster_empty=foster & (household[0] == 0),
        place_home=same_home,
        place_home_room=home_room,
        place_home_places=places,
        num_groups=int(codes.max() + 1) if len(codes) else 0,
        harm_animals_excludes_pets=mp.harm_animals_excludes_pets,
        harm_physical_years_younger=mp.harm_physical_years_younger,
        unlocatable=mp.unlocatable,
    )


def on_any_row(home: np.ndarray, flag: np.ndarray) -> np.ndarray:
    """Per placement, whether ``flag`` holds on any row of its home (``home``: each row's
    first row, ``MatchProblem.place_home``): a home with pets on one row of the register
    has pets whichever row is proposed."""
    out = np.zeros(len(home), bool)
    np.logical_or.at(out, home, flag)
    return out[home]


def _children_shown(home: np.ndarray, ages: pd.Series) -> np.ndarray:
    """Per placement, the fewest children its rows' ``current_ages`` together show: each
    age as many times as any one row lists it. Rows of one home listing a 4-year-old and a
    15-year-old show two children, though each row gives one (the usual fostering limit of
    three counts both)."""
    most: dict[int, dict[int, int]] = {}
    for h, row in zip(home.tolist(), ages, strict=True):
        seen = most.setdefault(h, {})
        for age in set(row):
            seen[age] = max(seen.get(age, 0), list(row).count(age))
    return np.array([sum(most[h].values()) for h in home.tolist()], np.int64)


def _household(
    home: np.ndarray, current: np.ndarray, known: np.ndarray, youngest: np.ndarray,
    oldest: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """The current children of each placement's home, read the safer way where the rows
    of one home give them differently: the most any row gives (``current``, at least the
    children their ages show, :func:`_children_shown`), the youngest and oldest
    age of any row, and ages not known where any row does not give them all (the rows
    of a home alone are unchanged)."""
    n = int(home.max()) + 1 if len(home) else 0
    most = np.zeros(n, np.int64)
    np.maximum.at(most, home, current)
    all_known = np.ones(n, bool)
    np.logical_and.at(all_known, home, known)
    low, high = np.full(n, np.inf), np.full(n, -np.inf)
    np.minimum.at(low, home, youngest)
    np.maximum.at(high, home, oldest)
    return most[home], all_known[home], low[home], high[home]


def home_places(
    plc: pd.DataFrame, home: np.ndarray, current: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per placement, its home's places across its rows, and the most children it may be
    proposed across them (``current``: its home's children now, per placement).

    The places are the register's ``home_places`` where a row of the home gives it (the
    least any row gives), otherwise the most ``vacancies`` any one row gives: the
    register cannot say whether two rows are one bed offered twice or two beds, and
    proposing two children for one bed is the worse mistake. A home with a foster row is
    a foster household: the usual limit of three counts its current children and every
    child proposed on any of its rows (Children Act 1989, Schedule 7)."""
    n = int(home.max()) + 1 if len(home) else 0
    vacancies = plc["vacancies"].to_numpy(np.int64)
    most = np.zeros(n, np.int64)
    np.maximum.at(most, home, vacancies)
    places = most[home]
    if "home_places" in plc.columns:
        given = pd.to_numeric(plc["home_places"], errors="coerce").to_numpy(float, na_value=np.nan)
        least = np.full(n, np.inf)
        np.minimum.at(least, home, np.where(np.isnan(given), np.inf, given))
        said = np.isfinite(least[home])
        places = np.where(said, least[home], places).astype(np.int64)
    foster = on_any_row(home, (plc["setting"] == "foster").to_numpy(bool))
    room = np.where(foster, np.minimum(places, 3 - current), places)
    return places.astype(np.int64), np.maximum(room, 0).astype(np.int64)
