"""A live application for the web tests: uvicorn on a free loopback port, in a thread,
over a temporary SQLite run store holding the sample's matching run for 2026-04-01,
with one user of each role (password and TOTP) and a data folder for uploads.
Everything the server logs is kept, so a test can check no personal details were
logged. ``oidc_site``: a second application signing in through a real OpenID Connect
provider (oidc-provider-mock) on another loopback port."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyotp
import pytest
import uvicorn
from click.testing import CliRunner
from sqlalchemy import update

from sufficiency.cli import main
from sufficiency.config import OidcParams, WebParams
from sufficiency.store import RunStore
from sufficiency.store.accounts import add_user
from sufficiency.store.models import User
from sufficiency.web.app import create_app
from sufficiency.web.auth import hash_password, new_totp_secret

ROLES = ("placement", "commissioner", "finance", "admin")
PASSWORD = "a long test password"
RUN_DATE = "2026-04-01"
CHROMIUM = Path("/usr/bin/chromium")


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@dataclass
class Site:
    url: str
    store: RunStore
    store_url: str
    out: Path
    secrets: dict[str, str]
    log: _Keep
    server: uvicorn.Server
    app: object
    extra: dict[str, str] = field(default_factory=dict)
    data: Path = Path()

    def code(self, username: str) -> str:
        """The current code. A code is good once (the store keeps the step of the last one
        used); tests sign in as one user many times within 30 s, so the record is cleared
        first. tests/web/test_admin.py checks a reused code is refused."""
        with self.store.engine.begin() as conn:
            conn.execute(update(User).where(User.username == username).values(totp_last_step=None))
        return pyotp.TOTP(self.secrets[username]).now()

    def add(self, username: str, role: str) -> str:
        secret = new_totp_secret()
        add_user(self.store, username, role, hash_password(PASSWORD), secret)
        self.secrets[username] = secret
        return username

    def client(self, username: str | None = None) -> httpx.Client:
        """An HTTP client, signed in as ``username`` (anonymous when ``None``)."""
        c = httpx.Client(base_url=self.url, follow_redirects=False, timeout=30)
        if username is not None:
            r = sign_in(c, username, PASSWORD, self.code(username))
            assert r.status_code == 303, r.text
        return c


def csrf(c: httpx.Client) -> str:
    """The CSRF token of ``c``'s session, as the forms of its pages carry it (the sign-in
    page's before signing in, the home page's after)."""
    r = c.get("/sign-in")
    if r.status_code == 303:
        r = c.get("/")
    return form_token(r.text)


def form_token(html: str) -> str:
    """The CSRF token in the first form of a page."""
    return html.split('name="csrftoken" value="', 1)[1].split('"', 1)[0]


def sign_in(c: httpx.Client, username: str, password: str, code: str) -> httpx.Response:
    token = csrf(c)
    return c.post("/sign-in", data={"csrftoken": token, "username": username,
                                    "password": password, "code": code})  # fmt: skip


def run_match(store_url: str, out: Path, *extra: str) -> None:
    root = Path(__file__).resolve().parents[2] / "data" / "sample"
    result = CliRunner().invoke(main, [
        "match", "--referrals", str(root / "referrals.csv"), "--placements",
        str(root / "placements.csv"), "--date", RUN_DATE, "--out", str(out),
        "--store", store_url, *extra,
    ])  # fmt: skip
    assert result.exit_code == 0, result.output


def run_cli(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(app) -> tuple[uvicorn.Server, threading.Thread, str]:
    port = _free_port()
    # proxy_headers=False as `sufficiency serve` has it: X-Forwarded-For is the
    # application's to believe or not ([web] trusted_proxies), not uvicorn's
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,
                                           access_log=True, log_level="info",
                                           proxy_headers=False))  # fmt: skip
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    tmp = tmp_path_factory.mktemp("web")
    store_url = f"sqlite:///{tmp / 'runs.sqlite'}"
    run_match(store_url, tmp / "match")
    store = RunStore(store_url)
    keep = _Keep()
    loggers = [logging.getLogger(n) for n in ("", "uvicorn", "uvicorn.access", "uvicorn.error",
                                                "sufficiency")]  # fmt: skip
    for lg in loggers:
        lg.addHandler(keep)
    logging.getLogger("uvicorn.access").setLevel(logging.INFO)
    logging.getLogger("sufficiency").setLevel(logging.DEBUG)
    # the tests sign in and fail hundreds of times from one address: the limit by address
    # is tested on sites of their own (tests/web/test_sign_in_limit.py)
    app = create_app(store, WebParams(data_dir=str(tmp / "data"), max_upload_mb=2,
                                      sign_in_failures_per_address=100_000))  # fmt: skip
    server, thread, url = _serve(app)
    s = Site(url, store, store_url, tmp, {}, keep, server, app, data=tmp / "data")
    for role in ROLES:
        s.add(role, role)
    yield s
    server.should_exit = True
    thread.join(10)
    for lg in loggers:
        lg.removeHandler(keep)
    store.close()


@contextlib.contextmanager
def site_of_its_own(
    tmp: Path, *roles: str, store_url: str | None = None, **params: object
) -> Iterator[Site]:
    """A site on a store of its own in ``tmp`` (the runs recorded there are not the shared
    site's; ``store_url`` for another database), with a user named for each of ``roles``;
    ``params``: other ``[web]`` settings."""
    url = store_url or f"sqlite:///{tmp / 'runs.sqlite'}"
    store = RunStore(url)
    app = create_app(store, WebParams(data_dir=str(tmp / "data"), **params))  # type: ignore[arg-type]
    server, thread, address = _serve(app)
    site = Site(address, store, url, tmp, {}, _Keep(), server, app)
    for role in roles:
        site.add(role, role)
    try:
        yield site
    finally:
        server.should_exit = True
        thread.join(10)
        store.close()


def require_browser() -> None:
    """Skip without Debian's chromium, unless SUFFICIENCY_REQUIRE_BROWSER=1 (then fail)."""
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is not installed (apt-get install chromium; see scripts/)"
    if os.environ.get("SUFFICIENCY_REQUIRE_BROWSER") == "1":
        pytest.fail(f"SUFFICIENCY_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@dataclass
class OidcSite:
    url: str  # the application
    provider: str  # the OpenID provider (its issuer)
    store: RunStore


OIDC_SECRET = "test-client-secret"


@pytest.fixture(scope="session")
def oidc_site(tmp_path_factory):
    """The application with ``[web.oidc]`` pointing at a real OpenID Connect provider,
    oidc-provider-mock, served from this process on a free loopback port (http: allowed
    for loopback issuers only). Any client ID and secret are accepted by the provider;
    the ID token is signed, and Authlib checks it, the issuer, audience and nonce."""
    from oidc_provider_mock import run_server_in_thread

    tmp = tmp_path_factory.mktemp("oidc")
    store = RunStore(f"sqlite:///{tmp / 'runs.sqlite'}")
    with run_server_in_thread() as provider:
        issuer = f"http://localhost:{provider.server_port}"
        params = WebParams(oidc=OidcParams(issuer=issuer, client_id="sufficiency-tests",
                                           label="Sign in with the test provider"))  # fmt: skip
        old = os.environ.get("SUFFICIENCY_OIDC_CLIENT_SECRET")
        os.environ["SUFFICIENCY_OIDC_CLIENT_SECRET"] = OIDC_SECRET
        try:
            app = create_app(store, params)
        finally:
            if old is None:
                del os.environ["SUFFICIENCY_OIDC_CLIENT_SECRET"]
            else:
                os.environ["SUFFICIENCY_OIDC_CLIENT_SECRET"] = old
        server, thread, url = _serve(app)
        yield OidcSite(url, issuer, store)
        server.should_exit = True
        thread.join(10)
    store.close()


@pytest.fixture(scope="module")
def chromium():
    """Debian's chromium, headless, driven by Playwright (one per test module)."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ])  # fmt: skip
        yield b
        b.close()


def browser_sign_in(page, site: Site, username: str) -> None:
    """Sign ``username`` in on ``page`` through the sign-in form, as a person would."""
    page.goto(site.url + "/sign-in")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(site.code(username))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: not url.endswith("/sign-in"))


@pytest.fixture(scope="session")
def forecast_run(site, sample_dir) -> Path:
    """A forecast of the sample recorded in the site's store: supply, one backtest
    cutoff, 100 simulated paths (a scenario run repeats it, so it is kept quick)."""
    out = site.out / "forecast"
    run_cli("forecast", "--history", str(sample_dir / "ssda903"), "--out", str(out),
            "--supply", str(sample_dir / "supply.toml"), "--placements",
            str(sample_dir / "placements.csv"), "--paths", "100",
            "--backtest-cutoff", "2025-03-31", "--store", site.store_url)  # fmt: skip
    return out


@pytest.fixture(scope="session")
def spend_run(site, sample_dir) -> Path:
    """A spend run of the sample with the budget and a scenario (40 paths, to keep it quick)."""
    cfg = site.out / "fast.toml"
    cfg.write_text("[forecast]\nnum_paths = 40\n")
    out = site.out / "spend"
    run_cli("spend", "--history", str(sample_dir / "ssda903"), "--out", str(out),
            "--budget", str(sample_dir / "budget.csv"), "--scenario",
            str(sample_dir / "scenarios" / "step_down_and_in_house.toml"),
            "--date", RUN_DATE, "--config", str(cfg), "--store", site.store_url)  # fmt: skip
    return out


@pytest.fixture(scope="session")
def commission_run(site, sample_dir) -> Path:
    """A commissioning run of the sample (20 paths each, with its sensitivity: 8 s)."""
    out = site.out / "commission"
    run_cli("commission", "--history", str(sample_dir / "ssda903"), "--levers",
            str(sample_dir / "levers.toml"), "--out", str(out), "--paths", "20",
            "--eval-paths", "20", "--store", site.store_url)  # fmt: skip
    return out


def until(page, done, tries: int = 12) -> None:
    """Follow "Check again" until ``done()``: a page about a running job waits up to 20 s
    for it, then says it is still running and offers the link."""
    for _ in range(tries):
        page.wait_for_load_state()
        if done():
            return
        page.get_by_role("link", name="Check again").click()
    raise AssertionError(f"still running after {tries} looks: {page.url}")
