"""``why_not``: every alternative cheaper for the child than the proposal says why, truly."""

from __future__ import annotations

import dataclasses

import pandas as pd
from match_builders import (
    POSTCODES,
    RUN_DATE,
    placement,
    placements_frame,
    referral,
    referrals_frame,
)
from test_decisions import decision, decisions_frame

from sufficiency.config import MatchingParams, Params
from sufficiency.matching import build_problem, run_matching, solve
from sufficiency.matching.backends import SolveStatus
from sufficiency.matching.why_not import NOT_PROVEN, WITHIN_GAP, why_not


def _cheaper(run) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    alt = run.alternatives
    return alt[alt["extra_cost_gbp"] < 0].reset_index(drop=True)


def _at(run, child: str) -> str:  # type: ignore[no-untyped-def]
    plan = run.result.plan.set_index("child_id")
    return str(plan.at[child, "placement_id"])


def test_why_not_names_the_child_holding_the_only_place() -> None:
    """The cheaper home's one vacancy goes to another child, who is named (by ID only)."""
    refs = referrals_frame([referral("C1"), referral("C2")])
    plcs = placements_frame([placement("P1"), placement("P2", weekly_cost=900.0)])
    run = run_matching(refs, plcs, RUN_DATE, Params())
    (row,) = _cheaper(run).to_dict("records")
    other = "C1" if row["child_id"] == "C2" else "C2"
    assert row["placement_id"] == "P1" and _at(run, other) == "P1"
    assert row["why_not"] == f"Its only place goes to {other} in the plan."
    assert run.alternatives.columns[-1] == "why_not"
    (dearer,) = run.alternatives[run.alternatives["extra_cost_gbp"] >= 0].to_dict("records")
    assert dearer["why_not"] == (
        "Worse for this child on the plan's priorities: £300 a week dearer."
        f" Also, its only place goes to {row['child_id']} in the plan."
    )


def test_why_not_says_the_place_is_pinned_for_another_child() -> None:
    """When the child holding the place was pinned there by the team, the sentence says so."""
    refs = referrals_frame([referral("C1"), referral("C2")])
    plcs = placements_frame([placement("P1"), placement("P2", weekly_cost=900.0)])
    run = run_matching(refs, plcs, RUN_DATE, Params(),
                       decisions=decisions_frame([decision("C2", "P1")]))  # fmt: skip
    (row,) = _cheaper(run).to_dict("records")
    assert (row["child_id"], row["placement_id"]) == ("C1", "P1")
    assert row["why_not"] == (
        "Its only place goes to C2 (pinned there by a team decision) in the plan."
    )


def test_why_not_names_the_sibling_split() -> None:
    """A cheaper home for one sibling would split the group from the other, who is named."""
    refs = referrals_frame([referral("C1", sibling_group="G", age=9),
                            referral("C2", sibling_group="G", age=7)])  # fmt: skip
    plcs = placements_frame([placement("P1", vacancies=2, weekly_cost=900.0), placement("P2")])
    run = run_matching(refs, plcs, RUN_DATE, Params())
    assert _at(run, "C1") == _at(run, "C2") == "P1"
    rows = _cheaper(run).set_index("child_id")["why_not"].to_dict()
    assert rows == {
        "C1": "It would split the sibling group (C2 at P1).",
        "C2": "It would split the sibling group (C1 at P1).",
    }


def test_why_not_names_the_child_placed_there_and_the_rule() -> None:
    """A child who must live alone cannot join the child already in the cheaper home; the
    sentence says whose restriction it is (it said '{other} ... may not live with this
    child' either way, sending a social worker to the wrong referral half the time)."""
    refs = referrals_frame([referral("C1", alongside="solo"), referral("C2", age=12)])
    plcs = placements_frame([placement("P1", vacancies=2), placement("P2", weekly_cost=900.0)])
    run = run_matching(refs, plcs, RUN_DATE, Params())
    (row,) = _cheaper(run).to_dict("records")
    other = "C1" if row["child_id"] == "C2" else "C2"
    assert row["placement_id"] == "P1" and _at(run, other) == "P1"
    whose = " and" if other == "C1" else ", and this child"  # C1 must live alone
    assert row["why_not"] == (
        f"{other} is placed there{whose} must be the only child there: rule 10 (alongside)."
    )


