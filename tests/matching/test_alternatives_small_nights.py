"""On a night with few referrals the next best options are still the child's true next
best, and the report never says "no other home" when other homes meet every rule.

Candidate generation drops pairs no optimal plan needs (a pair with as many cheaper
placements as there are referred children); with one or two referrals that removed the
very options ``alternatives.csv`` lists, so a child alone on the night was told there
was no other home.
"""

from __future__ import annotations

from match_builders import RUN_DATE, placement, placements_frame, referral, referrals_frame
from test_decisions import decision, decisions_frame

from sufficiency.config import MatchingParams, Params
from sufficiency.matching.report import match_report
from sufficiency.matching.run import run_matching


def _homes(n: int) -> list[dict]:
    return [placement(f"P{i}", weekly_cost=500.0 + 10 * i) for i in range(1, n + 1)]


def test_one_child_alone_on_the_night_gets_their_next_best_homes() -> None:
    refs = referrals_frame([referral("C1")])
    run = run_matching(refs, placements_frame(_homes(6)), RUN_DATE, Params())
    assert run.matches["placement_id"].tolist() == ["P1"]
    alt = run.alternatives
    assert alt["placement_id"].tolist() == ["P2", "P3", "P4"]
    assert alt["extra_cost_gbp"].tolist() == [10.0, 20.0, 30.0]
    assert alt["why_not"].iat[0] == (
        "Worse for this child on the plan's priorities: £10 a week dearer."
    )
    rows = match_report(run).children
    assert rows["next_best"].iat[0] == "P2 (£10 a week more)"
    assert "No other home" not in rows["why_not"].iat[0]


def test_two_children_get_every_option_they_are_owed() -> None:
    """Two referrals: each child's three next best, in order of their own priorities."""
    refs = referrals_frame([referral("C1"), referral("C2")])
    run = run_matching(refs, placements_frame(_homes(8)), RUN_DATE, Params())
    for child, alt in run.alternatives.groupby("child_id"):
        assert len(alt) == 3, child
        assert alt["extra_cost_gbp"].is_monotonic_increasing
    mine = run.matches.set_index("child_id")["placement_id"]
    homes = {c: set(a["placement_id"]) for c, a in run.alternatives.groupby("child_id")}
    # the three cheapest homes other than the child's own, whoever holds them
    for child, home in mine.items():
        cheapest = [f"P{i}" for i in range(1, 9) if f"P{i}" != home][:3]
        assert homes[child] == set(cheapest), child


def test_no_alternatives_configured_is_not_said_to_be_no_other_home() -> None:
    """``num_alternatives = 0`` lists none; the report must not say no other home fits."""
    params = Params(matching=MatchingParams(num_alternatives=0))
    refs = referrals_frame([referral("C1")])
    run = run_matching(refs, placements_frame(_homes(3)), RUN_DATE, params)
    assert run.alternatives.empty
    rows = match_report(run).children
    assert "No other home meets every rule" not in rows["why_not"].iat[0]


def test_a_pinned_child_is_not_told_no_other_home_meets_every_rule() -> None:
    """A pin leaves the child no alternative in the plan, but other homes do meet every
    rule: the report says the team pinned the child, not that nothing else would do."""
    refs = referrals_frame([referral("C1"), referral("C2")])
    run = run_matching(
        refs,
        placements_frame(_homes(4)),
        RUN_DATE,
        Params(),
        decisions=decisions_frame([decision("C1", "P3")]),
    )
    rows = match_report(run).children.set_index("child_id")
    assert run.matches.set_index("child_id").at["C1", "placement_id"] == "P3"
    assert "No other home meets every rule" not in rows.at["C1", "why_not"]
    assert "pinned" in rows.at["C1", "why_not"]


def test_an_option_worse_by_too_little_to_put_in_words_is_slightly_worse() -> None:
    """30p a week dearer: the sentence said 'worse ... (by 0.30, not money)' and nothing
    of what; the score's difference is no longer said, so it says 'slightly worse'."""
    refs = referrals_frame([referral("C1")])
    homes = [placement("P1", weekly_cost=500.0), placement("P2", weekly_cost=500.3)]
    run = run_matching(refs, placements_frame(homes), RUN_DATE, Params())
    alt = run.alternatives
    assert alt["placement_id"].tolist() == ["P2"]
    assert alt["why_not"].iat[0] == "Slightly worse for this child on the plan's priorities."
