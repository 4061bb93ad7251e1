"""A region on Dask: every member x scenario, then commissioning, as futures.

:func:`run_region` submits one task per member x scenario (forecast with its backtest,
and spend), one per member with levers (its own commissioning plan and sensitivity)
and the pooled plan (after the members' base tasks, so a member with unusable data is
left out of the pool), gathers the summaries, and writes ``region.xlsx``,
``region.html`` and ``region.csv``. With no scheduler address a
:class:`distributed.LocalCluster` (one worker process per core) starts and stops with
the call.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sufficiency.commissioning.sensitivity import FACTORS
from sufficiency.config import Params, as_params, option_date, with_overrides
from sufficiency.errors import ConfigError, notes_said_not_raised
from sufficiency.io.atomic import out_folder, user_path
from sufficiency.io.interrupts import held
from sufficiency.plurals import numbered
from sufficiency.region.cluster import (
    dask_client,
    outcomes,
    watching_workers,
    workers_kept_dying,
)
from sufficiency.region.lines import at, history_line
from sufficiency.region.members import Region, load_members
from sufficiency.region.overlap import Shared, child_keys, no_keys, shared_children
from sufficiency.region.pool_tasks import (
    prepare_pooled,
    run_pooled,
    run_pooled_sensitivity,
    solve_pooled_plan,
)
from sufficiency.region.publish import publish_run, remove_earlier, remove_staging, run_staging
from sufficiency.region.seeds import member_seed
from sufficiency.region.specs import (
    BASE_KEY,
    CommissionSummary,
    CommissionTask,
    LeftOut,
    MemberFailure,
    MemberSummary,
    MemberTask,
    PooledSummary,
    PooledTask,
    ScenarioSpec,
)
from sufficiency.region.tasks import read_member, run_commission, run_member
from sufficiency.region.told import listening, said_on_client

#: Exit codes of ``sufficiency region``.
EXIT_OK, EXIT_INPUT, EXIT_PARTIAL, EXIT_FAILED = 0, 1, 3, 4
#: Seed keys of the tasks that are not a scenario.
COMMISSION_KEY, POOLED_KEY, REGION_CODE = "commission", "pooled", "region"


@dataclass(frozen=True, eq=False)
class RegionResult:
    """A region's run: every member x scenario's figures, the plans, what failed.

    Attributes
    ----------
    region
        The members file as read.
    scenarios
        Scenario keys in order (``base`` first).
    members
        Each member x scenario's :class:`~.specs.MemberSummary`, in members-file order.
    commissions
        Each member's own commissioning plan (members with ``levers``).
    pooled
        The pooled plan, ``None`` when fewer than two members have levers.
    failures
        Every member x scenario (or plan) that could not be run, with the reason. A
        member left out of the pooled plan because its history ends on another day is
        not one (its own runs ran): see :attr:`left_out_of_pool`.
    shared
        Two members sharing a few children (:mod:`.overlap`; more would have refused
        the run), said under *Read with care*.
    """

    region: Region
    scenarios: tuple[str, ...]
    seed: int
    members: tuple[MemberSummary, ...]
    commissions: tuple[CommissionSummary, ...]
    pooled: PooledSummary | None
    failures: tuple[MemberFailure, ...]
    #: Members sharing children (fewer than would refuse them), said under *Read with care*.
    shared: tuple[Shared, ...] = ()

    @property
    def left_out_of_pool(self) -> tuple[LeftOut, ...]:
        """Members whose own runs ran but that are not in the pooled plan, their histories
        ending on another day than the pooled members', each with why."""
        return self.pooled.set_aside if self.pooled is not None else ()

    @property
    def exit_code(self) -> int:
        """0 all ran (a member left out of the pooled plan, whose own runs ran, too); 3
        partial (some members failed, others ran); 4 nothing ran."""
        if not self.failures:
            return EXIT_OK
        return EXIT_PARTIAL if self.members else EXIT_FAILED

    @property
    def failed_codes(self) -> tuple[str, ...]:
        """ONS codes of members with at least one failure, in members-file order."""
        codes = {f.code for f in self.failures}
        return tuple(m.code for m in self.region.members if m.code in codes)

    @notes_said_not_raised
    def write(self, out_dir: Path | str) -> list[Path]:
        """Write ``region.xlsx``, ``region.html`` and ``region.csv`` (each atomically)."""
        from sufficiency.region.writers import write_region

        return write_region(self, out_folder(out_dir))