def test_why_not_says_a_restriction_both_children_carry_once() -> None:
    """Both children must live alone: the sentence names the rule once, as both's (it
    repeated it, "C2 is placed there, and this child must be the only child there: rule 10
    (alongside); and C2 must be the only child there: rule 10 (alongside)"); a different
    restriction of the other child is still named after it, with whose it is."""
    refs = referrals_frame([referral("C1", alongside="solo"),
                            referral("C2", age=12, alongside="solo")])  # fmt: skip
    plcs = placements_frame([placement("P1", vacancies=2), placement("P2", weekly_cost=900.0)])
    run = run_matching(refs, plcs, RUN_DATE, Params())
    (row,) = _cheaper(run).to_dict("records")
    other = "C1" if row["child_id"] == "C2" else "C2"
    assert row["why_not"] == (
        f"{other} is placed there, and both {other} and this child must be the only child "
        "there: rule 10 (alongside)."
    )
    refs = referrals_frame([referral("C1", alongside="solo", risks=("harm_physical",), age=15),
                            referral("C2", age=10, alongside="solo")])  # fmt: skip
    run = run_matching(refs, plcs, RUN_DATE, Params())
    (row,) = _cheaper(run).to_dict("records")
    other = "C1" if row["child_id"] == "C2" else "C2"
    first = " and" if other == "C1" else ", and this child"  # C1 is the risk to C2
    both = f"{other} and this child"
    assert row["why_not"] == (
        f"{other} is placed there{first} may not live with a child 3 or more years younger: "
        f"rule 14 (risk of physical harm to younger children); and both {both} must be the "
        "only child there: rule 10 (alongside)."
    )


def test_why_not_falls_back_honestly_when_nothing_in_the_plan_stops_it() -> None:
    """With no capacity, sibling or conflict reason the sentence invents none: for an
    optimal plan, that it is optimal only within its gap (moving the child alone would
    lower the score; it said the plan as a whole was cheaper, knock-on effects, which that
    move shows false), 'not proven optimal' otherwise."""
    refs = referrals_frame([referral("C1")])
    plcs = placements_frame([placement("P1"), placement("P2", weekly_cost=900.0)])
    prob = build_problem(refs, plcs, RUN_DATE)
    result = solve(prob, MatchingParams())
    moved = dataclasses.replace(result, place_of_child=result.place_of_child * 0 + 1)
    assert why_not(prob, moved, 0, 0, together=False) == WITHIN_GAP
    stopped = dataclasses.replace(moved, status=SolveStatus.FEASIBLE)
    assert why_not(prob, stopped, 0, 0, together=False) == NOT_PROVEN


def test_vacancy_left_counts_the_sibling_exemption() -> None:
    """Five siblings: three in an empty foster home with four vacancies (the sibling
    exemption), two in a cheaper one. The first home still has a place for the two, so
    their alternative says a vacancy is left; the cheaper home's two places are taken."""
    refs = referrals_frame([referral(f"C{i}", sibling_group="G", age=15 - 2 * i)
                            for i in range(5)])  # fmt: skip
    plcs = placements_frame([placement("E", vacancies=4),
                             placement("F", vacancies=2, weekly_cost=300.0)])  # fmt: skip
    run = run_matching(refs, plcs, RUN_DATE, Params())
    plan = run.result.plan.set_index("child_id")["placement_id"].to_dict()
    # the siblings cost the same in either home: the first three by ID go to E, first
    # by ID (ties broken one way, matching/ties.py)
    assert plan == {"C0": "E", "C1": "E", "C2": "E", "C3": "F", "C4": "F"}
    left = run.alternatives.set_index("child_id")["vacancy_left_in_plan"].to_dict()
    assert left == {"C0": False, "C1": False, "C2": False, "C3": True, "C4": True}


