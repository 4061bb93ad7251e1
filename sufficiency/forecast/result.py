"""The simulated forecast: arrays of every path, plus tidy summaries of them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sufficiency.forecast.states import AGE_BANDS, CATEGORIES
from sufficiency.results import BriefRepr, ReadOnlyArrays

QUANTILES = (0.1, 0.5, 0.9)


@dataclass(frozen=True, eq=False, repr=False)
class ForecastResult(ReadOnlyArrays, BriefRepr):
    """Simulated futures of the children looked after.

    Month axis: index 0 is the start date (the observed stock), index ``m`` the
    ``m``-th month end after it; ``month_ends`` has ``horizon_months + 1`` dates.

    Attributes
    ----------
    month_ends
        Dates of the month axis (index 0 = start date).
    categories, age_bands
        Labels of the category and age-band axes.
    stock
        Children looked after at each month end, ``(paths, months, categories, age
        bands)``, int32. ``stock[:, 0]`` equals the history on the start date.
    starts
        Placement starts in each month by category, ``(paths, months, categories)``:
        entries + moves in + new placements within the category (+ scenario
        step-downs). The number of placements that must be found. Zero at index 0.
    entries, exits
        Children entering care (by first category) and leaving care (incl. at 18)
        per month, ``(paths, months, categories)``.
    history_month_ends, history_stock
        Observed month-end stock before the start, ``(months, categories, age bands)``,
        float: ``NaN`` in the months of a missing year (not known).
    scenario
        Name of the scenario simulated (``"base"`` when unchanged).
    seed
        Seed of the run.
    step_downs
        Children each of the scenario's step-downs moved, ``(paths, months, step-downs)``:
        fewer than asked in a month when the category stepped down from had fewer
        children (``None`` when not recorded).
    """

    month_ends: pd.DatetimeIndex
    categories: tuple[str, ...]
    age_bands: tuple[str, ...]
    stock: np.ndarray
    starts: np.ndarray
    entries: np.ndarray
    exits: np.ndarray
    history_month_ends: pd.DatetimeIndex
    history_stock: np.ndarray
    scenario: str
    seed: int
    step_downs: np.ndarray | None = None

    @property
    def num_paths(self) -> int:
        """Number of simulated paths."""
        return int(self.stock.shape[0])

    @property
    def horizon_months(self) -> int:
        """Months forecast after the start date."""
        return len(self.month_ends) - 1

    @property
    def start(self) -> pd.Timestamp:
        """The start date (last observed day)."""
        return pd.Timestamp(self.month_ends[0])

    def total(self) -> np.ndarray:
        """Total children per path and month, ``(paths, months)``."""
        return self.stock.sum(axis=(2, 3))

    def total_at_end(self) -> tuple[float, float, float]:
        """P10, P50 and P90 of the total children at the horizon's last month end."""
        p10, p50, p90 = np.quantile(self.total()[:, -1], [0.1, 0.5, 0.9])
        return float(p10), float(p50), float(p90)

    def by_category(self) -> np.ndarray:
        """Children per path, month and category (all ages)."""
        return self.stock.sum(axis=3)


def _summary_rows(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and P10/P50/P90 over axis 0 of ``(paths, ...)``."""
    mean = values.mean(axis=0)
    q = np.quantile(values, QUANTILES, axis=0, method="linear")
    return mean, q


def demand_table(result: ForecastResult, include_start: bool = True) -> pd.DataFrame:
    """Tidy demand: ``month, category, age_band, mean, p10, p50, p90``.

    Rows with category ``all`` or age band ``all`` summarise the distribution of the
    total on each path, not sums of percentiles.
    """
    stock = result.stock.astype(np.int64)
    cats = [*result.categories, "all"]
    bands = [*result.age_bands, "all"]
    full = np.zeros((*stock.shape[:2], len(cats), len(bands)), dtype=np.int64)
    full[:, :, :-1, :-1] = stock
    full[:, :, -1, :-1] = stock.sum(axis=2)
    full[:, :, :-1, -1] = stock.sum(axis=3)
    full[:, :, -1, -1] = stock.sum(axis=(2, 3))
    first = 0 if include_start else 1
    mean, q = _summary_rows(full[:, first:])
    months = result.month_ends[first:]
    m_idx, c_idx, b_idx = np.meshgrid(
        np.arange(len(months)), np.arange(len(cats)), np.arange(len(bands)), indexing="ij"
    )
    df = pd.DataFrame(
        {
            "month": np.asarray(months.strftime("%Y-%m-%d"))[m_idx.ravel()],
            "category": np.asarray(cats, dtype=object)[c_idx.ravel()],
            "age_band": np.asarray(bands, dtype=object)[b_idx.ravel()],
            "mean": mean.ravel().round(2),
            "p10": q[0].ravel().round(1),
            "p50": q[1].ravel().round(1),
            "p90": q[2].ravel().round(1),
        }
    )
    return df


def starts_table(result: ForecastResult) -> pd.DataFrame:
    """Placement starts per month: ``month, category, mean, p10, p50, p90`` (incl. ``all``)."""
    starts = result.starts[:, 1:].astype(np.int64)
    full = np.concatenate([starts, starts.sum(axis=2, keepdims=True)], axis=2)
    mean, q = _summary_rows(full)
    cats = [*result.categories, "all"]
    months = np.asarray(result.month_ends[1:].strftime("%Y-%m-%d"))
    m_idx, c_idx = np.meshgrid(np.arange(len(months)), np.arange(len(cats)), indexing="ij")
    return pd.DataFrame(
        {
            "month": months[m_idx.ravel()],
            "category": np.asarray(cats, dtype=object)[c_idx.ravel()],
            "mean": mean.ravel().round(2),
            "p10": q[0].ravel().round(1),
            "p50": q[1].ravel().round(1),
            "p90": q[2].ravel().round(1),
        }
    )


def check_invariants(result: ForecastResult) -> list[str]:
    """Broken invariants of a result, as sentences (empty when all hold)."""
    problems = []
    for name in ("stock", "starts", "entries", "exits"):
        if (getattr(result, name) < 0).any():
            problems.append(f"{name} has negative counts")
    if not (result.stock[:, 0] == result.stock[0, 0]).all():
        problems.append("paths disagree at the start date")
    if result.stock.shape[2:] != (len(CATEGORIES), len(AGE_BANDS)):
        problems.append("stock has the wrong shape")
    return problems
