"""Turn simulated demand paths into money, month by month.

Spend in a month is child-days x weekly cost / 7 x the price index. Child-days come
from the month-end stocks the forecast simulates: the average of the stock at the
start and at the end of the month, times the days in the month (exact when the
stock is constant, unbiased for steady change). Prices rise by the inflation rate
on each uplift date (default 1 April); a month straddling an uplift date pays the
day-weighted average.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sufficiency import vocabulary
from sufficiency.errors import ConfigError, DataWarning
from sufficiency.finance.pence import pounds
from sufficiency.prices import (
    DAYS_PER_WEEK,
    DEAREST_ON_RECORD,
    DEFAULT_WEEKLY_COSTS,
    MOST_WEEKLY_GBP,
    far_from_usual,
    price_index,
)
from sufficiency.results import BriefRepr, ReadOnlyArrays


@dataclass(frozen=True)
class UnitCosts:
    """Weekly cost per child for each cost line (forecast category), with its source.

    ``current`` holds, per cost line, the number and total weekly cost of today's
    placements a council's cost file lists (empty without one); ``children`` each of those
    placements, by child ID: its cost line and actual weekly cost (the in-year outturn's
    spend to date prices their current placements with them).
    """

    weekly_cost_gbp: Mapping[str, float]
    source: Mapping[str, str]
    current: Mapping[str, tuple[int, float]] = field(default_factory=dict)
    #: Where the costs come from, as the user named it (the cost file), for messages.
    origin: str = "[finance.weekly_cost_gbp]"
    #: Cost lines the cost file does not give, priced at the configuration's figure.
    filled: frozenset[str] = frozenset()
    children: Mapping[str, tuple[str, float]] = field(default_factory=dict)
    #: Whether :attr:`origin` names the cost lines by their codes (``ifa_foster``), as the
    #: configuration does: messages then give the code in brackets after the words.
    by_code: bool = True

    def line(self, code: str) -> str:
        """A cost line as a message names it: in words (``IFA foster care``), with the code
        in brackets (``IFA foster care (ifa_foster)``) where :attr:`origin` writes codes."""
        words = vocabulary.category(code)
        return f"{words} ({code})" if self.by_code else words

    def lines(self, codes: list[str]) -> str:
        """:meth:`line` of each of ``codes``, listed (``A, B and C``)."""
        return vocabulary.listed([self.line(c) for c in codes])

    def require(self, lines: tuple[str, ...], needed: np.ndarray) -> np.ndarray:
        """Costs aligned with ``lines``; error for a line with demand but no cost."""
        missing = [ln for ln, need in zip(lines, needed, strict=True)
                   if need and ln not in self.weekly_cost_gbp]  # fmt: skip
        if missing:
            raise ConfigError(
                f"no weekly cost for {self.lines(missing)} in {self.origin}: the "
                "forecast has children in these categories; add a cost for each there"
            )
        defaulted = [ln for ln, need in zip(lines, needed, strict=True)
                     if need and ln in self.filled]  # fmt: skip
        if defaulted:
            warnings.warn(
                f"{self.origin} gives no weekly cost for {self.lines(defaulted)}, where "
                "the forecast has children: the configuration's figures are used "
                "([finance.weekly_cost_gbp], shown with their sources in the assumptions); "
                "add a row for each to use the council's own",
                DataWarning,
                stacklevel=3,
            )
        negative = [ln for ln, v in self.weekly_cost_gbp.items() if v < 0]
        if negative:
            raise ConfigError(f"negative weekly cost in {self.origin} for {self.lines(negative)}")
        free = [ln for ln, need in zip(lines, needed, strict=True)
                if need and self.weekly_cost_gbp.get(ln) == 0]  # fmt: skip
        if free:
            warnings.warn(
                f"weekly cost of £0 in {self.origin} for {self.lines(free)}, where the "
                "forecast has children: their placements add nothing to the spend; check the "
                "cost file or [finance.weekly_cost_gbp]",
                DataWarning,
                stacklevel=3,
            )
        self._check_scale(lines, needed)
        return np.array([float(self.weekly_cost_gbp.get(ln, 0.0)) for ln in lines])

    def _check_scale(self, lines: tuple[str, ...], needed: np.ndarray) -> None:
        """A weekly cost above the dearest placement on record is refused (a year's cost
        given as a week's priced 869 children at £2.5 billion a year, with no word); one
        under a fifth, or over five times, of the configuration's default for its line is
        warned of (a day's cost, a month's)."""
        dear = [f"{self.line(ln)} at {pounds(v)}" for ln, v in self.weekly_cost_gbp.items()
                if v > MOST_WEEKLY_GBP]  # fmt: skip
        if dear:
            raise ConfigError(
                f"weekly cost in {self.origin} more than {DEAREST_ON_RECORD}, for "
                + vocabulary.listed(dear)
                + ": is it a year's cost, or in pence? Give pounds a week"
            )
        far = []
        for ln, need in zip(lines, needed, strict=True):
            usual, cost = DEFAULT_WEEKLY_COSTS.get(ln), self.weekly_cost_gbp.get(ln, 0.0)
            if need and usual and far_from_usual(cost, usual):
                far.append(f"{self.line(ln)} £{cost:,.2f} a week "
                           f"(the default is {pounds(usual)})")  # fmt: skip
        if far:
            warnings.warn(
                f"Weekly costs in {self.origin} under a fifth, or over five times, of what "
                f"such a placement usually costs: {'; '.join(far)}. A day's, a month's or a year's "
                "cost given as a week's? Each is used as given",
                DataWarning,
                stacklevel=4,
            )


@dataclass(frozen=True, eq=False, repr=False)
class SpendProjection(ReadOnlyArrays, BriefRepr):
    """Simulated spend: ``spend[path, month, line]`` in GBP for each forecast month.

    ``months`` are month-end dates (the forecast's months after its start date).
    """

    start: pd.Timestamp
    months: pd.DatetimeIndex
    cost_lines: tuple[str, ...]
    spend: np.ndarray
    weekly_cost_gbp: np.ndarray
    price_index: np.ndarray
    costs: UnitCosts
    #: The day the weekly costs are the prices of (:func:`sufficiency.prices.price_date`).
    price_date: dt.date
    run_rate_gbp: float
    run_rate_basis: str
    financial_year_start_month: int
    scenario: str

    @property
    def num_paths(self) -> int:
        return int(self.spend.shape[0])

    def total(self) -> np.ndarray:
        """Spend over all lines, ``(paths, months)``."""
        return self.spend.sum(axis=2)


def child_days(stock: np.ndarray, month_ends: pd.DatetimeIndex) -> np.ndarray:
    """Child-days per month from month-end stocks ``(paths, months + 1, lines)``."""
    days = np.diff(month_ends.values.astype("datetime64[D]")).astype(float)
    mid = (stock[:, :-1].astype(float) + stock[:, 1:].astype(float)) / 2.0
    return mid * days[None, :, None]


def project_spend(
    stock: np.ndarray,
    month_ends: pd.DatetimeIndex,
    cost_lines: tuple[str, ...],
    costs: UnitCosts,
    *,
    inflation_rate: float,
    uplift_month: int = 4,
    uplift_day: int = 1,
    financial_year_start_month: int = 4,
    actual_weekly_gbp: float | None = None,
    scenario: str = "base",
    price_date: dt.date | None = None,
) -> SpendProjection:
    """Spend per path, month and cost line from month-end stocks by cost line.

    Parameters
    ----------
    stock
        Children at each month end, ``(paths, months + 1, lines)``; index 0 is the start.
    month_ends
        The ``months + 1`` dates of the stock axis.
    actual_weekly_gbp
        Weekly cost of today's placements from the council's own per-placement costs;
        if ``None`` the run-rate is today's stock priced at the unit costs.
    price_date
        The day the weekly costs are the prices of; the start date if ``None``.
    """
    if stock.ndim != 3 or stock.shape[1] != len(month_ends) or stock.shape[2] != len(cost_lines):
        raise ValueError("stock must be (paths, len(month_ends), len(cost_lines))")
    needed = stock.sum(axis=(0, 1)) > 0
    weekly = costs.require(cost_lines, needed)
    price_date = price_date or pd.Timestamp(month_ends[0]).date()
    index = price_index(month_ends, inflation_rate, uplift_month, uplift_day, price_date)
    spend = child_days(stock, month_ends) * (weekly / DAYS_PER_WEEK)[None, None, :]
    spend *= index[None, :, None]
    first_days = float((month_ends[1] - month_ends[0]).days) if len(month_ends) > 1 else 0.0
    if actual_weekly_gbp is None:
        weekly_now = float((stock[:, 0].mean(axis=0) * weekly).sum())
        basis = "today's children priced at the unit costs"
    else:
        weekly_now, basis = _actual_run_rate(stock[:, 0].mean(axis=0), cost_lines, weekly,
                                             costs, float(actual_weekly_gbp))  # fmt: skip
    return SpendProjection(
        start=pd.Timestamp(month_ends[0]),
        months=pd.DatetimeIndex(month_ends[1:]),
        cost_lines=tuple(cost_lines),
        spend=spend,
        weekly_cost_gbp=weekly,
        price_index=index,
        costs=costs,
        price_date=price_date,
        run_rate_gbp=weekly_now * first_days / DAYS_PER_WEEK * (index[0] if len(index) else 1.0),
        run_rate_basis=basis,
        financial_year_start_month=financial_year_start_month,
        scenario=scenario,
    )


def _actual_run_rate(
    today: np.ndarray, lines: tuple[str, ...], weekly: np.ndarray, costs: UnitCosts, actual: float
) -> tuple[float, str]:
    """Weekly run-rate from the placements a cost file lists, and its basis in words.

    Children today beyond those listed in their cost line are priced at the unit cost,
    so a file listing some placements is not set against all the children. A cost line
    listing more placements than the history has children on the start date is named: a
    small authority's one extra child in a children's home doubled its run-rate, and the
    difference from the forecast read as children starting or leaving.
    """
    listed = costs.current
    pairs = zip(lines, today, strict=True)
    others = [max(0.0, float(n) - listed.get(ln, (0, 0.0))[0]) for ln, n in pairs]
    over = [f"{costs.line(ln)}, {listed[ln][0]:,} listed against {n:,.0f} in the history"
            for ln, n in zip(lines, today, strict=True)
            if ln in listed and listed[ln][0] > round(float(n))]  # fmt: skip
    extra = (
        "; the cost file lists more placements than the 903 history has children on the "
        f"start date in {'; '.join(over)}: check both are of the same day"
        if over
        else ""
    )
    unlisted = sum(others)
    if not listed or unlisted <= 0:
        return actual, "the council's actual weekly cost of today's placements" + extra
    count = sum(n for n, _ in listed.values())
    priced = float(np.dot(others, weekly))
    return actual + priced, (
        f"the council's actual weekly cost of the {vocabulary.counted(count, 'placement')} "
        "in its cost file, "
        f"and the other {unlisted:,.0f} children today priced at the unit costs" + extra
    )