def test_why_not_counts_the_places_a_sibling_group_fills_under_the_exemption() -> None:
    """Four siblings fill an empty foster home's four vacancies (the sibling exemption);
    another child's reason counts four places, not the usual three for four children."""
    refs = referrals_frame([referral(f"C{i}", sibling_group="G", age=15 - 2 * i)
                            for i in range(4)] + [referral("D")])  # fmt: skip
    plcs = placements_frame([placement("E", vacancies=4), placement("F", weekly_cost=900.0)])
    run = run_matching(refs, plcs, RUN_DATE, Params())
    assert _at(run, "D") == "F" and all(_at(run, f"C{i}") == "E" for i in range(4))
    (row,) = _cheaper(run).to_dict("records")
    assert (row["child_id"], row["placement_id"]) == ("D", "E")
    assert row["why_not"] == "Its 4 places go to C0, C1, C2 and C3 in the plan."


def test_unplaced_reason_names_the_siblings_when_the_nearest_home_is_free() -> None:
    """Siblings must stay together and no home takes both: one is placed, the other is
    not. Its nearest suitable home is empty in the plan, so the reason is the sibling
    rule, not "proposed for another child"."""
    refs = referrals_frame([referral("C1", sibling_group="G", age=9),
                            referral("C2", sibling_group="G", age=7)])  # fmt: skip
    nearer = placement("P2", postcode=POSTCODES["home"], weekly_cost=2000.0)
    plcs = placements_frame([placement("P1"), nearer])
    params = Params(matching=MatchingParams(siblings="together"))
    run = run_matching(refs, plcs, RUN_DATE, params)
    assert _at(run, "C1") == "P1"
    (row,) = run.unplaced.to_dict("records")
    assert (row["child_id"], row["nearest_placement_id"]) == ("C2", "P2")
    assert row["nearest_breaks"] == "siblings_together"
    assert "proposed for another child" not in row["reason"]
    assert "siblings must stay together (C1 at P1)" in row["reason"]


def test_unplaced_reason_names_the_child_who_may_not_live_with_them() -> None:
    """The only home has two places; the child needed today, who may only live alone,
    takes it and the other child is left unplaced. The home has a place left, so the
    reason names the child there and the rule (it said the home 'is proposed for another
    child' and advised an extra vacancy, which would not help), and the report says the
    same in words."""
    from sufficiency.matching.breaks import breaks_words as _breaks

    refs = referrals_frame([referral("C1", alongside="solo"),
                            referral("C2", needed_by="<5 days")])  # fmt: skip
    plcs = placements_frame([placement("P1", vacancies=2)])
    run = run_matching(refs, plcs, RUN_DATE, Params())
    assert _at(run, "C1") == "P1"
    (row,) = run.unplaced.to_dict("records")
    assert (row["child_id"], row["nearest_placement_id"]) == ("C2", "P1")
    assert row["nearest_breaks"] == "conflict"
    assert "proposed for another child" not in row["reason"]
    assert "P1, has a place left, but C1 is placed there and must be the only child there: " \
        "rule 10 (alongside)." in row["reason"]  # fmt: skip
    assert _breaks(row["nearest_breaks"]).startswith("None on its own: it has a place left")


def test_every_option_says_why_not_and_a_tie_is_not_called_worse() -> None:
    """Two equal homes a stone's throw apart and three children, one who may only live
    alone. Each child's other home is as good for them (extra 0): its why_not says so
    and names what stops it (the report said 'Worse for this child on the plan's
    priorities' and alternatives.csv left why_not blank)."""
    from sufficiency.matching.report import match_report

    refs = referrals_frame([referral("C1", alongside="solo"),
                            referral("C2", needed_by="<5 days"),
                            referral("C3", needed_by="<5 days", age=11)])  # fmt: skip
    plcs = placements_frame([placement("P1", vacancies=2), placement("P2")])
    run = run_matching(refs, plcs, RUN_DATE, Params())
    assert _at(run, "C1") == "P2" and _at(run, "C2") == _at(run, "C3") == "P1"
    alt = run.alternatives.set_index("child_id")
    assert (alt["extra_cost_gbp"] == 0).all() and alt["why_not"].notna().all()
    assert alt.at["C1", "why_not"] == (
        "As good for this child as the proposal on the plan's priorities. But its 2 places "
        "go to C2 and C3 in the plan. C2 is placed there, and this child must be the only "
        "child there: rule 10 (alongside). C3 is placed there, and this child must be the "
        "only child there: rule 10 (alongside)."
    )
    children = match_report(run).children.set_index("child_id")
    assert not children["why_not"].str.contains("Worse").any()
    assert children.at["C2", "why_not"] == alt.at["C2", "why_not"]


