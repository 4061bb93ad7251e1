"""Run ``bench_match.py`` several times, each in a fresh process, and tabulate the runs.

Usage (from the repository root)::

    .venv/bin/python benchmarks/matching/bench_repeat.py --repeat 5 -- \\
        --children 5000 --placements 100000 --time-limit 180 --gap 0.001

Everything after ``--`` goes to ``bench_match.py``. Prints one line per run (status,
method, gap, end-to-end seconds, peak memory, whether the five outputs were complete,
or how the process failed) and its seconds per stage, then a JSON summary. Exit code 1
if any run failed, left an output out, or went over ``--max-seconds`` / ``--max-gb``
when given.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench_args

from bench_args import positive, run, whole  # noqa: E402


def main() -> None:
    """Repeat the benchmark in fresh processes and report each run."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=whole(1), default=5)
    ap.add_argument("--max-seconds", type=positive, default=None)
    ap.add_argument("--max-gb", type=positive, default=None)
    ap.add_argument("rest", nargs=argparse.REMAINDER, help="arguments for bench_match.py")
    args = ap.parse_args()
    rest = args.rest[1:] if args.rest[:1] == ["--"] else args.rest
    runs, ok = [], True
    for i in range(args.repeat):
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(HERE / "bench_match.py"), *rest],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        wall = round(time.perf_counter() - t0, 1)
        start = done.stdout.find("{")
        if done.returncode != 0 or start < 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
            if done.returncode == 2 and not runs:  # bench_match.py refused the options
                ap.error(f"the options after -- for {tail[0]}")
            print(f"run {i + 1}: FAILED (exit {done.returncode}) after {wall} s: {tail[0]}")
            runs.append({"run": i + 1, "failed": True, "exit": done.returncode})
            ok = False
            continue
        r = json.loads(done.stdout[start:])
        gap = "-" if r["gap"] is None else f"{r['gap']:.4%}"
        print(f"run {i + 1}: {r['status']} ({r['method']}), gap {gap}, "
              f"{r['end_to_end_seconds']} s end to end ({wall} s with generation), "
              f"peak {r['peak_rss_gb']} GB, outputs complete: {r['outputs_complete']}",
              flush=True)  # fmt: skip
        stages = ", ".join(
            f"{k} {v}" if not isinstance(v, list) else f"{k} {'+'.join(map(str, v))}"
            for k, v in r.get("stage_seconds", {}).items()
        )
        print(f"       stages (s): {stages}", flush=True)
        slow = args.max_seconds is not None and r["end_to_end_seconds"] > args.max_seconds
        big = args.max_gb is not None and r["peak_rss_gb"] > args.max_gb
        ok = ok and r["outputs_complete"] and not slow and not big
        runs.append({"run": i + 1, **{k: r[k] for k in (
            "status", "method", "gap", "objective_gbp", "end_to_end_seconds", "peak_rss_gb",
            "outputs_complete", "stage_seconds")}})  # fmt: skip
    print(json.dumps({"repeat": args.repeat, "all_ok": ok, "runs": runs}, indent=2))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    run(main)
