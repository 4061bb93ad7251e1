"""Several authorities (a regional care co-operative) commissioning together.

Only block contracts are pooled: the co-operative signs each block contract (IFA
places, children's home beds) once, up to the sum of the members' maximum sizes, and
any member's child can take a block place. Recruiting in-house foster households, a
fee uplift for in-house carers and opening an in-house home stay each member's own,
with its own caps, serving its own children. Alone, each member optimises its own plan
on its own demand. Both are scored on fresh paths; each member's share of the pooled
cost (its own commitments and placements plus the block contracts in proportion to its
use of them, :mod:`~sufficiency.commissioning.pooled_score`) is set against its cost
alone, and the saving from pooling is the members' costs alone minus the pooled cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from sufficiency import figures, vocabulary
from sufficiency.commissioning.decisions import Decision, economics
from sufficiency.commissioning.demand import DemandPaths
from sufficiency.commissioning.evaluate import Score, evaluate_plan
from sufficiency.commissioning.levers import Levers
from sufficiency.commissioning.pooled_model import PooledInstance, PooledSolve, solve_pooled
from sufficiency.commissioning.pooled_score import score_pooled
from sufficiency.commissioning.solve import Plan, optimise, setup
from sufficiency.config import CommissioningParams
from sufficiency.errors import ConfigError
from sufficiency.prices import DEFAULT_RISE, PriceRise
from sufficiency.results import BriefRepr


def saving_sentence(saving_gbp: float, pooling: str, alone: str) -> str:
    """``pooling`` saves £X against ``alone``, or, when the pooled plan costs more on the
    fresh demand paths it is scored on, says so (not 'saves £-1,200')."""
    if saving_gbp >= 0:
        return f"{pooling} saves {figures.money(saving_gbp)} against {alone}"
    return (
        f"{pooling} costs {figures.money(-saving_gbp)} more than {alone}, on the fresh "
        "demand paths the plans are scored on: no saving"
    )


@dataclass(frozen=True, eq=False, repr=False)
class PooledResult(BriefRepr):
    """Plans and fresh-path scores of each member alone and of the co-operative.

    ``member_scores[m]`` is member ``m``'s share of the pooled plan on its fresh paths;
    the shares' expected costs add up to ``pooled_score``'s.
    """

    names: tuple[str, ...]
    alone_plans: tuple[Plan, ...]
    alone_scores: tuple[Score, ...]
    pooled_plan: Plan
    pooled_score: Score
    member_scores: tuple[Score, ...]
    solve: PooledSolve

    @property
    def alone_cost_gbp(self) -> float:
        """Sum of the members' expected costs commissioning alone."""
        return float(sum(s.expected_cost_gbp for s in self.alone_scores))

    @property
    def saving_gbp(self) -> float:
        """Expected saving from pooling (alone minus pooled)."""
        return self.alone_cost_gbp - self.pooled_score.expected_cost_gbp

    def proof(self) -> str:
        """How close the pooled plan is proven to the cheapest, in a sentence."""
        s = self.solve
        if s.status == "optimal":
            return (
                f"The pooled plan is proven within {s.gap:.4%} of the cheapest on the demand "
                "paths it was optimised on."
            )
        bound = (
            f"it is within {s.gap:.2%} of the cheapest possible"
            if np.isfinite(s.gap)
            else "no bound on the cheapest possible was found"
        )
        stop = (
            "reached its time limit"
            if s.status == "time_limit"
            else f"stopped ({vocabulary.status(str(s.status)).lower()})"
        )
        return (
            f"The pooled plan is not proven optimal (the solver {stop} after {s.rounds} "
            f"round(s) in {s.runtime_seconds:.0f} s); {bound}. It costs no more than "
            "the members' own plans put together, on the paths it was optimised on; a longer "
            "[commissioning] time_limit_seconds may prove it."
        )

    def worse_off(self) -> list[str]:
        """A sentence for each member whose share of the pooled cost exceeds its cost alone."""
        return worse_off(self.table())

    def table(self) -> pd.DataFrame:
        """Per member and in total: expected cost alone, share of the pooled cost, saving.

        ``pooled_share_gbp`` is what the member's plan costs it in the co-operative (its
        own commitments and placements, and the block contracts in proportion to its use
        of them); it can exceed the cost alone when a member's own places free block
        places for the others. ``equal_saving_share_gbp`` splits the pooled cost so every
        member saves the same percentage, and ``transfer_gbp`` is what the member would
        receive (+) or pay (-) to get there.
        """
        alone = np.array([s.expected_cost_gbp for s in self.alone_scores])
        share = np.array([s.expected_cost_gbp for s in self.member_scores])
        pooled = self.pooled_score.expected_cost_gbp
        equal = alone * (pooled / alone.sum()) if alone.sum() else share
        df = pd.DataFrame(
            {
                "authority": [*self.names, "co-operative"],
                "alone_cost_gbp": [*alone, alone.sum()],
                "pooled_share_gbp": [*share, pooled],
                "equal_saving_share_gbp": [*equal, pooled],
                "transfer_gbp": [*(share - equal), 0.0],
            }
        )
        df.insert(3, "saving_gbp", df["alone_cost_gbp"] - df["pooled_share_gbp"])
        df = df.round(2)
        # the share of the pounds shown, as the web page works it out again from
        # pooling.csv: rounded to six places first, a saving of 1.09502% was 0.01095,
        # 1.09 in pooling.csv and 1.10% on the page
        df.insert(4, "saving_pct", (df["saving_gbp"] / df["alone_cost_gbp"]).round(12))
        return df