def test_a_dearer_option_says_how_it_compares_and_what_else_stops_it() -> None:
    """The other home is further from home but cheaper, and its place is taken: the
    sentence gives both sides and the child holding the place."""
    refs = referrals_frame([referral("C1"), referral("C2", needed_by="<5 days")])
    far = placement("P2", postcode=POSTCODES["malvern"], weekly_cost=590.0)
    dear = placement("P3", postcode=POSTCODES["malvern"], weekly_cost=700.0)
    plcs = placements_frame([placement("P1", postcode=POSTCODES["home"]), far, dear])
    run = run_matching(refs, plcs, RUN_DATE, Params())
    at_p1 = "C1" if _at(run, "C1") == "P1" else "C2"
    other = "C2" if at_p1 == "C1" else "C1"
    assert _at(run, other) == "P2"
    alt = run.alternatives
    (row,) = alt[(alt["child_id"] == at_p1) & (alt["placement_id"] == "P2")].to_dict("records")
    text = row["why_not"]
    # the score's difference is not said: what makes it up is
    assert text.startswith("Worse for this child on the plan's priorities: ")
    assert "not money" not in text and f"{row['extra_cost_gbp']:,.2f}" not in text
    assert "miles further from home, though £10 a week cheaper." in text
    assert text.endswith(f"Also, its only place goes to {other} in the plan.")


def test_unplaced_child_with_no_home_is_not_told_of_a_nearest_option() -> None:
    """A child with no home postcode (an unaccompanied child, say) has no nearest home:
    the option named is the cheapest and the reason says so (it said 'The nearest
    option, PL0017' of R016 in the sample)."""
    refs = referrals_frame([referral("U1", home_postcode=pd.NA, age=16)])
    plcs = placements_frame([placement("P1", age_max=10, weekly_cost=700.0),
                             placement("P2", age_max=10, weekly_cost=650.0,
                                       postcode=POSTCODES["birmingham"])])  # fmt: skip
    run = run_matching(refs, plcs, RUN_DATE, Params())
    (row,) = run.unplaced.to_dict("records")
    assert row["nearest_placement_id"] == "P2"
    assert "The cheapest option (the child's home is not known), P2, takes children aged " \
        "0 to 10 and the child is 16." in row["reason"]  # fmt: skip
    assert "nearest" not in row["reason"]


def test_why_not_names_a_safety_rule_in_words() -> None:
    """The report's Why not said 'rule 11 (harm_sexual)': a code, not words."""
    refs = referrals_frame([referral("C1", age=14, risks=("harm_sexual",)), referral("C2", age=8)])
    plcs = placements_frame([placement("P1", vacancies=2), placement("P2", weekly_cost=900.0)])
    run = run_matching(refs, plcs, RUN_DATE, Params())
    (row,) = _cheaper(run).to_dict("records")
    assert "rule 11 (risk of sexual harm to younger children)." in row["why_not"], row
    assert "harm_sexual" not in row["why_not"]


def test_unplaced_reason_names_who_holds_the_nearest_home() -> None:
    """The only home has one place and the child needed today takes it: the other child's
    reason names who holds it (it said only 'is proposed for another child')."""
    refs = referrals_frame([referral("C1"), referral("C2", needed_by="<5 days")])
    run = run_matching(refs, placements_frame([placement("P1")]), RUN_DATE, Params())
    assert _at(run, "C1") == "P1"
    (row,) = run.unplaced.to_dict("records")
    assert (row["child_id"], row["nearest_breaks"]) == ("C2", "taken")
    assert "the nearest, P1, is proposed for another child (C1)." in row["reason"]


