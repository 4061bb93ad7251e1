"""Where one authority's forecast spends its time: bench_forecast.py's forecast (a
1,000-child authority, 60 months, 2,000 paths, fit and simulate) under cProfile, by
step of a chunk's month, and the random draws by generator call.

Run, on one core (docs/forecast.md, "Speed", quotes it):

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 taskset -c 0 \\
        .venv/bin/python benchmarks/forecast/profile_forecast.py

Times are CPU time (the profiler's clock and the draws': the machine is shared). The
chunks run one after another in this thread (the profiler sees only the thread it runs
in; the simulation's own pool would hide them); the results are the same whatever the
threads. The profiler adds its own cost to every call, so the total is longer than
bench_forecast.py's; the shares are the figures to read. The generator's draws are timed
call by call (cProfile does not see them), as they were for docs/forecast.md.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
from bench_forecast import add_instance_options, instance

import sufficiency.forecast.simulate as simulate_module
from sufficiency.forecast.projection import forecast_from_spells

#: (label, the functions whose cumulative time it is: file name ending, function name)
STEPS = [
    ("the fit", [("estimate.py", "fit_model")]),
    ("drawing each chunk's rates and entries",
     [("rate_draws.py", "draw_rate_tables"), ("rate_draws.py", "draw_entries")]),
    ("the month's events", [("path_chunk.py", "month_events")]),
    ("  of which resolving them", [("path_chunk.py", "resolve")]),
    ("birthdays and cell changes", [("path_chunk.py", "birthdays")]),
    ("entrants", [("path_chunk.py", "add_entrants")]),
    ("compaction", [("path_chunk.py", "compact")]),
]  # fmt: skip
#: The NumPy generator's methods, timed call by call (cProfile does not see them).
DRAWS = ["gamma", "standard_gamma", "poisson", "random", "dirichlet", "binomial",
         "multinomial", "uniform", "integers", "choice", "exponential", "normal"]  # fmt: skip
DRAWN: dict[str, float] = dict.fromkeys(DRAWS, 0.0)


class _TimedGenerator(np.random.Generator):
    """A generator that adds the CPU time of each of its draws to :data:`DRAWN` (the
    same bit generator, so the same numbers)."""


def _timed(name: str) -> Callable[..., Any]:
    draw = getattr(np.random.Generator, name)

    def timed(self: np.random.Generator, *args: Any, **kwargs: Any) -> Any:
        t = time.process_time()
        try:
            return draw(self, *args, **kwargs)
        finally:
            DRAWN[name] += time.process_time() - t

    return timed


for _name in DRAWS:
    setattr(_TimedGenerator, _name, _timed(_name))


def _timed_rng(seed: Any = None) -> np.random.Generator:
    return _TimedGenerator(np.random.PCG64(seed))


class _InThisThread:
    """An executor that runs each call in the calling thread, in order."""

    def __init__(self, max_workers: int | None = None) -> None:
        del max_workers

    def __enter__(self) -> _InThisThread:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        return iter([fn(i) for i in items])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_instance_options(parser)
    args = parser.parse_args()
    care, params = instance(parser, args)
    simulate_module.ThreadPoolExecutor = _InThisThread  # type: ignore[assignment,misc]
    np.random.default_rng = _timed_rng  # the chunks' generators, timed
    profile = cProfile.Profile(time.process_time)  # CPU time: the machine is shared
    t0, c0 = time.perf_counter(), time.process_time()
    profile.runcall(forecast_from_spells, care, params)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    stats: dict[tuple[str, int, str], tuple[Any, ...]] = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    print(f"{args.children} children, {args.months} months x {args.paths} paths under cProfile: "
          f"wall {wall:.2f} s, process CPU {cpu:.2f} s")  # fmt: skip
    for label, functions in STEPS:
        seconds = sum(
            v[3] for (file, _, name), v in stats.items()
            if any(file.endswith(f) and name == fn for f, fn in functions)
        )  # fmt: skip
        print(f"  {label}: {seconds:.2f} s ({100 * seconds / cpu:.0f}%)")
    said = ", ".join(f"{d} {s:.2f} s" for d, s in DRAWN.items() if s > 0)
    print(f"random draws (CPU time of every generator call): {sum(DRAWN.values()):.2f} s: "
          f"{said}")  # fmt: skip


if __name__ == "__main__":
    from bench_args import run  # on the path once its sibling is imported

    run(main)
