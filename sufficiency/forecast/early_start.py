"""A forecast started before the end of its history: say so, and how it compares.

``--start`` may be any day the history covers. A start before the history's end
forecasts months the returns already show, and uses nothing after the start. Nothing
said so: a commissioner given "on 30 September 2028: 707" from a run started 30
September 2025 on returns to 31 March 2026 could not tell that six months of known
figures had been left out (``tests/forecast/test_early_start_said.py``). The sentence
gives the months left out and, at the last month end the returns cover, the children
they show beside the forecast's mean and P10-P90, so the reader can judge it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sufficiency.figures import day
from sufficiency.forecast.result import ForecastResult
from sufficiency.forecast.states import CareSpells, stock_at


def early_start_sentence(care: CareSpells, result: ForecastResult) -> str | None:
    """Say that ``result`` starts before ``care``'s end; ``None`` when it does not."""
    start, end = result.start, care.data_end
    if start >= end:
        return None
    ends = result.month_ends
    seen = (ends <= end) & ~care.in_gap(ends.to_numpy("datetime64[D]"))
    known = [m for m in range(1, len(ends)) if seen[m]]
    said = (
        f"The start date {day(start)} is before the end of the history ({day(end)}): the "
        "forecast uses nothing after it"
    )
    if not known:
        return f"{said}. Start it at the end of the history (the default) to use it all."
    m = known[-1]
    on = pd.Timestamp(result.month_ends[m])
    actual = int(stock_at(care, [on]).sum())
    total = result.total()[:, m]
    p10, p90 = np.quantile(total, [0.1, 0.9])
    return (
        f"{said}, and its first {f'{m} months are' if m > 1 else 'month is'} already in "
        "the returns. "
        f"On {day(on)} they show {actual:,} children looked after, where the forecast gives "
        f"{total.mean():,.0f} on average (P10 {p10:,.0f}, P90 {p90:,.0f}). Start it at the "
        "end of the history (the default) to forecast from what is known now."
    )
