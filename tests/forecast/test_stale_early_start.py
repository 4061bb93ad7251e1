"""The stale-history sentence of a run with an early ``--start``: it said "load the latest
903 return" to a run that had the latest return loaded (data to 31/03/2026, started
31/03/2025, run on 1 April 2026)."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import pandas as pd

from sufficiency.config import FinanceParams, ForecastParams
from sufficiency.finance.report import default_costs, spend_report
from sufficiency.forecast import history_over_a_year_old
from sufficiency.forecast.run import forecast_history

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "ssda903"
START, END = dt.date(2025, 3, 31), dt.date(2026, 3, 31)


def test_an_early_start_is_told_to_start_at_the_historys_end():
    said = history_over_a_year_old(START, dt.date(2026, 4, 1), END)
    assert said is not None
    assert "load the latest 903 return" not in said
    assert "(the start date asked for; the 903 history loaded runs to 31 March 2026)" in said
    assert said.endswith("start it at the end of the history (the default, 31 March 2026).")
    # the history itself old too: both said
    both = history_over_a_year_old(START, dt.date(2027, 6, 1), END)
    assert both is not None and both.endswith(
        "(the default, 31 March 2026), and load the latest 903 return: the history too "
        "ends more than a year before."
    )
    # started at the history's end (or its end unknown): as before
    for end in (START, None):
        old = history_over_a_year_old(START, dt.date(2026, 6, 1), end)
        assert old is not None and "(the 903 history's last day used)" in old
        assert old.endswith("load the latest 903 return.")


def test_the_forecast_command_with_an_early_start_says_so(tmp_path):
    from click.testing import CliRunner

    from sufficiency.cli import main

    out = tmp_path / "out"
    args = ["forecast", "--history", str(SAMPLE), "--out", str(out), "--paths", "20",
            "--start", "2025-03-31", "--date", "2026-04-01"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "more than a year before the run date 1 April 2026" in text
    assert "the 903 history loaded runs to 31 March 2026" in text
    assert "load the latest 903 return" not in text
    cautions = pd.read_csv(out / "assumptions.csv")["value"].astype(str)
    assert cautions.str.contains("start it at the end of the history").sum() == 1


def test_spend_with_an_early_start_is_told_to_start_at_the_historys_end():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = forecast_history(
            SAMPLE,
            ForecastParams(num_paths=20, horizon_months=12, seed=5),
            start=pd.Timestamp(START),
        )
    costs = default_costs(FinanceParams())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        spend_report(run.base, FinanceParams(), costs=costs, run_date=dt.date(2026, 4, 1),
                     care=run.fitted.care)  # fmt: skip
    said = [str(w.message) for w in caught if "is over" in str(w.message)]
    assert said == [
        "The forecast starts on 31 March 2025 but the run date is 1 April 2026: 2025-26 is "
        "over, yet its spend here is projected, not counted; start it at the end of the 903 "
        "history loaded (the default, 31 March 2026)"
    ]
