"""Seeded stochastic simulation of the children looked after, month by month.

Every path is a plausible future: it first draws its own rates from their posterior
(parameter uncertainty) and a drifting entry level, then moves each child through
the months (fully vectorised over paths x children). A child's state is a category
and a legal group. A month for a child in care: leave care, move to another category,
a new placement in the same one, or a new legal group without a new placement, with
probabilities from the child's category x legal group x age band x time-in-care cell;
a child who moved (or who leaves) may move or change placement again that month, as
often as the reference window shows; a new placement may bring a new legal group
(a placement order with a move to adopters); then one month older; on their 18th
birthday they leave. Entries are gamma-Poisson (overdispersed) counts split by age
band x legal group x first category.

Each path's draws are made in :mod:`.rate_draws`; a chunk of paths moves through the
months in :mod:`.path_chunk`. For a seed the random numbers are drawn in a fixed order
and amount (``tests/forecast/test_random_stream.py`` pins the results).
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from sufficiency.config import ForecastParams
from sufficiency.errors import DataWarning
from sufficiency.forecast.model import ForecastModel
from sufficiency.forecast.path_chunk import (
    Axes,
    InitialStock,
    PathChunk,
    band_table,
    months_to_change,
)
from sufficiency.forecast.scenario import BASE, Scenario

__all__ = ["InitialStock", "simulate"]

#: Paths per chunk (fixed, so results depend only on the seed).
_CHUNK_PATHS = 500
#: Threads simulating chunks at once: ``$SUFFICIENCY_SIMULATION_THREADS``, else 2, or 1
#: where the process may run on one core only. A regional run on Dask sets 1 in its
#: workers, which run one task per core already.
THREADS_ENV = "SUFFICIENCY_SIMULATION_THREADS"


def simulation_threads() -> int:
    """How many threads simulate chunks of paths at once (results never depend on it).

    Two threads sharing one core (a process pinned to it, a container given one) cost
    more CPU than one: 7.9-8.3 s of CPU against 7.0-7.1 s for the bench's forecast.
    """
    return _threads(os.environ.get(THREADS_ENV, "").strip(), min(2, _cores_available()))


@functools.cache
def _threads(value: str, default: int) -> int:
    """``value`` as a number of threads, or ``default`` when unset (blank); a value that is
    not a whole number of 1 or more (``0``, ``-1``, ``two``) was ignored with no word, and
    is now said once, naming the variable and the number used."""
    if not value:
        return default
    if value.isdigit() and int(value) >= 1:
        return int(value)
    warnings.warn(
        f"${THREADS_ENV} is {value!r}, not a whole number of 1 or more: simulating on "
        f"{default} thread{'s' if default > 1 else ''} (the default) instead.",
        DataWarning,
        stacklevel=3,
    )
    return default


def _cores_available() -> int:
    """The cores this process may run on (its affinity where the system says it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def simulate(
    model: ForecastModel,
    initial: InitialStock,
    months: pd.DatetimeIndex,
    params: ForecastParams,
    scenario: Scenario = BASE,
    progress: Callable[[int], None] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Simulate ``params.num_paths`` futures over ``months`` (index 0 = start date).

    Paths are simulated in fixed-size chunks, each with its own random stream spawned
    from the seed, on :func:`simulation_threads` threads; the result depends only on the
    seed and the number of paths, not on the number of threads or their timing.

    Returns
    -------
    tuple of numpy.ndarray
        ``stock (P, M, C, A)``, ``starts (P, M, C)``, ``entries (P, M, C)``,
        ``exits (P, M, C)``, with ``M = len(months)`` and zeros for flows at index 0, and
        the children each of the scenario's step-downs moved, ``(P, M, step-downs)``.
    """
    sizes = [_CHUNK_PATHS] * (params.num_paths // _CHUNK_PATHS)
    if params.num_paths % _CHUNK_PATHS:
        sizes.append(params.num_paths % _CHUNK_PATHS)
    streams = np.random.SeedSequence(params.seed).spawn(len(sizes))
    axes = Axes(band_table(model), months_to_change(model))

    def run(i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        rng = np.random.default_rng(streams[i])
        chunk = PathChunk(model, initial, months, params, scenario, rng, sizes[i], axes)
        return chunk.run(progress if i == 0 else None)

    with ThreadPoolExecutor(max_workers=simulation_threads()) as pool:
        parts = list(pool.map(run, range(len(sizes))))
    stock, starts, entries, exits, stepped = (
        np.concatenate([part[k] for part in parts], axis=0) for k in range(5)
    )
    return stock, starts, entries, exits, stepped