#: pooling.csv's columns as the case (commissioning.xlsx and .html) heads them.
POOLING_HEADERS: dict[str, str] = {
    "authority": "Authority",
    "alone_cost_gbp": "Expected cost commissioning alone (£)",
    "pooled_share_gbp": "Share of the pooled cost (£)",
    "saving_gbp": "Saving from pooling (£)",
    "saving_pct": "Saving from pooling (%)",
    "equal_saving_share_gbp": "Share if every member saved the same % (£)",
    "transfer_gbp": "To receive (+) or pay (-) for that (£)",
}


def worse_off(table: pd.DataFrame) -> list[str]:
    """A sentence for each member of :meth:`PooledResult.table` (its last row the
    co-operative) whose share of the pooled cost exceeds its cost alone."""
    whole = table.iloc[-1]
    lines = []
    for row in table.iloc[:-1].itertuples():
        if row.saving_gbp < 0:
            lines.append(
                f"{row.authority} pays £{-row.saving_gbp:,.0f} ({-row.saving_pct:.1%}) more "
                "pooled than alone, sharing the block contracts by use; split so every "
                f"member saves the same {whole.saving_pct:.1%}, it would receive "
                f"£{row.transfer_gbp:,.0f} (pooling.csv, transfer_gbp)."
            )
    return lines


def pooling_case(pooled: PooledResult) -> tuple[pd.DataFrame, list[str]]:
    """The co-operative's pooling for the commissioning case: pooling.csv's table under
    :data:`POOLING_HEADERS` (the saving as a share of one) and the sentences the console
    prints (the saving, each member worse off pooled, how close the plan is proven)."""
    table = pooled.table()
    words = pooling_words(table, pooled.saving_gbp, pooled.proof())
    return table.rename(columns=POOLING_HEADERS), words


def pooling_words(table: pd.DataFrame, saving_gbp: float, proof: str | None) -> list[str]:
    """:func:`pooling_case`'s sentences from :meth:`PooledResult.table` (or pooling.csv
    read back, its saving a share of one), the saving from pooling and the proof's
    sentence (``None``: left out)."""
    names = [str(a) for a in table["authority"].iloc[:-1]]
    pooling = f"Pooling block contracts across {len(names)} authorities ({', '.join(names)})"
    saving = saving_sentence(saving_gbp, pooling, "each commissioning alone")
    about = (
        "Expected costs on the fresh demand paths the plans are scored on. A member's share "
        "of the pooled cost is its own commitments and placements and the block contracts "
        "in proportion to its use of them; pooling.csv holds the same figures to the penny."
    )
    return [f"{saving}.", *worse_off(table), *([proof] if proof else []), about]


