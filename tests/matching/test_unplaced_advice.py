"""An unplaced child's reason suggests an exemption only where the law has one (the usual
fostering limit: the council where the carer lives), an emergency-only route only where
one exists (a foster carer's terms of approval), and otherwise what the team can do: a
wider search, a setting type the child's suitability allows, recruiting, a spot purchase
(docs/matching.md, "Hard rules"; DOMAIN 5.2-5.3)."""

from __future__ import annotations

import pandas as pd
import pytest
from match_builders import RUN_DATE, placement, placements_frame, referral, referrals_frame

from sufficiency.config import Params
from sufficiency.matching.run import run_matching

RES = {"setting": "residential", "provider": "private"}
SUP = {"setting": "supported", "provider": "private", "age_min": 16, "age_max": 17}
ONLY_SUPPORTED = {"foster_suitability": "unsuitable", "residential_suitability": "unsuitable",
                  "supported_suitability": "preferred"}  # fmt: skip
HOUSEHOLD = {"current_children": 1, "current_ages": (5,)}

#: (referral, placement, words the reason must hold, whether an exemption may be named)
NIGHTS = {
    "fostering limit": (
        {},
        {"current_children": 3, "current_ages": (1, 2, 3)},
        "council where the foster carer lives can grant a named-child",
        True,
    ),
    "foster full": ({}, {"vacancies": 0}, "only in an emergency, for a short period", False),
    "foster ages": ({"age": 15}, {"age_max": 10}, "only in an emergency", False),
    "home full": ({}, {**RES, "vacancies": 0}, "only Ofsted can vary its registration", False),
    "home ages": ({"age": 15}, {**RES, "age_max": 12}, "only Ofsted can vary", False),
    "home sex": ({}, {**RES, "sex": "F"}, "only Ofsted can vary", False),
    "under 16, supported only": (
        {"age": 15, **ONLY_SUPPORTED},
        SUP,
        "does not allow supported accommodation for a child under 16",
        False,
    ),
    "under 16, home allowed": (
        {"age": 15, **ONLY_SUPPORTED, "residential_suitability": "suitable"},
        SUP,
        "The child's suitability allows a children's home",
        False,
    ),
    "unsuitable setting": (
        {"foster_suitability": "unsuitable"},
        {},
        "The child's suitability allows a children's home",
        False,
    ),
    "DoLO": ({"dolo": True}, {}, "allows a children's home", False),
    "DoLO, home unsuitable": (
        {"dolo": True, "residential_suitability": "unsuitable"},
        {},
        "only in a children's home, which the referral marks unsuitable",
        False,
    ),
    "two rules": (
        {"pets": "no", "adaptations": True},
        {"has_pets": True},
        "Rules 7 (pets) and 9 (adaptations) have no exemption",
        False,
    ),
    "risks": ({"risks": ("cse",)}, {"risk_exclusions": ("cse",)}, "Rule 6 (risks) has no", False),
    "pets": ({"pets": "no"}, {"has_pets": True}, "Rule 7 (pets) has no exemption", False),
    "communication": ({"communication": ("bsl",)}, {}, "Rule 8", False),
    "adaptations": ({"adaptations": True}, {}, "Rule 9", False),
    "alongside": ({"alongside": "solo"}, HOUSEHOLD, "Rule 10 (alongside) has no", False),
    "harm sexual": ({"risks": ("harm_sexual",)}, HOUSEHOLD, "Rule 11", False),
    "availability": ({}, {"available_from": pd.Timestamp("2026-06-01")}, "Rule 12", False),
}


@pytest.mark.parametrize("name", list(NIGHTS))
def test_unplaced_advice_names_only_routes_the_law_has(name: str) -> None:
    kid, home, words, exemption = NIGHTS[name]
    run = run_matching(referrals_frame([referral("C1", **kid)]),
                       placements_frame([placement("P1", **home)]), RUN_DATE, Params())  # fmt: skip
    (reason,) = run.unplaced["reason"].tolist()
    assert words in reason, reason
    assert ("exemption to the usual fostering limit" in reason) is exemption, reason
    assert "Consider a wider search or an exemption" not in reason
    assert "or an exemption" not in reason


