"""The team's decisions: pins and exclusions obeyed, impossible ones refused, stale ones ignored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from match_builders import (
    POSTCODES,
    RUN_DATE,
    placement,
    placements_frame,
    referral,
    referrals_frame,
)
from reference import plan_violations
from test_properties import instance

from sufficiency.config import MatchingParams, Params
from sufficiency.errors import InputDataError
from sufficiency.io.decisions import read_decisions
from sufficiency.matching import build_problem, generate_candidates, run_matching, solve
from sufficiency.matching.candidates import RULE_CODES
from sufficiency.matching.decisions import apply_decisions
from sufficiency.matching.greedy import greedy_plan
from sufficiency.matching.run import MatchRun
from sufficiency.store.types import ReferralGaps


def decision(child_id: str, placement_id: str, kind: str = "pin", **kw: Any) -> dict[str, Any]:
    """One decision row as :func:`read_decisions` returns it."""
    row: dict[str, Any] = {
        "child_id": child_id, "placement_id": placement_id, "decision": kind,
        "reason": "agreed at placement panel", "decided_by": "J Smith",
        "until": pd.NaT, "decided_on": pd.Timestamp("2026-02-27"),
    }  # fmt: skip
    row.update(kw)
    return row


def decisions_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Decision rows with the reader's dtypes."""
    df = pd.DataFrame(rows, columns=list(decision("x", "y").keys()))
    for col in ("until", "decided_on"):
        df[col] = pd.to_datetime(df[col])
    return df


def _where(run: Any) -> dict[str, str | None]:
    plan = run.result.plan
    return {str(c): (None if pd.isna(p) else str(p))
            for c, p in zip(plan["child_id"], plan["placement_id"], strict=True)}  # fmt: skip


def _notes(run: Any, status: str) -> list[dict[str, Any]]:
    return [n.as_dict() for n in run.summary.decisions.with_status(status)]


def test_exclude_removes_the_pair() -> None:
    """An excluded pair is never proposed, even when it is the child's cheapest."""
    refs = referrals_frame([referral("C1")])
    plcs = placements_frame([placement("P1"), placement("P2", weekly_cost=900.0)])
    assert _where(run_matching(refs, plcs, RUN_DATE, Params()))["C1"] == "P1"
    run = run_matching(refs, plcs, RUN_DATE, Params(),
                       decisions=decisions_frame([decision("C1", "P1", "exclude")]))  # fmt: skip
    assert _where(run)["C1"] == "P2"
    assert [n["placement_id"] for n in _notes(run, "applied")] == ["P1"]
    assert "decision" in RULE_CODES and RULE_CODES[-1] == "decision"


def test_pin_sends_the_child_to_a_dearer_placement() -> None:
    """A pin is obeyed although the optimiser would choose another, cheaper placement."""
    refs = referrals_frame([referral("C1")])
    plcs = placements_frame([placement("P1"), placement("P2", weekly_cost=900.0)])
    run = run_matching(refs, plcs, RUN_DATE, Params(),
                       decisions=decisions_frame([decision("C1", "P2")]))  # fmt: skip
    assert _where(run)["C1"] == "P2"
    assert run.summary.decisions.with_status("refused") == ()
    prob, _ = apply_decisions(build_problem(refs, plcs, RUN_DATE), decisions_frame(
        [decision("C1", "P2")]))  # fmt: skip
    cands = generate_candidates(prob)
    assert cands.place.tolist() == [1]
    assert cands.excluded_counts[0, RULE_CODES.index("decision")] == 1


def test_pin_is_honoured_when_another_child_would_be_cheaper_there() -> None:
    """The solver places a pinned child even when leaving them unplaced and giving the
    place to a child who costs less there would score better; so does the greedy baseline."""
    refs = referrals_frame([
        referral("C1", home_postcode=POSTCODES["birmingham"]),  # far from P1: dearer there
        referral("C2"),
    ])  # fmt: skip
    plcs = placements_frame([placement("P1")])
    free = run_matching(refs, plcs, RUN_DATE, Params())
    assert _where(free) == {"C1": None, "C2": "P1"}
    pins = decisions_frame([decision("C1", "P1")])
    run = run_matching(refs, plcs, RUN_DATE, Params(), decisions=pins)
    assert _where(run) == {"C1": "P1", "C2": None}
    assert run.result.status.value == "optimal"
    prob, _ = apply_decisions(build_problem(refs, plcs, RUN_DATE), pins)
    assert greedy_plan(prob, MatchingParams()).tolist() == [0, -1]
    # the column-generation path too
    assert solve(prob, MatchingParams(), method="column_generation").place_of_child.tolist() == [
        0,
        -1,
    ]


