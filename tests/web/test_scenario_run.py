"""A scenario run repeats the latest forecast run as the store recorded it: its history
(unchanged since), settings and start; otherwise it says why it cannot."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from sufficiency.store import RunStore
from sufficiency.web.scenario_run import BaseNotAvailable, base_run
from tests.web.conftest import run_cli


def test_base_run_raises_without_a_forecast(tmp_path):
    store = RunStore(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    with pytest.raises(BaseNotAvailable, match="There is no forecast in the store yet"):
        base_run(store)
    store.close()


def test_base_run_reads_the_recorded_run_and_raises_when_its_history_changed(tmp_path, sample_dir):
    """Settings, history folder and start come back as recorded; a changed return is
    named in the sentence."""
    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history)
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    run_cli("forecast", "--history", str(history), "--out", str(tmp_path / "out"),
            "--paths", "20", "--horizon-months", "12", "--seed", "7",
            "--start", "2025-12-31", "--store", url)  # fmt: skip
    store = RunStore(url)
    base = base_run(store)
    f = base.params.forecast
    assert (f.num_paths, f.horizon_months, f.seed) == (20, 12, 7)
    assert base.history == history and base.start == pd.Timestamp("2025-12-31")
    assert base.supply is None and base.placements is None
    with (history / "2026" / "header.csv").open("a") as fh:
        fh.write("\n")
    with pytest.raises(BaseNotAvailable, match=r"Input history/2026/header.csv of forecast "
                       r"run \d+ has moved or changed since the run"):  # fmt: skip
        base_run(store)
    store.close()


def test_a_run_given_relative_paths_is_found_from_another_folder(tmp_path, sample_dir,
                                                                  monkeypatch):  # fmt: skip
    """A forecast run with relative paths (as `make demo` gives them) is recorded with
    whole paths, so a server started in another folder repeats it and shows its outputs.
    Before, "Input history/2021/episodes.csv of forecast run 1 has moved or changed"
    though nothing had, and every output was "not available"."""
    from sufficiency.web.store_files import latest_run, output

    shutil.copytree(sample_dir / "ssda903", tmp_path / "work" / "ssda903")
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    monkeypatch.chdir(tmp_path / "work")
    run_cli("forecast", "--history", "ssda903", "--out", "out", "--paths", "20",
            "--horizon-months", "12", "--store", url)  # fmt: skip
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    store = RunStore(url)
    assert base_run(store).history == tmp_path / "work" / "ssda903"
    run = latest_run(store, "forecast")
    assert run is not None and output(run, "demand.csv") == tmp_path / "work" / "out" / "demand.csv"
    store.close()


def test_the_comparison_tables_say_each_column_as_forecast_html_does():
    """The scenario page's shortfall read '160' beside '53.0' (whole from 100 up), a gap in
    5 of 1,000 futures as '0%', and its starts '231' beside '21.5'. Places are whole; the
    means over the futures (shortfall, starts a year) to tenths; a chance as
    figures.chance."""
    import datetime as dt
    import re

    from sufficiency.store.saved_scenarios import ScenarioRunInfo
    from sufficiency.web.framework import environment
    from sufficiency.web.scenarios import HEADERS, comparison

    months = ["2026-04-30", "2026-05-31"]
    results = {
        "start": "2026-03-31", "horizon": months[-1], "num_paths": 1000, "seed": 1,
        "totals": {"month": months, "base_p10": [90.0, 91.0], "base_p50": [100.0, 101.0],
                   "base_p90": [110.0, 112.0], "scenario_p50": [99.0, 98.0]},
        "by_category": [], "cost": {"financial_year": []},
        "starts": [{"category": "IFA foster care", "base": 231.04, "scenario": 21.5,
                    "difference": -209.54}],
        "shortfall": [{"category": "IFA foster care", "places": 60.0, "base_gap": 160.2,
                       "scenario_gap": 53.0, "base_prob": 0.005, "scenario_prob": 1.0}],
    }  # fmt: skip
    run = ScenarioRunInfo(1, 1, 1, {}, "x", dt.datetime(2026, 4, 1), None, "succeeded",
                          None, None, None, results)  # fmt: skip
    page = comparison(run, "Test")
    table = environment().from_string("{{ table(t, headers=h, formats=f) }}")

    def cells(frame, formats):
        html = table.render(t=frame, h=HEADERS, f=formats)
        return re.findall(r"<td class=num>([^<]*)</td>", html)

    assert cells(page["shortfall"], page["shortfall_formats"]) == [
        "60", "160.2", "53.0", "0.5%", "100%"]  # fmt: skip
    assert cells(page["starts"], page["starts_formats"]) == ["231.0", "21.5", "-209.5"]
