"""The spend page's yearly table and an in-year outturn (no web server needed)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from sufficiency.web.aggregate import _by_year

YEARS = """financial_year,cost_line,months,mean,p10,p50,p90
2025-26,all,6,34717033.62,33787672.0,34700000.0,35580830.0
2026-27,all,12,73147638.40,69042269.04,72836637.46,77049597.24
"""
BUDGET = """financial_year,cost_line,months,budget_gbp,mean,p10,p50,p90,variance_gbp,\
prob_overspend,spend_to_date_estimated_gbp,rest_of_year_mean_gbp,basis
2025-26,all,6,70000000.00,68744847.91,67815486.07,68748123.21,69608644.29,-1255152.09,0.0450,\
34027814.29,34717033.62,outturn: spend to date estimated from the 903 history at unit \
costs + forecast
2026-27,all,12,74000000.00,73147638.40,69042269.04,72836637.46,77049597.24,-852361.60,0.3650,\
0.00,73147638.40,whole year forecast
"""


def _run(tmp_path: Path) -> dict:
    files = []
    for name, text in (("spend_years.csv", YEARS), ("budget_comparison.csv", BUDGET)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        files.append({"role": "output", "label": name, "path": str(path), "sha256": digest})
    return {"files": files}


def test_an_outturn_variance_is_not_set_beside_the_part_years_spend(tmp_path):
    """The yearly table showed 2025-26's six forecast months (£34.7m) beside the outturn's
    variance (-£1.3m against £70m): two figures that cannot both be the year's. Only whole
    years' budgets join it; the outturn stays under 'Against the budget'."""
    got = _by_year(_run(tmp_path))
    main = got["main"].set_index("financial_year")
    assert pd.isna(main.loc["2025-26", "budget_gbp"]) and pd.isna(
        main.loc["2025-26", "variance_gbp"]
    )
    assert main.loc["2026-27", "variance_gbp"] == -852361.60
    assert got["budget"]["spend_to_date_estimated_gbp"].tolist() == [34027814.29, 0.0]


def test_the_scenario_s_outturn_is_set_against_the_budget(tmp_path):
    """spend writes scenario_budget_comparison.csv (the scenario's outturn against the same
    budget); the web spend page showed none of it, only the scenario's whole-year means."""
    scenario = (
        "\n".join(
            line if i == 0 or not line else line + ",Fewer entries"
            for i, line in enumerate(BUDGET.splitlines())
        )
        .replace("basis\n", "basis,scenario\n", 1)
        .replace("68744847.91", "67900000.00")
        + "\n"
    )
    run = _run(tmp_path)
    path = tmp_path / "scenario_budget_comparison.csv"
    path.write_text(scenario, encoding="utf-8")
    run["files"].append({"role": "output", "label": path.name, "path": str(path),
                         "sha256": hashlib.sha256(path.read_bytes()).hexdigest()})  # fmt: skip
    got = _by_year(run)["scenario_budget"]
    assert got is not None and "scenario" not in got.columns
    assert got["mean"].tolist() == [67900000.00, 73147638.40]
    assert got["spend_to_date_estimated_gbp"].tolist() == [34027814.29, 0.0]


def test_a_financial_year_over_is_said_to_be_a_forecast(tmp_path):
    """A spend page kept up past April (or a run left on last year's 903 return) showed
    2025-26, a year over, as a forecast with no word."""
    import datetime as dt

    from sufficiency.web.aggregate import year_over

    run = {**_run(tmp_path), "id": 7, "config": {},
           "started_at": dt.datetime(2025, 6, 2, 1, tzinfo=dt.UTC)}  # fmt: skip
    assert year_over(run, dt.date(2026, 3, 31)) == ""
    assert year_over(run, dt.date(2026, 4, 1)) == (
        "2025-26 ended on 31 March 2026: its figures here are the forecast of the spend run "
        "started 2 June 2025, 02:00, not what was spent. Run spend on the latest 903 return."
    )
    january = {**run, "config": {"finance": {"financial_year_start_month": 1}}}
    assert year_over(january, dt.date(2025, 12, 31)) == ""  # a January year ends 31/12
    assert "ended on 31 December 2025" in year_over(january, dt.date(2026, 1, 1))
