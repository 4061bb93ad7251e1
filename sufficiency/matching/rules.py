"""Hard rules, applied to every child-placement pair before any solver variable exists.

Rules that involve one child and one placement (its current household included)
are evaluated here (:func:`rule_breaks`), vectorised over the given pairs. Rules
between two referred children sharing a placement (who they live alongside, harm to
younger children) are pairwise conflicts: see :func:`children_conflict`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sufficiency.figures import day as said_day
from sufficiency.matching.problem import SETTING_CODE, MatchProblem, on_any_row
from sufficiency.vocabulary import listed

#: Hard rules as (code, short description for a social worker), in report order.
RULES: tuple[tuple[str, str], ...] = (
    ("capacity", "has no vacancy"),
    ("fostering_limit", "would exceed the usual fostering limit of three"),
    ("age", "does not take the child's age (its age range; supported accommodation only 16-17)"),
    ("setting", "is a setting marked unsuitable (or not residential under a DoLO)"),
    ("sex", "does not accept the child's sex"),
    ("risks", "excludes one of the child's risks"),
    ("pets", "does not meet the child's pets requirement"),
    ("communication", "does not meet the child's communication needs"),
    ("adaptations", "is not adapted"),
    ("alongside", "has current children the child cannot live alongside"),
    ("harm_sexual", "has children younger than the child, of the same age or of unknown age"),
    ("availability", "is not available by the date needed"),
    ("harm_animals", "has pets and the child is a risk to animals"),
    ("harm_physical", "has a child 3 or more years younger (or children of unknown age)"),
    ("unlocatable", "has a postcode that cannot be located"),
    ("decision", "is ruled out by a team decision (pinned elsewhere or excluded)"),
)
RULE_CODES: tuple[str, ...] = tuple(code for code, _ in RULES)
#: Rules read against the children living in a home now, on any of its rows.
_HOUSEHOLD_RULES = ("fostering_limit", "alongside", "harm_sexual", "harm_physical")
#: Rules a home meets only where every one of its rows says so (adapted, communication).
_EVERY_ROW_RULES = ("communication", "adaptations")
RULE_TEXT: dict[str, str] = dict(RULES)


def broken_text(prob: MatchProblem, code: str, c: int, p: int) -> str:
    """How placement ``p`` breaks rule ``code`` for child ``c``, for a social worker: the
    rule's words, or for the age rule the placement's ages and the child's (the rule's
    general words would speak of supported accommodation whatever the setting)."""
    if code in ("pets", "harm_animals") and pd.isna(prob.placements["has_pets"].iat[p]):
        need = {"no": "cannot live with pets", "must": "must live with pets"}.get(
            str(prob.referrals["pets"].iat[c]), "has a pets requirement"
        )
        return "does not say whether it has pets, and the child " + (
            "is a risk to animals" if code == "harm_animals" else need
        )
    if code in (*_HOUSEHOLD_RULES, *_EVERY_ROW_RULES) and prob.home_rows[p] > 1:
        rows = prob.placements["placement_id"].astype(str).to_numpy(object)
        one = [str(rows[q]) for q in np.nonzero(prob.place_home == prob.place_home[p])[0]]
        read = ", its children now read over" if code in _HOUSEHOLD_RULES else " on"
        return (f"{RULE_TEXT[code]}{read} every row of its home (rows "
                f"{listed(one)} of the register are one home)")  # fmt: skip
    if code != "age":
        return RULE_TEXT[code]
    row = prob.placements.iloc[p]
    age = int(age_when_it_opens(prob, np.array([c]), np.array([p]))[0])
    lo, hi = int(row["age_min"]), int(row["age_max"])
    is_ = "is" if age == int(prob.child_age_years[c]) else "will be"
    when = "" if is_ == "is" else f" when it opens on {said_day(row['available_from'])}"
    if str(row["setting"]) == "supported" and lo <= age <= hi:
        return f"is supported accommodation, for 16-17 year olds, and the child {is_} {age}{when}"
    return f"takes children aged {lo} to {hi} and the child {is_} {age}{when}"


def _codes(values: np.ndarray, vocab: Mapping[str, int]) -> np.ndarray:
    """Small integer code per value (``-1`` for anything not in ``vocab``)."""
    return np.array([vocab.get(str(v), -1) for v in values], dtype=np.int8)


@dataclass(frozen=True, eq=False)
class _RuleArrays:
    """Per-child and per-placement rule inputs as small integers, so the pairwise
    comparisons are fast array operations rather than comparisons of Python strings."""

    age: np.ndarray
    suit_unsuitable: np.ndarray  # (children, 3): unsuitable for foster, residential, supported
    dolo: np.ndarray
    sex: np.ndarray
    pets: np.ndarray  # 0 any, 1 no, 2 must
    along: np.ndarray  # 0 any, 1 solo, 2 only_older, 3 only_younger
    adaptations: np.ndarray
    setting: np.ndarray  # 0 foster, 1 residential, 2 supported
    place_sex: np.ndarray  # -2 any; -3 none (the rows of one home name both sexes)
    current: np.ndarray
    vacancies: np.ndarray
    age_min: np.ndarray
    age_max: np.ndarray
    has_pets: np.ndarray  # says Y
    pets_maybe: np.ndarray  # says Y, or does not say (rules 7 and 13 read a blank as maybe)
    adapted: np.ndarray


def _pets_codes(prob: MatchProblem) -> np.ndarray:
    """Rule 7 per child: 0 any, 1 no pets, 2 must have pets. Rule 13's safer reading: a
    child who is a risk to animals never "must" have pets; a child who may not live with
    pets still may not (a home with pets breaks rules 7 and 13 both, and is counted under
    both)."""
    code = _codes(prob.referrals["pets"].to_numpy(object), {"no": 1, "must": 2})
    safer = prob.child_harm_animals & prob.harm_animals_excludes_pets & (code == 2)
    return np.where(safer, np.int8(0), code).astype(np.int8)


def _rule_arrays(prob: MatchProblem) -> _RuleArrays:
    r, p = prob.referrals, prob.placements
    seen = {str(x) for x in r["sex"]} | {str(x) for x in p["sex"]}
    sexes = {v: i for i, v in enumerate(sorted(seen))}
    unsuitable = np.stack(
        [(r[col] == "unsuitable").to_numpy(bool) for col in
         ("foster_suitability", "residential_suitability", "supported_suitability")], axis=1,
    )  # fmt: skip
    place_sex = _codes(p["sex"].astype(str).to_numpy(object), sexes)
    place_sex[(p["sex"] == "any").to_numpy()] = -2
    home = prob.place_home
    has_pets = on_any_row(home, p["has_pets"].astype("boolean").fillna(False).to_numpy(bool))
    pets_maybe = on_any_row(home, p["has_pets"].astype("boolean").fillna(True).to_numpy(bool))
    out = _RuleArrays(
        age=prob.child_age_years,
        suit_unsuitable=unsuitable,
        dolo=r["dolo"].to_numpy(bool),
        sex=_codes(r["sex"].astype(str).to_numpy(object), sexes),
        pets=_pets_codes(prob),
        along=_codes(
            r["alongside"].to_numpy(object), {"solo": 1, "only_older": 2, "only_younger": 3}
        ),
        adaptations=r["adaptations"].to_numpy(bool),
        setting=_codes(p["setting"].to_numpy(object), SETTING_CODE),
        place_sex=_home_sex(home, place_sex),
        current=prob.place_current,
        vacancies=prob.place_vacancies,
        age_min=p["age_min"].to_numpy(np.int64),
        age_max=p["age_max"].to_numpy(np.int64),
        has_pets=has_pets,
        pets_maybe=pets_maybe,
        adapted=~on_any_row(home, ~p["adapted"].to_numpy(bool)),  # adapted on every row
    )  # fmt: skip
    return out


def _home_sex(home: np.ndarray, sex: np.ndarray) -> np.ndarray:
    """Per placement, the sex its home takes over every row (-2 any): a row's own where its
    rows agree or the others say any, and -3 (no child) where rows name both sexes."""
    named = sex != -2
    lo = np.full(len(home), np.iinfo(np.int8).max, np.int64)
    hi = np.full(len(home), np.iinfo(np.int8).min, np.int64)
    np.minimum.at(lo, home[named], sex[named])
    np.maximum.at(hi, home[named], sex[named])
    out = np.where(lo > hi, -2, np.where(lo == hi, lo, -3))
    return out[home].astype(np.int8)


def rule_breaks(prob: MatchProblem, ci: np.ndarray, pi: np.ndarray) -> np.ndarray:
    """Which rules each pair breaks, shape ``(len(RULES), *broadcast(ci, pi).shape)``.

    ``ci`` and ``pi`` are index arrays that broadcast against each other.
    """
    a = prob.derived("_rule_arrays", _rule_arrays)
    age = a.age[ci]
    setting = a.setting[pi]
    foster = prob.foster_home[pi]  # the household's limit, whichever row's setting
    current = a.current[pi]
    supported = setting == 2
    along = a.along[ci]
    pets = a.pets[ci]
    has_pets, pets_maybe = a.has_pets[pi], a.pets_maybe[pi]
    known = prob.place_ages_known[pi]
    lo, hi = prob.place_min_age[pi], prob.place_max_age[pi]
    someone_there = current != 0
    psex = a.place_sex[pi]
    at_open = age_when_it_opens(prob, ci, pi)  # rule 3: a home opening later takes an older child
    breaks = [
        a.vacancies[pi] <= 0,
        foster & (current >= 3),
        (at_open < a.age_min[pi])
        | (at_open > a.age_max[pi])
        | (supported & ((at_open < 16) | (at_open > 17))),
        a.suit_unsuitable[ci, np.maximum(setting, 0)] | (a.dolo[ci] & (setting != 1)),
        (psex != -2) & (psex != a.sex[ci]),
        (prob.child_risk_bits[ci] & prob.place_exclusion_bits[pi]) != 0,
        ((pets == 1) & pets_maybe) | ((pets == 2) & ~has_pets),
        (prob.child_comm_bits[ci] & ~prob.place_comm_bits[pi]) != 0,
        a.adaptations[ci] & ~a.adapted[pi],
        someone_there
        & (
            (along == 1)
            | ((along == 2) & ~(known & (lo > age)))
            | ((along == 3) & ~(known & (hi < age)))
        ),
        # a current child of the same whole-year age may be months younger
        prob.child_harm_sexual[ci] & someone_there & ~(known & (lo > age)),
        prob.place_available_days[pi] > prob.child_needed_days[ci],
        prob.child_harm_animals[ci] & pets_maybe & prob.harm_animals_excludes_pets,
        _physical_breaks(prob, ci, age, someone_there, known, lo),
        ~prob.place_located[pi] & (prob.unlocatable == "exclude"),
        decision_breaks(prob, ci, pi),
    ]
    return np.stack(np.broadcast_arrays(*breaks))


def age_when_it_opens(prob: MatchProblem, ci: np.ndarray, pi: np.ndarray) -> np.ndarray:
    """Each child's whole years on the day placement ``pi`` opens (the run date when it is
    available now): a home opening after the child's birthday takes them a year older."""
    opens = np.maximum(prob.place_available_days[pi], 0.0)
    return prob.child_age_years[ci] + (opens >= prob.child_days_to_birthday[ci])