def pool_levers(levers: Levers, num_members: int) -> Levers:
    """The co-operative's block contracts: member terms, maximum sizes summed."""
    block = tuple(
        b.model_copy(update={"max_places": b.max_places * num_members}) for b in levers.block
    )
    return levers.model_copy(update={"block": block})


def pooled_demand(demands: Sequence[DemandPaths]) -> DemandPaths:
    """The members' demand summed path by path (paths are paired by index)."""
    _check_paired(demands)
    first = demands[0]
    total = np.sum([d.demand for d in demands], axis=0)
    existing = np.sum([d.existing_in_house for d in demands], axis=0)
    return DemandPaths(first.month_ends, first.groups, total, existing, first.seed)


def _check_paired(demands: Sequence[DemandPaths]) -> None:
    first = demands[0]
    for d in demands[1:]:
        if d.num_paths != first.num_paths or not d.month_ends.equals(first.month_ends):
            raise ConfigError("Pooled authorities need the same start date, horizon and paths.")


def pooled_decisions(
    alone: Sequence[Sequence[Decision]], shared: Sequence[Decision], names: Sequence[str]
) -> list[Decision]:
    """Each member's own (non-block) decisions (``alone[m]``, from its own levers), in
    member order, then the shared blocks."""
    out = [
        replace(d, lever=f"{name}: {d.lever}", member=m)
        for m, (name, own) in enumerate(zip(names, alone, strict=True))
        for d in own
        if d.kind != "block"
    ]
    out += [replace(d, lever=f"Pooled {d.lever[0].lower()}{d.lever[1:]}") for d in shared]
    return out


def _start(plans: Sequence[Plan], member_levers: Sequence[Levers], levers: Levers,
           decisions: Sequence[Decision]) -> np.ndarray:  # fmt: skip
    """The members' plans alone as one pooled plan: their own commitments, and the block
    places of each shared contract added up over the members whose own terms for it are
    the shared terms (the others' own block places are left out, so the start keeps to
    the shared contract's limits)."""
    own = [
        v for p in plans for d, v in zip(p.decisions, p.values, strict=True) if d.kind != "block"
    ]
    terms = {b.name: b for b in levers.block}
    blocks: dict[tuple[str, int], int] = {}
    for p, lv in zip(plans, member_levers, strict=True):
        same = {b.name for b in lv.block if terms.get(b.name) == b}
        for d, v in zip(p.decisions, p.values, strict=True):
            if d.kind == "block" and d.key in same:
                blocks[d.key, d.year] = blocks.get((d.key, d.year), 0) + int(v)
    shared = [blocks.get((d.key, d.year), 0) for d in decisions if d.member is None]
    return np.array([*own, *shared], dtype=np.int64)


def _same_levers(a: Sequence[Decision], b: Sequence[Decision]) -> bool:
    """Whether two plans' decisions are the same levers in the same years and order."""
    return [(d.lever, d.year, d.member) for d in a] == [(d.lever, d.year, d.member) for d in b]


