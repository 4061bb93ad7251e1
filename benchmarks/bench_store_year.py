"""Benchmark: the run store after a year of nights, and `runs prune` on it.

Run: .venv/bin/python benchmarks/bench_store_year.py [--nights 400] [--keep-days 90]
     [--store URL] [--nightly 2]

Fills a fresh store (a temporary SQLite file unless --store is given) as a council's
server fills it: every night a validation run and a matching run (50 referrals, 250
placements, a tenth of the referral rows changed since the night before, per-child
outcomes), a forecast and a spend run each week, a commissioning run each month, about
2 in 100 runs failed; a team decision every other night (most with a last day that
passes, a fifth withdrawn) and 30 audit events a night. Then times, in this process,
what grows with the nights: listing the runs (the default 50, and all), showing the
latest matching run, diffing the last two, the decisions in force; and prunes to the last
``--keep-days`` days, with the store's size before and after (the SQLite file's; a PostgreSQL
database's from pg_database_size), then prunes again a day later, as a night with
``[retention]`` does. With ``--nightly N``, before pruning, it also times
the next night's run, ``sufficiency nightly`` in a new process on the sample's validation
and matching with ``decisions = "store"``, N times against the full store and N times
against a fresh SQLite store, alternating.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_args import open_store, run, whole
from sqlalchemy import text

from sufficiency.store import RunStore
from sufficiency.store.accounts import audit
from sufficiency.store.team_decisions import add_decision, decisions_in_force, withdraw_decision
from sufficiency.store.types import ChildOutcome, InputRow

START = dt.datetime(2025, 10, 1, 1, 30, tzinfo=dt.UTC)
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def fill(store: RunStore, nights: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    kids, homes = [f"C{j:03d}" for j in range(50)], [f"P{j:03d}" for j in range(250)]
    referral = {c: f"{j:064x}" for j, c in enumerate(kids)}
    for night in range(nights):
        when = START + dt.timedelta(days=night)
        day = when.date()
        for c in rnd.sample(kids, 5):  # a tenth of the referrals changed since last night
            referral[c] = f"{rnd.getrandbits(256):064x}"
        rows = [InputRow("referral", c, h, None) for c, h in referral.items()]
        rows += [InputRow("placement", p, f"{j:064x}", 1) for j, p in enumerate(homes)]
        kinds = ["validate", "match"] + ["forecast", "spend"] * (night % 7 == 0)
        for kind in kinds + ["commission"] * (night % 30 == 0):
            match = kind == "match"
            rid = store.start(kind, {"kind": kind}, rows=rows if match else (), now=when)
            outcomes = [ChildOutcome(c, rnd.choice(homes) if rnd.random() > 0.05 else None,
                                     None, None) for c in kids] if match else []  # fmt: skip
            store.finish(rid, succeeded=rnd.random() > 0.02, solver_status="optimal",
                         objective=1e5 + night, summary={"run_date": day.isoformat()},
                         outcomes=outcomes, now=when + dt.timedelta(seconds=9))  # fmt: skip
        if night % 2 == 0:
            until = day + dt.timedelta(days=rnd.choice([7, 30, 90]))
            d = add_decision(store, rnd.choice(kids), rnd.choice(homes), "exclude",
                             "benchmark", "bench", until=until, now=when)  # fmt: skip
            if rnd.random() < 0.2:
                withdraw_decision(store, d.id, "bench", now=when + dt.timedelta(days=1))
        for _ in range(30):
            audit(store, "bench", "view_child", child_id=rnd.choice(kids), now=when)


def size_mb(store: RunStore) -> float:
    if store.url.startswith("sqlite"):
        return Path(store.url.split(":///", 1)[1]).stat().st_size / 1e6
    with store.engine.connect() as c:
        size = c.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    return float(size) / 1e6


def timed(label: str, f: object, repeat: int = 5) -> None:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    print(f"{label}: best {1000 * min(times):.0f} ms, worst {1000 * max(times):.0f} ms")


def next_night(url: str, day: dt.date, repeat: int) -> None:
    """Time ``sufficiency nightly`` on the sample (validation and matching, the decisions
    from the store) against ``url`` and against a fresh store, ``repeat`` times each."""
    tmp = Path(tempfile.mkdtemp(prefix="bench_night_"))
    fresh = f"sqlite:///{tmp / 'fresh.sqlite'}"
    times: dict[str, list[float]] = {url: [], fresh: []}
    for i in range(repeat):
        for store_url in times:
            config = tmp / f"nightly-{i}-{len(times[store_url])}-{store_url == url}.toml"
            config.write_text(
                "[nightly]\n"
                'jobs = ["validate", "match"]\n'
                f'output_dir = "{config.with_suffix("")}/{{date}}"\n'
                f'referrals = "{SAMPLE / "referrals.csv"}"\n'
                f'placements = "{SAMPLE / "placements.csv"}"\n'
                'decisions = "store"\n',
                encoding="utf-8",
            )
            command = [sys.executable, "-c", "from sufficiency.cli import main; main()",
                       "nightly", "--config", str(config), "--date", day.isoformat(),
                       "--store", store_url]  # fmt: skip
            t = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            times[store_url].append(time.perf_counter() - t)
            if done.returncode != 0:
                raise SystemExit(f"sufficiency nightly failed: {done.stderr.strip()[-500:]}")
    full, new = times[url], times[fresh]
    print(f"next night's run (validation and matching, decisions from the store): "
          f"{min(full):.1f}-{max(full):.1f} s on this store, {min(new):.1f}-{max(new):.1f} s "
          f"on a fresh one ({repeat} each, alternating)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nights", type=whole(1), default=400)
    parser.add_argument("--store", default=None)
    parser.add_argument("--keep-days", type=whole(0), default=90, help="runs prune --older-than")
    parser.add_argument(
        "--nightly", type=whole(0), default=0, metavar="N",
        help="time the next night's run N times on this store and on a fresh one",
    )  # fmt: skip
    args = parser.parse_args()
    url = args.store or f"sqlite:///{Path(tempfile.mkdtemp()) / 'runs.sqlite'}"
    store = open_store(parser, url)
    t0 = time.perf_counter()
    fill(store, args.nights)
    print(f"{args.nights} nights: {store.count()} runs, store {size_mb(store):.1f} MB "
          f"(filled in {time.perf_counter() - t0:.0f} s)")  # fmt: skip
    last = [r["id"] for r in store.list_runs(limit=2, kind="match", status="succeeded")]
    timed("runs list (latest 50)", lambda: store.list_runs())
    timed("runs list (all)", lambda: store.list_runs(limit=None))
    timed("runs show (latest matching run)", lambda: store.get(last[0]))
    if len(last) == 2:
        timed("runs diff (last two matching runs)", lambda: store.diff(last[1], last[0]))
    end = (START + dt.timedelta(days=args.nights)).date()
    print(f"decisions in force on the last night: {len(decisions_in_force(store, end))}")
    timed("decisions in force", lambda: decisions_in_force(store, end))
    if args.nightly:
        next_night(url, end, args.nightly)
    before = size_mb(store)
    t = time.perf_counter()
    n = store.prune(dt.timedelta(days=args.keep_days), now=START + dt.timedelta(days=args.nights))
    took = time.perf_counter() - t
    print(f"runs prune --older-than {args.keep_days}d: {n} run(s) deleted in {took:.1f} s, "
          f"store {before:.1f} MB -> {size_mb(store):.1f} MB")  # fmt: skip
    # what a night with [retention] adds once the store is pruned: the next day's prune
    # (a night's runs deleted, and the SQLite file compacted)
    t = time.perf_counter()
    n = store.prune(dt.timedelta(days=args.keep_days),
                    now=START + dt.timedelta(days=args.nights + 1))  # fmt: skip
    print(f"the next night's prune: {n} run(s) deleted in {time.perf_counter() - t:.2f} s, "
          f"store {size_mb(store):.1f} MB")  # fmt: skip
    print(f"(store {url})")
    store.close()


if __name__ == "__main__":
    run(main)
