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
    "price_date",
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
    #: The month financial years start in, and the year whose prices the weekly costs are
    #: (``"2025-26"``; blank: the year the forecast begins in): :func:`price_date`.
    year_start_month: int = 4
    price_year: str = ""

    def base(self, start: pd.Timestamp) -> dt.date:
        """:func:`price_date` for a forecast starting on ``start``."""
        return price_date(start, self.year_start_month, self.price_year)

    def index(self, month_ends: pd.DatetimeIndex) -> np.ndarray:
        """:func:`price_index` of ``month_ends`` at this rise, the costs the prices on
        :meth:`base` of ``month_ends[0]``."""
        return price_index(month_ends, self.rate, self.month, self.day,
                           self.base(month_ends[0]))  # fmt: skip

    def dated(self, start: pd.Timestamp) -> str:
        """The price date of a forecast starting on ``start`` in words, such as ``the prices
        of 2026-27 (as on 1 April 2026)``."""
        base = self.base(start)
        year = (str(base.year) if self.year_start_month == 1
                else f"{base.year}-{(base.year + 1) % 100:02d}")  # fmt: skip
        return f"the prices of {year} (as on {base.day} {base:%B %Y})"

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


def price_date(start: pd.Timestamp, year_start_month: int, price_year: str = "") -> dt.date:
    """The day the weekly costs are the prices of: the first day of the financial year
    ``price_year`` (``"2025-26"``, or ``"2025"`` where the year is the calendar year), or,
    when blank, of the financial year the forecast begins in (the day after ``start``, the
    data cut-off). So every month-end run of one year, the run on the 31 March return
    too, reads the same costs as the same prices: a run's own start date moved them by a
    year's rise either side of an uplift date, with identical inputs."""
    if price_year:
        return dt.date(int(price_year[:4]), year_start_month, 1)
    day = pd.Timestamp(start) + pd.Timedelta(days=1)
    return dt.date(day.year if day.month >= year_start_month else day.year - 1,
                   year_start_month, 1)  # fmt: skip


def _uplifts_to(days: np.ndarray, uplift_month: int, uplift_day: int) -> np.ndarray:
    """Uplift dates on or before each of ``days`` (datetime64[D]), counted from a fixed
    origin: the difference of two days' counts is the uplifts between them."""
    d = pd.DatetimeIndex(days)
    after = (d.month > uplift_month) | ((d.month == uplift_month) & (d.day >= uplift_day))
    return np.asarray(d.year + after.astype(int), dtype=float)


def price_index(
    month_ends: pd.DatetimeIndex,
    rate: float,
    uplift_month: int,
    uplift_day: int,
    base: dt.date | None = None,
) -> np.ndarray:
    """Day-weighted average price multiplier in each month after ``month_ends[0]``.

    Prices are 1.0 on ``base`` (the day the costs are prices of, :func:`price_date`; the
    start date if ``None``) and multiply by ``1 + rate`` on each uplift date after it
    (divide for each before it).
    """
    origin = _uplifts_to(np.array([np.datetime64(base or month_ends[0].date(), "D")]),
                         uplift_month, uplift_day)[0]  # fmt: skip
    out = np.empty(len(month_ends) - 1)
    for m in range(1, len(month_ends)):
        days = np.arange(
            np.datetime64(month_ends[m - 1].date()) + 1, np.datetime64(month_ends[m].date()) + 1
        )
        passed = _uplifts_to(days, uplift_month, uplift_day) - origin
        out[m - 1] = float(np.mean((1.0 + rate) ** passed))
    return out


def prices_before(
    days: pd.DatetimeIndex,
    start: pd.Timestamp,
    rate: float,
    uplift_month: int,
    uplift_day: int,
    base: dt.date | None = None,
) -> np.ndarray:
    """Price multiplier on each of ``days`` (on or before ``start``), on the scale of
    :func:`price_index`: 1.0 on ``base`` (``start`` if ``None``), divided by ``1 + rate``
    for each uplift date after the day and up to it (a day that is an uplift date pays
    the new price)."""
    origin = _uplifts_to(np.array([np.datetime64(base or pd.Timestamp(start).date(), "D")]),
                         uplift_month, uplift_day)[0]  # fmt: skip
    passed = _uplifts_to(days.values.astype("datetime64[D]"), uplift_month, uplift_day) - origin
    return np.asarray((1.0 + rate) ** passed)
