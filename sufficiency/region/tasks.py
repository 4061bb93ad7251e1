"""A member's units of work: pure functions a Dask worker runs, returning summaries.

Each task takes a small, picklable spec (:mod:`.specs`), calls the public API
(:mod:`sufficiency.api`), writes the same files the member's own commands write into
a staging folder published whole (:mod:`.publish`), and returns a frozen summary of
figures (never paths or arrays), so the client's memory stays small. A task gives the
same result each time it runs (its seed is in its spec), so Dask can re-run it on
another worker when one is lost. A member whose data cannot be used gives a
:class:`~.specs.MemberFailure` with the reason and the data-quality summary, not an
exception, so the rest of the region runs. The pooled plan's tasks are in
:mod:`.pool_tasks`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from sufficiency import clock
from sufficiency.errors import SufficiencyError
from sufficiency.io.history import SSDA903History
from sufficiency.io.quality import DataQuality
from sufficiency.region.found import read_then_failed, unreadable
from sufficiency.region.home_area import home_area_note
from sufficiency.region.members import Member
from sufficiency.region.overlap import MemberRead, history_files
from sufficiency.region.publish import published
from sufficiency.region.reasons import failure_reason, named, sentence
from sufficiency.region.specs import (
    CommissionSummary,
    CommissionTask,
    MemberFailure,
    MemberSummary,
    MemberTask,
)
from sufficiency.region.summary import member_summary
from sufficiency.region.told import told
from sufficiency.region.worker import history_of, quiet

MAX_QUALITY_LINES = 15


def backtest_cutoff(end: pd.Timestamp, start: pd.Timestamp) -> pd.Timestamp | None:
    """The region's backtest cutoff: twelve months before the history's end, if the
    history has at least a year before it."""
    cutoff = (pd.Timestamp(end) - pd.DateOffset(months=12)) + pd.offsets.MonthEnd(0)
    return cutoff if cutoff - pd.DateOffset(months=12) >= pd.Timestamp(start) else None


@told
def read_member(member: Member, strict: bool = False) -> MemberRead:
    """A member's history read once for the run (one Dask task a member): its children
    (and its files' digest) are compared with the other members' (:mod:`.overlap`) before
    anything runs, and its forecast and spend tasks, one a scenario, use it rather than
    read it again."""
    from sufficiency.forecast import read_903

    files = history_files(member.history)  # a copy of another member's history is refused
    try:
        history, notes = quiet(lambda: read_903(member.history, strict))
    except SufficiencyError:  # its tasks read it again, and say why it cannot be used
        return MemberRead(None, files=files)
    elsewhere = home_area_note(member.code, history.episodes)  # another council's returns?
    return MemberRead(history, (*notes, elsewhere) if elsewhere else notes, files)


@told
def run_member(task: MemberTask, read: MemberRead | None = None) -> MemberSummary | MemberFailure:
    """Forecast (with backtest) and spend for one member under one scenario; write, publish.

    ``read`` is the member's history as :func:`read_member` read it (read here if not
    given, or if it could not be read). Files: ``<out>/members/<code>/<scenario>/forecast/``
    (what ``sufficiency forecast`` writes) and ``.../spend/`` (what ``sufficiency spend``
    writes).
    """
    from sufficiency import api
    from sufficiency.forecast import read_903

    # Dask runs one task per core: each forecast simulates on one thread (results do not
    # depend on it), unless the worker's environment says otherwise.
    os.environ.setdefault("SUFFICIENCY_SIMULATION_THREADS", "1")
    m, scen = task.member, task.scenario
    given, notes = history_of(m, read)
    try:
        history, notes = (
            (given, notes)
            if isinstance(given, SSDA903History)
            else quiet(lambda: read_903(m.history, task.strict))
        )
    except SufficiencyError as exc:
        lines, found = _validate(m.history, task)
        return MemberFailure(m.code, m.name, scen.key, failure_reason(m, exc), lines, found)
    quality = tuple(history.quality.summary_lines()) if history.quality is not None else ()
    cutoff = backtest_cutoff(history.end, history.start)
    fp = api.forecast_params(task.params, seed=task.seed)
    params = task.params.model_copy(update={"forecast": fp})
    try:
        report, w1 = quiet(
            lambda: api.forecast(
                history,
                params,
                scenario=scen.path,
                supply=m.supply,
                backtest_cutoffs=[cutoff] if cutoff is not None else [],
                run_date=task.run_date,
            )
        )
        spend, w2 = _spend(task, history, params)
        final = task.out_dir / "members" / m.code / scen.key
        with published(final) as staging:
            files = report.write(staging / "forecast") + spend.write(staging / "spend")
    except SufficiencyError as exc:
        found = (read_then_failed(history.quality, task.out_dir, m.code, scen.key)
                 if history.quality is not None else "")  # fmt: skip
        return MemberFailure(m.code, m.name, scen.key, failure_reason(m, exc), quality, found)
    # the history's cautions (a missing year, an in-year extract) first, as the member's
    # own reports put them: the forecast keeps them as notes, not as warnings said
    said = dict.fromkeys(named(m, w) for w in (*_cautions(history.quality), *notes, *w1, *w2))
    return member_summary(task, report, spend, cutoff, history.quality, tuple(said), len(files))


def _cautions(quality: DataQuality | None) -> list[str]:
    """A history's cautions (a missing year, an in-year extract), then how its files were
    read and what was repaired or set aside (tabs or semicolons between columns, a
    previous-year copy used, rows set aside), which the member's own forecast says in its
    data quality summary and the region had left out."""
    return [*quality.cautions(), *quality.reading_notes()] if quality is not None else []


def _spend(task: MemberTask, history: Any, params: Any) -> tuple[Any, tuple[str, ...]]:
    """The member's spend projection, against its budget; a budget that cannot be used (a
    year beyond the forecast, a figure that is not a number) is said, and the spend is
    projected without it, rather than the member's whole run failing for it."""
    from sufficiency import api

    m = task.member

    def run(budget: Path | None) -> tuple[Any, tuple[str, ...]]:
        scenario, day = task.scenario.path, task.run_date
        return quiet(
            lambda: api.spend(history, params, budget=budget, scenario=scenario, run_date=day)
        )

    try:
        return run(m.budget)
    except SufficiencyError as exc:
        if m.budget is None:
            raise
        spend, said = run(None)
        return spend, (
            *said,
            f"The budget could not be used, so spend is projected without a budget "
            f"comparison: {failure_reason(m, exc)}",
        )


