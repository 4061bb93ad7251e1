"""Siblings on two rows of one home or household (one ``home_id``, or one URN and
postcode) live together: the plan is not charged a split for them, the outputs do not
call them split, and with ``siblings = "together"`` they may take two rows of one home
(four siblings, a household on two rows of two places with ``home_places`` 4). Before,
every path counted rows: the four were charged a split (score 6,720 against 3,720), and
with "together" only two of them were placed, on every solve path and backend."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from explain_check import false_claims
from match_builders import POSTCODES, RUN_DATE, placement, placements_frame, referral
from match_builders import referrals_frame as refs_frame
from reference import best_by_enumeration, id_plan, plan_violations
from solve_paths import plan_by_path
from test_decisions import decision, decisions_frame

from sufficiency.cli import main
from sufficiency.config import MatchingParams, Params
from sufficiency.matching import (
    build_problem,
    generate_candidates,
    pricing,
    run_matching,
    solve,
)
from sufficiency.matching.backends import available_backends
from sufficiency.matching.costs import pair_cost, sibling_split_cost, unplaced_cost
from sufficiency.matching.decisions import apply_decisions
from sufficiency.matching.plan import evaluate_plan, plan_figures
from sufficiency.matching.why_not import plan_reasons

PATHS = ["compact", "column_generation", "national", "greedy", "legal_plan"]
POLICIES = ["prefer", "together"]


def _household(vacancies: int = 2, places: int = 4) -> pd.DataFrame:
    """An empty foster household on two rows (one home_id) of ``vacancies`` each."""
    return placements_frame([
        placement(f"F-{x}", provider="ifa", vacancies=vacancies, weekly_cost=cost,
                  home_id="SMITH-1", home_places=places)
        for x, cost in (("A", 900.0), ("B", 950.0))
    ])  # fmt: skip


def _siblings(n: int = 4) -> pd.DataFrame:
    return refs_frame([referral(f"C{i}", age=8 + i, sibling_group="G1")
                       for i in range(1, n + 1)])  # fmt: skip


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("path", PATHS)
def test_four_siblings_on_two_rows_of_one_household_are_together(path: str, policy: str) -> None:
    """All four are placed over the household's two rows, with no split charged, and the
    plan's outputs say the group is kept together."""
    params = MatchingParams(siblings=policy)  # type: ignore[arg-type]
    prob = build_problem(_siblings(), _household(), RUN_DATE)
    where = plan_by_path(prob, path, params)
    assert (where >= 0).all()
    assert set(where.tolist()) == {0, 1}  # two on each row: each row has two places
    assert sibling_split_cost(prob, where, params.weights).tolist() == [0.0]
    plan = evaluate_plan(prob, where, params.weights)
    assert plan["siblings_together"].tolist() == [True] * 4
    assert plan["sibling_split_gbp"].sum() == 0.0
    assert plan_figures(prob, plan, params.weights)["sibling_groups_kept_together"] == 1


@pytest.mark.parametrize("backend", available_backends())
@pytest.mark.parametrize("method", ["compact", "column_generation"])
def test_every_backend_places_siblings_who_must_stay_together_on_two_rows(
    backend: str, method: str
) -> None:
    params = MatchingParams(siblings="together", solver=backend)  # type: ignore[arg-type]
    prob = build_problem(_siblings(), _household(), RUN_DATE)
    result = solve(prob, params, method=method)  # type: ignore[arg-type]
    assert result.status.value == "optimal"
    assert (result.place_of_child >= 0).all()
    assert result.plan["siblings_together"].all()


@pytest.mark.parametrize("policy", POLICIES)
def test_siblings_in_two_different_homes_are_still_split(policy: str) -> None:
    """Two homes of two places each (no home_id): four siblings take both only with a
    split, which "together" does not allow (two are placed)."""
    plcs = placements_frame([placement("P-A", vacancies=2, weekly_cost=900.0),
                             placement("P-B", vacancies=2, weekly_cost=950.0)])  # fmt: skip
    params = MatchingParams(siblings=policy)  # type: ignore[arg-type]
    prob = build_problem(_siblings(), plcs, RUN_DATE)
    for method in ("compact", "column_generation"):
        result = solve(prob, params, method=method)  # type: ignore[arg-type]
        placed = result.place_of_child >= 0
        if policy == "together":
            assert int(placed.sum()) == 2 and len(set(result.place_of_child[placed])) == 1
        else:
            assert placed.all()
            assert sibling_split_cost(prob, result.place_of_child, params.weights).tolist() == [
                params.weights.sibling_split
            ]
            assert not result.plan["siblings_together"].any()


