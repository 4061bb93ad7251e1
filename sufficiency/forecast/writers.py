"""Write a forecast report: tidy CSVs, an Excel workbook and a self-contained HTML page.

Every file is written atomically and owner-only (:mod:`sufficiency.io.atomic`), so a
reader never sees a half-written file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from sufficiency.io.atomic import (
    atomic_path,
    atomic_write_bytes,
    atomic_write_text,
    warn_earlier_outputs,
)
from sufficiency.io.csv_text import csv_text
from sufficiency.io.quality_writers import write_quality_csv

if TYPE_CHECKING:
    from sufficiency.forecast.report import ForecastReport
    from sufficiency.forecast.run import BacktestReport


def write_csv(path: Path, df: pd.DataFrame) -> Path:
    """Write a table as UTF-8 CSV with Unix line endings, atomically."""
    return atomic_write_bytes(path, csv_text(df).encode("utf-8"))


#: The CSVs a forecast writes only with a scenario, supply or backtest cutoffs.
SOMETIMES = ("demand_scenario.csv", "scenario_comparison.csv", "supply.csv", "shortfall.csv",
             "purchases.csv", "backtest.csv", "backtest_coverage.csv",
             "backtest_starts.csv")  # fmt: skip


def csv_tables(report: ForecastReport) -> dict[str, pd.DataFrame]:
    """The report's tables by CSV file name (only those present)."""
    tables: dict[str, pd.DataFrame | None] = {
        "demand.csv": report.demand,
        "demand_scenario.csv": report.scenario_demand,
        "scenario_comparison.csv": report.comparison,
        "starts.csv": report.starts,
        "supply.csv": report.supply,
        "shortfall.csv": report.shortfall,
        "purchases.csv": report.purchases,
        "backtest.csv": report.backtest.scores if report.backtest is not None else None,
        "backtest_coverage.csv": (
            report.backtest.coverage if report.backtest is not None else None
        ),
        "backtest_starts.csv": report.backtest.starts if report.backtest is not None else None,
        "assumptions.csv": report.assumptions,
    }
    return {k: v for k, v in tables.items() if v is not None}


def write_report(report: ForecastReport, out_dir: Path) -> list[Path]:
    """Write CSVs, ``forecast.xlsx`` and ``forecast.html`` into ``out_dir``."""
    from sufficiency.forecast.html_report import render_html
    from sufficiency.forecast.workbook import write_workbook

    written = [write_csv(out_dir / name, df) for name, df in csv_tables(report).items()]
    xlsx = out_dir / "forecast.xlsx"
    with atomic_path(xlsx) as tmp:
        write_workbook(report, tmp)
    written.append(xlsx)
    written.append(atomic_write_text(out_dir / "forecast.html", render_html(report)))
    quality = write_quality_csv(report.quality, out_dir)
    written += [quality] if quality is not None else []
    warn_earlier_outputs(out_dir, SOMETIMES, written)
    return written


def write_backtest(report: BacktestReport, out_dir: Path) -> list[Path]:
    """Write backtest.csv, backtest_coverage.csv, backtest_summary.csv, backtest_starts.csv
    and data_quality.csv."""
    written = [
        write_csv(out_dir / "backtest.csv", report.scores),
        write_csv(out_dir / "backtest_coverage.csv", report.coverage),
        write_csv(out_dir / "backtest_summary.csv", report.summary),
        write_csv(out_dir / "backtest_starts.csv", report.starts),
    ]
    quality = write_quality_csv(report.quality, out_dir)
    return written + ([quality] if quality is not None else [])
