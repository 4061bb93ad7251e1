"""Write the spend outputs: spend.csv and its companions, spend.xlsx, data_quality.csv."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from sufficiency.finance.months_to_date import months_table
from sufficiency.finance.summaries import monthly_table
from sufficiency.finance.workbook import SpendReport, write_workbook
from sufficiency.io.atomic import atomic_write_text, warn_earlier_outputs
from sufficiency.io.csv_text import csv_text
from sufficiency.io.quality_writers import write_quality_csv

CSV_COLUMNS = ("month", "financial_year", "cost_line", "mean", "p10", "p50", "p90")


def _csv(df: pd.DataFrame) -> str:
    """Pounds to the penny; a probability to the four places the workbook shows it with."""
    if "prob_overspend" in df.columns:
        df = df.assign(prob_overspend=df["prob_overspend"].map("{:.4f}".format))
    return csv_text(df, "%.2f")


def write_spend_outputs(report: SpendReport, out_dir: Path, run_date: dt.date) -> list[Path]:
    """Write spend.csv, spend.xlsx and companions into ``out_dir`` (each atomically)."""
    out_dir = Path(out_dir)
    written = [atomic_write_text(out_dir / "spend.csv", _csv(report.monthly[list(CSV_COLUMNS)]))]
    written.append(atomic_write_text(out_dir / "spend_quarterly.csv", _csv(report.quarterly)))
    written.append(atomic_write_text(out_dir / "spend_years.csv", _csv(report.yearly)))
    if report.to_date is not None:  # the year's months before the forecast start
        past = months_table(report.to_date, report.base.cost_lines)
        written.append(atomic_write_text(out_dir / "spend_to_date.csv", _csv(past)))
    if report.changes is not None:  # the year's months beside an earlier run's
        written.append(atomic_write_text(out_dir / "change_since_previous.csv",
                                         _csv(report.changes.table)))  # fmt: skip
    if report.budget is not None:
        written.append(atomic_write_text(out_dir / "budget_comparison.csv", _csv(report.budget)))
    if report.scenario is not None and report.comparison is not None:
        scen = monthly_table(report.scenario)[list(CSV_COLUMNS)]
        scen = scen.assign(scenario=report.scenario.scenario)
        written.append(atomic_write_text(out_dir / "spend_scenario.csv", _csv(scen)))
        written.append(atomic_write_text(out_dir / "scenario_comparison.csv",
                                         _csv(report.comparison)))  # fmt: skip
    if report.scenario_budget is not None:
        written.append(atomic_write_text(out_dir / "scenario_budget_comparison.csv",
                                         _csv(report.scenario_budget)))  # fmt: skip
    written.append(write_workbook(report, out_dir / "spend.xlsx",
                                  {"run_date": run_date.isoformat()}))  # fmt: skip
    quality = write_quality_csv(report.quality, out_dir)
    written += [quality] if quality is not None else []
    sometimes = ("spend_to_date.csv", "change_since_previous.csv", "budget_comparison.csv",
                 "spend_scenario.csv", "scenario_comparison.csv",
                 "scenario_budget_comparison.csv")  # fmt: skip
    warn_earlier_outputs(out_dir, sometimes, written)
    return written
