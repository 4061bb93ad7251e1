"""One home on several rows of the register takes no more children across its rows than
it has places (the most vacancies of any one row unless ``home_places`` says), and a
foster household on several rows no more than three in all (Children Act 1989 Sch 7,
the sibling exemption aside), on every solve path, in the team's pins and in the
reasons given. Before, each row's vacancies counted on their own: two rows of one bed
each took two children, a household on two rows of two places took four."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from explain_check import false_claims
from match_builders import POSTCODES, RUN_DATE, placement, placements_frame, referral
from match_builders import referrals_frame as refs_frame
from reference import id_plan, plan_violations
from solve_paths import plan_by_path
from test_decisions import decision, decisions_frame
from test_matching_command import write_inputs

from sufficiency.config import MatchingParams, Params
from sufficiency.io.inputs import load_placements
from sufficiency.matching import build_problem, run_matching, solve
from sufficiency.matching.decisions import apply_decisions
from sufficiency.matching.explain import unplaced_table
from sufficiency.matching.homes import over_limit
from sufficiency.matching.rules import RULE_CODES, rule_breaks
from sufficiency.matching.why_not import why_not

PATHS = ["compact", "column_generation", "national", "greedy", "legal_plan", "repair"]


def _home(places: object = None) -> pd.DataFrame:
    """A children's home on two rows (two frameworks) with the same URN and postcode, one
    vacancy each; ``home_places`` when given."""
    common: dict[str, Any] = {"setting": "residential", "provider": "external",
                              "urn": "SC123456", "postcode": POSTCODES["near"]}  # fmt: skip
    if places is not None:
        common["home_places"] = places
    return placements_frame([placement("RH-A", weekly_cost=4000.0, **common),
                             placement("RH-B", weekly_cost=4100.0, **common)])  # fmt: skip


def _household(vacancies: int = 2, current: tuple[int, int] = (0, 0), places: object = None):  # type: ignore[no-untyped-def]
    """A foster household on two rows (one home_id), ``vacancies`` on each row."""
    extra: dict[str, Any] = {"home_id": "Smith-1"}
    if places is not None:
        extra["home_places"] = places
    return placements_frame([
        placement("F-A", provider="ifa", vacancies=vacancies, weekly_cost=900.0,
                  current_children=current[0], current_ages=(10,) * current[0], **extra),
        placement("F-B", provider="ifa", vacancies=vacancies, weekly_cost=950.0,
                  current_children=current[1], current_ages=(10,) * current[1], **extra),
    ])  # fmt: skip


def _children(n: int, group: str | None = None, **kw: Any) -> pd.DataFrame:
    return refs_frame([referral(f"C{i}", age=10 + i % 5, sibling_group=group, **kw)
                       for i in range(1, n + 1)])  # fmt: skip


@pytest.mark.parametrize("path", PATHS)
def test_two_rows_of_one_bed_each_take_one_child(path: str) -> None:
    """Two children, each lawful on either row: one is proposed, not one per row."""
    kids = _children(2, residential_suitability="preferred", foster_suitability="unsuitable")
    prob = build_problem(kids, _home(), RUN_DATE)
    where = plan_by_path(prob, path)
    assert int((where >= 0).sum()) == 1
    assert len(over_limit(prob, where)) == 0


@pytest.mark.parametrize("path", ["compact", "column_generation", "greedy"])
def test_home_places_says_the_rows_are_separate_beds(path: str) -> None:
    kids = _children(2, residential_suitability="preferred", foster_suitability="unsuitable")
    prob = build_problem(kids, _home(places=2), RUN_DATE)
    assert int((plan_by_path(prob, path) >= 0).sum()) == 2


@pytest.mark.parametrize("path", PATHS)
def test_a_foster_household_on_two_rows_takes_three_in_all(path: str) -> None:
    """Two rows of two places (four beds, the team says): four children who are no
    siblings, three proposed; a household with one child now on one row, two."""
    prob = build_problem(_children(4), _household(places=4), RUN_DATE)
    assert int((plan_by_path(prob, path) >= 0).sum()) == 3
    prob = build_problem(_children(4), _household(current=(1, 0), places=4), RUN_DATE)
    where = plan_by_path(prob, path)
    assert int((where >= 0).sum()) == 2 and len(over_limit(prob, where)) == 0


@pytest.mark.parametrize("path", ["compact", "column_generation", "greedy"])
def test_the_sibling_exemption_still_holds_in_an_empty_household(path: str) -> None:
    """Four siblings may all go to an empty household with four places (one row of 4)."""
    plcs = _household(vacancies=4, places=4)
    prob = build_problem(_children(4, group="G1"), plcs, RUN_DATE)
    assert int((plan_by_path(prob, path) >= 0).sum()) == 4
    # a household with a child now on its other row is not empty: three at most
    prob = build_problem(_children(4, group="G1"), _household(4, (0, 1), 4), RUN_DATE)
    assert int((plan_by_path(prob, path) >= 0).sum()) == 2


def test_pins_to_the_rows_of_a_full_home_are_refused_naming_the_rows() -> None:
    prob = build_problem(_children(4), _household(places=4), RUN_DATE)
    pins = decisions_frame([decision("C1", "F-A"), decision("C2", "F-A"),
                            decision("C3", "F-B"), decision("C4", "F-B")])  # fmt: skip
    prob, notes = apply_decisions(prob, pins)
    refused = list(notes.with_status("refused"))
    assert len(refused) == 4
    assert "pinned to rows of one home (C1 to F-A, C2 to F-A, C3 to F-B, C4 to F-B)" in (
        refused[0].note
    )
    assert "room for 3 across its rows (the usual fostering limit of three)" in refused[0].note


def test_the_reasons_name_the_homes_other_row_and_its_children() -> None:
    """C1 is pinned to RH-B: C2, left out, is told the home's other row holds C1, not
    that RH-A (the nearest and cheaper row, empty on its own) has a place left."""
    kids = _children(2, residential_suitability="preferred", foster_suitability="unsuitable")
    prob, _ = apply_decisions(build_problem(kids, _home(), RUN_DATE),
                              decisions_frame([decision("C1", "RH-B")]))  # fmt: skip
    result = solve(prob, MatchingParams())
    assert result.place_of_child.tolist() == [1, -1]
    text = why_not(prob, result, 1, 0, together=False)
    assert text == ("Its home is full: rows RH-A and RH-B of the register are one home, and "
                    "it has 1 place across its rows, its only place going to C1 at RH-B in "
                    "the plan.")  # fmt: skip
    unplaced = unplaced_table(prob, result)
    (reason,) = unplaced["reason"].tolist()
    assert unplaced["nearest_breaks"].tolist() == ["home_full"]
    assert unplaced["nearest_placement_id"].tolist() == ["RH-A"]
    assert "RH-A, has a place left on its row, but its home is full: rows RH-A and RH-B" in reason
    assert "its only place going to C1 at RH-B in the plan." in reason
    assert "home_places" in reason  # the team can say the rows are separate beds


def test_the_household_at_its_limit_is_named_with_its_children() -> None:
    prob = build_problem(_children(4), _household(current=(1, 0), places=4), RUN_DATE)
    result = solve(prob, MatchingParams())
    out = int(np.nonzero(result.place_of_child < 0)[0][0])
    free = [q for q in (0, 1) if (result.place_of_child == q).sum() < 2]
    text = why_not(prob, result, out, free[0], together=False)
    assert (
        "the household is at the usual fostering limit of three (1 child living there "
        "now and " in text
    )
    unplaced = unplaced_table(prob, result)
    assert set(unplaced["nearest_breaks"]) <= {"home_full", "taken"}
    home_full = unplaced[unplaced["nearest_breaks"] == "home_full"]
    assert all("named-child exemption" in r for r in home_full["reason"])


@pytest.mark.parametrize("case", ["one bed twice", "household of three", "pinned row"])
def test_every_reason_holds_for_a_home_on_two_rows(case: str) -> None:
    """The explanations, read back claim by claim (explain_check), hold where a home's
    rows are full across them."""
    kids = _children(2, residential_suitability="preferred", foster_suitability="unsuitable")
    plcs, decided = _home(), None
    if case == "household of three":
        kids, plcs = _children(5), _household(places=4)
    if case == "pinned row":
        decided = decisions_frame([decision("C1", "RH-B")])
    mp = MatchingParams()
    run = run_matching(kids, plcs, RUN_DATE, Params(matching=mp), decisions=decided)
    assert int(run.result.plan["placement_id"].notna().sum()) == (3 if "three" in case else 1)
    assert false_claims(run, mp, kids, plcs) == []
    if case == "pinned row":  # C2's nearest, RH-A, has a place on its row only
        assert "but its home is full: rows RH-A and RH-B" in run.unplaced["reason"].iat[0]


def test_the_register_reads_home_places_from_a_file(tmp_path: Path) -> None:
    """``home_places`` read from the register file (blank on a row: the other row's figure
    holds), and the warning says how a home's places are counted and how to say more."""
    _, path = write_inputs(tmp_path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    second = {**df.loc[df["placement_id"] == "P2"].iloc[0].to_dict(), "placement_id": "P2-B"}
    df = pd.concat([df, pd.DataFrame([second])], ignore_index=True)
    df["home_id"] = df["placement_id"].map({"P2": "Smith", "P2-B": "Smith"}).fillna("")
    df["home_places"] = df["placement_id"].map({"P2": "2"}).fillna("")
    df.to_csv(path, index=False)
    table, problems = load_placements(path)
    (same,) = [p.message for p in problems if p.code == "same_home"]
    assert "no more children across its rows than the most vacancies any one row gives" in same
    assert "give home_places if its rows are separate beds" in same
    prob = build_problem(_children(1), table.fillna({"current_children": 0}), RUN_DATE)
    rows = prob.placements["placement_id"].isin(["P2", "P2-B"]).to_numpy()
    assert prob.place_home_places[rows].tolist() == [2, 2]
    assert "different home_places" not in same  # one figure, on one row


def test_rows_giving_different_home_places_are_said_and_the_least_used(tmp_path: Path) -> None:
    """Two rows of one home giving 3 and 2 places: matching takes 2, the least, which the
    warning now says (it was used without a word)."""
    _, path = write_inputs(tmp_path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    second = {**df.loc[df["placement_id"] == "P2"].iloc[0].to_dict(), "placement_id": "P2-B"}
    df = pd.concat([df, pd.DataFrame([second])], ignore_index=True)
    df["home_id"] = df["placement_id"].map({"P2": "Smith", "P2-B": "Smith"}).fillna("")
    df["home_places"] = df["placement_id"].map({"P2": "3", "P2-B": "2"}).fillna("")
    df.to_csv(path, index=False)
    table, problems = load_placements(path)
    (same,) = [p.message for p in problems if p.code == "same_home"]
    assert "Its rows give different home_places (2 and 3): the least, 2, is used" in same
    prob = build_problem(_children(1), table.fillna({"current_children": 0}), RUN_DATE)
    rows = prob.placements["placement_id"].isin(["P2", "P2-B"]).to_numpy()
    assert prob.place_home_places[rows].tolist() == [2, 2]


@pytest.mark.parametrize("path", PATHS)
def test_a_sibling_group_may_fill_an_empty_household_across_its_rows(path: str) -> None:
    """Four siblings in an empty household of four places given on two rows of two: the
    exemption (Children Act 1989 Sch 7: all the children siblings) is the household's,
    whichever of its rows they take, so all four go. Before, the compact model and the
    pattern master held the household to three (the exemption only lifted one row with
    more than three vacancies) while greedy placed all four: two paths, two laws."""
    prob = build_problem(_children(4, group="G1"), _household(places=4), RUN_DATE)
    where = plan_by_path(prob, path)
    assert sorted(where.tolist()) == [0, 0, 1, 1] and len(over_limit(prob, where)) == 0


@pytest.mark.parametrize("path", PATHS)
def test_nobody_else_joins_a_sibling_group_over_three_on_the_households_rows(path: str) -> None:
    """Four siblings and one child who is not theirs, a household of five places on two
    rows: the exemption holds only for siblings alone, so never five, and never four
    with the other child among them."""
    kids = pd.concat([_children(4, group="G1"), refs_frame([referral("C9", age=9)])],
                     ignore_index=True)  # fmt: skip
    prob = build_problem(kids, _household(vacancies=3, places=5), RUN_DATE)
    where = plan_by_path(prob, path)
    placed = np.nonzero(where >= 0)[0]
    other = int(np.nonzero(prob.referrals["child_id"] == "C9")[0][0])
    assert len(placed) <= 4 and (len(placed) <= 3 or other not in placed), where.tolist()
    assert len(over_limit(prob, where)) == 0
    if path in ("compact", "column_generation", "national"):
        assert len(placed) == 4 and other not in placed  # the four siblings: the better plan


def _mixed(current: int = 0) -> pd.DataFrame:
    """One home_id on a foster row (two vacancies, ``current`` children now) and a
    children's home's row (four vacancies): a data error the register warns of."""
    return placements_frame([
        placement("F-A", provider="ifa", vacancies=2, weekly_cost=900.0, home_id="Smith",
                  current_children=current, current_ages=(12,) * current),
        placement("RH-B", setting="residential", provider="external", vacancies=4,
                  weekly_cost=950.0, home_id="Smith"),
    ])  # fmt: skip


@pytest.mark.parametrize("path", PATHS)
def test_a_home_id_on_a_foster_row_and_a_childrens_homes_row_is_one_household(path: str) -> None:
    """The stricter reading, the same on every path and row: three children in all, and
    four siblings alone in the empty household (the exemption), whichever rows they take.
    Before, the sibling exemption held on the foster row only (its setting), so the
    compact model and the pattern master held four siblings to three where they could
    only go by the children's home's row."""
    prob = build_problem(_children(4), _mixed(), RUN_DATE)
    where = plan_by_path(prob, path)
    assert int((where >= 0).sum()) == 3 and len(over_limit(prob, where)) == 0
    prob = build_problem(_children(4, group="G1"), _mixed(), RUN_DATE)
    where = plan_by_path(prob, path)
    assert int((where >= 0).sum()) == 4 and len(over_limit(prob, where)) == 0


def test_the_limit_of_three_is_said_on_the_childrens_homes_row_too() -> None:
    """Three children now on the foster row: the children's home's row breaks the usual
    fostering limit as the foster row does (it read only 'has no vacancy' or nothing)."""
    prob = build_problem(_children(1), _mixed(current=3), RUN_DATE)
    breaks = rule_breaks(prob, np.zeros(2, np.int64), np.arange(2))
    assert breaks[RULE_CODES.index("fostering_limit")].tolist() == [True, True]
    unplaced = unplaced_table(prob, solve(prob, MatchingParams()))
    assert unplaced["nearest_breaks"].tolist() == ["fostering_limit"]
    assert "named-child exemption" in unplaced["reason"].iat[0]


def test_the_register_warns_of_a_home_id_on_foster_and_residential_rows(tmp_path: Path) -> None:
    _, path = write_inputs(tmp_path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    second = {**df.loc[df["placement_id"] == "P2"].iloc[0].to_dict(), "placement_id": "P2-B",
              "setting": "residential"}  # fmt: skip
    df = pd.concat([df, pd.DataFrame([second])], ignore_index=True)
    df["home_id"] = df["placement_id"].map({"P2": "Smith", "P2-B": "Smith"}).fillna("")
    df.to_csv(path, index=False)
    _, problems = load_placements(path)
    (differs,) = [p.message for p in problems if p.code == "home_id_differs"]
    assert "give different settings: they are matched as one home" in differs
    assert "with a foster row among them, every row is held to the limit of three" in differs


#: Children who may not live with a 4-year-old: rules 10 (solo, only older), 11 and 14.
_NOT_WITH_A_FOUR_YEAR_OLD = [
    {"alongside": "solo", "age": 10},
    {"alongside": "only_older", "age": 10},
    {"risks": ("harm_sexual",), "age": 15},
    {"risks": ("harm_physical",), "age": 15},
]


def _four_year_old_on_row_b() -> pd.DataFrame:
    """A children's home on two rows (two beds): RH-A says nobody lives there, RH-B that a
    4-year-old does."""
    common: dict[str, Any] = {"setting": "residential", "provider": "external",
                              "urn": "SC123456", "postcode": POSTCODES["near"],
                              "home_places": 2}  # fmt: skip
    return placements_frame([
        placement("RH-A", weekly_cost=4000.0, **common),
        placement("RH-B", weekly_cost=4100.0, current_children=1, current_ages=(4,), **common),
    ])  # fmt: skip


@pytest.mark.parametrize("kw", _NOT_WITH_A_FOUR_YEAR_OLD, ids=lambda kw: str(list(kw.values())))
@pytest.mark.parametrize("path", ["compact", "column_generation", "national", "greedy"])
def test_the_current_children_on_a_homes_other_row_count_on_every_path(
    path: str, kw: dict[str, Any]
) -> None:
    """The child goes on neither row, whichever path; a child with no such need goes."""
    kids = refs_frame([referral("C1", foster_suitability="unsuitable", **kw),
                       referral("C2", age=12, foster_suitability="unsuitable")])  # fmt: skip
    plcs = _four_year_old_on_row_b()
    prob = build_problem(kids, plcs, RUN_DATE)
    where = plan_by_path(prob, path)
    assert where[0] == -1 and where[1] >= 0
    assert plan_violations(kids, plcs, id_plan(prob, where), RUN_DATE) == []


@pytest.mark.parametrize("kw", _NOT_WITH_A_FOUR_YEAR_OLD, ids=lambda kw: str(list(kw.values())))
def test_the_reasons_read_the_current_children_of_every_row(kw: dict[str, Any]) -> None:
    """The unplaced child's reason (RH-A has current children it cannot live alongside: the
    4-year-old given on RH-B) holds when read back against the home's rows, and says the
    children are read over the home's rows (it read as if RH-A's own row gave them).
    Before, the independent check read RH-A's own row alone and called it false, and the
    reference plan check let the child onto RH-A."""
    kids = refs_frame([referral("C1", foster_suitability="unsuitable", **kw)])
    plcs = _four_year_old_on_row_b()
    mp = MatchingParams()
    run = run_matching(kids, plcs, RUN_DATE, Params(matching=mp))
    assert run.result.plan["placement_id"].isna().all()
    assert false_claims(run, mp, kids, plcs) == []
    assert plan_violations(kids, plcs, {"C1": "RH-A"}, RUN_DATE) != []
    # RH-A's own row gives no child: the reason says whose children count
    assert (
        ", its children now read over every row of its home (rows RH-A and RH-B of the "
        "register are one home)" in run.unplaced["reason"].iat[0]
    )


def test_a_conflict_with_a_child_on_the_homes_other_row_is_read_back() -> None:
    """C1 (a risk of physical harm) is pinned to RH-B; the 4-year-old C2 is told C1 is
    placed in the same home (its row RH-B), and that claim holds when read back."""
    kids = refs_frame([
        referral("C1", age=15, risks=("harm_physical",), foster_suitability="unsuitable"),
        referral("C2", age=4, foster_suitability="unsuitable"),
    ])  # fmt: skip
    plcs = placements_frame([placement(f"RH-{r}", setting="residential", provider="external",
                                       urn="SC1", postcode=POSTCODES["near"], home_places=2)
                             for r in "AB"])  # fmt: skip
    mp = MatchingParams()
    run = run_matching(kids, plcs, RUN_DATE, Params(matching=mp),
                       decisions=decisions_frame([decision("C1", "RH-B")]))  # fmt: skip
    (reason,) = run.unplaced["reason"].tolist()
    assert "C1 is placed in the same home (its row RH-B)" in reason
    assert false_claims(run, mp, kids, plcs) == []
