"""Empty states in Chromium, on a store of their own: no matching run yet, a night with no
referrals, a night when every child was placed, and a forecast whose outputs changed
after the run. Each page says so in a sentence; none shows the report's "None tonight."
as if it were a child, or a changed file's absence as a fact about the run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sufficiency.pages.render import uk_time
from tests.web.conftest import RUN_DATE, Site, browser_sign_in, run_cli, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def empty_site(tmp_path_factory):
    with site_of_its_own(tmp_path_factory.mktemp("empty"), "placement", "commissioner") as site:
        yield site


def _match(site: Site, referrals: Path, name: str) -> None:
    sample = Path(__file__).resolve().parents[2] / "data" / "sample"
    run_cli("match", "--referrals", str(referrals), "--placements",
            str(sample / "placements.csv"), "--date", RUN_DATE, "--out",
            str(site.out / name), "--store", site.store_url)  # fmt: skip


def test_empty_states_of_the_placement_pages(empty_site, chromium, sample_dir):
    page = chromium.new_page()
    browser_sign_in(page, empty_site, "placement")
    page.goto(empty_site.url + "/matching/changes")
    # before: "There is only one matching run so far", with none in the store
    assert "There is no matching run in the store yet" in page.inner_text("main")
    # the first day's list says what fills it, in words: it read "Run `sufficiency match
    # --store ...`", the backticks of a program's message on a placement team's page
    page.goto(empty_site.url + "/matching")
    main = page.inner_text("main")
    assert "tonight's matches show here once the nightly job" in main
    assert "`" not in main
    page.goto(empty_site.url + "/matching/children/R001")
    assert "`" not in page.inner_text("main")

    refs = pd.read_csv(sample_dir / "referrals.csv", dtype=str)
    none = empty_site.out / "no_referrals.csv"
    refs.iloc[:0].to_csv(none, index=False)
    _match(empty_site, none, "none")
    page.goto(empty_site.url + "/matching")
    main = page.inner_text("main")
    # before: "placed 0 of 0 children referred, weekly cost £0", and a child "None tonight."
    assert "had no referrals: no child was waiting for a placement" in main
    assert "None tonight." not in main and "placed 0 of 0" not in main
    assert page.locator("a[href^='/matching/children/']").count() == 0

    placed = empty_site.out / "all_placed.csv"
    refs[refs["child_id"].isin(["R001", "R002", "R003"])].to_csv(placed, index=False)
    _match(empty_site, placed, "placed")
    page.goto(empty_site.url + "/matching")
    links = page.locator("a[href^='/matching/children/']")
    # before: a fourth "child", "Every child referred is placed.", linking to a 404
    assert sorted(links.all_inner_texts()) == ["R001", "R002", "R003"]
    assert "Every child referred was placed." in page.inner_text("main")
    page.close()


def test_a_forecast_whose_outputs_changed_says_so(empty_site, chromium, sample_dir):
    """shortfall.csv changed after the run: the page said "This forecast was run without
    supply information" and the overview showed an empty page."""
    out = empty_site.out / "forecast"
    run_cli("forecast", "--history", str(sample_dir / "ssda903"), "--out", str(out),
            "--supply", str(sample_dir / "supply.toml"), "--placements",
            str(sample_dir / "placements.csv"), "--paths", "20", "--horizon-months", "12",
            "--store", empty_site.store_url)  # fmt: skip
    page = chromium.new_page()
    browser_sign_in(page, empty_site, "commissioner")
    page.goto(empty_site.url + "/forecast/shortfall")
    assert page.get_by_role("table", name="Expected shortfall per quarter (base case)").count()
    with (out / "shortfall.csv").open("a") as fh:
        fh.write("\n")
    for path in ("/forecast/shortfall", "/forecast"):
        page.goto(empty_site.url + path)
        alert = page.get_by_role("alert").inner_text()
        assert "have moved or changed since the run (shortfall.csv in" in alert
        assert "without supply information" not in page.inner_text("main")
    page.close()


def test_a_failed_newer_run_is_said_above_the_earlier_runs_figures(empty_site, chromium):
    """Last night's matching failed: "Tonight's matches" showed the night before's
    proposals with nothing to say they were not tonight's."""
    shown = int(empty_site.store.list_runs(kind="match")[0]["id"])
    failed = empty_site.store.start("match", {})
    empty_site.store.finish(failed, succeeded=False, failure_reason="a test failure")
    page = chromium.new_page()
    browser_sign_in(page, empty_site, "placement")
    page.goto(empty_site.url + "/matching")
    alert = page.get_by_role("alert").inner_text()
    said = " ".join(alert.split())
    at = [uk_time(empty_site.store.get(r)["started_at"], "{day}, %H:%M") for r in (failed, shown)]
    # by when each started, as the pages name runs: "run 7 ... shows run 6" before
    assert (
        f"The latest matching run, started {at[0]}, failed: this page shows the one started "
        f"{at[1]}, the latest that succeeded. For whoever runs sufficiency: it is run "
        f"{failed} in the run store, and sufficiency runs show {failed} says why."
    ) in said
    assert f"run {shown}" not in said
    assert "a test failure" not in alert  # a reason may quote an input: not repeated
    page.close()


def _record(site: Site, kind: str, files: dict[str, bytes]) -> int:
    """A run of ``kind`` recorded with ``files`` as its outputs (as a damaged or older
    run would have left them)."""
    folder = site.out / f"{kind}-recorded"
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    run_id = site.store.start(kind, {})
    site.store.finish(run_id, succeeded=True, out_dir=folder,
                      outputs={n: folder / n for n in files})  # fmt: skip
    return run_id


def test_an_unreadable_report_or_a_fault_is_a_sentence(empty_site, chromium):
    """A matching run whose report cannot be read is said so (it was a bare "Internal
    Server Error"); any other fault gives the house error page, no details."""
    summary = b'{"run_date": "2026-04-01", "children_placed": 0, "children_unplaced": 0}'
    run_id = _record(empty_site, "match", {"match_report.xlsx": b"not a workbook",
                                           "summary.json": summary})  # fmt: skip
    page = chromium.new_page()
    browser_sign_in(page, empty_site, "placement")
    page.goto(empty_site.url + "/matching")
    said = page.inner_text("main")
    assert f"match_report.xlsx of matching run {run_id} cannot be read" in said
    assert "BadZipFile" not in said  # a program's word for it, said before
    page.close()

    _record(empty_site, "spend", {"spend_years.csv": b"financial_year\n2026-27\n"})
    page = chromium.new_page()
    browser_sign_in(page, empty_site, "commissioner")
    response = page.goto(empty_site.url + "/spend")
    assert response is not None and response.status == 500
    assert page.get_by_role("heading", name="Something went wrong").is_visible()
    assert "Traceback" not in page.content() and "KeyError" not in page.content()
    page.close()