def optimise_pooled(
    demands: Sequence[DemandPaths],
    fresh: Sequence[DemandPaths],
    levers: Levers,
    params: CommissioningParams,
    *,
    prices: PriceRise = DEFAULT_RISE,
    names: Sequence[str] | None = None,
    member_levers: Sequence[Levers] | None = None,
    recruitment_success: float = 1.0,
    start: Plan | None = None,
) -> PooledResult:
    """Each member alone and the co-operative together, scored on ``fresh`` paths.

    Parameters
    ----------
    demands
        Each member's demand paths to optimise on (paired path by path).
    fresh
        Each member's independent paths to score on (same order).
    levers
        The block contracts the co-operative shares (each member's terms; the maximum
        sizes are summed over the members), and every member's own levers and prices
        when ``member_levers`` is not given.
    names
        The members' names (default ``authority 1``, ``authority 2``, ...).
    member_levers
        Each member's own levers (same order): its spot and in-house prices, recruitment,
        fee uplift and homes, with their caps. Alone, a member commissions on these only
        (its own block contracts included); pooled, its own block contracts give way to
        the shared ones.
    recruitment_success
        Scales the places each recruited household brings (for sensitivity runs).
    start
        A pooled plan already made on the same levers (the recommended plan, for a
        sensitivity run): the solve starts from it too, so a run stopped before proof
        is never dearer, on these paths, than keeping it.

    Raises
    ------
    ConfigError
        Fewer than two members, unpaired paths, or service limits (not supported when
        pooling: which member a shared block place serves is decided month by month).
    """
    if len(demands) < 2 or len(demands) != len(fresh):
        raise ConfigError("Pooling needs two or more authorities, each with fresh paths.")
    if names is None:
        names = tuple(f"authority {i + 1}" for i in range(len(demands)))
    names = tuple(names)
    if len(names) != len(demands) or len(set(names)) != len(names):
        raise ConfigError("Pooled authorities need one distinct name each.")
    each = tuple(member_levers) if member_levers is not None else (levers,) * len(demands)
    if len(each) != len(demands):
        raise ConfigError("Pooled authorities need one set of levers each.")
    files = [("the shared levers file", levers)]
    files += [(f"{name}'s levers", lv) for name, lv in zip(names, each, strict=True)]
    for whose, lv in files:
        if lv.service_limit:
            raise ConfigError(
                f"Service limits are not supported when pooling; remove [[service_limit]] "
                f"from {whose} or commission each authority alone."
            )
    _check_paired(demands)
    _check_paired(fresh)
    kw = {"prices": prices}
    alone = [optimise(d, lv, params, name=n, recruitment_success=recruitment_success,
                      prices=prices)
             for d, lv, n in zip(demands, each, names, strict=True)]  # fmt: skip
    scores = [evaluate_plan(p, f, lv, **kw) for p, f, lv in zip(alone, fresh, each, strict=True)]
    group = pool_levers(levers, len(demands))
    cut, _ = setup(demands[0], levers, params, prices)
    own = [setup(demands[0], lv, params, prices, recruitment_success)[1] for lv in each]
    _, shared = setup(demands[0], group, params, prices)
    decisions = pooled_decisions(own, [d for d in shared if d.kind == "block"], names)
    h = params.horizon_months
    stack = np.stack([d.demand[:, :h] for d in demands])
    econ = tuple(economics(lv, cut.groups, cut.month_ends, prices) for lv in each)
    instance = PooledInstance(decisions, stack, cut.groups, each, group, econ)
    starts = [_start(alone, each, levers, decisions)]
    if start is not None and _same_levers(start.decisions, decisions):
        starts.append(np.asarray(start.values, dtype=np.int64))
    solved = solve_pooled(instance, params, starts=starts)
    plan = Plan(tuple(decisions), solved.values, solved.status, solved.objective_gbp, "pooled",
                solved.solver, solved.runtime_seconds)  # fmt: skip
    fresh_stack = np.stack([f.demand[:, :h] for f in fresh])
    fresh_econ = tuple(economics(lv, cut.groups, fresh[0].month_ends[: h + 1], prices)
                       for lv in each)  # fmt: skip
    pooled, members = score_pooled(decisions, plan.values, fresh_stack, cut.groups, each,
                                   fresh_econ)  # fmt: skip
    members = tuple(replace(s, name=n) for s, n in zip(members, names, strict=True))
    return PooledResult(names, tuple(alone), tuple(scores), plan, pooled, members, solved)
