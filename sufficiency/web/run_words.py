"""Runs said as the pages' readers know them: by their job and when they started, not by
the run store's number.

The store numbers every run of every job in one sequence (matching, forecast, spend,
commissioning), and the scenario runs in another, so "forecast run 7" or "run 12" of a
scenario run twice sent a commissioner looking for runs that were never theirs. The
matching, forecast, spend and commissioning pages say "the forecast started 1 April
2026, 20:00" and keep the number in a muted note for an administrator; the sentences
built here do the same for the scenario pages, the notes under a scenario's cost and the
"a newer matching finished" refusal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sufficiency.errors import StoreError
from sufficiency.pages.render import uk_time
from sufficiency.store import RunStore
from sufficiency.store.saved_scenarios import ScenarioRunInfo

AT = "{day}, %H:%M"


def started(when: dt.datetime | None) -> str:
    """``1 April 2026, 20:00`` (UK time), or ``""`` when not known."""
    return uk_time(when, AT)


def run_named(run: dict[str, Any] | None, job: str) -> str:
    """``the forecast that started 1 April 2026, 20:00 and finished 1 April 2026, 20:03``;
    ``job`` is what the run did ("forecast", "spend forecast", "matching"). ``run``
    ``None``: the run is no longer in the store (deleted by hand or by a retention
    period)."""
    if run is None:
        return f"a {job} no longer in the run store"
    said = f"the {job} that started {started(run.get('started_at'))}"
    if run.get("finished_at"):
        said += f" and finished {started(run['finished_at'])}"
    return said


def get_run(store: RunStore, run_id: int) -> dict[str, Any] | None:
    """The run ``run_id`` of the store, ``None`` when it is no longer there."""
    try:
        return store.get(run_id)
    except StoreError:
        return None


def store_note(numbers: list[tuple[str, int]]) -> str:
    """The run store numbers of the runs a sentence named, for an administrator:
    ``In the run store, the forecast is run 2 and the spend forecast run 3: the numbers an
    administrator looks them up by.``"""
    if not numbers:
        return ""
    (job, first), *rest = numbers
    said = f"the {job} is run {first}" + "".join(
        f"{' and' if i == len(rest) - 1 else ','} the {j} run {n}" for i, (j, n) in enumerate(rest)
    )
    them = "them" if rest else "it"
    return (f"In the run store, {said}: the number{'s' if rest else ''} an administrator "
            f"looks {them} up by.")  # fmt: skip


def bases(store: RunStore, runs: Collection[ScenarioRunInfo]) -> dict[int, dict[str, Any] | None]:
    """The forecast run each scenario run of ``runs`` was run on, by its store number
    (``None``: no longer in the store), for the pages to say when it started."""
    return {i: get_run(store, i) for i in sorted({r.forecast_run_id for r in runs})}