def test_impossible_pin_is_refused_with_the_rule_it_breaks() -> None:
    """A pin to a placement that does not take the child's sex is reported, not obeyed."""
    refs = referrals_frame([referral("C1")])
    plcs = placements_frame([placement("P1", sex="F"), placement("P2", weekly_cost=900.0)])
    run = run_matching(refs, plcs, RUN_DATE, Params(),
                       decisions=decisions_frame([decision("C1", "P1")]))  # fmt: skip
    assert _where(run)["C1"] == "P2"
    (refused,) = _notes(run, "refused")
    assert refused["placement_id"] == "P1"
    assert refused["note"] == "the placement does not accept the child's sex: rule 5 (sex)."
    sheet = run.decisions.table()
    assert sheet["status"].tolist() == ["refused"]


def test_pin_refused_for_age_gives_the_ages() -> None:
    """A pin refused by the age rule says the placement's ages and the child's, not the
    rule's general words about supported accommodation (for a foster home that takes
    babies, say)."""
    refs = referrals_frame(
        [referral("C1", age=12), referral("C2", age=14, supported_suitability="suitable")]
    )
    plcs = placements_frame([placement("P1", age_min=0, age_max=1),
                             placement("P2", setting="supported", age_min=0, age_max=17),
                             placement("P3", weekly_cost=900.0, vacancies=2)])  # fmt: skip
    rows = [decision("C1", "P1"), decision("C2", "P2")]
    run = run_matching(refs, plcs, RUN_DATE, Params(), decisions=decisions_frame(rows))
    notes = {n["child_id"]: n["note"] for n in _notes(run, "refused")}
    assert notes == {
        "C1": "the placement takes children aged 0 to 1 and the child is 12: rule 3 (age).",
        "C2": "the placement is supported accommodation, for 16-17 year olds, and the child "
        "is 14: rule 3 (age).",
    }


def test_two_pins_over_capacity_are_both_refused() -> None:
    """Two children pinned to a one-vacancy home: neither pin is obeyed, and the note
    names the capacity rule and both children."""
    refs = referrals_frame([referral("C1"), referral("C2")])
    plcs = placements_frame([placement("P1"), placement("P2", weekly_cost=700.0)])
    pins = decisions_frame([decision("C1", "P1"), decision("C2", "P1")])
    run = run_matching(refs, plcs, RUN_DATE, Params(), decisions=pins)
    refused = _notes(run, "refused")
    assert [n["child_id"] for n in refused] == ["C1", "C2"]
    assert "has room for 1 child(ren) but 2 are pinned to it (C1, C2)" in refused[0]["note"]
    assert "rule 1 (capacity)" in refused[0]["note"]
    assert sorted(v for v in _where(run).values() if v) == ["P1", "P2"]  # solved freely


def test_pinned_children_who_may_not_live_together_are_refused() -> None:
    """Two children pinned to one home, one of whom must live alone: both pins refused."""
    refs = referrals_frame([referral("C1", alongside="solo"), referral("C2", age=12)])
    plcs = placements_frame([placement("P1", vacancies=2), placement("P2", weekly_cost=700.0)])
    pins = decisions_frame([decision("C1", "P1"), decision("C2", "P1")])
    run = run_matching(refs, plcs, RUN_DATE, Params(), decisions=pins)
    refused = _notes(run, "refused")
    assert len(refused) == 2
    assert (
        "C1 and C2 are both pinned to P1 but may not live together (C1 must be the only "
        "child there): rule 10 (alongside)" in (refused[0]["note"])
    )
    assert _where(run)["C1"] != _where(run)["C2"]


