"""Hard rules on single child-placement pairs, one named fixture per rule."""

from __future__ import annotations

import pandas as pd
import pytest
from match_builders import RUN_DATE, placement, placements_frame, referral, referrals_frame

from sufficiency.matching.candidates import RULE_CODES, generate_candidates
from sufficiency.matching.problem import build_problem

#: (rule broken, referral overrides, placement overrides): each breaks exactly one rule.
BREAKING_PAIRS = [
    ("capacity", {}, {"vacancies": 0}),
    ("fostering_limit", {}, {"current_children": 3, "current_ages": (5, 6, 7), "vacancies": 2}),
    ("age", {"age": 12}, {"age_min": 0, "age_max": 11}),
    ("age", {"age": 15, "supported_suitability": "suitable"}, {"setting": "supported"}),
    ("setting", {"foster_suitability": "unsuitable"}, {}),
    ("setting", {"dolo": True}, {}),
    ("sex", {"sex": "F"}, {"sex": "M"}),
    ("risks", {"risks": ("fire_setting",)}, {"risk_exclusions": ("fire_setting", "cse")}),
    ("pets", {"pets": "no"}, {"has_pets": True}),
    ("pets", {"pets": "must"}, {"has_pets": False}),
    ("communication", {"communication": ("bsl",)}, {"communication": ("esol",)}),
    ("adaptations", {"adaptations": True}, {"adapted": False}),
    ("alongside", {"alongside": "solo"}, {"current_children": 1, "current_ages": (4,)}),
    ("alongside", {"alongside": "only_older", "age": 10},
     {"current_children": 1, "current_ages": (10,)}),
    ("alongside", {"alongside": "only_younger"}, {"current_children": 1, "current_ages": ()}),
    ("harm_sexual", {"risks": ("harm_sexual",), "age": 12},
     {"current_children": 1, "current_ages": (9,)}),
    ("availability", {"needed_by": "<5 days"},
     {"available_from": pd.Timestamp(RUN_DATE) + pd.Timedelta(days=5)}),
    ("harm_animals", {"risks": ("harm_animals",), "pets": "can"}, {"has_pets": True}),
    ("harm_physical", {"risks": ("harm_physical",), "age": 15},
     {"current_children": 1, "current_ages": (4,)}),
    ("harm_physical", {"risks": ("harm_physical",), "age": 15},
     {"current_children": 1, "current_ages": (12,)}),
    ("harm_physical", {"risks": ("harm_physical",), "age": 15},
     {"current_children": 2, "current_ages": (16,)}),
    ("unlocatable", {}, {"postcode": "ZZ9 9ZZ"}),
    ("unlocatable", {}, {"postcode": pd.NA}),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "child_kw", "place_kw"), BREAKING_PAIRS)
def test_each_rule_excludes_its_pair(rule: str, child_kw: dict, place_kw: dict) -> None:
    """A pair breaking exactly one rule is not a candidate and is counted under that rule."""
    prob = build_problem(
        referrals_frame([referral("C1", **child_kw)]),
        placements_frame([placement("P1", **place_kw)]),
        RUN_DATE,
    )
    cands = generate_candidates(prob)
    assert cands.num_pairs == 0
    counts = dict(zip(RULE_CODES, cands.excluded_counts[0], strict=True))
    assert {r for r, n in counts.items() if n} == {rule}


def test_ordinary_pair_is_candidate() -> None:
    """A child and placement with nothing in the way form a candidate pair."""
    prob = build_problem(
        referrals_frame([referral("C1", alongside="only_older", age=8)]),
        placements_frame([placement("P1", current_children=1, current_ages=(12,), vacancies=2)]),
        RUN_DATE,
    )
    assert generate_candidates(prob).num_pairs == 1


def test_available_within_window_is_candidate() -> None:
    """A placement free 28 days after the run date suits a child needed in over 5 days."""
    day = pd.Timestamp(RUN_DATE) + pd.Timedelta(days=28)
    prob = build_problem(
        referrals_frame([referral("C1", needed_by=">5 days")]),
        placements_frame([placement("P1", available_from=day)]),
        RUN_DATE,
    )
    assert generate_candidates(prob).num_pairs == 1
