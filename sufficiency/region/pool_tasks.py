"""The pooled plan's tasks: the members' forecasts for pooling, the plan, each of its
sensitivity runs, and its files (``OUT/pooled``).

They run after the members' base tasks, so a member whose data cannot be used (or whose
history ends on another day) is left out of the pool rather than failing it; the pooled
members' demand paths (:class:`PreparedPool`) stay on the cluster.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sufficiency.commissioning.levers import Levers, load_levers
from sufficiency.commissioning.pool_dates import left_out_reason, pool_date, too_few_reason
from sufficiency.commissioning.pooled import PooledResult, optimise_pooled
from sufficiency.commissioning.run import PoolInputs, commission_params, pool_inputs
from sufficiency.commissioning.sensitivity import pooled_sensitivity_row
from sufficiency.commissioning.writers import write_pooled
from sufficiency.config import Params
from sufficiency.errors import SufficiencyError
from sufficiency.region.members import Member
from sufficiency.region.overlap import MemberRead
from sufficiency.region.publish import published
from sufficiency.region.reasons import sentence
from sufficiency.region.specs import (
    LeftOut,
    MemberFailure,
    MemberSummary,
    PooledSummary,
    PooledTask,
)
from sufficiency.region.told import told
from sufficiency.region.worker import history_of, quiet
from sufficiency.vocabulary import listed


@dataclass(frozen=True, eq=False)
class PreparedPool:
    """What the pooled plan and its sensitivity runs share: the members pooled (those
    whose base forecast ran), their demand paths, their own levers and the shared ones.
    It stays on the cluster; the client never gathers it."""

    members: tuple[Member, ...]
    left_out: tuple[str, ...]
    inputs: PoolInputs
    levers: tuple[Levers, ...]
    shared: Levers
    params: Params
    #: The shared levers' figures that look like a slip (the members' own are said with
    #: their own plans), read with the pooled plan.
    said: tuple[str, ...] = ()
    #: Members left out because their histories end on another day, each with why.
    set_aside: tuple[LeftOut, ...] = ()


@told
def prepare_pooled(
    task: PooledTask, *outcomes: object, reads: Sequence[MemberRead | None] = ()
) -> PreparedPool | MemberFailure:
    """Forecast the members whose base forecast ran (``outcomes``, any order) for pooling.

    ``reads`` are the members' histories as :func:`read_member` read them, in the order of
    ``task.members`` (each read here when not given).

    Runs after the members' base tasks, so a member whose data cannot be used is left
    out of the pool rather than failing it. The pooled members are in the order of their
    codes, whatever the members file's, and each member's seeds are those
    ``sufficiency commission --pool-with`` gives it (the first's the pooled seed, each
    other's offset from its episodes).
    """
    failed = {o.code for o in outcomes if isinstance(o, MemberFailure)}
    usable = [m for m in task.members if m.code not in failed and m.levers is not None]
    ends = {o.code: o.start for o in outcomes if isinstance(o, MemberSummary)}
    when = pool_date([ends[m.code] for m in usable if m.code in ends]) if ends else None
    # in the order of their codes, not the file's: the first member's pooling forecast
    # has the pooled seed's stream and the others their own, so the file's order moved them
    members = tuple(sorted((m for m in usable if when is None or ends.get(m.code, when) == when),
                           key=lambda m: m.code))  # fmt: skip
    pooled = [m.name for m in members]
    set_aside = tuple(
        LeftOut(m.code, m.name, left_out_reason(ends[m.code], when, pooled))
        for m in usable
        if when is not None and m not in members
    )
    left_out = tuple(m.code for m in task.members if m.code in failed or m not in members)
    if len(members) < 2:
        why = "Pooling needs two or more members with levers and usable data."
        if set_aside:
            why = too_few_reason({m.name: ends[m.code] for m in usable})
        return MemberFailure("pooled", "Pooled plan", "pooled", why)
    try:
        params = commission_params(task.params, seed=task.seed)
        # the members' own levers' doubts are said with their own plans
        levers, _ = quiet(lambda: tuple(load_levers(m.levers) for m in members if m.levers))
        shared, said = quiet(lambda: load_levers(task.levers))
        said += _whose_terms(task, members, levers, shared)
        read = dict(zip((m.code for m in task.members), reads, strict=False))
        histories = [history_of(m, read.get(m.code))[0] for m in members]
        inputs, _ = quiet(
            lambda: pool_inputs(
                histories, params.forecast, params.commissioning,
                strict=task.strict, names=[m.name for m in members],
            )
        )  # fmt: skip
    except SufficiencyError as exc:
        return MemberFailure("pooled", "Pooled plan", "pooled", _sentence(exc))
    return PreparedPool(members, left_out, inputs, levers, shared, params, said, set_aside)


@told
def _whose_terms(
    task: PooledTask, members: Sequence[Member], levers: Sequence[Levers], shared: Levers
) -> tuple[str, ...]:
    """Without ``[region] levers``, the pooled plan's block contracts are the first member's
    (with a levers file) terms: said when a pooled member's own terms differ from them
    (the plan then signs terms that member did not give), nothing when all are alike."""
    first = task.levers_of
    if first is None:
        return ()
    others = [m.name for m, lv in zip(members, levers, strict=True) if lv.block != shared.block]
    if not others:
        return ()
    return (
        f"The members file has no [region] levers, so the pooled plan's block contracts are "
        f"on the terms of {first.name}'s levers file ({first.shown(task.levers)}), the first "
        f"member's in the file with one; the block contract terms in the levers files of "
        f"{listed(others)} differ. Give the terms the co-operative signs as [region] levers "
        "in the members file",
    )


def run_pooled_sensitivity(
    prepared: PreparedPool | MemberFailure,
    factor: str,
    change: float,
    solved: PooledResult | MemberFailure | None = None,
) -> dict[str, Any] | None:
    """One pooled sensitivity run (``factor`` moved by ``change`` for every member): its
    row, ``None`` when there is no pool, or the row with ``failed`` saying why. ``solved``,
    the recommended pooled plan, is where the run's solve starts too, so a run stopped
    before proof is never dearer than keeping the recommended plan."""
    if isinstance(prepared, MemberFailure):
        return None
    p = prepared.params
    start = solved.pooled_plan if isinstance(solved, PooledResult) else None
    try:
        row, _ = quiet(
            lambda: pooled_sensitivity_row(
                prepared.inputs.demands, prepared.inputs.fresh, prepared.shared,
                p.commissioning, factor, change, member_levers=prepared.levers,
                names=prepared.inputs.names, prices=p.finance.price_rise, start=start,
            )
        )  # fmt: skip
    except SufficiencyError as exc:
        return {"factor": factor, "change": change, "failed": _sentence(exc)}
    return row


@told
def solve_pooled_plan(prepared: PreparedPool | MemberFailure) -> PooledResult | MemberFailure:
    """The recommended pooled plan: each member on its own levers and prices, block
    contracts on the shared terms (or the failure, saying why)."""
    if isinstance(prepared, MemberFailure):
        return prepared
    p, inputs = prepared.params, prepared.inputs
    try:
        result, _ = quiet(
            lambda: optimise_pooled(
                inputs.demands, inputs.fresh, prepared.shared, p.commissioning,
                prices=p.finance.price_rise, names=inputs.names,
                member_levers=prepared.levers,
            )
        )  # fmt: skip
    except SufficiencyError as exc:
        return MemberFailure("pooled", "Pooled plan", "pooled", _sentence(exc))
    return result


@told
def run_pooled(
    task: PooledTask,
    prepared: PreparedPool | MemberFailure,
    *sensitivity: dict[str, Any] | None,
    solved: PooledResult | MemberFailure | None = None,
) -> PooledSummary | MemberFailure:
    """The pooled plan (``solved``, or solved here when not given) with its sensitivity
    runs (``sensitivity``, done as tasks of their own): writes ``pooling.csv``,
    ``plan.csv`` and ``sensitivity.csv`` into ``<out>/pooled``."""
    if isinstance(prepared, MemberFailure):
        return prepared
    result = solve_pooled_plan(prepared) if solved is None else solved
    if isinstance(result, MemberFailure):
        return result
    inputs, members = prepared.inputs, prepared.members
    rows_sens = tuple(r for r in sensitivity if r is not None)
    try:
        start = pd.Timestamp(inputs.demands[0].month_ends[0])
        with published(task.out_dir / "pooled") as staging:
            write_pooled(result, pd.DataFrame(list(rows_sens)), start, staging)
    except SufficiencyError as exc:
        return MemberFailure("pooled", "Pooled plan", "pooled", _sentence(exc))
    table = result.table()
    table.insert(0, "code", [*(m.code for m in members), "region"])
    table["authority"] = [*(m.name for m in members), "Co-operative (pooled)"]
    rows = tuple(
        {k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
        for r in table.to_dict("records")
    )
    # each member's pooling forecast's warnings, to be read with the plan under its name
    notes = tuple(zip((m.code for m in members), inputs.notes, strict=False))
    notes += (("region", prepared.said),) if prepared.said else ()
    return PooledSummary(task.seed, rows, prepared.left_out, rows_sens, result.proof(),
                         tuple(result.worse_off()), notes, prepared.set_aside)  # fmt: skip


def _sentence(exc: BaseException) -> str:
    return sentence(str(exc))
