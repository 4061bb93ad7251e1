"""Every reason a run gives holds up: each claim of ``alternatives.csv``, ``unplaced.csv``
and the split sibling groups' notes, re-derived from the inputs and the plan by
``explain_check`` (which calls none of the code that wrote them), on seeded random
instances: small ones with sibling groups, risks, who-lives-alongside needs, pets,
current children and the team's decisions; crowded ones (``generate_crowded``); and the
sample. ``EXPLAIN_SEEDS=N`` runs N of each small family instead of the default."""

from __future__ import annotations

import dataclasses
import os
import random
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from explain_check import false_claims
from match_builders import (
    POSTCODES,
    RUN_DATE,
    placement,
    placements_frame,
    referral,
    referrals_frame,
)
from test_decisions import decision, decisions_frame

from sufficiency.config import MatchingParams, MatchingWeights, Params
from sufficiency.matching import build_problem, match, run_matching
from sufficiency.matching.backends import SolveStatus
from sufficiency.matching.decisions import apply_decisions
from sufficiency.matching.explain import alternatives_table, sibling_notes, unplaced_table
from sufficiency.matching.report import match_report
from sufficiency.matching.why_not import add_why_not

ROOT = Path(__file__).resolve().parents[2]
SEEDS = int(os.environ.get("EXPLAIN_SEEDS", "60"))
SPOTS = list(POSTCODES.values())
RISKS = ("harm_sexual", "fire_setting", "missing", "harm_animals", "harm_physical")


def _night(rng: random.Random, hard: bool) -> tuple[pd.DataFrame, pd.DataFrame, Any]:
    """A random night: ``hard`` draws every rule widely (many children with no home at
    all); otherwise most children can be placed and compete for few homes."""
    n_c, n_p = rng.randint(1 if hard else 2, 8 if hard else 10), rng.randint(1, 6)
    kids = [
        referral(
            f"C{i}",
            age=rng.randint(3, 17),
            sex=rng.choice("MF"),
            home_postcode=rng.choice(SPOTS) if rng.random() < 0.93 else pd.NA,
            school_postcode=rng.choice([*SPOTS, pd.NA]),
            school_year=rng.choice([pd.NA, 9, 10, 11]),
            sibling_group=rng.choice([pd.NA, pd.NA, "G1", "G2", "G3"]),
            needed_by=rng.choice(["today", "<5 days", ">5 days"]),
            foster_suitability=rng.choice(["preferred", "suitable"] + ["unsuitable"] * hard),
            residential_suitability=rng.choice(["preferred", "suitable"]),
            supported_suitability=rng.choice(["suitable", "unsuitable"]) if hard else "unsuitable",
            alongside=rng.choice(
                ["solo", "only_older", "only_younger", "with_others"]
                + ["no_preference"] * (2 if hard else 5)
            ),
            pets=rng.choice(["must", "no"] + ["can", "unknown"] * (1 if hard else 3)),
            risks=tuple(sorted(rng.sample(RISKS, rng.choice([0, 0, 0, 1, 1, 2])))),
            communication=rng.choice([(), (), ("bsl",)]) if hard else (),
            adaptations=hard and rng.random() < 0.1,
            dolo=hard and rng.random() < 0.05,
        )
        for i in range(n_c)
    ]
    homes = []
    for j in range(n_p):
        now = rng.choice([0, 0, 1, 2, 3] if hard else [0, 0, 0, 1, 2])
        ages = () if now and rng.random() < 0.15 else tuple(rng.randint(2, 17) for _ in range(now))
        homes.append(
            placement(
                f"P{j}",
                setting=rng.choice(["foster", "foster", "residential"] + ["supported"] * hard),
                postcode=rng.choice(SPOTS),
                vacancies=rng.randint(0 if hard else 1, 5),
                weekly_cost=float(rng.randint(3, 60) * 50),
                age_min=rng.choice([0, 0, 5, 10]),
                age_max=rng.choice([17, 17, 12, 15]),
                sex=rng.choice(["any"] * 5 + ["M", "F"]),
                current_children=now,
                current_ages=ages,
                risk_exclusions=tuple(rng.sample(RISKS, rng.choice([0, 0, 0, 1]))),
                has_pets=rng.choice([True, False, False, False, pd.NA]),
                communication=rng.choice([(), ("bsl",)]),
                adapted=rng.random() < 0.3,
                ofsted_rating=rng.choice([pd.NA] * 5 + ["Inadequate"]),
                available_from=rng.choice(
                    [pd.NaT] * 4 + [pd.Timestamp(RUN_DATE) + pd.Timedelta(days=rng.choice([3, 10]))]
                ),
            )
        )
    decided = None
    if rng.random() < 0.25:
        decided = decisions_frame(
            [
                decision(
                    f"C{rng.randrange(n_c)}",
                    f"P{rng.randrange(n_p)}",
                    rng.choice(["pin", "exclude", "exclude"]),
                )
                for _ in range(rng.randint(1, 3))
            ]
        )
    return referrals_frame(kids), placements_frame(homes), decided