def test_pinned_children_who_both_must_live_alone_are_told_so_once() -> None:
    """Two children pinned to one home who must each live alone: the note says the rule
    once, as both's (it said "C1 must be the only child there): rule 10 (alongside); and
    C2 must be the only child there: rule 10 (alongside)", the same words twice)."""
    refs = referrals_frame([referral("C1", alongside="solo"),
                            referral("C2", age=12, alongside="solo")])  # fmt: skip
    plcs = placements_frame([placement("P1", vacancies=2), placement("P2", weekly_cost=700.0)])
    pins = decisions_frame([decision("C1", "P1"), decision("C2", "P1")])
    run = run_matching(refs, plcs, RUN_DATE, Params(), decisions=pins)
    refused = _notes(run, "refused")
    assert [n["note"] for n in refused] == [
        "C1 and C2 are both pinned to P1 but may not live together (both C1 and C2 must be "
        "the only child there): rule 10 (alongside)."
    ] * 2


def test_pin_and_exclusion_together_keep_the_exclusion() -> None:
    """A child pinned to one placement and excluded from another: both applied."""
    refs = referrals_frame([referral("C1"), referral("C2")])
    plcs = placements_frame([placement("P1"), placement("P2", weekly_cost=700.0),
                             placement("P3", weekly_cost=800.0)])  # fmt: skip
    rows = [decision("C1", "P2"), decision("C2", "P1", "exclude")]
    run = run_matching(refs, plcs, RUN_DATE, Params(), decisions=decisions_frame(rows))
    assert _where(run) == {"C1": "P2", "C2": "P3"}
    assert len(_notes(run, "applied")) == 2


def test_expired_and_unknown_decisions_are_ignored_and_listed() -> None:
    """Decisions past their date, or naming a child or placement not in tonight's inputs,
    change nothing and are listed with the reason."""
    refs = referrals_frame([referral("C1")])
    plcs = placements_frame([placement("P1"), placement("P2", weekly_cost=900.0)])
    rows = [
        decision("C1", "P1", "exclude", until=pd.Timestamp("2026-02-28")),
        decision("C1", "P9"),
        decision("C7", "P1"),
        decision("C1", "P2", "exclude", until=pd.Timestamp(RUN_DATE)),  # holds on its last day
        decision("C9", "P1", "exclude", until=pd.Timestamp("2026-02-01")),  # over: child gone too
    ]
    run = run_matching(refs, plcs, RUN_DATE, Params(), decisions=decisions_frame(rows))
    assert _where(run)["C1"] == "P1"
    ignored = {(n["child_id"], n["placement_id"]): n["note"] for n in _notes(run, "ignored")}
    assert ignored == {
        ("C1", "P1"): "it expired on 28 February 2026.",
        ("C1", "P9"): "placement P9 is not on tonight's register.",
        ("C7", "P1"): "child C7 is not in tonight's referrals.",
        ("C9", "P1"): "it expired on 1 February 2026.",
    }
    assert [n["placement_id"] for n in _notes(run, "applied")] == ["P2"]
    headline = run.decisions.headline()
    assert headline is not None and headline.startswith("Decisions: 1 applied, 4 ignored")