@pytest.mark.parametrize("policy", POLICIES)
def test_the_optimum_counts_splits_by_home_as_brute_force_does(policy: str) -> None:
    """Three siblings and a child who is not theirs, a household on two rows of one place
    each (home_places 2), a children's home on two rows (one URN and postcode) and a
    single home: each path's optimum is the brute force's over every plan, splits and
    "together" read by home."""
    kids = refs_frame([
        referral("S1", age=9, sibling_group="G"), referral("S2", age=11, sibling_group="G"),
        referral("S3", age=13, sibling_group="G"), referral("X", age=12),
    ])  # fmt: skip
    common: dict[str, Any] = {"setting": "residential", "provider": "external",
                              "urn": "SC1", "postcode": POSTCODES["malvern"]}  # fmt: skip
    plcs = placements_frame([
        placement("F-A", weekly_cost=700.0, home_id="H1", home_places=2),
        placement("F-B", weekly_cost=720.0, home_id="H1", home_places=2),
        placement("R-A", weekly_cost=3000.0, vacancies=2, **common),
        placement("R-B", weekly_cost=3100.0, **common),
        placement("ONE", postcode=POSTCODES["evesham"], weekly_cost=650.0),
    ])  # fmt: skip
    together = policy == "together"
    params = MatchingParams(siblings=policy)  # type: ignore[arg-type]
    prob = build_problem(kids, plcs, RUN_DATE)
    best = best_by_enumeration(kids, plcs, RUN_DATE, params.weights, together)
    for method in ("compact", "column_generation"):
        result = solve(prob, params, method=method)  # type: ignore[arg-type]
        assert result.status.value == "optimal"
        assert result.objective_gbp == pytest.approx(best)
        plan = id_plan(prob, result.place_of_child)
        assert plan_violations(kids, plcs, plan, RUN_DATE, siblings_together=together) == []


def _group_on_shared_homes(policy: str):  # type: ignore[no-untyped-def]
    """Three siblings and six rows, two pairs of them rows of one home."""
    kids = [referral(f"S{i}", sibling_group="G", age=5 + 2 * i,
                     home_postcode=list(POSTCODES.values())[i]) for i in range(3)]  # fmt: skip
    spots = list(POSTCODES.values())
    plcs = placements_frame([
        placement(f"P{j}", postcode=spots[j % len(spots)], vacancies=1 + j % 2,
                  weekly_cost=float(450 + 60 * j), age_max=8 + j,
                  home_id={0: "H1", 3: "H1", 1: "H2", 4: "H2"}.get(j, pd.NA), home_places=3)
        for j in range(6)
    ])  # fmt: skip
    prob = build_problem(refs_frame(kids), plcs, RUN_DATE)
    params = MatchingParams(siblings=policy)  # type: ignore[arg-type]
    cands = generate_candidates(prob)
    cost = pair_cost(prob, cands.child, cands.place, params.weights)
    group = pricing.groups(prob, cands.child, cands.place, cost, params)[0]
    return prob, params, cands, cost, group


def _every_pattern(prob, params, cands, cost, beta, alpha, together):  # type: ignore[no-untyped-def]
    """Reduced cost of every physical pattern, splits counted by home."""
    options = [[-1, *cands.place[cands.child == c].tolist()] for c in range(3)]
    price = {(int(c), int(p)): float(k) for c, p, k in zip(cands.child, cands.place, cost,
                                                            strict=True)}  # fmt: skip
    cap, home = prob.place_capacity, prob.place_home
    unplaced = unplaced_cost(prob, params.weights)
    out = {}
    for combo in itertools.product(*options):
        used = sorted({p for p in combo if p >= 0})
        homes = {int(home[p]) for p in used}
        if any(combo.count(p) > cap[p] for p in used) or (together and len(homes) > 1):
            continue
        rc = sum(price[(c, p)] if p >= 0 else unplaced[c] for c, p in enumerate(combo))
        rc -= sum(combo.count(p) * beta[p] for p in used)
        rc += params.weights.sibling_split * max(len(homes) - 1, 0) - alpha
        blocks = tuple(sorted((sum(1 << c for c, q in enumerate(combo) if q == p), p)
                              for p in used))  # fmt: skip
        out[blocks] = rc
    return out