def _greedy(
    run: Any, refs: pd.DataFrame, plcs: pd.DataFrame, mp: MatchingParams, decided: Any
) -> Any:
    """``run`` explained for its greedy plan, as a plan not proven optimal (a solver
    stopped early proposes it), through the same functions the run uses."""
    together = mp.siblings == "together"
    prob, _ = apply_decisions(
        build_problem(refs, plcs, RUN_DATE, mp), decided, siblings_together=together
    )
    where = run.result.greedy_place_of_child
    ids = prob.placements["placement_id"].astype(str).to_numpy(object)
    plan = pd.DataFrame(
        {
            "child_id": prob.referrals["child_id"].astype(str),
            "placement_id": [None if p < 0 else ids[p] for p in where],
            "sibling_note": sibling_notes(prob, where),
        }
    )
    result = dataclasses.replace(
        run.result, place_of_child=where, plan=plan, status=SolveStatus.FEASIBLE
    )
    table = alternatives_table(prob, result, mp.num_alternatives, mp.weights)
    summary = dataclasses.replace(run.summary, status=SolveStatus.FEASIBLE)
    return dataclasses.replace(
        run,
        result=result,
        summary=summary,
        matches=plan[plan["placement_id"].notna()],
        alternatives=add_why_not(prob, result, table, together, mp.weights),
        unplaced=unplaced_table(prob, result, together, mp.weights),
    )


@pytest.mark.parametrize("hard", [False, True], ids=["competing", "every-rule"])
def test_every_reason_holds_on_random_nights(hard: bool) -> None:
    """Seeded random nights (both sibling policies, some with the team's decisions, some
    with a wide gap or a low weight for a child left unplaced): no
    reason names a child not placed where it says, a rule that does not apply, a home
    with no room as free or a free one as taken, a wrong cost or a wrong nearest home;
    the same for each night's greedy plan taken as a plan not proven optimal."""
    found: list[str] = []
    for seed in range(SEEDS):
        rng = random.Random(seed * 2 + hard)
        refs, plcs, decided = _night(rng, hard)
        # a wide gap: a plan 'optimal' within it may leave a better option for a child
        # and weights that make leaving a child out cheap: placing them can score more
        cheap = MatchingWeights(unplaced=1500.0, unplaced_needed_today=2500.0, sibling_split=300.0)
        mp = MatchingParams(
            siblings=rng.choice(["prefer", "prefer", "together"]),
            mip_gap=rng.choice([1e-4, 1e-4, 0.2]),
            weights=rng.choice([MatchingWeights()] * 3 + [cheap]),
        )
        run = run_matching(refs, plcs, RUN_DATE, Params(matching=mp), decisions=decided)
        found += [f"seed {seed}: {b}" for b in false_claims(run, mp, refs, plcs)]
        greedy = _greedy(run, refs, plcs, mp, decided)
        found += [f"seed {seed}, greedy: {b}" for b in false_claims(greedy, mp, refs, plcs)]
    assert found == []


def test_every_reason_holds_on_crowded_nights() -> None:
    """Crowded nights (few homes, most children in sibling groups, many who may live
    only alone or with older or younger children, risks, current children)."""
    sys.path.insert(0, str(ROOT / "benchmarks" / "matching"))
    from generate import generate_crowded

    found: list[str] = []
    for seed in (3,):
        refs, plcs = generate_crowded(18, 12, seed=seed)
        for siblings in ("prefer", "together"):
            mp = MatchingParams(siblings=siblings, time_limit_seconds=10)
            run = run_matching(refs, plcs, RUN_DATE, Params(matching=mp))
            found += [f"seed {seed} {siblings}: {b}" for b in false_claims(run, mp, refs, plcs)]
    assert found == []


def test_every_reason_holds_on_the_sample() -> None:
    """The sample authority's night: every alternative, unplaced child and note, and the
    report's Other options and Not placed sheets say the same."""
    run = match(
        ROOT / "data/sample/referrals.csv",
        ROOT / "data/sample/placements.csv",
        run_date="2026-04-01",
    )
    assert len(run.alternatives) and len(run.unplaced)
    assert false_claims(run, run.summary.config.matching) == []
    # the report's sheets carry the same words
    report = match_report(run)
    assert list(report.options["why_not"]) == list(run.alternatives["why_not"].astype(str))
    assert list(report.not_placed["reason"]) == list(run.unplaced["reason"].astype(str))


def test_the_checker_catches_a_false_reason() -> None:
    """The checker is no rubber stamp: a holder, a rule number, a fee's direction, a
    nearest home and a route changed in a run's sentences are each caught."""
    refs = referrals_frame(
        [
            referral("B", age=14, risks=("harm_sexual",)),
            referral("X", age=15),
            referral("D", age=10, needed_by="<5 days"),
        ]
    )
    plcs = placements_frame(
        [
            placement("F", vacancies=3, current_children=1, current_ages=(16,)),
            placement("G", weekly_cost=900.0, vacancies=0),
        ]
    )
    mp = MatchingParams()
    run = run_matching(refs, plcs, RUN_DATE, Params(matching=mp))
    assert false_claims(run, mp) == []
    (u,) = run.unplaced.to_dict("records")
    lies = [
        u["reason"].replace("(B and X)", "(B and D)"),
        u["reason"].replace("rule 11 (", "rule 10 ("),
        u["reason"].replace(
            "Also, B is placed there and may not live with a younger child: "
            "rule 11 (risk of sexual harm to younger children). No exemption "
            "lifts this rule. ",
            "For F, the council where the foster carer "
            "lives can grant a named-child exemption to the usual fostering "
            "limit. ",
        ),
    ]
    for lie in lies:
        assert lie != u["reason"]
        told = run.unplaced.assign(reason=[lie])
        assert false_claims(dataclasses.replace(run, unplaced=told), mp), lie
    moved = run.unplaced.assign(nearest_placement_id=["G"])
    assert false_claims(dataclasses.replace(run, unplaced=moved), mp)
