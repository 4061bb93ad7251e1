"""The public API given arguments of other kinds than its examples use: a path-like object
for a path, a whole number written 3.0 or "3", a flag written as text, nothing where a
value is needed. Each works, or is refused in one sentence naming the argument
(:class:`~sufficiency.errors.ConfigError`) before any work, never a traceback from inside.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pandas as pd
import pytest

from sufficiency import api
from sufficiency.errors import ConfigError
from sufficiency.forecast.run import read_903

QUICK = {"num_paths": 20, "horizon_months": 3, "seed": 3}


class _NotebookPath(os.PathLike):
    """A path class of a notebook's own (``os.PathLike``, not a ``pathlib.Path``), as
    ``py.path.local`` or a cloud-storage library's local path are."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __fspath__(self) -> str:
        return self.path


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the sample's notes on the data
        yield


def test_any_path_like_object_is_a_path(sample_dir):
    """Only text and ``pathlib.Path`` were paths: every input given as another path-like
    object was refused ('history: expected the 903 folder (a path) ..., not
    _NotebookPath'), and the placement register was an AttributeError from inside."""
    s = _NotebookPath
    report = api.forecast(
        s(sample_dir / "ssda903"), s(Path("configs/default.toml")),
        scenario=s(sample_dir / "scenarios" / "step_down_and_in_house.toml"),
        supply=s(sample_dir / "supply.toml"), placements=s(sample_dir / "placements.csv"),
        **QUICK,
    )  # fmt: skip
    assert report.shortfall is not None and report.scenario is not None
    assert report.base.num_paths == 20  # the configuration read, and the options applied
    spent = api.spend(s(sample_dir / "ssda903"), budget=s(sample_dir / "budget.csv"),
                      run_date="2026-04-01", num_paths=20, horizon_months=24)  # fmt: skip
    assert spent.budget is not None
    run = api.match(s(sample_dir / "referrals.csv"), s(sample_dir / "placements.csv"),
                    run_date="2026-04-01", params=s(Path("configs/default.toml")))  # fmt: skip
    assert run.summary.children_placed


def test_a_placement_register_of_another_kind_is_named(sample_dir):
    """A list for ``placements`` was "AttributeError: 'list' object has no attribute
    'columns'", from inside the supply module, after the history was read."""
    with pytest.raises(ConfigError, match=r"^placements: expected the register \(a table or "
                       r"the path of its file\), not list\.$"):  # fmt: skip
        api.forecast(sample_dir / "ssda903", placements=[sample_dir / "placements.csv"], **QUICK)


def test_a_backtest_horizon_is_read_as_the_forecasts_is(sample_dir):
    """``horizon_months=3.0`` or ``"3"`` (read from a form or a spreadsheet) passed the
    option's check and stopped in pandas ("TypeError: periods must be an integer, got
    3.0"; "'<=' not supported between instances of 'int' and 'str'"), as did None; the
    forecast's horizon takes either as 3."""
    history = read_903(sample_dir / "ssda903")
    three = api.backtest(history, "2025-03-31", num_paths=20, horizon_months=3)
    for given in (3.0, "3"):
        again = api.backtest(history, "2025-03-31", num_paths=20, horizon_months=given)
        pd.testing.assert_frame_equal(again.scores, three.scores)
    with pytest.raises(ConfigError, match=r"^horizon_months: expected a whole number of "
                       r"months \(1-60\), not NoneType\.$"):  # fmt: skip
        api.backtest(history, "2025-03-31", num_paths=20, horizon_months=None)


def test_flags_and_a_start_time_of_another_kind_are_named(sample_dir):
    """``with_sensitivity="no"`` ran the sensitivity analysis (text is true), minutes
    with the defaults; ``started="now"`` was a TypeError from the matching's clock; a
    match without its register was a TypeError, not the library's error."""
    with pytest.raises(ConfigError, match=r"^with_sensitivity: expected True or False, not "):
        api.commission(sample_dir / "ssda903", sample_dir / "levers.toml",
                       with_sensitivity="no")  # fmt: skip
    referrals, placements = sample_dir / "referrals.csv", sample_dir / "placements.csv"
    with pytest.raises(ConfigError, match=r"^started: expected a time.perf_counter\(\) "):
        api.match(referrals, placements, run_date="2026-04-01", started="now")
    with pytest.raises(ConfigError, match="needs the placement register as well"):
        api.match(referrals, run_date="2026-04-01")


def test_a_folder_a_pool_and_file_hashes_of_another_kind_are_named(sample_dir):
    """``write(None)`` was pathlib's "TypeError: expected str, bytes or os.PathLike
    object, not NoneType"; ``pool_with_levers=3`` "'int' object is not iterable"; a list
    for ``input_sha256`` "dictionary update sequence element #0 has length 1"."""
    report = api.backtest(sample_dir / "ssda903", "2025-03-31", num_paths=20, horizon_months=3)
    with pytest.raises(ConfigError, match=r"^out_dir: expected the folder to write into "
                       r"\(a path\), not NoneType\.$"):  # fmt: skip
        report.write(None)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"^pool_with_levers: expected a Levers or a path, "
                       r"or a list of them, not int\.$"):  # fmt: skip
        api.commission(sample_dir / "ssda903", sample_dir / "levers.toml",
                       pool_with=sample_dir / "ssda903", pool_with_levers=3,  # type: ignore[arg-type]
                       with_sensitivity=False)  # fmt: skip
    with pytest.raises(ConfigError, match=r"^input_sha256: expected a dict of SHA-256s by "
                       r"role, not list\.$"):  # fmt: skip
        api.match(
            sample_dir / "referrals.csv",
            sample_dir / "placements.csv",
            run_date="2026-04-01",
            input_sha256=["ab12"],
        )  # type: ignore[arg-type]
