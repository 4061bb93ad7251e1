"""Prices over time: the weekly-to-daily rate and the annual uplift as a monthly index.

Used by the spend projection (:mod:`sufficiency.finance`) and the commissioning
economics (:mod:`sufficiency.commissioning`), which price the same months the same way
and do not import each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import overload

import numpy as np
import pandas as pd

DAYS_PER_WEEK = 7.0
#: Weeks in an average year (365.25 days): a yearly cost over this is its weekly rate, so
#: twelve months' weeks cost the yearly figure (52 weeks would charge 0.34% more a year).
WEEKS_PER_YEAR = 365.25 / DAYS_PER_WEEK
#: The most a weekly figure may be (£): the dearest placement recorded in England was
#: £63,000 a week (LGA high-cost placements survey, 2023; DOMAIN.md 7). A weekly price
#: above it is in pence or a year's cost.
MOST_WEEKLY_GBP = 100_000.0
#: How the dearest placement on record is said beside :data:`MOST_WEEKLY_GBP`.
DEAREST_ON_RECORD = "the dearest placement recorded in England (£63,000 a week, LGA 2023)"
#: A table's weekly cost above :data:`MOST_WEEKLY_GBP`, as its row's problem.
NOT_A_WEEKS_COST = (
    f"is more than {DEAREST_ON_RECORD}: is it a year's cost, or in pence? Give pounds a week"
)
#: Default weekly cost per forecast category (GBP, 2025 prices; DOMAIN.md section 7), the
#: configuration's ``[finance] weekly_cost_gbp`` unless a council gives its own
#: (``config.DEFAULT_COST_SOURCES`` says where each comes from): what a week of each kind
#: of placement usually costs.
DEFAULT_WEEKLY_COSTS: dict[str, float] = {
    "kinship_foster": 350.0,
    "in_house_foster": 600.0,
    "ifa_foster": 900.0,
    "in_house_residential": 5500.0,
    "external_residential": 6100.0,
    "secure": 8000.0,
    "supported": 2000.0,
    "with_parents": 150.0,
    "placed_for_adoption": 100.0,
    "other": 1000.0,
}
#: A weekly cost this many times under (or over) what its kind usually costs is doubted: a
#: day's fee given as a week's is a seventh of it, a month's over four times.
FAR_FROM_USUAL = 5.0

__all__ = [
    "DAYS_PER_WEEK",
    "DEAREST_ON_RECORD",
    "DEFAULT_RISE",
    "DEFAULT_WEEKLY_COSTS",
    "FAR_FROM_USUAL",
    "MOST_WEEKLY_GBP",
    "NOT_A_WEEKS_COST",
    "WEEKS_PER_YEAR",
    "PriceRise",
    "far_below_usual",
    "far_from_usual",
    "price_index",
    "prices_before",
    "uplift_dates",
]


@dataclass(frozen=True)
class PriceRise:
    """The yearly price rise: ``rate`` on each ``day`` of ``month`` (1 April by default).

    The one place the spend projection and the commissioning economics take the uplift
    date from (``FinanceParams.price_rise``), for their price indices and their words
    alike: a council whose prices rise on 1 July has both priced, and said, so.
    """

    rate: float = 0.06
    month: int = 4
    day: int = 1

    def index(self, month_ends: pd.DatetimeIndex) -> np.ndarray:
        """:func:`price_index` of ``month_ends`` at this rise."""
        return price_index(month_ends, self.rate, self.month, self.day)

    @property
    def date(self) -> str:
        """The uplift date in words, such as ``1 April``."""
        return f"{self.day} {dt.date(2000, self.month, 1):%B}"

    @property
    def words(self) -> str:
        """``6.0% each 1 April``."""
        return f"{self.rate:.1%} each {self.date}"


@overload
def far_below_usual(cost: float, usual: float) -> bool: ...
@overload
def far_below_usual(cost: pd.Series, usual: pd.Series) -> pd.Series: ...
def far_below_usual(cost: float | pd.Series, usual: float | pd.Series) -> bool | pd.Series:
    """Whether a weekly ``cost`` above nothing is under a fifth (:data:`FAR_FROM_USUAL`) of
    what its kind ``usually`` costs: a day's fee (£85 a day for an IFA carer, £900 for a
    children's home) given as a week's. Figures or whole columns (a register at once)."""
    return (cost > 0) & (cost < usual / FAR_FROM_USUAL)  # type: ignore[no-any-return]


def far_from_usual(cost: float, usual: float) -> bool:
    """:func:`far_below_usual`, or over five times what its kind usually costs (a month's
    cost given as a week's)."""
    return far_below_usual(cost, usual) or cost > usual * FAR_FROM_USUAL


#: The configuration's default: 6% each 1 April.
DEFAULT_RISE = PriceRise()


def uplift_dates(start: dt.date, end: dt.date, month: int, day: int) -> list[dt.date]:
    """Every uplift date after ``start`` and up to ``end``."""
    out = []
    for year in range(start.year, end.year + 1):
        d = dt.date(year, month, day)
        if start < d <= end:
            out.append(d)
    return out


def price_index(
    month_ends: pd.DatetimeIndex, rate: float, uplift_month: int, uplift_day: int
) -> np.ndarray:
    """Day-weighted average price multiplier in each month after ``month_ends[0]``.

    Prices are 1.0 on the start date and multiply by ``1 + rate`` on each uplift date.
    """
    start = month_ends[0].date()
    ups = np.array(
        uplift_dates(start, month_ends[-1].date(), uplift_month, uplift_day), dtype="datetime64[D]"
    )
    out = np.empty(len(month_ends) - 1)
    for m in range(1, len(month_ends)):
        days = np.arange(
            np.datetime64(month_ends[m - 1].date()) + 1, np.datetime64(month_ends[m].date()) + 1
        )
        passed = np.searchsorted(ups, days, side="right")
        out[m - 1] = float(np.mean((1.0 + rate) ** passed))
    return out


def prices_before(
    days: pd.DatetimeIndex, start: pd.Timestamp, rate: float, uplift_month: int, uplift_day: int
) -> np.ndarray:
    """Price multiplier on each of ``days`` (on or before ``start``), on the scale of
    :func:`price_index`: 1.0 on ``start``, divided by ``1 + rate`` for each uplift date
    after the day and up to ``start`` (a day that is an uplift date pays the new price)."""
    first = pd.Timestamp(days.min()).date() - dt.timedelta(days=1)
    ups = np.array(
        uplift_dates(first, pd.Timestamp(start).date(), uplift_month, uplift_day),
        dtype="datetime64[D]",
    )
    later = len(ups) - np.searchsorted(ups, days.values.astype("datetime64[D]"), side="right")
    return np.asarray((1.0 + rate) ** -later.astype(float))