def test_a_difference_the_weights_ignore_is_not_called_worse_or_better() -> None:
    """With fees weighed at 0 the plan does not care that an option is cheaper: the
    sentence says so apart, not 'though £10 a week cheaper'; and far from home is the
    configured distance (5 miles here), not 20."""
    from sufficiency.config import MatchingWeights

    weights = MatchingWeights(weekly_cost=0.0, far_from_home_miles=5.0)
    params = Params(matching=MatchingParams(weights=weights))
    far = placement("P2", postcode=POSTCODES["malvern"], weekly_cost=590.0)
    plcs = placements_frame([placement("P1", postcode=POSTCODES["home"]), far])
    run = run_matching(referrals_frame([referral("C1")]), plcs, RUN_DATE, params)
    assert _at(run, "C1") == "P1"
    (row,) = run.alternatives.to_dict("records")
    text = row["why_not"]
    assert "over 5 miles from home" in text and "20 miles" not in text
    assert "though" not in text
    assert text.endswith("Not weighed by the plan's priorities: £10 a week cheaper.")


def test_a_split_sibling_group_says_whether_any_home_could_take_them_all() -> None:
    """matches.csv and the report say why a group is split: no home has room for all of
    them under the hard rules, or which could and is not used (here, one far dearer)."""
    from sufficiency.matching.report import _children

    refs = referrals_frame([referral("C1", sibling_group="G", age=9),
                            referral("C2", sibling_group="G", age=7)])  # fmt: skip
    singles = [placement("P1"), placement("P2")]
    run = run_matching(refs, placements_frame(singles), RUN_DATE, Params())
    notes = run.matches.set_index("child_id")["sibling_note"]
    assert set(notes) == {
        "no home on tonight's register has room for both and meets every hard rule for each of them"
    }
    dear = placement("P3", vacancies=2, weekly_cost=9000.0, setting="residential",
                     provider="external")  # fmt: skip
    run = run_matching(refs, placements_frame([*singles, dear]), RUN_DATE, Params())
    assert set(run.matches["placement_id"]) == {"P1", "P2"}
    (note,) = set(run.matches["sibling_note"])
    assert note.startswith("1 home could take both under the hard rules, the nearest P3 (")
    texts = " ".join(str(v) for v in _children(run, set())["why"])
    assert f"splits the sibling group ({note})" in texts


def test_a_group_kept_apart_by_its_own_pets_answers_is_told_so() -> None:
    """Siblings of whom one must live with pets and another is a risk to animals (rule 13)
    can share no home, whatever the register holds: the split's note says so, naming
    them, besides that no home has room for them all under the hard rules."""
    refs = referrals_frame([
        referral("C1", sibling_group="G", age=12, risks=("harm_physical",)),
        referral("C2", sibling_group="G", age=10, pets="must"),
        referral("C3", sibling_group="G", age=8, risks=("harm_animals",)),
    ])  # fmt: skip
    plcs = placements_frame([placement("P1", vacancies=2, has_pets=True),
                             placement("P2", vacancies=3, has_pets=False)])  # fmt: skip
    run = run_matching(refs, plcs, RUN_DATE, Params())
    at = run.matches.set_index("child_id")["placement_id"]
    assert at["C2"] == "P1" and at["C3"] == "P2"
    (note,) = set(run.matches["sibling_note"])
    assert note == (
        "no home on tonight's register has room for all 3 and meets every hard rule for each "
        "of them: C2 must live with pets (rule 7) and C3 is a risk to animals (rule 13), so "
        "no home can take them all"
    )


