"""Re-run matching from the web application: the same inputs as the latest run, today's
decisions from the store, refused plainly when the inputs are gone or changed, one at a
time. The browser journey is in test_e2e.py; these drive the library and the live server."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import threading
import time

import pandas as pd
import pyotp
import pytest
from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.store import RunStore
from sufficiency.store.accounts import add_user, audit_trail
from sufficiency.store.team_decisions import add_decision
from sufficiency.web import rerun
from sufficiency.web.placement import latest_match_run
from tests.web.conftest import RUN_DATE, csrf, form_token


@pytest.fixture
def own(tmp_path, sample_dir):
    """A store with one matching run over copies of the sample's referrals and register."""
    for name in ("referrals.csv", "placements.csv"):
        shutil.copy(sample_dir / name, tmp_path / name)
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    _match(tmp_path, url, "first")
    store = RunStore(url)
    yield store
    store.close()


def _match(tmp, url: str, out: str, *extra: str) -> None:
    result = CliRunner().invoke(main, [
        "match", "--referrals", str(tmp / "referrals.csv"), "--placements",
        str(tmp / "placements.csv"), "--date", RUN_DATE, "--out", str(tmp / out),
        "--store", url, *extra])  # fmt: skip
    assert result.exit_code == 0, result.output


def test_rerun_uses_the_same_inputs_and_the_decisions_in_force(own, tmp_path):
    """A re-run matches exactly what ``match --decisions-from-store`` on the same files
    matches, records the decisions it read, and "what changed" names them as the cause."""
    first = latest_match_run(own)
    assert first is not None
    add_decision(own, "R001", "PL0013", "pin", "agreed at the placement panel", "jsmith")
    add_decision(own, "R004", "PL0032", "exclude", "too far from school", "jsmith")
    _match(tmp_path, own.url, "cli", "--decisions-from-store")
    cli = latest_match_run(own)

    new_id = rerun.rerun(own, first, "jsmith")
    again = own.get(new_id)
    assert again["status"] == "succeeded"
    assert again["summary"]["rerun_of"] == first["id"]
    assert again["summary"]["rerun_by"] == "jsmith"
    assert {f["label"] for f in again["files"] if f["role"] == "input"} == {
        "referrals", "placements", "decisions"}  # fmt: skip
    assert again["out_dir"].startswith(str(tmp_path / "first-rerun-"))
    by_cli = pd.read_csv(tmp_path / "cli" / "matches.csv")
    by_web = pd.read_csv(f"{again['out_dir']}/matches.csv")
    pd.testing.assert_frame_equal(by_cli, by_web)
    assert {(d["child_id"], d["status"]) for d in again["decisions"]} == {
        ("R001", "applied"), ("R004", "applied")}  # fmt: skip
    why = {r.child_id: r for r in own.diff(first["id"], new_id)}
    assert why["R001"].after == "PL0013"
    assert why["R001"].reason.startswith("pinned by jsmith")
    # R001's pin away from PL0073 parts it from its sibling R002: the line says so
    r002 = by_web.set_index("child_id").loc["R002", "placement_id"]
    assert r002 != "PL0013"
    assert why["R001"].reason.endswith(
        f": agreed at the placement panel; this split its sibling group (R002 at {r002})"
    )
    assert why["R004"].before == "PL0032"
    assert why["R004"].reason.startswith("excluded from PL0032 by jsmith")
    assert own.diff(cli["id"], new_id) == []  # the same plan as the command line's


def test_rerun_refuses_inputs_gone_or_changed(own, tmp_path):
    """Nothing runs (no run recorded, no folder made) when the register has changed or the
    referrals are gone; the sentence names the file and says why."""
    first = latest_match_run(own)
    assert first is not None
    before = own.count()
    register = tmp_path / "placements.csv"
    register.write_text(register.read_text() + "\n", encoding="utf-8")
    with pytest.raises(rerun.Refused, match=r"placement register .* has changed since that run"):
        rerun.start(own, first, "jsmith")
    (tmp_path / "referrals.csv").unlink()
    with pytest.raises(rerun.Refused, match=r"referrals file .* is no longer there"):
        rerun.start(own, first, "jsmith")
    assert own.count() == before
    assert not list(tmp_path.glob("first-rerun-*"))
    assert rerun.current(own) is None  # nothing claimed
    # a run whose outputs were pseudonymised is not re-run with real IDs beside them
    config = {**first["config"], "nightly": {**first["config"]["nightly"], "pseudonymise": True}}
    with pytest.raises(rerun.Refused, match="pseudonymise child IDs"):
        rerun.params_of({**first, "config": config})


