"""Load test of the web application: 50 signed-in users for 60 s against 127.0.0.1.

Target (issue 17): pages answer with a median under 200 ms and no errors.

Run: .venv/bin/python benchmarks/web/bench_load.py [--users 50] [--seconds 60]
     [--think 0.5 2.0] [--store URL]

What it does, end to end as in production:

1. Fills a fresh run store (a temporary SQLite file unless ``--store`` is given) with the
   sample authority's runs, as ``make demo`` does: matching (2026-04-01), the forecast
   with its scenario, the spend projection and the commissioning case (200 paths). Adds
   ``--users`` accounts, spread over the placement, commissioner and finance roles, each
   with its own password and TOTP secret.
2. Starts ``sufficiency serve`` on a free loopback port in its own process (one uvicorn
   worker: the default deployment), so the load generator does not share its interpreter.
3. Users arrive at random over the first ``--ramp`` seconds (10) and sign in through
   the sign-in form (password and TOTP code; Argon2id, so sign-in is timed on its own),
   then for ``--seconds`` each user opens, one after the
   other, a page it may use, chosen at random from the router's GET routes for its role
   (a child's page with a random child of tonight's run), waiting ``--think`` seconds (a
   uniform range) between pages, as a person reading a page does. ``--think 0 0`` gives
   the stress case: every user asking again as soon as a page arrives.
4. Prints the number of pages, errors (any status but 200), pages a second, and the
   median, 90th and 99th percentile and worst response times, overall and per page.

Downloads (``spend.xlsx``) are left out: they are files, not pages.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench_args

from bench_args import not_negative, open_store, positive, run, whole

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
RUN_DATE = "2026-04-01"
ROLES = ("placement", "commissioner", "finance")
PASSWORD = "load test password, not for use"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fill_store(url: str, out: Path) -> None:
    """The sample's matching, forecast, spend and commissioning runs recorded in ``url``."""
    from click.testing import CliRunner

    from sufficiency.cli import main

    jobs = [
        ["match", "--referrals", str(SAMPLE / "referrals.csv"), "--placements",
         str(SAMPLE / "placements.csv"), "--date", RUN_DATE, "--out", str(out / "match")],
        ["forecast", "--history", str(SAMPLE / "ssda903"), "--out", str(out / "forecast"),
         "--supply", str(SAMPLE / "supply.toml"), "--placements", str(SAMPLE / "placements.csv"),
         "--scenario", str(SAMPLE / "scenarios" / "step_down_and_in_house.toml")],
        ["spend", "--history", str(SAMPLE / "ssda903"), "--out", str(out / "spend"),
         "--budget", str(SAMPLE / "budget.csv"), "--scenario",
         str(SAMPLE / "scenarios" / "step_down_and_in_house.toml"), "--date", RUN_DATE],
        ["commission", "--history", str(SAMPLE / "ssda903"), "--levers",
         str(SAMPLE / "levers.toml"), "--out", str(out / "commission"), "--paths", "200",
         "--eval-paths", "200"],
    ]  # fmt: skip
    for args in jobs:
        result = CliRunner().invoke(main, [*args, "--store", url])
        if result.exit_code != 0:
            raise SystemExit(f"{args[0]} failed: {result.output}")


def add_users(url: str, n: int) -> dict[str, tuple[str, str]]:
    """``n`` accounts, roles in turn; user name -> (role, TOTP secret)."""
    from sufficiency.store import RunStore
    from sufficiency.store.accounts import add_user
    from sufficiency.web.auth import hash_password, new_totp_secret

    store = RunStore(url)
    hashed = hash_password(PASSWORD)
    users = {}
    for i in range(n):
        role = ROLES[i % len(ROLES)]
        secret = new_totp_secret()
        add_user(store, f"load{i:03d}", role, hashed, secret)
        users[f"load{i:03d}"] = (role, secret)
    store.close()
    return users


def pages_by_role(url: str) -> dict[str, list[str]]:
    """Each role's GET page paths from the application's router ({child_id} kept)."""
    from sufficiency.store import RunStore
    from sufficiency.web.app import create_app
    from sufficiency.web.framework import PUBLIC, Page

    store = RunStore(url)
    app = create_app(store)
    pages: dict[str, list[str]] = {role: [] for role in ROLES}
    for r in app.routes:
        if not isinstance(r, Page) or "GET" not in (r.methods or ()):
            continue
        if r.roles is PUBLIC or not isinstance(r.roles, frozenset):
            continue
        if "download" in r.path or re.search(r"\{(?!child_id)", r.path):
            continue  # files, and pages of one decision or scenario
        for role in ROLES:
            if role in r.roles:
                pages[role].append(r.path)
    store.close()
    return pages


def children(url: str) -> list[str]:
    from sufficiency.store import RunStore
    from sufficiency.web.placement import tonight

    store = RunStore(url)
    ids = tonight(store).child_ids()
    store.close()
    return ids


