"""The sibling-pattern master: exact pricing, complete enumeration, and the rules it must
still enforce (who lives alongside whom, the fostering exemption, siblings together)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from match_builders import (
    POSTCODES,
    RUN_DATE,
    placement,
    placements_frame,
    referral,
    referrals_frame,
)
from reference import best_by_enumeration, plan_violations

from sufficiency.config import MatchingParams
from sufficiency.matching import build_problem, generate_candidates, pricing, solve, solver, spatial
from sufficiency.matching.costs import pair_cost, pair_distances, unplaced_cost

SPOTS = list(POSTCODES.values())


def _forced(prob, params):  # type: ignore[no-untyped-def]
    """solve() through the pattern master, however few pairs there are."""
    return solve(prob, params, method="column_generation")


def _plan(result):  # type: ignore[no-untyped-def]
    return {
        str(r.child_id): (None if r.placement_id is None or r.placement_id != r.placement_id
                          else str(r.placement_id))
        for r in result.plan.astype(object).itertuples()
    }  # fmt: skip


def test_pattern_master_keeps_apart_children_who_may_not_live_together() -> None:
    """A child who must live alone and another both want the one cheap two-bed home:
    the master's plan puts only one of them there."""
    refs = referrals_frame([referral("A", alongside="solo"), referral("B", age=8)])
    plcs = placements_frame([
        placement("CHEAP", vacancies=2, weekly_cost=400.0),
        placement("DEAR", postcode=POSTCODES["malvern"], vacancies=1, weekly_cost=900.0),
    ])  # fmt: skip
    params = MatchingParams()
    result = _forced(build_problem(refs, plcs, RUN_DATE), params)
    plan = _plan(result)
    assert plan_violations(refs, plcs, plan, RUN_DATE) == []
    assert sorted(v for v in plan.values() if v) == ["CHEAP", "DEAR"]
    best = best_by_enumeration(refs, plcs, RUN_DATE, params.weights)
    assert result.objective_gbp == pytest.approx(best)
    assert result.status.value == "optimal"


def test_pattern_master_uses_the_sibling_exemption_and_keeps_others_out() -> None:
    """Four siblings fit together only in an empty foster home with four vacancies (the
    exemption to the usual limit of three); a fifth child wanting that home goes elsewhere."""
    kids = [referral(f"S{i}", sibling_group="G", age=6 + i) for i in range(4)]
    refs = referrals_frame([*kids, referral("X", age=12)])
    plcs = placements_frame([
        placement("BIG", vacancies=5, weekly_cost=300.0),
        placement("ONE", postcode=POSTCODES["near"], vacancies=1, weekly_cost=700.0),
        placement("TWO", postcode=POSTCODES["malvern"], vacancies=2, weekly_cost=650.0),
        placement("THREE", postcode=POSTCODES["bromsgrove"], vacancies=2, weekly_cost=650.0),
    ])  # fmt: skip
    params = MatchingParams()
    result = _forced(build_problem(refs, plcs, RUN_DATE), params)
    plan = _plan(result)
    assert plan_violations(refs, plcs, plan, RUN_DATE) == []
    assert [plan[f"S{i}"] for i in range(4)] == ["BIG"] * 4
    assert plan["X"] != "BIG"
    assert result.objective_gbp == pytest.approx(
        best_by_enumeration(refs, plcs, RUN_DATE, params.weights)
    )