def _state(pid: int, started: dt.datetime | None = None) -> rerun.RerunState:
    return rerun.RerunState(
        state="running",
        by="someone",
        started_at=(started or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        based_on=1,
        pid=pid,
        host=socket.gethostname(),
    )


def test_one_rerun_at_a_time(own):
    """A running re-run of another live process holds the claim; one whose process has
    ended, or that is over an hour old, does not."""
    first = latest_match_run(own)
    assert first is not None
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert rerun.claim(own, _state(holder.pid)) is None
        with pytest.raises(rerun.Refused, match=r"started by someone at .* is still running"):
            rerun.start(own, first, "jsmith")
        assert rerun.current(own).pid == holder.pid
    finally:
        holder.kill()
        holder.wait()
    # its process has ended: the claim no longer holds
    assert rerun.claim(own, _state(os.getpid())) is None
    # this process, but no re-run thread alive: the claim does not hold either
    assert not rerun.still_holds(rerun.current(own))
    old = _state(os.getppid(), dt.datetime.now(dt.UTC) - rerun.STALE_AFTER * 2)
    assert not rerun.still_holds(old)


def _wait_for_rerun(store: RunStore) -> rerun.RerunState:
    deadline = time.monotonic() + 120
    while True:
        state = rerun.current(store)
        if state is not None and not state.running:
            return state
        assert time.monotonic() < deadline, "the re-run did not finish in 2 minutes"
        time.sleep(0.2)


def test_rerun_over_http_needs_the_token_and_is_audited(site):
    """POST without a CSRF token is refused before anything runs; with it, the re-run
    starts in the background, the status page answers, and the start and the outcome
    are audited."""
    c = site.client("placement")
    runs = site.store.count()
    assert c.post("/matching/rerun").status_code == 403
    assert c.post("/matching/rerun", data={"csrftoken": "forged"}).status_code == 403
    assert site.store.count() == runs
    r = c.post("/matching/rerun", data={"csrftoken": csrf(c)})
    assert r.status_code == 303 and r.headers["location"] == "/matching/rerun"
    state = _wait_for_rerun(site.store)
    assert state.state == "succeeded", state.message
    r = c.get("/matching/rerun")  # the one who started it goes to "what changed"
    assert r.status_code == 303 and r.headers["location"] == "/matching/changes"
    r = c.get("/matching/changes")
    assert "Matching re-run with the decisions in force: the new matching is recorded." in r.text
    assert c.get("/matching/rerun").status_code == 200  # later, the status page itself
    assert audit_trail(site.store, action="rerun_started")[0].username == "placement"
    done = audit_trail(site.store, action="rerun_matching")[0]
    assert done.run_id == state.run_id and "succeeded" in (done.detail or "")


@pytest.mark.filterwarnings("ignore::starlette.exceptions.StarletteDeprecationWarning")
def test_the_page_says_plainly_why_nothing_was_run(own, tmp_path):
    """Over the application (in-process ASGI client, real store): a changed register gives
    a 409 page with the sentence, and the refusal is audited."""
    from starlette.testclient import TestClient

    from sufficiency.web.app import create_app
    from sufficiency.web.auth import hash_password, new_totp_secret
    from tests.web.conftest import PASSWORD

    secret = new_totp_secret()
    add_user(own, "worker", "placement", hash_password(PASSWORD), secret)
    register = tmp_path / "placements.csv"
    register.write_text(register.read_text() + "\n", encoding="utf-8")
    with TestClient(create_app(own), base_url="http://127.0.0.1") as c:
        page = c.get("/sign-in")
        assert page.status_code == 200
        r = c.post("/sign-in", data={"csrftoken": form_token(page.text), "username": "worker",
                                     "password": PASSWORD, "code": pyotp.TOTP(secret).now()},
                   follow_redirects=False)  # fmt: skip
        assert r.status_code == 303
        page = c.get("/matching")
        assert "Re-run matching now" in page.text
        r = c.post("/matching/rerun", data={"csrftoken": form_token(page.text)})
        assert r.status_code == 409
        assert "Matching was not re-run" in r.text
        assert "has changed since that run, so a re-run would not be on the same inputs" in r.text
    assert own.count() == 1
    refused = audit_trail(own, action="rerun_refused")
    assert refused and refused[0].username == "worker" and "placement register" in refused[0].detail


def _urls(tmp_path) -> list[str]:
    urls = [f"sqlite:///{tmp_path / 'race.sqlite'}"]
    from tests.store.conftest import PG_ENV, _reset_postgres

    if os.environ.get(PG_ENV):
        _reset_postgres(os.environ[PG_ENV])
        urls.append(os.environ[PG_ENV])
    return urls


def test_claims_at_the_same_moment_let_exactly_one_through(tmp_path):
    """Six claims race (threads, each with its own connection): one wins, the others are
    told who holds it. On SQLite, and on PostgreSQL when SUFFICIENCY_TEST_PG_URL is set."""
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        for url in _urls(tmp_path):
            store = RunStore(url)
            for _round in range(3):  # a fresh row, then a claim over a finished one, twice
                go = threading.Barrier(6)
                got: list[object] = ["did not answer"] * 6

                def race(i: int, store: RunStore = store, go=go, got=got) -> None:
                    state = dataclasses.replace(_state(holder.pid), by=f"user{i}")
                    go.wait()
                    got[i] = rerun.claim(store, state)  # None: this one won

                threads = [threading.Thread(target=race, args=(i,)) for i in range(6)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join(30)
                winners = [i for i, g in enumerate(got) if g is None]
                assert len(winners) == 1, (url, got)
                assert {g.by for g in got if isinstance(g, rerun.RerunState)} == {
                    f"user{winners[0]}"}  # fmt: skip
                finished = dataclasses.replace(rerun.current(store), state="succeeded")
                rerun._record(store, finished)
            store.close()
    finally:
        holder.kill()
        holder.wait()


def test_pages_say_what_the_latest_run_did_with_each_decision(own, tmp_path):
    """Beside each decision in force the pages say what the latest matching run did with
    it: applied, or refused with the rule (was: a refused pin listed as if obeyed, beside
    a proposal elsewhere), or that it was made after the run started."""
    from sufficiency.store.team_decisions import decisions_in_force
    from sufficiency.web.placement import tonight

    then = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    add_decision(own, "R002", "PL0002", "pin", "agreed at panel", "jsmith", now=then)
    add_decision(own, "R004", "PL0032", "exclude", "too far from school", "jsmith", now=then)
    _match(tmp_path, own.url, "second", "--decisions-from-store")
    add_decision(own, "R005", "PL0032", "exclude", "carer said no", "jsmith")
    t = tonight(own)
    said = {d.child_id: t.last_run(d) for d in decisions_in_force(own)}
    assert said["R002"].startswith("The latest matching refused it: the placement ")
    assert said["R004"] == (
        "The latest matching applied it: the child is not matched to this placement."
    )
    assert said["R005"] == "Made after the latest matching started: the next one uses it."


@pytest.mark.filterwarnings("ignore::starlette.exceptions.StarletteDeprecationWarning")
def test_decisions_and_changes_say_their_dates_in_words(own, tmp_path):
    """The Decisions table's 'Latest matching run' and 'What changed' gave the run store's
    ISO dates ('pinned by jsmith on 2026-12-05', 'it expired on 2026-03-31') where every
    other page says '5 December 2026': both now say them in words (the child's page too)."""
    from starlette.testclient import TestClient

    from sufficiency import clock
    from sufficiency.web.app import create_app
    from sufficiency.web.auth import hash_password, new_totp_secret
    from sufficiency.web.framework import dates_in_words, long_date
    from tests.web.conftest import PASSWORD

    add_decision(own, "R001", "PL0013", "pin", "agreed at the placement panel", "jsmith")
    _match(tmp_path, own.url, "cli", "--decisions-from-store")
    secret = new_totp_secret()
    add_user(own, "worker", "placement", hash_password(PASSWORD), secret)
    with TestClient(create_app(own), base_url="http://127.0.0.1") as c:
        page = c.get("/sign-in")
        r = c.post("/sign-in", data={"csrftoken": form_token(page.text), "username": "worker",
                                     "password": PASSWORD, "code": pyotp.TOTP(secret).now()},
                   follow_redirects=False)  # fmt: skip
        assert r.status_code == 303
        changes = c.get("/matching/changes").text
    today = clock.today()
    assert f"pinned by jsmith on {long_date(today)}: agreed at the placement panel" in changes
    assert today.isoformat() not in changes
    # a decision's note in the Decisions table and on the child's page, said the same way
    said = dates_in_words("Matching run 2 ignored it: it expired on 2026-03-31.")
    assert said == "Matching run 2 ignored it: it expired on 31 March 2026."
    assert dates_in_words("R2026-03-31 and 2026-13-45") == "R2026-03-31 and 2026-13-45"
    # the run store and the command line now write a day first, as the reports do
    assert dates_in_words("it expired on 31/03/2026.") == "it expired on 31 March 2026."
    assert dates_in_words("31/13/2026, R31/03/2026") == "31/13/2026, R31/03/2026"
    assert today.strftime("%d/%m/%Y") not in changes


def test_a_rerun_of_a_rerun_goes_beside_the_first_runs_folder(tmp_path):
    """Each re-run of a re-run added '-rerun-<time>' to the folder's name: the eleventh
    re-run in a row (a busy day at the placement panel) was refused, 'File name too
    long'."""
    folder = tmp_path / "match"
    for n in range(12):
        now = dt.datetime(2026, 12, 4, 9, n, tzinfo=dt.UTC)
        report = folder / "match_report.xlsx"
        folder = rerun.rerun_folder(
            {
                "id": n,
                "files": [{"role": "output", "label": "match_report.xlsx", "path": str(report)}],
            },
            now,
        )
        folder.mkdir()
    assert folder.name == "match-rerun-20261204T091100Z"