def test_a_full_foster_home_and_a_child_who_must_live_alone_name_no_exemption() -> None:
    """B cannot join A at the only home: the advice is the foster carer's emergency route
    for a full home; a child who must live alone has no exemption at all."""
    taken = run_matching(referrals_frame([referral("A"), referral("B")]),
                         placements_frame([placement("P1")]), RUN_DATE, Params())  # fmt: skip
    (reason,) = taken.unplaced["reason"].tolist()
    assert "only in an emergency" in reason and "or an exemption" not in reason
    refs = referrals_frame([referral("A", alongside="solo"), referral("B")])
    conflict = run_matching(refs, placements_frame([placement("P1", vacancies=2)]), RUN_DATE,
                            Params())  # fmt: skip
    (reason,) = conflict.unplaced["reason"].tolist()
    assert "no exemption lifts this rule" in reason and "or an exemption" not in reason


def test_a_child_needed_in_more_than_5_days_is_not_pointed_to_an_emergency_route() -> None:
    """A child needed in more than 5 days is not an emergency, yet was told a foster carer
    'may take a child outside their terms of approval only in an emergency' (an age range
    too young, a full home): the advice now says why that route is closed and what the
    team can do. A child needed today or within 5 days keeps it."""
    for kid, home in (({"age": 15}, {"age_max": 10}), ({}, {"vacancies": 0})):
        for needed, emergency in ((">5 days", False), ("<5 days", True), ("today", True)):
            run = run_matching(referrals_frame([referral("C1", needed_by=needed, **kid)]),
                               placements_frame([placement("P1", **home)]), RUN_DATE,
                               Params())  # fmt: skip
            (reason,) = run.unplaced["reason"].tolist()
            assert ("outside their terms of approval only in an emergency" in reason) is (
                emergency
            ), (needed, reason)
            assert "onsider a wider search" in reason, reason
    run = run_matching(referrals_frame([referral("C1", needed_by=">5 days", age=15)]),
                       placements_frame([placement("P1", age_max=10)]), RUN_DATE,
                       Params())  # fmt: skip
    (reason,) = run.unplaced["reason"].tolist()
    assert (
        "Rule 3 (age) is the foster carer's terms of approval, set aside only in an "
        "emergency, and the child is needed in more than 5 days."
    ) in reason, reason


def test_a_team_decision_and_an_unlocatable_postcode_say_what_to_do() -> None:
    """The nearest option is excluded by the team (and full), or cannot be located: the
    advice is to review the decision or correct the register, not that rule 16 or rule
    15 'has no exemption'."""
    from test_decisions import decision, decisions_frame

    excluded = run_matching(
        referrals_frame([referral("C1")]),
        placements_frame([placement("P1", vacancies=0)]),
        RUN_DATE,
        Params(),
        decisions=decisions_frame([decision("C1", "P1", "exclude")]),
    )
    (reason,) = excluded.unplaced["reason"].tolist()
    assert "The team's decision rules it out (review the decision" in reason, reason
    assert "Rule 16" not in reason
    lost = run_matching(referrals_frame([referral("C1")]),
                        placements_frame([placement("P1", postcode="ZZ9 9ZZ")]), RUN_DATE,
                        Params())  # fmt: skip
    (reason,) = lost.unplaced["reason"].tolist()
    assert "Its postcode cannot be located (correct it on the register" in reason, reason


def test_one_limiting_rule_and_one_excluded_home_agree_in_number() -> None:
    """'the most limiting were pets (1 placement)' and '1 placement (P1) meet every other
    rule but the team excluded the child from them' read as a slip to a team reading
    them every morning."""
    from test_decisions import decision, decisions_frame

    refs = referrals_frame([referral("C1", pets="no")])
    one = run_matching(refs, placements_frame([placement("P1", has_pets=True)]), RUN_DATE, Params())
    assert (
        "The most limiting rule: of the only placement on the register, 1 does not meet "
        "the child's pets requirement. "
    ) in one.unplaced["reason"].iat[0]
    ruled = run_matching(
        referrals_frame([referral("C1")]),
        placements_frame([placement("P1")]),
        RUN_DATE,
        Params(),
        decisions=decisions_frame([decision("C1", "P1", "exclude")]),
    )
    assert (
        "1 placement (P1) meets every other rule but the team excluded the child from it;"
        in (ruled.unplaced["reason"].iat[0])
    )