@pytest.mark.parametrize("policy", POLICIES)
def test_group_pricing_counts_splits_by_home_exactly(policy: str) -> None:
    """With rows of one home among a group's placements, the least reduced cost is the
    brute force's, splits by home ("together": one home), and the patterns listed below a
    threshold are exactly the brute force's."""
    prob, params, cands, cost, group = _group_on_shared_homes(policy)
    assert group.reach == 2
    together = policy == "together"
    rng = np.random.default_rng(5)
    for _ in range(8):
        beta = -rng.uniform(0, 2500, prob.num_placements)
        alpha = float(rng.uniform(0, 6000))
        brute = _every_pattern(prob, params, cands, cost, beta, alpha, together)
        least, _ = group.price(beta, alpha)
        assert least == pytest.approx(min(brute.values()))
        threshold = float(np.quantile(list(brute.values()), 0.4))
        listed = {tuple(sorted(b)): rc for rc, b in group.enumerate(beta, alpha, threshold)}
        expected = {b: rc for b, rc in brute.items() if rc < threshold}
        assert listed.keys() == expected.keys()
        for key, rc in listed.items():
            assert rc == pytest.approx(expected[key])


def test_moving_a_sibling_to_the_households_other_row_does_not_split_them() -> None:
    """Why not: a sibling at F-A asked about F-B (the household's other row, a place
    left) is not told it would split the group; asked about a home elsewhere, it is."""
    plcs = pd.concat([_household(vacancies=2, places=3),
                      placements_frame([placement("OTHER", weekly_cost=990.0)])],
                     ignore_index=True)  # fmt: skip
    prob = build_problem(_siblings(2), plcs, RUN_DATE)
    result = solve(prob, MatchingParams(siblings="together"), method="compact")
    assert result.place_of_child.tolist() == [0, 0]
    for together in (False, True):
        assert plan_reasons(prob, result, 0, 1, together) == []
        kinds = [k for k, _ in plan_reasons(prob, result, 0, 2, together)]
        assert kinds == ["siblings"]


def test_every_output_says_the_group_is_together(tmp_path: Path) -> None:
    """Through the matching command, siblings together: all four placed on the two rows,
    summary.json counts the group kept together, matches.csv and the report say so, and
    every reason holds when read back claim by claim."""
    refs, plcs = tmp_path / "referrals.csv", tmp_path / "placements.csv"
    kids, homes = _siblings(), _household()
    kids.assign(dob=kids["dob"].dt.strftime("%d/%m/%Y"), risks="", communication="",
                adaptations="N", dolo="N").to_csv(refs, index=False)  # fmt: skip
    homes.assign(current_ages="", risk_exclusions="", communication="", has_pets="N",
                 adapted="N").to_csv(plcs, index=False)  # fmt: skip
    config = tmp_path / "together.toml"
    config.write_text('[matching]\nsiblings = "together"\n', "utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, [
        "match", "--referrals", str(refs), "--placements", str(plcs), "--date", "2026-03-01",
        "--out", str(out), "--config", str(config), "--time-limit", "30",
    ])  # fmt: skip
    assert res.exit_code == 0, res.output
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["sibling_groups_kept_together"] == 1
    assert summary["greedy_baseline"]["sibling_groups_kept_together"] == 1  # today's practice
    assert "placed 4 of 4 children" in res.output
    matches = pd.read_csv(out / "matches.csv", dtype=str, keep_default_na=False)
    assert set(matches["siblings_together"]) == {"True"}
    assert set(matches["sibling_note"]) == {""}
    assert set(matches["sibling_split_gbp"].astype(float)) == {0.0}
    report = next(p for p in out.iterdir() if p.suffix in (".html", ".htm"))
    page = report.read_text("utf-8")
    assert "keeps the sibling group together" in page
    assert "splits the sibling group" not in page
    mp = MatchingParams(siblings="together")
    run = run_matching(kids, homes, RUN_DATE, Params(matching=mp))
    assert false_claims(run, mp, kids, homes) == []


def test_pins_of_siblings_to_two_rows_of_one_household_keep_them_together() -> None:
    """Siblings who must stay together, pinned to the household's two rows, are not
    "pinned apart": both pins apply and the plan keeps all four there; a pin of one to a
    row of two places says nothing of siblings left out (the household has room for all
    four across its rows)."""
    prob = build_problem(_siblings(), _household(), RUN_DATE)
    pins = decisions_frame([decision("C1", "F-A"), decision("C3", "F-B")])
    pinned, notes = apply_decisions(prob, pins, siblings_together=True)
    assert [n.status for n in notes.notes] == ["applied", "applied"]
    assert all("together" not in n.note for n in notes.notes)
    result = solve(pinned, MatchingParams(siblings="together"), method="compact")
    assert (result.place_of_child >= 0).all()
    _, one = apply_decisions(prob, decisions_frame([decision("C1", "F-A")]),
                             siblings_together=True)  # fmt: skip
    assert [n.status for n in one.notes] == ["applied"]
    assert "Siblings must stay together" not in one.notes[0].note