@told
def run_commission(
    task: CommissionTask, read: MemberRead | None = None
) -> CommissionSummary | MemberFailure:
    """A member's own commissioning plan and sensitivity, into ``members/<code>/commission``.

    ``read`` is the member's history as :func:`read_member` read it (read here if not
    given, or if it could not be read), as for its forecast and spend."""
    from sufficiency import api

    m, levers = task.member, task.member.levers
    if levers is None:
        return MemberFailure(m.code, m.name, "commission", "No levers file for this member.")
    history, notes = history_of(m, read)
    try:
        result, said = quiet(
            lambda: api.commission(
                history,
                levers,
                task.params,
                seed=task.seed,
                strict=task.strict,
                run_date=task.run_date,
            )
        )
        with published(task.out_dir / "members" / m.code / "commission") as staging:
            result.write(staging)
    except SufficiencyError as exc:
        return MemberFailure(m.code, m.name, "commission", failure_reason(m, exc))
    cost = result.expected_cost_gbp
    sens = result.sensitivity
    rows: tuple[dict[str, Any], ...] = ()
    if sens is not None:  # a case not tested has no figures: None, not pandas' <NA>
        rows = tuple(sens.astype(object).where(sens.notna(), None).to_dict("records"))
    return CommissionSummary(
        m.code,
        m.name,
        task.seed,
        round(cost["stochastic"], 2),
        round(cost["status_quo"], 2),
        round(result.saving_vs_status_quo_gbp, 2),
        rows,
        result.recommendation[-2],
        tuple(dict.fromkeys((*_cautions(result.quality), *notes, *said))),
    )


def _validate(history: Path, task: MemberTask) -> tuple[tuple[str, ...], str]:
    """What ``sufficiency validate`` finds in a history that could not be read: its first
    lines (for the console) and, for the report, in words, each finding written to the
    member's ``data_quality.csv``."""
    from sufficiency.validate import validate_paths

    try:
        report = validate_paths(
            [history],
            run_date=task.run_date or clock.today(),
            default_responsible_la=task.member.code,
        )
    except SufficiencyError as exc:  # pragma: no cover - validate reports, it does not raise
        return (sentence(str(exc)),), ""
    text = named(task.member, report.to_text())  # its paths as the members file names them
    lines = [line for line in text.splitlines() if line.strip()]
    found = unreadable(report, task.out_dir, task.member.code, task.scenario.key)
    return tuple(lines[:MAX_QUALITY_LINES]), found
