"""The 903 history: several years of returns reconciled into one (:mod:`.reconcile` builds
it, :mod:`.ssda903` reads the files for it and adds what it found reading them)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sufficiency.io.quality import DataQuality
from sufficiency.io.ssda903_scan import period


@dataclass(frozen=True)
class SSDA903History:
    """Several years of 903 returns, reconciled into one history.

    ``episodes`` has the DfE columns (dates as datetimes, DEC NaT when open) plus
    ``collection_year`` (the return each row was taken from); ``header`` one row per
    child (the latest return's values). ``data_start`` and ``data_end`` are the first
    and last days the returns cover (1 April of the first year; 31 March of the last,
    or an in-year extract's last month end); ``missing_years`` the collection years
    with no return between the first and last held; ``quality`` what was repaired or
    set aside to read it (see :mod:`sufficiency.io.reconcile`).
    """

    header: pd.DataFrame
    episodes: pd.DataFrame
    uasc: pd.DataFrame
    years: tuple[int, ...]
    data_start: pd.Timestamp | None = None
    data_end: pd.Timestamp | None = None
    missing_years: tuple[int, ...] = ()
    quality: DataQuality | None = None

    @property
    def start(self) -> pd.Timestamp:
        """First day of the earliest return held."""
        if self.data_start is not None:
            return self.data_start
        return pd.Timestamp(min(self._years()) - 1, 4, 1)

    @property
    def end(self) -> pd.Timestamp:
        """Last day the latest return covers."""
        if self.data_end is not None:
            return self.data_end
        return pd.Timestamp(max(self._years()), 3, 31)

    def gaps(self) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
        """First and last day of each missing collection year."""
        return [period(y) for y in self.missing_years]

    def _years(self) -> tuple[int, ...]:
        if self.years:
            return self.years
        return (int(pd.Timestamp(self.episodes["DECOM"].max()).year) + 1,)


__all__ = ["SSDA903History"]
