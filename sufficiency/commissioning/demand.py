"""Demand that must be met beyond today's in-house capacity, per path, month and group.

A capacity group is a set of (category, age band) cells one kind of place can serve.
External demand in month ``t`` on path ``s`` is the group's children at that month end
minus the in-house places in use on the start date (assumed kept up by business-as-usual
recruitment), floored at zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sufficiency.errors import ConfigError
from sufficiency.forecast import AGE_BANDS, ForecastResult
from sufficiency.results import BriefRepr, ReadOnlyArrays

_FOSTER = ("in_house_foster", "ifa_foster")
_RESIDENTIAL = ("in_house_residential", "external_residential")

#: group -> (categories, age bands, in-house category whose start stock is existing capacity)
GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "foster_0_4": (_FOSTER, ("under 1", "1-4"), "in_house_foster"),
    "foster_5_9": (_FOSTER, ("5-9",), "in_house_foster"),
    "foster_10_15": (_FOSTER, ("10-15",), "in_house_foster"),
    "foster_16_17": (_FOSTER, ("16-17",), "in_house_foster"),
    "residential": (_RESIDENTIAL, tuple(AGE_BANDS), "in_house_residential"),
}


@dataclass(frozen=True, eq=False, repr=False)
class DemandPaths(ReadOnlyArrays, BriefRepr):
    """External demand ``demand[path, month, group]`` (int) for months 1..horizon.

    Attributes
    ----------
    month_ends
        ``horizon + 1`` dates; index 0 is the start date (no demand row).
    groups
        Group names of the last axis.
    demand
        Children needing an external or new place, ``(paths, months, groups)``.
    existing_in_house
        In-house places in use on the start date, per group.
    seed
        Seed of the forecast the paths come from.
    """

    month_ends: pd.DatetimeIndex
    groups: tuple[str, ...]
    demand: np.ndarray
    existing_in_house: np.ndarray
    seed: int

    @property
    def num_paths(self) -> int:
        """Number of paths."""
        return int(self.demand.shape[0])

    @property
    def horizon_months(self) -> int:
        """Months after the start."""
        return int(self.demand.shape[1])

    def scaled(self, factor: float) -> DemandPaths:
        """Demand multiplied by ``factor``, in whole children, the change kept on average.

        Each path's group is rounded with an offset of its own, drawn once for all its
        months (seeded by the paths' seed): ``floor(demand * factor + u)`` with ``u``
        uniform on [0, 1) has the mean ``demand * factor``, and a path stays as smooth as it
        was. Rounding to the nearest child lost the change where a small authority's
        groups hold a child or two (1 and 2 times 0.8 or 1.2 are still 1 and 2): its
        'demand 20% lower' was 3% to 11% lower, its '10% lower' 0% to 2%.
        """
        u = np.random.default_rng(self.seed).random((self.num_paths, 1, len(self.groups)))
        d = np.floor(self.demand * factor + u).astype(np.int64)
        return DemandPaths(self.month_ends, self.groups, d, self.existing_in_house, self.seed)

    def central(self) -> DemandPaths:
        """The central forecast alone: the mean path, rounded to whole children."""
        d = np.rint(self.demand.mean(axis=0, keepdims=True)).astype(np.int64)
        return DemandPaths(self.month_ends, self.groups, d, self.existing_in_house, self.seed)


def demand_from_forecast(result: ForecastResult, horizon_months: int) -> DemandPaths:
    """External demand per path, month and group from a forecast's simulated stock.

    Raises
    ------
    ConfigError
        ``horizon_months`` is longer than the forecast.
    """
    if horizon_months > result.horizon_months:
        raise ConfigError(
            f"The commissioning horizon ({horizon_months} months) is longer than the forecast "
            f"({result.horizon_months} months); shorten --horizon-months or forecast further."
        )
    cats = list(result.categories)
    bands = list(result.age_bands)
    stock = result.stock[:, : horizon_months + 1].astype(np.int64)
    out = np.empty((stock.shape[0], horizon_months, len(GROUPS)), dtype=np.int64)
    existing = np.empty(len(GROUPS), dtype=np.int64)
    for g, (gcats, gbands, in_house) in enumerate(GROUPS.values()):
        ci = [cats.index(c) for c in gcats]
        bi = [bands.index(b) for b in gbands]
        total = stock[:, :, ci][:, :, :, bi].sum(axis=(2, 3))
        existing[g] = int(stock[0, 0, cats.index(in_house), bi].sum())
        out[:, :, g] = np.maximum(total[:, 1:] - existing[g], 0)
    return DemandPaths(
        month_ends=result.month_ends[: horizon_months + 1],
        groups=tuple(GROUPS),
        demand=out,
        existing_in_house=existing,
        seed=result.seed,
    )