def scenario_specs(paths: Sequence[Path]) -> tuple[ScenarioSpec, ...]:
    """``base`` and one scenario per file, keyed by file name without ``.toml``, each file
    read and checked here, before anything runs: a key the scenario does not have (a
    lever of a levers file, a misspelling) failed every member under it, once each."""
    from sufficiency.forecast import load_scenario

    specs = [ScenarioSpec(BASE_KEY)]
    for p in paths:
        key = Path(p).stem
        if key in {s.key for s in specs} or key in (COMMISSION_KEY, POOLED_KEY):
            raise ConfigError(
                f"{p}: scenario file names must differ from each other and from "
                f"'{BASE_KEY}', '{COMMISSION_KEY}' and '{POOLED_KEY}'."
            )
        if not Path(p).is_file():
            raise ConfigError(f"{p}: scenario file not found.")
        load_scenario(p)  # its problems, each naming the file and the key, or none
        specs.append(ScenarioSpec(key, Path(p).resolve()))
    return tuple(specs)


def plan_member_tasks(
    region: Region,
    specs: Sequence[ScenarioSpec],
    params: Params,
    seed: int,
    out: Path,
    run_date: dt.date | None,
    strict: bool = False,
) -> list[MemberTask]:
    """One task per member x scenario, members in file order. A member's seed is the
    same under every scenario (its base's), as a forecast run with a scenario simulates
    both from one seed: a scenario's figures then differ from the base's by the
    scenario's effect alone, not by the chance of other futures."""
    return [
        MemberTask(m, s, member_seed(seed, m.code, BASE_KEY), params, out, run_date, strict)
        for m in region.members
        for s in specs
    ]


@notes_said_not_raised
def run_region(
    members: Region | Path | str,
    out_dir: Path | str,
    *,
    scenarios: Sequence[Path | str] | Path | str = (),
    params: Params | Path | str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    seed: int | None = None,
    run_date: dt.date | str | None = None,
    strict: bool = False,
    commissioning: bool = True,
    progress: Callable[[str], None] | None = None,
    client: Any = None,
) -> RegionResult:
    """Run every member x scenario, the members' plans and the pooled plan on Dask.

    Parameters
    ----------
    members
        A :class:`~.members.Region` or its members file.
    out_dir
        Folder for ``members/<code>/...``, ``pooled/`` and the region's report.
    scenarios
        Scenario files (TOML), each run for every member beside the base (or one file).
    params
        Configuration (``[forecast]`` paths, horizon; ``[finance]``; ``[commissioning]``),
        or its TOML file.
    workers, scheduler
        LocalCluster size (default one per core), or an existing cluster's address
        (``tcp://host:8786``). ``client`` (an open ``distributed.Client``) overrides both.
    seed
        The region's seed (default the configuration's ``[forecast] seed``); each member x
        scenario's seed is :func:`~.seeds.member_seed` of it.
    run_date
        Run date shown in the spend outputs (default: today, as ``api.spend``; pass one,
        a date or 'YYYY-MM-DD', for files that are the same on another day).
    commissioning
        Run the members' own plans and the pooled plan (members with ``levers``).

    Returns
    -------
    RegionResult
        Summaries, plans and failures; ``write(out_dir)`` writes the region's report.
    Raises
    ------
    ConfigError
        A bad option or scenario file, or, before any member runs, a member more than
        half of whose children another member holds too (:mod:`.overlap`).

    The tasks' warnings are given here, once each, as the other jobs give theirs: a note
    on the data shown, never raised (:func:`~sufficiency.errors.notes_not_errors`), and
    any other (a library's FutureWarning) under the caller's filters (:mod:`.told`).
    """
    # options checked before any work: on the workers, a bad one fails every member
    ConfigError.check_run_options(strict, progress=progress)
    ConfigError.check_flag("commissioning", commissioning)
    say = progress or (lambda _m: None)
    params = as_params(params)
    base_seed = with_overrides(params.forecast, "forecast", seed=seed).seed
    run_date = None if run_date is None else option_date(run_date, "run_date")
    region = members if isinstance(members, Region) else load_members(members)
    files = [scenarios] if isinstance(scenarios, str | os.PathLike) else list(scenarios)
    specs = scenario_specs([user_path(s) for s in files])
    out = out_folder(out_dir).resolve()
    remove_staging(out)
    # the tasks publish into the run's staging folder, moved into place once all are done:
    # a run stopped part-way leaves the earlier run's folders beside its report
    staging = run_staging(out)
    try:
        return _run(region, specs, params, base_seed, out, staging, run_date, strict,
                    commissioning, say, workers, scheduler, client)  # fmt: skip
    finally:
        remove_staging(out)


