"""Tonight's matches, the child's page and the re-run page called a matching by its run
store number: "Matching run 4 for 1 April 2026", "Matching run 4 refused it", "on the
inputs of run 4". The store numbers every run of every job in one sequence, so a placement
worker wondered where runs 1 to 3 went (forecast, spend and commissioning runs). The pages
now say the matching by its day and when it started; the store number stays in a small
note for an administrator. Driven in headless Chromium."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from sufficiency.pages.render import uk_time
from sufficiency.store.team_decisions import add_decision
from sufficiency.web import rerun
from sufficiency.web.placement import latest_match_run
from tests.web.conftest import browser_sign_in, run_cli, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def _before_note(text: str) -> str:
    return text.split("In the run store")[0]


def test_matching_pages_say_the_matching_by_its_day_not_its_store_number(tmp_path, chromium):
    with site_of_its_own(tmp_path, "placement") as site:
        t0 = dt.datetime(2026, 3, 31, 20, tzinfo=dt.UTC)
        for i, kind in enumerate(("forecast", "spend", "commission")):  # the same store
            other = site.store.start(kind, {}, now=t0 + dt.timedelta(hours=i))
            site.store.finish(other, succeeded=True, now=t0 + dt.timedelta(hours=i))
        run_cli("match", "--referrals", str(SAMPLE / "referrals.csv"), "--placements",
                str(SAMPLE / "placements.csv"), "--date", "2026-04-01", "--out",
                str(tmp_path / "night"), "--store", site.store_url)  # fmt: skip
        run = latest_match_run(site.store)
        assert run is not None and run["id"] == 4  # after the three other jobs
        rid = run["id"]
        started = uk_time(site.store.get(rid)["started_at"], "{day}, %H:%M")
        add_decision(site.store, "R001", "PL0013", "pin", "agreed at panel", "placement")
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        rerun._record(site.store, rerun.RerunState(
            state="failed", by="placement", started_at=now, based_on=rid, pid=1, host="x",
            finished_at=now, message="The register has changed."))  # fmt: skip

        page = chromium.new_page()
        browser_sign_in(page, site, "placement")
        page.goto(f"{site.url}/matching")
        lead = page.locator("p.lead").inner_text()
        assert lead.startswith(f"The matching for 1 April 2026 (started {started}): placed "), lead
        main = page.inner_text("main")
        assert "run 4" not in _before_note(main).lower(), main
        assert (
            "In the run store, which also keeps the forecast, spend and commissioning runs, "
            "this matching is run 4: the number an administrator looks it up by."
        ) in main

        page.goto(f"{site.url}/matching/children/R001")
        main = page.inner_text("main")
        assert (f"The matching for 1 April 2026 (started {started}); run 4 in the run store, "
                "for an administrator.") in main  # fmt: skip
        assert "Made after the latest matching started: the next one uses it." in main
        assert "matching run 4" not in main.lower()

        page.goto(f"{site.url}/matching/rerun")
        lead = page.locator("p.lead").inner_text()
        assert (f"on the inputs of the matching started {started}, failed: The register has "
                "changed.") in lead, lead  # fmt: skip
        assert "run 4" not in lead
        assert "the matching re-run is run 4" in page.inner_text("main")
        page.close()


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


WHEN = r"\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}"


def test_forecast_spend_and_commissioning_pages_say_when_their_run_started(
    site, forecast_run, spend_run, commission_run
):
    """They said "Forecast run 2", "Spend run 3", "Commission run 4": numbers of one
    sequence across every job. Now when the run started and finished; the number in a note."""
    pages = (("commissioner", "/forecast", "forecast", "The forecast"),
             ("finance", "/spend", "spend", "The spend forecast"),
             ("commissioner", "/commissioning", "commission", "The commissioning run"))  # fmt: skip
    for role, path, kind, said in pages:
        text = _text(site.client(role).get(path).text)
        assert not re.search(r"(Forecast|Spend|Commission) run \d", text), (path, text[:400])
        m = re.search(rf"{said} started ({WHEN}) and finished {WHEN}\W.*?\brun (\d+)\b", text)
        assert m is not None and "in the run store" in text.lower(), (path, text[:600])
        run = site.store.get(int(m.group(2)))
        assert run["kind"] == kind, (path, run["kind"])
        assert m.group(1) == uk_time(run["started_at"], "{day}, %H:%M"), path