def _physical_breaks(
    prob: MatchProblem, ci: np.ndarray, age: np.ndarray, someone_there: np.ndarray,
    known: np.ndarray, youngest: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """Rule 14 against the current household: a child who is a risk of physical harm
    lives with nobody ``harm_physical_years_younger`` or more years younger (unknown
    ages count as younger)."""
    gap = prob.harm_physical_years_younger
    if gap <= 0:
        return np.zeros(np.broadcast_shapes(np.shape(ci), np.shape(someone_there)), bool)
    return prob.child_harm_physical[ci] & someone_there & ~(known & (youngest > age - gap))


def decision_breaks(prob: MatchProblem, ci: np.ndarray, pi: np.ndarray) -> np.ndarray:
    """The ``decision`` rule: the pair is excluded by the team, or the child is pinned
    to another placement (see :mod:`sufficiency.matching.decisions`)."""
    ci, pi = np.broadcast_arrays(np.asarray(ci, np.int64), np.asarray(pi, np.int64))
    out = np.zeros(ci.shape, bool)
    if prob.decision_pin is not None:
        pin = prob.decision_pin[ci]
        out |= (pin >= 0) & (pin != pi)
    keys = prob.decision_excluded
    if keys is not None and len(keys):
        key = ci * max(prob.num_placements, 1) + pi
        at = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
        out |= keys[at] == key
    return out


def birth_days(prob: MatchProblem) -> np.ndarray:
    """Each referred child's date of birth as a day number: who is younger than whom
    (rule 11), where whole-year ages would call a child born months later the same age."""
    dob = pd.to_datetime(prob.referrals["dob"]).to_numpy("datetime64[D]")
    return dob.astype(np.int64)


def children_conflict(prob: MatchProblem, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """True where children ``a`` and ``b`` may not share a placement (rules 10, 11, 14).

    Siblings are never each other's *others*, so siblings never conflict.
    """
    along = prob.derived("alongside", lambda q: q.referrals["alongside"].to_numpy(object))
    hs = prob.child_harm_sexual
    hp = prob.child_harm_physical & (prob.harm_physical_years_younger > 0)
    gap = prob.harm_physical_years_younger
    age = prob.child_age_years
    born = prob.derived("_birth_days", birth_days)
    grp = prob.child_group
    siblings = (grp[a] >= 0) & (grp[a] == grp[b])

    def one_way(c: np.ndarray, o: np.ndarray) -> np.ndarray:
        return (
            (along[c] == "solo")
            | ((along[c] == "only_older") & ~(age[o] > age[c]))
            | ((along[c] == "only_younger") & ~(age[o] < age[c]))
            | (hs[c] & (born[o] > born[c]))
            | (hp[c] & (age[o] <= age[c] - gap))
        )

    return ~siblings & (one_way(a, b) | one_way(b, a))
