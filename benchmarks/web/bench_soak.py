"""Soak test of the web application: thousands of pages while new matching runs land.

Run: .venv/bin/python benchmarks/web/bench_soak.py [--pages 3000] [--every 500]

What it does: fills a fresh SQLite store with the sample's runs (as bench_load.py does),
starts ``sufficiency serve`` in its own process and signs in one user of each role
(placement, commissioner, finance). Then asks for ``--pages`` pages one after another,
each a page the user may open chosen at random from the router (a child's page with a
random child of tonight's run). After every ``--every`` pages a new matching run lands
(``sufficiency match --store``, the next run date) and the placement user opens
"Tonight's matches", which must show that run. Prints, at the start and after each run
lands, the server's resident memory, threads, open file descriptors (those on the store
file among them) and whether the page showed the newest run; then the pages that did not
answer 200 and each page's median and worst time. A server that leaks grows in memory or
descriptors from line to line; a cache that is not bounded grows with the runs.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench_args

import bench_load as load
from bench_args import run, whole

CLI = [sys.executable, "-c", "from sufficiency.cli import main; main()"]


def server_figures(pid: int, store_file: Path) -> str:
    """Resident memory, threads and open descriptors of process ``pid`` (Linux /proc)."""
    proc = Path(f"/proc/{pid}")
    status = (proc / "status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) // 1024  # type: ignore[union-attr]
    threads = int(re.search(r"Threads:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    links = []
    for fd in (proc / "fd").iterdir():
        with contextlib.suppress(OSError):  # closed since the folder was read
            links.append(os.readlink(fd))
    on_store = sum(str(store_file) in link for link in links)
    return f"memory {rss} MiB, {threads} threads, {len(links)} open files ({on_store} on the store)"


def main() -> None:
    import httpx
    import pyotp

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=whole(1), default=3000)
    parser.add_argument("--every", type=whole(1), default=500, help="pages between new runs")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_soak_"))
    store_file = tmp / "runs.sqlite"
    url = f"sqlite:///{store_file}"
    print("Filling the store with the sample's runs ...", flush=True)
    load.fill_store(url, tmp / "out")
    users = load.add_users(url, len(load.ROLES))
    pages, kids = load.pages_by_role(url), load.children(url)
    port = load._free_port()
    env = {**os.environ, "SUFFICIENCY_WEB_SECRET": "soak-test-only-" + "x" * 40}
    server = subprocess.Popen([*CLI, "serve", "--store", url, "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL,
                              stderr=(tmp / "server.log").open("w"))  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        load._wait(base)
        clients = {}
        for name, (role, secret) in users.items():
            c = httpx.Client(base_url=base, timeout=60)
            form = c.get("/sign-in")
            c.post("/sign-in", data={"csrftoken": load.form_token(form.text), "username": name,
                                     "password": load.PASSWORD,
                                     "code": pyotp.TOTP(secret).now()})  # fmt: skip
            clients[role] = c
        print(f"start: {server_figures(server.pid, store_file)}", flush=True)
        rng, times = random.Random(7), {}  # type: ignore[var-annotated]
        errors: dict[tuple[str, int], int] = {}
        day, t0 = dt.date.fromisoformat(load.RUN_DATE), time.perf_counter()
        for i in range(1, args.pages + 1):
            role = rng.choice(sorted(clients))
            path = rng.choice(pages[role])
            t = time.perf_counter()
            status = clients[role].get(load.page_url(path, rng.choice(kids))).status_code
            times.setdefault(path, []).append(time.perf_counter() - t)
            if status != 200:
                errors[(path, status)] = errors.get((path, status), 0) + 1
            if i % args.every == 0:
                day += dt.timedelta(days=1)
                subprocess.run([*CLI, "match", "--referrals", str(load.SAMPLE / "referrals.csv"),
                                "--placements", str(load.SAMPLE / "placements.csv"), "--date",
                                day.isoformat(), "--out", str(tmp / "out" / f"match-{day}"),
                                "--store", url], check=True, capture_output=True)  # fmt: skip
                from sufficiency.store import RunStore

                store = RunStore(url)
                newest = store.list_runs(limit=1, kind="match", status="succeeded")[0]["id"]
                store.close()
                page = clients["placement"].get("/matching").text
                shown = f"this matching is run {newest}:" in page
                print(f"{i} pages ({time.perf_counter() - t0:.0f} s), matching run {newest} "
                      f"landed, shown: {shown}; {server_figures(server.pid, store_file)}",
                      flush=True)  # fmt: skip
        print(f"pages not answered 200: {sum(errors.values())} {errors or ''}")
        for path, xs in sorted(times.items()):
            print(f"  {path}: {len(xs)} pages, median {1000 * statistics.median(xs):.0f} ms, "
                  f"worst {1000 * max(xs):.0f} ms")  # fmt: skip
    finally:
        print(f"(server log: {tmp / 'server.log'})")
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    run(main)