def _run(
    region: Region, specs: Sequence[ScenarioSpec], params: Params, base_seed: int, out: Path,
    staging: Path, run_date: dt.date | None, strict: bool, commissioning: bool,
    say: Callable[[str], None], workers: int | None, scheduler: str | None, client: Any,
) -> RegionResult:  # fmt: skip
    """:func:`run_region` once its options are read: the tasks write under ``staging``."""
    member_tasks = plan_member_tasks(region, specs, params, base_seed, staging, run_date, strict)
    with_levers = [m for m in region.members if m.levers is not None] if commissioning else []
    commission_tasks = [
        CommissionTask(
            m, member_seed(base_seed, m.code, COMMISSION_KEY), params, staging, strict, run_date
        )
        for m in with_levers
    ]
    pooled_levers = region.pooled_levers
    pooled_task = None
    if len(with_levers) >= 2 and pooled_levers is not None:
        pooled_task = PooledTask(
            tuple(with_levers),
            pooled_levers,
            member_seed(base_seed, REGION_CODE, POOLED_KEY),
            params,
            staging,
            strict,
            region.pooled_levers_of,
        )

    def compute(c: Any, keys: list[str]) -> tuple[list[Any], list[Any], Any, list[Shared]]:
        say(f"Reading {len(region.members)} members' histories on {_where(c)}")
        reads, shared = _read_and_compare(c, region, strict, keys)
        say(f"Submitting {len(member_tasks)} member x scenario tasks")
        futures = _on_reads(
            c, run_member, member_tasks, reads,
            lambda t: f"member-{t.member.code}-{t.scenario.key}-{t.seed}",
        )  # fmt: skip
        # each plan on its member's history as read once for the run, as its forecasts
        plans = _on_reads(c, run_commission, commission_tasks, reads,
                          lambda t: f"commission-{t.member.code}-{t.seed}")  # fmt: skip
        pooled = None
        if pooled_task is not None:
            bases = [
                f
                for f, t in zip(futures, member_tasks, strict=True)
                if t.scenario.key == BASE_KEY and t.member in pooled_task.members
            ]
            seed = pooled_task.seed
            prepared = c.submit(
                prepare_pooled, pooled_task, *bases, pure=True, key=f"pooled-inputs-{seed}",
                reads=[reads[m.code] for m in pooled_task.members],
            )  # fmt: skip
            # the recommended plan first: each sensitivity run starts from it too
            solved = c.submit(solve_pooled_plan, prepared, pure=True, key=f"pooled-plan-{seed}")
            runs = [
                c.submit(
                    run_pooled_sensitivity, prepared, factor, change, solved, pure=True,
                    key=f"pooled-sensitivity-{factor.replace(' ', '-')}-{change:+g}-{seed}",
                )
                for factor in FACTORS
                for change in params.commissioning.sensitivity_steps
            ]  # fmt: skip
            pooled = c.submit(
                run_pooled,
                pooled_task,
                prepared,
                *runs,
                solved=solved,
                pure=True,
                key=f"pooled-{seed}",
            )
        keys.extend(str(f.key) for f in [*futures, *plans])
        if pooled is not None:
            keys.extend(str(f.key) for f in [prepared, solved, *runs, pooled])
        # a task Dask gave up on (its worker ended each time) fails its member's run only
        results = outcomes(c, futures, lambda i, why: _failed(member_tasks[i], why))
        say("Members' forecasts and spend done")
        del reads  # the histories read: kept on the cluster while a plan still needs one
        plan_results = outcomes(c, plans, lambda i, why: _failed(commission_tasks[i], why))
        pooled_result = None
        if pooled is not None:
            (pooled_result,) = outcomes(
                c,
                [pooled],
                lambda _i, why: MemberFailure(POOLED_KEY, "Pooled plan", POOLED_KEY, why),
            )
        return results, plan_results, pooled_result, shared

    def told(c: Any) -> tuple[list[Any], list[Any], Any, list[Shared]]:
        keys: list[str] = []
        from distributed import KilledWorker

        with watching_workers(c, say), listening(c) as heard:
            try:
                return compute(c, keys)
            except KilledWorker as exc:  # a task whose worker died each time it ran
                raise workers_kept_dying(exc) from None
            finally:  # the tasks' warnings, said here once each (a refusal's too)
                said_on_client(heard, keys)

    if client is not None:
        results, plan_results, pooled_result, shared = told(client)
    else:
        with dask_client(workers, scheduler) as c:
            results, plan_results, pooled_result, shared = told(c)
    # an earlier run's folders this run did not write (a member, scenario or plan not in
    # it, or that failed in it) would be read as this run's: removed, and said
    written = {out / "members" / t.member.code / t.scenario.key
               for t, r in zip(member_tasks, results, strict=True)
               if isinstance(r, MemberSummary) or r.found}  # fmt: skip
    written |= {out / "members" / r.code / COMMISSION_KEY for r in plan_results
                if isinstance(r, CommissionSummary)}  # fmt: skip
    written |= {out / "pooled"} if isinstance(pooled_result, PooledSummary) else set()
    with held():  # Ctrl-C here would leave half the folders published: it waits
        publish_run(staging, out)
        removed = remove_earlier(out, written)
    if removed:
        say(f"Removed {numbered(len(removed), 'folder(s)')} an earlier run wrote that this "
            f"run did not (its member, scenario or plan not in this run, or failed in it): "
            f"{', '.join(removed)}")  # fmt: skip
    everything = [*results, *plan_results, *([pooled_result] if pooled_result else [])]
    failures = tuple(r for r in everything if isinstance(r, MemberFailure))
    return RegionResult(
        region=region,
        scenarios=tuple(s.key for s in specs),
        seed=base_seed,
        members=tuple(r for r in results if isinstance(r, MemberSummary)),
        commissions=tuple(r for r in plan_results if isinstance(r, CommissionSummary)),
        pooled=pooled_result if isinstance(pooled_result, PooledSummary) else None,
        failures=failures,
        shared=tuple(shared),
    )