def test_a_clash_names_every_rule_that_keeps_the_two_apart() -> None:
    """C1, at the only home, is a risk of physical harm to a child 3 or more years
    younger (rule 14), and C2, five years younger, may live only with younger children
    (rule 10): both rules keep them apart, and the reason names both and whose each is
    (it named rule 14 alone, so changing C1's referral looked enough)."""
    from sufficiency.matching.decisions import rule_label

    refs = referrals_frame([referral("C1", age=15, risks=("harm_physical",)),
                            referral("C2", age=10, alongside="only_younger",
                                     needed_by="<5 days")])  # fmt: skip
    plcs = placements_frame([placement("P1", vacancies=2)])
    run = run_matching(refs, plcs, RUN_DATE, Params())
    assert _at(run, "C1") == "P1"
    (row,) = run.unplaced.to_dict("records")
    assert row["nearest_breaks"] == "conflict"
    assert (
        "C1 is placed there and may not live with a child 3 or more years younger: "
        f"{rule_label('harm_physical')}; and this child may live only with younger children: "
        "rule 10 (alongside)."
    ) in row["reason"] and "no exemption lifts these rules" in row["reason"]


def test_two_children_pinned_together_are_told_every_rule_between_them() -> None:
    """Pinned to one home, C1 (a risk of physical harm to a child 3 or more years
    younger) and C2 (five years younger, may live only with younger children) are refused
    with both rules, each with whose it is."""
    refs = referrals_frame([referral("C1", age=15, risks=("harm_physical",)),
                            referral("C2", age=10, alongside="only_younger")])  # fmt: skip
    plcs = placements_frame([placement("P1", vacancies=2)])
    run = run_matching(refs, plcs, RUN_DATE, Params(), decisions=decisions_frame(
        [decision("C1", "P1"), decision("C2", "P1")]))  # fmt: skip
    notes = {n.child_id: n.note for n in run.decisions.notes}
    assert (
        "(C1 may not live with a child 3 or more years younger): rule 14 (risk of physical "
        "harm to younger children); and C2 may live only with younger children: rule 10 "
        "(alongside)."
    ) in notes["C1"]


def test_a_home_the_plan_fills_is_not_offered_the_fostering_limits_exemption() -> None:
    """Four siblings fill an empty foster home's four vacancies under the sibling
    exemption; the child left unplaced was told the council could grant a named-child
    exemption to the usual fostering limit there, but no vacancy is left for an
    exemption to open, and 'another children' is 'other children'."""
    refs = referrals_frame([referral(f"C{i}", sibling_group="G", age=15 - 2 * i)
                            for i in range(4)] + [referral("D", needed_by=">5 days")])  # fmt: skip
    run = run_matching(refs, placements_frame([placement("E", vacancies=4)]), RUN_DATE, Params())
    assert all(_at(run, f"C{i}") == "E" for i in range(4))
    (row,) = run.unplaced.to_dict("records")
    assert (row["child_id"], row["nearest_breaks"]) == ("D", "taken")
    assert "is proposed for other children (C0, C1, C2 and C3). " in row["reason"]
    assert "named-child exemption" not in row["reason"]
    # a vacancy left that only the limit of three closes: the exemption is the route
    plcs = placements_frame([placement("F", vacancies=2, current_children=2, current_ages=(3, 4))])
    run = run_matching(referrals_frame([referral("A"), referral("B", needed_by=">5 days")]),
                       plcs, RUN_DATE, Params())  # fmt: skip
    (row,) = run.unplaced.to_dict("records")
    assert "the nearest, F, is proposed for another child (A). For F, the council where the " \
        "foster carer lives can grant a named-child exemption" in row["reason"]  # fmt: skip


