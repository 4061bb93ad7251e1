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