async def user_session(
    base: str,
    name: str,
    role: str,
    secret: str,
    pages: list[str],
    kids: list[str],
    until: float,
    ramp: float,
    think: tuple[float, float],
    rng: random.Random,
    times: list[tuple[str, float, int | str]],
    sign_in_times: list[float],
) -> None:
    import httpx
    import pyotp

    await asyncio.sleep(rng.uniform(0, ramp))  # people arrive over the first seconds
    async with httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=False) as c:
        t = time.perf_counter()
        try:
            page = await c.get("/sign-in")
            r = await c.post("/sign-in", data={
                "csrftoken": form_token(page.text), "username": name, "password": PASSWORD,
                "code": pyotp.TOTP(secret).now(),
            })  # fmt: skip
            status: int | str = r.status_code
        except httpx.TransportError as e:
            status = type(e).__name__
        sign_in_times.append(time.perf_counter() - t)
        if status != 303:
            times.append(("/sign-in", time.perf_counter() - t, status))
            return
        while time.monotonic() < until:
            path = rng.choice(pages)
            url = page_url(path, rng.choice(kids))
            t = time.perf_counter()
            try:
                status = (await c.get(url)).status_code
            except httpx.TransportError as e:
                status = type(e).__name__
            times.append((path, time.perf_counter() - t, status))
            if think[1] > 0:
                await asyncio.sleep(rng.uniform(*think))


def page_url(path: str, child_id: str) -> str:
    """A router path with its child filled in (the route is ``{child_id:path}``: every
    child's page was the 404 page, timed as one, before)."""
    from sufficiency.web.framework import child_url

    if re.search(r"\{child_id(:\w+)?\}", path):
        return child_url(child_id)
    return path


def form_token(html: str) -> str:
    """The CSRF token a page's form carries (bound to the session; no cookie holds it)."""
    found = re.search(r'name="csrftoken" value="([^"]*)"', html)
    return found.group(1) if found else ""


def _ms(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return 1000 * xs[min(len(xs) - 1, int(q * len(xs)))]


def report(times: list[tuple[str, float, int | str]], sign_in: list[float], seconds: float) -> int:
    ok = [d for _, d, s in times if s == 200]
    errors = [(p, s) for p, _, s in times if s != 200]
    print(f"pages: {len(times)} in {seconds:.0f} s ({len(times) / seconds:.1f} a second), "
          f"errors: {len(errors)}")  # fmt: skip
    if ok:
        print(f"response time: median {1000 * statistics.median(ok):.0f} ms, "
              f"90th percentile {_ms(ok, 0.9):.0f} ms, 99th {_ms(ok, 0.99):.0f} ms, "
              f"worst {1000 * max(ok):.0f} ms")  # fmt: skip
    if sign_in:
        print(f"sign-in (password and TOTP, Argon2id): median "
              f"{1000 * statistics.median(sign_in):.0f} ms, worst {1000 * max(sign_in):.0f} ms "
              f"({len(sign_in)} users arriving over the ramp)")  # fmt: skip
    for path in sorted({p for p, _, _ in times}):
        ds = [d for p, d, s in times if p == path and s == 200]
        if ds:
            print(f"  {path}: {len(ds)} pages, median {1000 * statistics.median(ds):.0f} ms, "
                  f"90th {_ms(ds, 0.9):.0f} ms")  # fmt: skip
    for p, s in sorted(set(errors))[:10]:
        print(f"  error: {p} answered {s}")
    return 1 if errors else 0


async def drive(base: str, users: dict[str, tuple[str, str]], pages: dict[str, list[str]],
                kids: list[str], seconds: float, ramp: float,
                think: tuple[float, float]) -> int:  # fmt: skip
    times: list[tuple[str, float, int | str]] = []
    sign_in: list[float] = []
    until = time.monotonic() + ramp + seconds
    rng = random.Random(1)
    tasks = []
    for name, (role, secret) in users.items():
        own = random.Random(rng.random())
        tasks.append(user_session(base, name, role, secret, pages[role], kids, until, ramp,
                                  think, own, times, sign_in))  # fmt: skip
    t0 = time.monotonic()
    await asyncio.gather(*tasks)
    return report(times, sign_in, time.monotonic() - t0 - ramp)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=whole(1), default=50)
    parser.add_argument("--seconds", type=positive, default=60)
    parser.add_argument(
        "--think", type=not_negative, nargs=2, default=(0.5, 2.0), metavar=("MIN", "MAX")
    )
    parser.add_argument(
        "--ramp", type=not_negative, default=10, help="seconds over which users arrive"
    )
    parser.add_argument("--store", default=None)
    args = parser.parse_args()
    if args.think[0] > args.think[1]:
        parser.error(f"--think {args.think[0]:g} {args.think[1]:g}: MIN is more than MAX")
    if args.store is not None:
        open_store(parser, args.store).close()
    tmp = Path(tempfile.mkdtemp(prefix="bench_load_"))
    url = args.store or f"sqlite:///{tmp / 'runs.sqlite'}"
    print("Filling the store with the sample's runs ...", flush=True)
    fill_store(url, tmp / "out")
    users = add_users(url, args.users)
    pages = pages_by_role(url)
    kids = children(url)
    port = _free_port()
    env = {**os.environ, "SUFFICIENCY_WEB_SECRET": "load-test-only-" + "x" * 40}
    command = Path(sys.executable).parent / "sufficiency"
    server = subprocess.Popen(
        [str(command), "serve", "--store", url, "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=(tmp / "server.log").open("w"),
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(base)
        print(f"{args.users} users ({', '.join(ROLES)} in turn) for {args.seconds:.0f} s, "
              f"thinking {args.think[0]}-{args.think[1]} s between pages; load before: "
              f"{os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
        code = asyncio.run(drive(base, users, pages, kids, args.seconds, args.ramp,
                                 tuple(args.think)))  # fmt: skip
    finally:
        print(f"(server log: {tmp / 'server.log'})")
        server.terminate()
        server.wait(10)
    raise SystemExit(code)


def _wait(base: str) -> None:
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/sign-in", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start within 60 s")


if __name__ == "__main__":
    run(main)