def test_decision_on_a_row_set_aside_says_the_row_was_set_aside() -> None:
    """A decision on a child (or placement) whose row was set aside for an error says so,
    not that the child is not referred tonight (the team would look for the wrong cause)."""
    refs = referrals_frame([referral("C1")])
    plcs = placements_frame([placement("P1")])
    aside = pd.DataFrame({"file": ["referrals.csv", "placements.csv"], "row": [3, 4],
                          "id": ["C7", "P9"], "problem": ["dob: not a date", "vacancies: 2x"],
                          "file_kind": ["referrals", "placements"]})  # fmt: skip
    rows = [decision("C7", "P1"), decision("C1", "P9", "exclude"), decision("C8", "P1")]
    run = run_matching(refs, plcs, RUN_DATE, Params(), decisions=decisions_frame(rows),
                       set_aside=aside)  # fmt: skip
    ignored = {(n["child_id"], n["placement_id"]): n["note"] for n in _notes(run, "ignored")}
    assert ignored == {
        ("C7", "P1"): "child C7 is in tonight's referrals but their row was set aside for an "
        "error; correct it and re-run.",
        ("C1", "P9"): "placement P9 is on tonight's register but its row was set aside for an "
        "error; correct it and re-run.",
        ("C8", "P1"): "child C8 is not in tonight's referrals.",
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance(), st.data())
def test_valid_pins_are_always_honoured(case, data) -> None:  # type: ignore[no-untyped-def]
    """On random instances, every pin the run accepts is in the plan (compact model and
    column generation), and the plan breaks no hard rule."""
    refs, plcs, together = case
    n_c, n_p = len(refs), len(plcs)
    picks = data.draw(st.lists(st.tuples(st.integers(0, n_c - 1), st.integers(0, n_p - 1)),
                               max_size=3, unique_by=lambda t: t[0]))  # fmt: skip
    pins = decisions_frame([decision(f"C{c}", f"P{p}") for c, p in picks])
    params = MatchingParams(siblings="together" if together else "prefer")
    prob, outcome = apply_decisions(build_problem(refs, plcs, RUN_DATE), pins,
                                    siblings_together=together)  # fmt: skip
    kid = {str(c): i for i, c in enumerate(prob.referrals["child_id"])}
    plc = {str(p): i for i, p in enumerate(prob.placements["placement_id"])}
    applied = [(kid[n.child_id], plc[n.placement_id]) for n in outcome.with_status("applied")]
    ids = prob.placements["placement_id"].astype(str).to_numpy()
    for force in (False, True):
        where = solve(prob, params, method="column_generation" if force else "auto").place_of_child
        for c, p in applied:
            assert where[c] == p
        plan = {str(c): (None if w < 0 else str(ids[w]))
                for c, w in zip(prob.referrals["child_id"], where, strict=True)}  # fmt: skip
        assert plan_violations(refs, plcs, plan, RUN_DATE, siblings_together=together) == []
    greedy = greedy_plan(prob, params)
    assert all(greedy[c] == p for c, p in applied)
    pinned = prob.decision_pin if prob.decision_pin is not None else np.full(n_c, -1)
    assert np.all((pinned >= 0) == np.isin(np.arange(n_c), [c for c, _ in applied]))


