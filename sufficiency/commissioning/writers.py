"""Write the commissioning outputs: plan.csv, comparison.csv, sensitivity.csv, pooling.csv,
xlsx, html."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sufficiency import __version__, figures
from sufficiency.commissioning.html import render_html
from sufficiency.commissioning.pooled import PooledResult
from sufficiency.commissioning.report import CommissioningReport
from sufficiency.commissioning.workbook import write_workbook
from sufficiency.io.atomic import atomic_write_text
from sufficiency.io.csv_text import csv_text
from sufficiency.io.quality import DataQuality
from sufficiency.io.quality_writers import write_quality_csv


def _csv(df: pd.DataFrame) -> str:
    return csv_text(df, "%.2f")


def write_outputs(report: CommissioningReport, out_dir: Path) -> list[Path]:
    """Write every output into ``out_dir``, each atomically; same report, same bytes."""
    out_dir = Path(out_dir)
    plan = report.stochastic.table(report.start)
    written = [atomic_write_text(out_dir / "plan.csv", _csv(plan))]
    written.append(atomic_write_text(out_dir / "comparison.csv", _csv(report.comparison.table())))
    if report.sensitivity is not None:
        written.append(atomic_write_text(out_dir / "sensitivity.csv", _csv(report.sensitivity)))
    run_info = [
        ("Forecast start", f"{figures.day(report.start)}"),
        ("Software version", f"sufficiency {__version__}"),
    ]
    written.append(
        write_workbook(report, out_dir / "commissioning.xlsx", report.start.date(), run_info)
    )
    written.append(atomic_write_text(out_dir / "commissioning.html", render_html(report)))
    quality = write_quality_csv(report.quality, out_dir)
    return written + ([quality] if quality is not None else [])


def write_pooling(pooled: PooledResult, out_dir: Path) -> Path:
    """Write pooling.csv: each member alone against the co-operative's pooled plan."""
    table = pooled.table()
    table["saving_pct"] = 100 * table["saving_pct"]  # a percentage, like the workbook's
    return atomic_write_text(Path(out_dir) / "pooling.csv", _csv(table))


def pooled_plan_csv(pooled: PooledResult, start: pd.Timestamp) -> str:
    """The pooled plan's commitments from ``start``: each member's own (named) and the
    co-operative's block contracts, as plan.csv's columns."""
    return _csv(pooled.pooled_plan.table(start))


def write_pool_quality(members: Sequence[tuple[str, DataQuality | None]], out_dir: Path) -> Path:
    """Write pooling_data_quality.csv: every finding in the other pooled authorities'
    histories, ``authority`` first, then data_quality.csv's columns."""
    tables = [
        quality.table().assign(authority=name) for name, quality in members if quality is not None
    ]
    columns = ["authority", "file", "row", "column", "problem", "action", "severity", "code"]
    table = pd.concat([pd.DataFrame(columns=columns), *tables], ignore_index=True)[columns]
    text = csv_text(table)
    return atomic_write_text(Path(out_dir) / "pooling_data_quality.csv", text)


def write_pooled(
    pooled: PooledResult, sensitivity: pd.DataFrame, start: pd.Timestamp, out_dir: Path
) -> list[Path]:
    """Write a co-operative's own folder: pooling.csv, plan.csv (the pooled plan's
    commitments from ``start``) and sensitivity.csv (the pooled sensitivity runs)."""
    out_dir = Path(out_dir)
    return [
        write_pooling(pooled, out_dir),
        atomic_write_text(out_dir / "plan.csv", pooled_plan_csv(pooled, start)),
        atomic_write_text(out_dir / "sensitivity.csv", pooled_sensitivity_csv(sensitivity)),
    ]


def pooled_sensitivity_csv(sensitivity: pd.DataFrame) -> str:
    """The pooled sensitivity runs as CSV: the saving as a percentage, as in pooling.csv;
    the solver's gap a share of one, in full (at two decimals 0.4% would read 0.00)."""
    sens = sensitivity.copy()
    if "saving_pct" in sens:
        sens["saving_pct"] = 100 * sens["saving_pct"]
    if "gap" in sens:
        sens["gap"] = sens["gap"].map("{:.6f}".format)
    return _csv(sens)
