"""Page times of the web application, one person at a time, and a scenario run's time.

Run: .venv/bin/python benchmarks/web/bench_pages.py [--repeat 5] [--store URL]

Fills a fresh run store with the sample's runs (as bench_load.py does: matching, the
forecast with its scenario, spend and commissioning), then, in this process, through
``starlette.testclient`` (no network; the application as ``create_app`` makes it, so
no chart is drawn before it is asked for, unlike ``sufficiency serve``), signs in one
user of each role and opens every page of the router that role may use once (the
first view: a chart is drawn then) and ``--repeat`` times more. Prints each page's
first time and the median of the rest, and the range over pages of both. Then times a
saved scenario's run as the Scenarios page starts it (``run_scenario`` on the latest
forecast: the sample's history, 1,000 paths) on its own.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench_args

import bench_load as load
from bench_args import open_store, run, whole


def time_pages(url: str, repeat: int) -> list[tuple[str, str, float, float]]:
    """(role, page, first seconds, median seconds of ``repeat`` more) for each page."""
    import pyotp
    from starlette.testclient import TestClient

    from sufficiency.store import RunStore
    from sufficiency.web.app import create_app

    users = load.add_users(url, len(load.ROLES))
    pages = load.pages_by_role(url)
    child = load.children(url)[0]
    store = RunStore(url)
    rows = []
    try:
        app = create_app(store)
        for name, (role, secret) in users.items():
            with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as c:
                token = load.form_token(c.get("/sign-in").text)
                r = c.post("/sign-in", data={
                    "csrftoken": token, "username": name, "password": load.PASSWORD,
                    "code": pyotp.TOTP(secret).now(),
                })  # fmt: skip
                if r.status_code != 303:
                    raise SystemExit(f"{name} could not sign in: {r.status_code}")
                for path in pages[role]:
                    address = load.page_url(path, child)
                    times = []
                    for _ in range(1 + repeat):
                        t = time.perf_counter()
                        status = c.get(address).status_code
                        times.append(time.perf_counter() - t)
                        if status != 200:
                            raise SystemExit(f"{address} answered {status} for {role}")
                    rows.append((role, path, times[0], statistics.median(times[1:])))
    finally:
        store.close()
    return rows


def time_scenario(url: str) -> float:
    """Seconds for the sample's scenario run against the latest forecast."""
    from sufficiency.forecast.scenario import load_scenario
    from sufficiency.store import RunStore
    from sufficiency.web.scenario_run import base_run, run_scenario

    scenario = load_scenario(load.SAMPLE / "scenarios" / "step_down_and_in_house.toml")
    store = RunStore(url)
    try:
        base = base_run(store)
        t = time.perf_counter()
        run_scenario(base, scenario)
        return time.perf_counter() - t
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=whole(1), default=5, help="views after the first")
    parser.add_argument("--store", default=None, help="a new, empty store (default SQLite)")
    args = parser.parse_args()
    if args.store is not None:
        open_store(parser, args.store).close()
    tmp = Path(tempfile.mkdtemp(prefix="bench_pages_"))
    url = args.store or f"sqlite:///{tmp / 'runs.sqlite'}"
    os.environ.setdefault("SUFFICIENCY_WEB_SECRET", "page-timing-only-" + "x" * 40)
    warnings.simplefilter("ignore")  # the sample forecast's own warnings; not timings
    print(f"Filling the store with the sample's runs ... (load {os.getloadavg()[0]:.1f})")
    load.fill_store(url, tmp / "out")
    rows = time_pages(url, args.repeat)
    for role, path, first, median in rows:
        print(f"  {role} {path}: first {1000 * first:.0f} ms, then median "
              f"{1000 * median:.0f} ms")  # fmt: skip
    firsts, medians = [r[2] for r in rows], [r[3] for r in rows]
    print(f"{len(rows)} pages: first view {1000 * min(firsts):.0f}-{1000 * max(firsts):.0f} ms; "
          f"then {1000 * min(medians):.0f}-{1000 * max(medians):.0f} ms "
          f"(median of {args.repeat})")  # fmt: skip
    slow = sorted(rows, key=lambda r: -r[2])[:3]
    print("slowest first views: " + "; ".join(f"{p} {f:.2f} s" for _, p, f, _ in slow))
    seconds = time_scenario(url)
    print(f"scenario run (sample, 1,000 paths): {seconds:.1f} s; "
          f"load {os.getloadavg()[0]:.1f}")  # fmt: skip


if __name__ == "__main__":
    run(main)
