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
