"""Benchmark: `sufficiency runs list` over a store holding 1,000 recorded runs.

Run: .venv/bin/python benchmarks/bench_runs_list.py [--runs 1000] [--store URL]

Fills a fresh store (a temporary SQLite file unless --store is given) with match
runs, each with 50 per-child outcomes and 300 input-row fingerprints, then times
the command end to end in a new process (Python start-up included), listing all
runs, and the default listing (the latest 50).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_args import open_store, run, whole


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=whole(1), default=1000)
    parser.add_argument("--store", default=None)
    args = parser.parse_args()
    url = args.store or f"sqlite:///{Path(tempfile.mkdtemp()) / 'runs.sqlite'}"
    store = open_store(parser, url)
    t0 = time.perf_counter()
    start = dt.datetime(2024, 1, 1, 2, tzinfo=dt.UTC)
    for i in range(args.runs):
        when = start + dt.timedelta(days=i)
        rows = [("referral", f"C{j}", f"{i}-{j}", None) for j in range(50)]
        rows += [("placement", f"P{j}", f"{j}", 1) for j in range(250)]
        rid = store.start("match", {"solver": "highs"}, rows=rows, now=when)
        store.finish(rid, succeeded=True, solver_status="optimal", objective=1e5 + i,
                     outcomes=[(f"C{j}", f"P{j}", None, None) for j in range(50)],
                     now=when + dt.timedelta(seconds=3))  # fmt: skip
    fill_s = time.perf_counter() - t0
    exe = Path(sys.executable).with_name("sufficiency")
    env = {**os.environ, "SUFFICIENCY_STORE": url}
    for label, extra in (("all runs", ["--limit", "0"]), ("default (latest 50)", [])):
        times = []
        for _ in range(5):
            t = time.perf_counter()
            out = subprocess.run([str(exe), "runs", "list", *extra], env=env, check=True,
                                 capture_output=True, text=True)  # fmt: skip
            times.append(time.perf_counter() - t)
        last = out.stdout.strip().splitlines()[-1]
        print(f"runs list, {label}: best {min(times):.3f} s, worst {max(times):.3f} s ({last})")
    print(f"(filled {args.runs} runs in {fill_s:.1f} s; store {url})")


if __name__ == "__main__":
    run(main)