def test_decisions_file_with_bad_rows_names_file_row_and_column(tmp_path: Path) -> None:
    """Every bad cell is reported at once with the file, the spreadsheet row and column."""
    path = tmp_path / "decisions.csv"
    path.write_text(
        "child_id,placement_id,decision,reason,decided_by,until\n"
        "C1,P1,pin,agreed at panel,J Smith,\n"
        "C2,P1,maybe,unsure,J Smith,31/02/2026\n"
        "C3,P2,exclude,,J Smith,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputDataError) as err:
        read_decisions(path)
    text = str(err.value)
    assert text.startswith(f"{path}: 3 errors")
    assert "row 3, column decision: must be one of: exclude, pin (value 'maybe')" in text
    assert "row 3, column until: is not a date" in text
    assert "row 4, column reason: is blank but a value is required" in text


def test_decisions_file_reads_pins_and_header_only_file(tmp_path: Path) -> None:
    """A good file reads into typed columns; a file with only a header has no decisions."""
    path = tmp_path / "decisions.csv"
    path.write_text(
        "Child ID,Placement ID,decision,reason,decided_by,until\n"
        "C1,P1,Pin,agreed at panel,J Smith,31/03/2026\n",
        encoding="utf-8",
    )
    table = read_decisions(path)
    assert table[["child_id", "placement_id", "decision"]].values.tolist() == [["C1", "P1", "pin"]]
    assert table["until"].iloc[0] == pd.Timestamp("2026-03-31")
    path.write_text("child_id,placement_id,decision,reason,decided_by,until\n", encoding="utf-8")
    assert read_decisions(path).empty


def test_child_left_unplaced_by_exclusions_is_told_so() -> None:
    """A child whose only possible homes the team excluded is told that the team's
    decisions leave nowhere, naming those homes (was: "the most limiting were age ..."
    and "consider a wider search", as if the register had nothing)."""
    refs = referrals_frame([referral("C1", age=10)])
    plcs = placements_frame([
        placement("P1"), placement("P2", weekly_cost=700.0),
        placement("P3", age_min=0, age_max=5, weekly_cost=500.0),
    ])  # fmt: skip
    run = run_matching(refs, plcs, RUN_DATE, Params(), decisions=decisions_frame(
        [decision("C1", "P1", "exclude"), decision("C1", "P2", "exclude")]))  # fmt: skip
    (row,) = run.unplaced.to_dict("records")
    assert row["reason"].startswith(
        "No placement meets every hard rule because of the team's decisions: 2 placements "
        "(P1 and P2) meet every other rule but the team excluded the child from them; the "
        "nearest option is P1."
    )
    assert (row["nearest_placement_id"], row["nearest_breaks"]) == ("P1", "decision")
    assert row["excluded_decision"] == 2


def _pin_one_sibling_where_the_other_cannot_go(siblings: Literal["together", "prefer"]) -> MatchRun:
    """C1 pinned to P1, a home with pets, where their sibling C2 (a risk to animals, who
    may not live with pets) cannot go; P2 could take both."""
    refs = referrals_frame([
        referral("C1", sibling_group="G1", age=3),
        referral("C2", sibling_group="G1", age=12, pets="no", risks=("harm_animals",)),
    ])  # fmt: skip
    plcs = placements_frame([
        placement("P1", vacancies=2, has_pets=True),
        placement("P2", vacancies=2, weekly_cost=700.0),
    ])  # fmt: skip
    params = Params(matching=MatchingParams(siblings=siblings))
    return run_matching(refs, plcs, RUN_DATE, params,
                        decisions=decisions_frame([decision("C1", "P1")]))  # fmt: skip


def test_pin_that_leaves_a_sibling_out_says_so() -> None:
    """With siblings kept together, a pin of one sibling to a home another sibling cannot
    go to (here: a risk to animals, the home has pets) leaves that sibling unplaced; the pin's note
    says so and why (was: "the child is matched to this placement" and nothing more). C2
    may not live with pets either: both rules are named."""
    run = _pin_one_sibling_where_the_other_cannot_go("together")
    assert _where(run) == {"C1": "P1", "C2": None}
    (note,) = _notes(run, "applied")
    assert note["note"] == (
        "the child is matched to this placement. Siblings must stay together, but C2 "
        "(rule 7 (pets), rule 13 (risk to animals)) cannot go there too: while this pin "
        "holds, siblings who cannot join the child are not placed."
    )
    # C2's reason names the pin that holds C1 there, and what to review (was: "(C1 at
    # P1)", then "Consider a placement that can take the whole group", as if no pin)
    (row,) = run.unplaced.to_dict("records")
    assert "must stay together (C1 at P1, pinned there by the team) and" in row["reason"]
    assert "Review the team's pin of C1, or consider a placement that can take" in row["reason"]


def test_repeated_pair_names_the_other_rows_and_the_column_as_written(tmp_path: Path) -> None:
    """Each row repeating a pair names the other rows, not itself, and the column as the
    file heads it (was: the second row said "also on row(s) 3" of itself, under
    "placement_id" though the file says "Placement ID")."""
    from sufficiency.io.decisions import load_decisions

    path = tmp_path / "decisions.csv"
    path.write_text(
        "Child ID,Placement ID,decision,reason,decided_by,until\n"
        "C1,P1,exclude,no,J Smith,\nC1,P1,exclude,no,J Smith,\n",
        encoding="utf-8",
    )
    _, problems = load_decisions(path)
    assert [(p.row, p.column, p.message.split(";")[0]) for p in problems] == [
        (2, "Placement ID", "the same child and placement also have a decision on row(s) 3"),
        (3, "Placement ID", "the same child and placement also have a decision on row(s) 2"),
    ]


def test_pin_that_leaves_an_excluded_sibling_out_says_the_team_excluded_them() -> None:
    """The sibling left out by a pin because the team excluded them from that home is
    said to be so in words, not as "rule 16 (decision)"."""
    refs = referrals_frame([referral("C1", sibling_group="G1"), referral("C2", sibling_group="G1")])
    plcs = placements_frame([placement("P1", vacancies=2), placement("P2", vacancies=2)])
    params = Params(matching=MatchingParams(siblings="together"))
    run = run_matching(refs, plcs, RUN_DATE, params, decisions=decisions_frame(
        [decision("C1", "P1"), decision("C2", "P1", "exclude")]))  # fmt: skip
    assert _where(run) == {"C1": "P1", "C2": None}
    (pin,) = [n for n in _notes(run, "applied") if n["decision"] == "pin"]
    assert "but C2 (excluded from it by a team decision) cannot go there too" in pin["note"]
    (row,) = run.unplaced.to_dict("records")  # C2 is told the team excluded them there
    assert (
        "must stay together (C1 at P1, pinned there by the team) and the team excluded this "
        "child from it;" in (row["reason"])
    )


def test_pin_that_splits_siblings_who_may_be_split_says_so_and_names_the_pin() -> None:
    """With siblings = "prefer", a pin of one sibling to a home another cannot join splits
    the group: the pin's note says so, and the split's note names the pin (was: "the child
    is matched to this placement" and nothing more, and "no home on tonight's register has
    room for both and meets every hard rule for each of them", though P2 takes both and
    did the night before the pin)."""
    run = _pin_one_sibling_where_the_other_cannot_go("prefer")
    assert _where(run) == {"C1": "P1", "C2": "P2"}
    (note,) = _notes(run, "applied")
    assert note["note"] == (
        "the child is matched to this placement. The child's siblings cannot all join them: "
        "C2 (rule 7 (pets), rule 13 (risk to animals)) cannot go there too, so this pin "
        "splits the group."
    )
    assert set(run.matches["sibling_note"]) == {
        "1 home could take both under the other hard rules, but the team's decisions rule "
        "them out: C1 is pinned to P1"
    }


def test_sibling_split_by_an_exclusion_names_it() -> None:
    """Siblings split because the team excluded one of them from the one home that takes
    both are told so, with the exclusion, not that no home takes both."""
    refs = referrals_frame([
        referral("C1", sibling_group="G1", age=3),
        referral("C2", sibling_group="G1", age=5),
    ])  # fmt: skip
    plcs = placements_frame([
        placement("P1", vacancies=2),
        placement("P2", vacancies=1),
        placement("P3", vacancies=1),
    ])  # fmt: skip
    params = Params(matching=MatchingParams(siblings="prefer"))
    run = run_matching(refs, plcs, RUN_DATE, params,
                       decisions=decisions_frame([decision("C2", "P1", "exclude")]))  # fmt: skip
    assert set(run.matches["sibling_note"]) == {
        "1 home could take both under the other hard rules, but the team's decisions rule "
        "them out: C2 is excluded from P1"
    }


def test_a_decision_made_before_a_night_its_child_was_not_referred_is_not_obeyed() -> None:
    """Given the nights the run store saw each child not referred: a pin made before such
    a night is refused and an exclusion kept with a note; one made after it (the child's
    new referral), or with no date the store can tell, is applied as usual. A blank
    ``decided_on`` is taken as the night the store first read the decision."""
    refs = referrals_frame([referral("C1"), referral("C2"), referral("C3"), referral("C4")])
    # two postcodes: carers at one may be one household, which an exclusion's note says
    malvern = POSTCODES["malvern"]
    plcs = placements_frame([placement("P1", vacancies=4),
                             placement("P2", vacancies=4, postcode=malvern)])  # fmt: skip
    prob = build_problem(refs, plcs, RUN_DATE, MatchingParams())
    away = dt.date(2026, 3, 20)
    gaps = ReferralGaps(
        away={"C1": (away,), "C2": (away,), "C3": (away,), "C4": (away,)},
        first_read={("C4", "P2", "pin"): dt.date(2026, 3, 1)},
    )
    table = decisions_frame([
        decision("C1", "P1", decided_on=pd.Timestamp("2026-03-10")),
        decision("C2", "P1", "exclude", decided_on=pd.Timestamp("2026-03-10")),
        decision("C3", "P1", decided_on=pd.Timestamp("2026-03-25")),  # after: their new referral
        decision("C4", "P2", decided_on=pd.NaT),  # first read on 01/03/2026
    ])  # fmt: skip
    out, outcome = apply_decisions(prob, table, gaps=gaps)
    got = {n.child_id: (n.status, n.note) for n in outcome.notes}
    assert got["C1"][0] == got["C4"][0] == "refused"
    assert got["C1"][1].startswith("child C1 was not referred on 20 March 2026, after this pin")
    assert got["C2"] == ("applied", "the child is not matched to this placement. Check it is "
                         "about this child: child C2 was not referred on 20 March 2026, after it "
                         "was made (a referral that ended, or another child given the same "
                         "ID).")  # fmt: skip
    assert got["C3"] == ("applied", "the child is matched to this placement.")
    assert out.decision_pin is not None and list(out.decision_pin) == [-1, -1, 0, -1]
