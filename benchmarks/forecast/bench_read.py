"""Time reading and reconciling a large authority's 10-year 903 history.

Writes the history with ``large_history.py`` (about 5,000 looked after, about 100,000
episode rows across ten yearly returns, each repeating the episodes still open from
the year before) into a temporary folder, then times, each ``--repeat`` times:

- ``read_history`` (what the analytic commands do: find the tables, read, repair and
  set aside by rule, reconcile the returns the way DfE counts children),
- ``build_spells`` on the result (the forecast's first step),
- ``load_ssda903`` (what ``validate`` and ``--strict`` do: every field checked).

It prints the median and the fastest run of each, and checks that the starting
count equals DfE's definition computed independently (``tests/messy903.dfe_count``
on the raw latest return). The issue's target: reading and reconciling in under 10 s.

Run: .venv/bin/python benchmarks/forecast/bench_read.py [--children 5000 --years 10
     --repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "tests"))
sys.path.insert(0, str(HERE.parent))  # bench_args

from bench_args import random_seed, run, whole  # noqa: E402
from large_history import write_large_history  # noqa: E402
from messy903 import clean_count  # noqa: E402

from sufficiency.forecast.states import build_spells, stock_at  # noqa: E402
from sufficiency.io.ssda903 import load_ssda903, read_history  # noqa: E402


def _time(fn, repeat: int) -> tuple[float, float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=whole(1), default=5000)
    parser.add_argument("--years", type=whole(1), default=10)
    parser.add_argument("--seed", type=random_seed, default=1)
    parser.add_argument("--repeat", type=whole(1), default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = write_large_history(Path(tmp) / "h", args.children, args.years, args.seed)
        print(
            f"History: {big.num_episode_rows:,} episode rows in {len(big.years)} returns, "
            f"{big.num_children:,} children, {big.num_looked_after:,} looked after on "
            f"31 March {big.years[-1]}."
        )
        med, best, history = _time(lambda: read_history(big.out), args.repeat)
        print(f"read_history (read and reconcile): median {med:.2f} s, fastest {best:.2f} s")
        med, best, care = _time(lambda: build_spells(history), args.repeat)  # type: ignore[arg-type]
        print(f"build_spells: median {med:.2f} s, fastest {best:.2f} s")
        med, best, _ = _time(lambda: load_ssda903([big.out]), 1)
        print(f"load_ssda903 (validate: every field checked): {med:.2f} s")
        expected = clean_count(big.out, date(big.years[-1], 3, 31))
        got = int(stock_at(care, [history.end]).sum())  # type: ignore[attr-defined]
        print(f"Starting count {got:,}; DfE's definition on the raw latest return {expected:,}.")
        if got != expected:
            raise SystemExit("starting count differs from DfE's definition")


if __name__ == "__main__":
    run(main)