@pytest.mark.parametrize("together", [False, True])
def test_pattern_master_matches_the_compact_model(together: bool) -> None:
    """On a crowded instance with sibling groups, alongside needs and shared homes, the
    master reaches the compact model's optimum (solved over every pair)."""
    rng = np.random.default_rng(7)
    needs = ["no_preference", "no_preference", "solo", "only_older", "only_younger"]
    kids = []
    for i in range(24):
        group = f"G{i // 3}" if i < 12 else None
        kids.append(referral(f"C{i:02d}", age=int(rng.integers(4, 17)), sibling_group=group,
                             alongside=needs[int(rng.integers(0, len(needs)))],
                             home_postcode=SPOTS[int(rng.integers(0, 3))]))  # fmt: skip
    plcs = placements_frame([
        placement(f"P{j:02d}", postcode=SPOTS[j % len(SPOTS)], vacancies=1 + j % 3,
                  weekly_cost=float(500 + 35 * (j % 13)))
        for j in range(40)
    ])  # fmt: skip
    refs = referrals_frame(kids)
    params = MatchingParams(siblings="together" if together else "prefer")
    prob = build_problem(refs, plcs, RUN_DATE)
    best = solve(prob, params, prune=False)
    got = _forced(prob, params)
    assert got.status.value == "optimal"
    assert got.objective_gbp == pytest.approx(best.objective_gbp, abs=1e-6)
    assert got.bound_gbp is not None and got.bound_gbp <= best.objective_gbp + 1e-6
    assert plan_violations(refs, plcs, _plan(got), RUN_DATE, siblings_together=together) == []


def _group_of_three():  # type: ignore[no-untyped-def]
    kids = [referral(f"S{i}", sibling_group="G", age=5 + 2 * i,
                     home_postcode=SPOTS[i]) for i in range(3)]  # fmt: skip
    plcs = placements_frame([
        placement(f"P{j}", postcode=SPOTS[j % len(SPOTS)], vacancies=1 + j % 3,
                  weekly_cost=float(450 + 60 * j), age_max=8 + j)
        for j in range(6)
    ])  # fmt: skip
    prob = build_problem(referrals_frame(kids), plcs, RUN_DATE)
    params = MatchingParams()
    cands = generate_candidates(prob)
    cost = pair_cost(prob, cands.child, cands.place, params.weights)
    group = pricing.groups(prob, cands.child, cands.place, cost, params)[0]
    return prob, params, cands, cost, group


def _every_pattern(prob, params, cands, cost, beta, alpha):  # type: ignore[no-untyped-def]
    """Reduced cost of every physical pattern, by trying each member at each option."""
    options = [[-1, *cands.place[cands.child == c].tolist()] for c in range(3)]
    price = {(int(c), int(p)): float(k) for c, p, k in zip(cands.child, cands.place, cost,
                                                            strict=True)}  # fmt: skip
    cap = prob.place_capacity
    unplaced = unplaced_cost(prob, params.weights)
    out = {}
    for combo in itertools.product(*options):
        used = sorted({p for p in combo if p >= 0})
        if any(combo.count(p) > cap[p] for p in used):
            continue
        rc = sum(price[(c, p)] if p >= 0 else unplaced[c] for c, p in enumerate(combo))
        rc -= sum(combo.count(p) * beta[p] for p in used)
        rc += params.weights.sibling_split * max(len(used) - 1, 0) - alpha
        blocks = tuple(sorted((sum(1 << c for c, q in enumerate(combo) if q == p), p)
                              for p in used))  # fmt: skip
        out[blocks] = rc
    return out


def test_group_pricing_is_exact_and_enumeration_complete() -> None:
    """For random capacity prices, the least reduced cost equals the brute-force minimum
    over every legal way to place the group, and the patterns listed below a threshold
    are exactly those the brute force finds below it."""
    prob, params, cands, cost, group = _group_of_three()
    rng = np.random.default_rng(3)
    for _ in range(5):
        beta = -rng.uniform(0, 2500, prob.num_placements)
        alpha = float(rng.uniform(0, 6000))
        brute = _every_pattern(prob, params, cands, cost, beta, alpha)
        least, found = group.price(beta, alpha)
        assert least == pytest.approx(min(brute.values()))
        # searching only partitions that could price below zero: the same patterns, and
        # the least exact below zero (else a bound between zero and it)
        floored, found_floored = group.price(beta, alpha, floor=0.0)
        assert found_floored == found
        if least < 0:
            assert floored == pytest.approx(least)
        else:
            assert 0.0 <= floored <= least + 1e-9
        threshold = float(np.quantile(list(brute.values()), 0.3))
        listed = {tuple(sorted(b)): rc for rc, b in group.enumerate(beta, alpha, threshold)}
        expected = {b: rc for b, rc in brute.items() if rc < threshold}
        assert listed.keys() == expected.keys()
        for key, rc in listed.items():
            assert rc == pytest.approx(expected[key])


