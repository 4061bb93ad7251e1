"""The unplaced reason's most limiting rules, in a sentence a social worker follows."""

from __future__ import annotations

import numpy as np

from sufficiency.matching.limiting import most_limiting
from sufficiency.matching.rules import RULE_CODES


def _counts(**by_code: int) -> np.ndarray:
    out = np.zeros(len(RULE_CODES), np.int64)
    for code, n in by_code.items():
        out[RULE_CODES.index(code)] = n
    return out


def test_the_counts_are_said_as_placements_on_the_register_ruled_out() -> None:
    """Was "the most limiting were communication (333 placements) and risks (149
    placements)": a reader could not tell what the 333 placements were."""
    said = most_limiting(_counts(communication=333, risks=149, age=17), 1200)
    assert said == (
        "The most limiting rules: of the 1,200 placements on the register, 333 do not "
        "meet the child's communication needs and 149 exclude one of the child's risks."
    )


def test_one_placement_and_one_rule_are_said_in_the_singular() -> None:
    said = most_limiting(_counts(sex=1), 4)
    assert said == (
        "The most limiting rule: of the 4 placements on the register, 1 does not accept "
        "the child's sex."
    )


def test_every_rule_has_words_for_several_placements() -> None:
    """Each rule's sentence for 2 placements agrees in number (a rule missing its plural
    words would raise here); only "would exceed" reads the same for one and several."""
    for code in RULE_CODES:
        several = most_limiting(_counts(**{code: 2}), 9).split(", 2 ", 1)[1]
        one = most_limiting(_counts(**{code: 1}), 9).split(", 1 ", 1)[1]
        assert several.startswith(("have ", "do not ", "are ", "exclude ", "would ")), code
        assert (several == one) == (code == "fostering_limit"), code


def test_a_rule_ruling_out_the_whole_register_says_all() -> None:
    said = most_limiting(_counts(setting=40, alongside=7), 40)
    assert said.startswith(
        "The most limiting rules: of the 40 placements on the register, all 40 are "
    )


def test_no_rule_ruling_any_out_says_nothing() -> None:
    assert most_limiting(_counts(), 5) == ""
