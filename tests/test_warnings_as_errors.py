"""The library under strict warning filters: ``warnings.simplefilter("error")``,
``python -W error`` or a council's own test suite with ``filterwarnings = error``.

Every job stopped there with a traceback at its first note on the data (the sample's
"No child was in secure children's homes ..." then), after its work, giving no result. A
note on the data is said on the result (``notes``, ``quality``) and shown, never
raised; any other warning still meets the caller's filter, so none must be given.
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sufficiency import api
from sufficiency.cli import main
from sufficiency.errors import DataWarning, RepairWarning, notes_not_errors

QUICK = {"num_paths": 20, "horizon_months": 3, "seed": 3}


def _under_error(run: Callable[[], Any]) -> tuple[Any, list[warnings.WarningMessage]]:
    """``run()`` with every warning an error, and the warnings shown instead."""
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("error")
        result = run()
    return result, said


@pytest.fixture
def three_years(sample_dir: Path, tmp_path: Path) -> Path:
    """The sample's last three 903 returns: every job on them has a note on the data (the
    history is shorter than the four years leaving care is measured over); the whole
    sample has none since no simulated child moves into secure children's homes."""
    folder = tmp_path / "ssda903"
    for year in ("2024", "2025", "2026"):
        shutil.copytree(sample_dir / "ssda903" / year, folder / year)
    return folder


def _jobs(sample_dir: Path, history: Path) -> dict[str, Callable[[], Any]]:
    s = sample_dir
    commission = {"num_paths": 10, "eval_paths": 10, "horizon_months": 12}
    return {
        "forecast": lambda: api.forecast(
            history, scenario=s / "scenarios" / "step_down_and_in_house.toml",
            supply=s / "supply.toml", placements=s / "placements.csv",
            backtest_cutoffs="2024-03-31", run_date="2026-04-01", **QUICK,
        ),
        "backtest": lambda: api.backtest(history, "2024-03-31", num_paths=20, horizon_months=3),
        "spend": lambda: api.spend(history, budget=s / "budget.csv", run_date="2026-04-01",
                                   num_paths=20, horizon_months=24),
        "commission": lambda: api.commission(history, s / "levers.toml", run_date="2026-04-01",
                                             with_sensitivity=False, **commission),
    }  # fmt: skip


def _said_on_the_result(job: str, result: Any, said: list[warnings.WarningMessage]) -> None:
    """Every warning shown is a data warning, and said on the result as well."""
    assert all(issubclass(w.category, DataWarning) for w in said), (job, said)
    for w in said:
        if w.category is RepairWarning:  # the history's repairs: quality says each
            assert result.quality is not None and result.quality.num_findings(), job
        else:
            assert any(str(w.message).rstrip(".") in note for note in result.notes), (job, w)


def test_every_job_runs_on_the_sample_with_warnings_as_errors(sample_dir, three_years, tmp_path):
    """Each job on the sample with ``simplefilter("error")`` gives its result and writes
    its files; its notes (three years of history) are shown, not raised, and no other
    warning is given (a pandas or NumPy warning would be raised)."""
    for job, run in _jobs(sample_dir, three_years).items():
        result, said = _under_error(run)
        assert said, job  # the short history is noted
        _said_on_the_result(job, result, said)
        written, said = _under_error(lambda r=result, j=job: r.write(tmp_path / j))
        assert written and not said, (job, said)
    run, said = _under_error(lambda: api.match(sample_dir / "referrals.csv",
                                               sample_dir / "placements.csv",
                                               run_date="2026-04-01"))  # fmt: skip
    assert run.summary.children_placed and not said
    written, said = _under_error(lambda: run.write(tmp_path / "match"))
    assert len(written) == 6 and not said


def test_a_messy_history_is_forecast_with_warnings_as_errors(tmp_path, sample_dir):
    """A council-shaped 903 folder (every shape at once: XLSX, XML, title rows, a missing
    year, repaired rows) read and forecast under ``simplefilter("error")``: its repairs
    and missing year are shown and kept, not raised, and the readers of XLSX and XML
    (openpyxl, pandas) give no warning."""
    from messy903 import everything

    history = everything(tmp_path / "messy").path
    jobs = _jobs(sample_dir, history)
    result, said = _under_error(jobs["forecast"])
    (repairs,) = [w for w in said if w.category is RepairWarning]
    assert repairs.filename == __file__  # shown at the caller's line, as before
    _said_on_the_result("forecast", result, said)
    assert result.quality.missing_years


def test_writing_over_an_earlier_run_is_shown_not_raised(sample_dir, tmp_path):
    """The word that a folder holds an earlier run's files is a data warning too: raised,
    it stopped ``write`` after the files were written, with no list of them returned."""
    history = sample_dir / "ssda903"
    api.forecast(history, supply=sample_dir / "supply.toml", **QUICK).write(tmp_path)
    report = api.forecast(history, **QUICK)
    written, said = _under_error(lambda: report.write(tmp_path))
    assert "shortfall.csv" not in {p.name for p in written}
    (told,) = said
    assert told.category is DataWarning and "also holds purchases.csv" in str(told.message)


def test_the_commands_run_with_warnings_as_errors(sample_dir, three_years, tmp_path):
    """``python -W error -m sufficiency ...``: each command finishes, its notes printed as
    ``Warning:`` lines."""
    s = sample_dir
    commands = {
        "validate": ["validate", str(s / "ssda903"), str(s / "referrals.csv"),
                     str(s / "placements.csv")],
        "forecast": ["forecast", "--history", str(three_years), "--paths", "20",
                     "--horizon-months", "3", "--date", "2026-04-01"],
        "match": ["match", "--referrals", str(s / "referrals.csv"), "--placements",
                  str(s / "placements.csv"), "--date", "2026-04-01"],
    }  # fmt: skip
    output = {}
    for name, args in commands.items():
        out = [] if name == "validate" else ["--out", str(tmp_path / name)]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = CliRunner().invoke(main, [*args, *out])
        assert result.exit_code == 0 and result.exception is None, (name, result.output)
        output[name] = result.output
    assert "Warning: The history covers 3.0 years before 31 March 2026" in output["forecast"]


def test_only_data_warnings_are_softened_and_ignore_is_kept():
    """Inside a job, a data warning a filter would raise is shown; one the caller ignores
    stays unsaid; every other warning is raised as the caller asked; and the caller's
    filters are as they were afterwards."""
    before = list(warnings.filters)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("error")
        with notes_not_errors():
            warnings.warn("a note on the data", DataWarning, stacklevel=1)
            with pytest.raises(UserWarning, match="a fault"):
                warnings.warn("a fault", UserWarning, stacklevel=1)
            with pytest.raises(RuntimeWarning):
                warnings.warn("overflow", RuntimeWarning, stacklevel=1)
        with pytest.raises(DataWarning):  # outside a job: the caller's filter as set
            warnings.warn("said outside", DataWarning, stacklevel=1)
        warnings.simplefilter("ignore", DataWarning)
        with notes_not_errors():
            warnings.warn("ignored", DataWarning, stacklevel=1)
        warnings.filterwarnings("error", "specific", RepairWarning)
        with notes_not_errors():
            warnings.warn("specific repairs", RepairWarning, stacklevel=1)
    assert [str(w.message) for w in said] == ["a note on the data", "specific repairs"]
    assert warnings.filters == before