@pytest.mark.parametrize("start_miles", [0.5, 3.0])
def test_pairs_by_distance_widen_until_nothing_beyond_could_help(start_miles: float) -> None:
    """Pairs generated by distance from home (forced on a small instance, starting with a
    tiny radius): the radius widens wherever a farther placement could improve the plan,
    and the optimum and its proof match the compact model over every pair. A child with
    no known home is paired with every placement."""
    rng = np.random.default_rng(11)
    kids = [referral(f"C{i:02d}", age=int(rng.integers(4, 17)),
                     sibling_group=f"G{i // 2}" if i < 6 else None,
                     home_postcode=None if i == 9 else SPOTS[int(rng.integers(0, 2))],
                     alongside="solo" if i == 7 else "no_preference")
            for i in range(14)]  # fmt: skip
    plcs = placements_frame([
        placement(f"P{j:02d}", postcode=SPOTS[j % len(SPOTS)], vacancies=1 + j % 2,
                  weekly_cost=float(450 + 45 * (j % 7)))
        for j in range(24)
    ])  # fmt: skip
    refs = referrals_frame(kids)
    params = MatchingParams()
    prob = build_problem(refs, plcs, RUN_DATE)
    best = solve(prob, params, prune=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(spatial, "START_RADIUS_MILES", start_miles)
        first = spatial.initial_candidates(prob, params)[0].num_pairs
        got = solve(prob, params, spatial_above_pairs=0)
    assert got.status.value == "optimal"
    assert got.objective_gbp == pytest.approx(best.objective_gbp, abs=1e-6)
    assert got.bound_gbp is not None and got.bound_gbp <= best.objective_gbp + 1e-6
    assert plan_violations(refs, plcs, _plan(got), RUN_DATE) == []
    # the optimum needs placements beyond the first radius: the pairs held grew
    assert got.candidates.num_pairs > first
    # the unplaced children's explanations count the whole register
    unplaced = np.nonzero(got.place_of_child < 0)[0]
    full = generate_candidates(prob)
    for c in unplaced:
        assert (got.candidates.excluded_counts[c] == full.excluded_counts[c]).all()


@pytest.mark.parametrize("start_miles", [0.5, 3.0])
def test_seeded_start_keeps_the_optimum_and_its_proof(start_miles: float) -> None:
    """Every child from one area, few homes near it: the greedy pairs are held beyond the
    start radius (and the rings widened past them), the transportation plan's columns
    seed the first LP and its repaired plan (or the greedy plan) starts the MIP. The
    optimum and its bound match the compact model over every pair, no pair is held
    twice, and the plan breaks no rule."""
    rng = np.random.default_rng(5)
    kids = [referral(f"C{i:02d}", age=int(rng.integers(4, 17)),
                     sibling_group=f"G{i // 2}" if i < 6 else None,
                     home_postcode=SPOTS[0],
                     alongside="only_older" if i == 8 else "no_preference")
            for i in range(16)]  # fmt: skip
    plcs = placements_frame([
        placement(f"P{j:02d}", postcode=SPOTS[j % len(SPOTS)], vacancies=1 + j % 2,
                  weekly_cost=float(450 + 37 * (j % 9)))
        for j in range(26)
    ])  # fmt: skip
    refs = referrals_frame(kids)
    params = MatchingParams()
    prob = build_problem(refs, plcs, RUN_DATE)
    best = solve(prob, params, prune=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(spatial, "START_RADIUS_MILES", start_miles)
        mp.setattr(solver, "SEED_BELOW_PLACES_PER_CHILD", 1e9)  # seeded however many
        got = solve(prob, params, spatial_above_pairs=0)
    assert got.status.value == "optimal"
    assert got.objective_gbp == pytest.approx(best.objective_gbp, abs=1e-6)
    assert got.bound_gbp is not None and got.bound_gbp <= best.objective_gbp + 1e-6
    assert plan_violations(refs, plcs, _plan(got), RUN_DATE) == []
    key = got.candidates.child * prob.num_placements + got.candidates.place
    assert len(np.unique(key)) == len(key)


def test_rings_hold_exactly_the_pairs_within_their_radius() -> None:
    """Two rings together hold every rule-abiding pair within the outer radius (distance
    zero included), none beyond it, and none twice."""
    kids = [referral(f"C{i}", home_postcode=SPOTS[i % len(SPOTS)], age=4 + i) for i in range(8)]
    plcs = placements_frame([
        placement(f"P{j:02d}", postcode=SPOTS[(j * 5) % len(SPOTS)], vacancies=1 + j % 2)
        for j in range(30)
    ])  # fmt: skip
    prob = build_problem(referrals_frame(kids), plcs, RUN_DATE)
    full = generate_candidates(prob)
    miles = pair_distances(prob, full.child, full.place)[0]
    children = np.arange(prob.num_children)
    for inner, outer in ((3.0, 12.0), (0.5, 30.0)):
        lo = np.full(len(children), inner)
        hi = np.full(len(children), outer)
        c1, p1 = spatial.ring_pairs(prob, children, np.zeros(len(children)), lo)
        c2, p2 = spatial.ring_pairs(prob, children, lo, hi)
        got = list(zip(np.r_[c1, c2].tolist(), np.r_[p1, p2].tolist(), strict=True))
        want = set(zip(full.child[miles <= outer].tolist(), full.place[miles <= outer].tolist(),
                       strict=True))  # fmt: skip
        assert len(got) == len(set(got))
        assert set(got) == want


def test_far_floor_never_exceeds_the_cost_of_a_pair_beyond_the_radius() -> None:
    """Every pair farther from home than a radius costs at least the floor at that radius
    (fees by setting, distance, school and key stage 4 terms), so the proof may bound
    every pair it never generated by it."""
    rng = np.random.default_rng(5)
    kids = [referral(f"C{i}", age=int(rng.integers(3, 18)), home_postcode=SPOTS[i % 3],
                     school_postcode=SPOTS[int(rng.integers(0, len(SPOTS)))],
                     school_year=int(rng.integers(1, 12)),
                     foster_suitability=["preferred", "suitable", "unsuitable"][i % 3],
                     residential_suitability="suitable", dolo=i == 4)
            for i in range(12)]  # fmt: skip
    settings = ["foster", "residential", "supported"]
    plcs = placements_frame([
        placement(f"P{j:02d}", postcode=SPOTS[j % len(SPOTS)], setting=settings[j % 3],
                  weekly_cost=float(400 + 300 * (j % 5)), age_min=0 if j % 3 != 2 else 16)
        for j in range(30)
    ])  # fmt: skip
    prob = build_problem(referrals_frame(kids), plcs, RUN_DATE)
    weights = MatchingParams().weights
    cands = generate_candidates(prob)
    cost = pair_cost(prob, cands.child, cands.place, weights)
    miles = pair_distances(prob, cands.child, cands.place)[0]
    assert (miles > 20).any() and (miles < 20).any()
    # radii just short of every distance a pair has: the floor is tight there
    for radius in np.unique(miles[miles > 0]) - 0.05:
        beyond = miles > radius
        floor = spatial.far_floor(prob, weights, np.full(prob.num_children, radius))
        assert (cost[beyond] >= floor[cands.child[beyond]] - 1e-9).all()
    # and the floor is not trivial: it counts the distance at the radius
    assert spatial.far_floor(prob, weights, np.full(prob.num_children, 30.0)).min() > 1300
