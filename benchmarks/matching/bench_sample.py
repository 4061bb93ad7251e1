"""Time ``sufficiency match`` on the bundled sample authority, end to end in a new process.

Each run is a fresh interpreter: imports, reading and validating both files,
postcode lookups, candidate generation, the solve, the greedy baseline and the five
outputs. The first run also unpacks the postcode cache if it is missing (it is
reported separately).

Run: .venv/bin/python benchmarks/matching/bench_sample.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))  # bench_args

from bench_args import run, whole  # noqa: E402


def main() -> None:
    """Run the sample match several times and print the timings as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=whole(1), default=5)
    args = ap.parse_args()
    exe = Path(sys.executable).with_name("sufficiency")
    times = []
    with tempfile.TemporaryDirectory() as out:
        cmd = [
            str(exe), "match", "--referrals", str(ROOT / "data/sample/referrals.csv"),
            "--placements", str(ROOT / "data/sample/placements.csv"), "--date", "2026-04-01",
            "--out", out,
        ]  # fmt: skip
        for _ in range(args.runs + 1):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            times.append(time.perf_counter() - t0)
        summary = json.loads((Path(out) / "summary.json").read_text())
    print(json.dumps({
        "first_run_seconds": round(times[0], 2),
        "runs": args.runs,
        "min_seconds": round(min(times[1:]), 2),
        "median_seconds": round(statistics.median(times[1:]), 2),
        "max_seconds": round(max(times[1:]), 2),
        "status": summary["status"], "objective_gbp": summary["objective_gbp"],
        "children_placed": summary["children_placed"], "num_children": summary["num_children"],
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    run(main)