def _read_and_compare(
    c: Any, region: Region, strict: bool, keys: list[str]
) -> tuple[dict[str, Any], list[Shared]]:
    """Read each member's history once (a task each, kept on the cluster for its runs)
    and compare their children before anything runs: members sharing most of their
    children refused (:class:`ConfigError`, as the members file's problems), fewer said."""
    from dask.base import tokenize

    members = region.members
    reads = c.map(
        read_member, members, [strict] * len(members), pure=True,
        key=[f"read-{m.code}-{tokenize(m, strict)}" for m in members],
    )  # fmt: skip
    keyed = c.map(child_keys, reads, pure=True)
    keys.extend(str(f.key) for f in [*reads, *keyed])
    # a member whose history's reading Dask gave up on is not compared: its runs fail, each
    # saying why (they need the history read)
    shared = shared_children(members, outcomes(c, keyed, lambda _i, _why: no_keys()))
    refused = [at(history_line(region.source, s.said_of)) + s.problem()
               for s in shared if s.refused]  # fmt: skip
    if refused:
        lines = "\n".join(f"  - {p}" for p in refused)
        where = region.source if region.source is not None else "members"
        raise ConfigError(
            f"{where}: {numbered(len(refused), 'problem(s)')} in the members file:\n{lines}\n"
            "Nothing was run."
        )
    return {m.code: r for m, r in zip(members, reads, strict=True)}, [
        s for s in shared if not s.refused
    ]


def _on_reads(
    c: Any, task: Callable[..., Any], tasks: Sequence[Any], reads: dict[str, Any],
    key: Callable[[Any], str],
) -> list[Any]:  # fmt: skip
    """``task`` submitted for each of ``tasks`` with its member's history as read once for
    the run (a future: the history stays on the cluster), under the key ``key`` gives."""
    return c.map(task, tasks, [reads[t.member.code] for t in tasks], pure=True,
                 key=[key(t) for t in tasks])  # fmt: skip


def _failed(task: MemberTask | CommissionTask, why: str) -> MemberFailure:
    """A member's run (under a scenario, or its plan) that Dask gave up on, and why."""
    key = task.scenario.key if isinstance(task, MemberTask) else COMMISSION_KEY
    return MemberFailure(task.member.code, task.member.name, key, why)


def _where(client: Any) -> str:
    workers = client.scheduler_info().get("workers", {})
    return f"{numbered(len(workers), 'Dask worker(s)')} at {client.scheduler.address}"
