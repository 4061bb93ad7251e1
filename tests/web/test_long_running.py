"""The web application kept up for weeks while nightly runs land."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.store import RunStore
from sufficiency.web import tonight

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def test_tonights_proposals_kept_in_memory_are_bounded(tmp_path):
    """Every matching run read stayed in the server's memory (a server up for a month of
    nights and re-runs kept every one): only the last few are kept now, and the pages
    still show the newest run."""
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    result = CliRunner().invoke(main, [
        "match", "--referrals", str(SAMPLE / "referrals.csv"), "--placements",
        str(SAMPLE / "placements.csv"), "--date", "2026-04-01", "--out", str(tmp_path / "m"),
        "--store", url])  # fmt: skip
    assert result.exit_code == 0, result.output
    store = RunStore(url)
    first = store.list_runs(limit=1, kind="match")[0]["id"]
    outputs = {f["label"]: Path(f["path"]) for f in store.get(first)["files"]
               if f["role"] == "output"}  # fmt: skip
    tonight._cache.clear()
    for night in range(1, 3 * tonight.MAX_TONIGHTS):
        when = dt.datetime.now(dt.UTC) + dt.timedelta(days=night)
        rid = store.start("match", {}, now=when)
        store.finish(rid, succeeded=True, outputs=outputs, out_dir=tmp_path / "m", now=when)
        assert tonight.tonight(store).run_id == rid
        assert len(tonight._cache) <= tonight.MAX_TONIGHTS
    store.close()


def test_a_night_killed_on_another_server_is_said_not_to_have_finished(tmp_path):
    """A night killed on the scheduler's server stayed "running" for ever in the store the
    web application's server shares: the forecast page showed the earlier forecast with
    no word. A day after it started it is recorded as failed, and the page says it did not
    finish (and which run it shows instead)."""
    from sqlalchemy.orm import Session

    from sufficiency.store.models import Run
    from tests.web.conftest import site_of_its_own

    with site_of_its_own(tmp_path, "commissioner") as site:
        started = dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)
        rid = site.store.start("forecast", {}, now=started)
        with Session(site.store.engine) as s, s.begin():
            run = s.get(Run, rid)
            run.summary = {**run.summary, "host": "scheduler-1", "pid": 4242}
        text = site.client("commissioner").get("/forecast").text
        assert site.store.get(rid)["status"] == "failed"
        assert "The latest forecast run, started " in text
        assert (f"For whoever runs sufficiency: it is run {rid} in the run store, and "
                f"sufficiency runs show {rid} says why.") in text  # fmt: skip
        assert (
            "did not finish (its process stopped during it, or it was still running 24 "
            "hours after it started): no earlier run succeeded."
        ) in text
