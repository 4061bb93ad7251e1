"""An unplaced child's reason never says every suitable home is needed for others when
one has a place left for them: with ``siblings = "together"`` the real reason is the
sibling group, whatever holds the nearest home."""

from __future__ import annotations

import dataclasses

import numpy as np
from match_builders import (
    POSTCODES,
    RUN_DATE,
    placement,
    placements_frame,
    referral,
    referrals_frame,
)

from sufficiency.config import MatchingParams, MatchingWeights, Params
from sufficiency.matching import build_problem, solve
from sufficiency.matching.backends import SolveStatus
from sufficiency.matching.explain import unplaced_table
from sufficiency.matching.run import run_matching


def test_siblings_together_is_the_reason_when_the_nearest_home_is_taken() -> None:
    """A and B take the two places at PG; their sibling C cannot join them. The nearest
    home to C, PN, is taken by D (the only home with pets, which D must have), but PF
    has a place left: C is unplaced because the group must stay together, not because
    every home is needed for other children."""
    refs = referrals_frame([
        referral("A", sibling_group="G1"),
        referral("B", sibling_group="G1"),
        referral("C", sibling_group="G1"),
        referral("D", pets="must"),
    ])  # fmt: skip
    plcs = placements_frame([
        placement("PG", vacancies=2, current_children=1, current_ages=(5,),
                  postcode=POSTCODES["bromsgrove"]),
        placement("PN", has_pets=True, postcode=POSTCODES["near"]),
        placement("PF", postcode=POSTCODES["malvern"]),
    ])  # fmt: skip
    params = Params(matching=MatchingParams(siblings="together"))
    run = run_matching(refs, plcs, RUN_DATE, params)
    where = dict(zip(run.matches["child_id"], run.matches["placement_id"], strict=True))
    assert where == {"A": "PG", "B": "PG", "D": "PN"}
    (row,) = run.unplaced.to_dict("records")
    assert row["child_id"] == "C"
    assert "each is needed for other children" not in row["reason"]
    assert row["nearest_breaks"] == "siblings_together"
    assert row["nearest_placement_id"] == "PF"
    assert "siblings must stay together (A at PG and B at PG)" in row["reason"]
    assert "PF, would split the group" in row["reason"]


def test_siblings_are_not_said_to_have_to_stay_together_when_the_policy_prefers() -> None:
    """With ``siblings = "prefer"`` a plan not proven optimal that leaves B unplaced with
    a free home says so; it never says the siblings must stay together."""
    refs = referrals_frame([referral("A", sibling_group="G1"), referral("B", sibling_group="G1")])
    plcs = placements_frame([placement("P1"), placement("P2", postcode=POSTCODES["malvern"])])
    prob = build_problem(refs, plcs, RUN_DATE)
    result = solve(prob, MatchingParams())
    stopped = dataclasses.replace(
        result, place_of_child=np.array([0, -1]), status=SolveStatus.FEASIBLE
    )
    (row,) = unplaced_table(prob, stopped, together=False).to_dict("records")
    assert row["child_id"] == "B"
    assert "must stay together" not in row["reason"]
    assert row["nearest_breaks"] == "not_proven"
    assert row["nearest_placement_id"] == "P2"


def test_the_most_limiting_rules_are_named_in_words_and_counted_truly() -> None:
    """A small authority's one foster home, full to the usual limit of three: the reason
    said 'the most limiting were fostering_limit (1 placements)', a code word and a wrong
    plural (and a large register's 'setting (4000 placements)' had no separator)."""
    refs = referrals_frame([referral("A")])
    plcs = placements_frame([
        placement("P1", vacancies=1, current_children=3, current_ages=(4, 6, 8)),
    ])  # fmt: skip
    run = run_matching(refs, plcs, RUN_DATE, Params())
    (row,) = run.unplaced.to_dict("records")
    assert (
        "The most limiting rule: of the only placement on the register, 1 would exceed "
        "the usual fostering limit of three. "
    ) in row["reason"]


def test_a_child_the_weights_leave_unplaced_is_not_said_to_have_every_home_taken() -> None:
    """A council that weighs an out-of-area home above a child left unplaced (here
    `out_of_area` 200,000 against `unplaced` 100,000): the optimal plan leaves A out of
    the only home, which is empty and meets every rule. The reason said every home was
    "needed for other children" (`nearest_breaks` = `taken`) though nobody else was
    referred; it now says the weights leave the child unplaced, with the scores."""
    refs = referrals_frame([referral("A", needed_by=">5 days")])
    plcs = placements_frame([placement("P1", postcode=POSTCODES["birmingham"])])
    weights = MatchingWeights(out_of_area=200_000.0)
    run = run_matching(refs, plcs, RUN_DATE, Params(matching=MatchingParams(weights=weights)))
    assert run.matches.empty
    (row,) = run.unplaced.to_dict("records")
    assert row["num_suitable_placements"] == 1
    assert "needed for other children" not in row["reason"]
    assert row["nearest_breaks"] == "cost"
    assert row["nearest_placement_id"] == "P1"
    assert "scores no less than leaving them unplaced" in row["reason"]
    assert "against 100,000" in row["reason"]


def test_the_nearest_lawful_home_is_named_beyond_the_national_radius(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """On the national path (pairs by distance) the solver holds only the pairs within a
    radius of home. A's only lawful home, P1 in Birmingham (23.5 miles), lies beyond the
    first 20 miles and, with these weights, scores more than leaving A unplaced: the
    plan rightly leaves A out. The reason was read from the pairs held, so it said "none
    could take this child in the best plan alongside the other children" and named no
    home; it now names P1 and says the weights leave A unplaced, as over every pair."""
    from sufficiency.matching import spatial

    refs = referrals_frame([referral("A", needed_by=">5 days", foster_suitability="unsuitable"),
                            referral("B")])  # fmt: skip
    plcs = placements_frame([
        placement("P1", setting="residential", provider="external",
                  postcode=POSTCODES["birmingham"], weekly_cost=3000.0),
        # places near home for B only (A may not live in foster care)
        *(placement(f"F{j}", vacancies=3) for j in range(10)),
    ])  # fmt: skip
    params = Params(matching=MatchingParams(weights=MatchingWeights(unplaced=2_000.0)))
    rows = {}
    for above in (10**9, 0):
        monkeypatch.setattr(spatial, "SPATIAL_ABOVE_PAIRS", above)
        run = run_matching(refs, plcs, RUN_DATE, params)
        assert ("by distance" in run.summary.method) == (above == 0)
        (row,) = run.unplaced.to_dict("records")
        rows[above] = row
    for row in rows.values():
        assert row["child_id"] == "A"
        assert row["nearest_placement_id"] == "P1"
        assert row["nearest_breaks"] == "cost"
        assert "none could take this child" not in row["reason"]
    assert rows[0]["reason"] == rows[10**9]["reason"]