def test_a_full_home_where_a_child_there_clashes_is_offered_no_exemption() -> None:
    """The only home is full (two of its three vacancies, the usual limit of three with
    its current child) and B, placed there, is a risk of sexual harm to a younger child:
    D was offered a named-child exemption there, which would leave D still unable to
    live with B. The reason names B and the rule, and offers no exemption."""
    refs = referrals_frame([referral("B", age=14, risks=("harm_sexual",)), referral("X", age=15),
                            referral("D", age=10, needed_by="<5 days")])  # fmt: skip
    plcs = placements_frame([placement("F", vacancies=3, current_children=1, current_ages=(16,))])
    run = run_matching(refs, plcs, RUN_DATE, Params())
    assert _at(run, "B") == _at(run, "X") == "F"
    (row,) = run.unplaced.to_dict("records")
    assert (row["child_id"], row["nearest_breaks"]) == ("D", "taken")
    assert row["reason"].endswith(
        "the nearest, F, is proposed for other children (B and X). Also, B is placed there "
        "and may not live with a younger child: rule 11 (risk of sexual harm to younger "
        "children). No exemption lifts this rule. Consider a wider search, recruiting or a "
        "spot purchase."
    )
    assert "exemption to the usual fostering limit" not in row["reason"]


def test_an_unplaced_sibling_whose_siblings_home_has_room_is_not_told_it_cannot() -> None:
    """Siblings must stay together; a plan optimal only within its gap (mip_gap 0.2 left
    it on a random night) places C1 at P1, which has a place left, and leaves C2 out. The
    reason said P1 'cannot take this child as well' and the nearest home would split the
    group; it names P1, with its place left, and the plan's gap."""
    from sufficiency.matching.explain import unplaced_table

    refs = referrals_frame([referral("C1", sibling_group="G", age=9),
                            referral("C2", sibling_group="G", age=7)])  # fmt: skip
    nearer = placement("P2", postcode=POSTCODES["home"], weekly_cost=2000.0)
    plcs = placements_frame([placement("P1", vacancies=2), nearer])
    prob = build_problem(refs, plcs, RUN_DATE)
    params = MatchingParams(siblings="together")
    result = solve(prob, params)
    left_out = dataclasses.replace(result, place_of_child=result.place_of_child * 0 + [0, -1])
    assert left_out.status is SolveStatus.OPTIMAL
    (row,) = unplaced_table(prob, left_out, together=True).to_dict("records")
    assert (row["child_id"], row["nearest_placement_id"]) == ("C2", "P1")
    assert row["nearest_breaks"] == "not_proven"
    assert "cannot take this child" not in row["reason"]
    assert row["reason"] == (
        "2 placements meet every hard rule and the child's siblings' home, P1, has a place "
        "left in the plan, but the plan is optimal only within its gap (see the summary): "
        "consider it."
    )
    # the report's Not placed sheet said 'the plan is not proven optimal' of this optimal plan
    from sufficiency.matching.breaks import breaks_words as _breaks

    assert "not proven optimal" not in _breaks(row["nearest_breaks"])


def test_a_child_left_out_beside_a_sibling_is_not_charged_a_split() -> None:
    """Three siblings, one at each of two homes and one left unplaced under weights that
    make leaving a child out cheap; the home named has a place and C1's sibling C2 is
    there, so placing C1 there adds no split. The reason charged 'the sibling split's
    300' (any sibling placed elsewhere counted), a false figure."""
    from sufficiency.config import MatchingWeights
    from sufficiency.matching.explain import unplaced_table

    weights = MatchingWeights(unplaced=100.0, unplaced_needed_today=100.0, sibling_split=300.0)
    refs = referrals_frame([referral(f"C{i}", sibling_group="G", age=12 - 2 * i)
                            for i in range(1, 4)])  # fmt: skip
    plcs = placements_frame([placement("P1", vacancies=2, postcode=POSTCODES["home"]),
                             placement("P2", postcode=POSTCODES["malvern"])])  # fmt: skip
    prob = build_problem(refs, plcs, RUN_DATE)
    result = solve(prob, MatchingParams(weights=weights))
    left_out = dataclasses.replace(result, place_of_child=result.place_of_child * 0 + [-1, 0, 1])
    assert left_out.status is SolveStatus.OPTIMAL
    (row,) = unplaced_table(prob, left_out, weights=weights).to_dict("records")
    assert (row["child_id"], row["nearest_placement_id"], row["nearest_breaks"]) == (
        "C1",
        "P1",
        "cost",
    )
    assert "sibling split" not in row["reason"]
    assert "(600, against 100; a priority score, not money)" in row["reason"]
