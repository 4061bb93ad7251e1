"""A forecast started before the end of its history says so, with the months it left out.

``--start 2025-09-30`` on returns to 31 March 2026 forecast six months the returns
already show, from the stock of 30 September 2025, and nothing said so: the headline
("on 30 September 2028: 707") read as a forecast from what is known now. The forecast now
says the months are in the returns and, at the last month end they cover, the children
they show beside its own mean and P10-P90.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
from forecast_builders import FAST

from sufficiency.forecast.run import run_forecast
from sufficiency.forecast.states import build_spells, stock_at
from sufficiency.forecast.synthetic import synthetic_history

HISTORY = synthetic_history(num_in_care=200, num_years=4, seed=5)


def _notes(start: pd.Timestamp | None) -> tuple[list[str], object]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = run_forecast(HISTORY, FAST, start=start)
    return [n for n in report.notes if "before the end of the history" in n], report


def test_a_start_before_the_history_ends_is_said_against_what_the_returns_show():
    said, report = _notes(pd.Timestamp("2025-09-30"))
    assert len(said) == 1, said
    care = build_spells(HISTORY)
    actual = int(stock_at(care, [pd.Timestamp("2026-03-31")]).sum())
    total = report.base.total()[:, 6]
    p10, p90 = np.quantile(total, [0.1, 0.9])
    assert said[0].startswith(
        "The start date 30 September 2025 is before the end of the history (31 March "
        "2026): the forecast uses nothing after it, and its first 6 months are already in "
        "the returns. "
    )
    found = re.search(
        r"On 31 March 2026 they show ([\d,]+) children looked after, where the forecast "
        r"gives ([\d,]+) on average \(P10 ([\d,]+), P90 ([\d,]+)\)",
        said[0],
    )
    assert found is not None, said[0]
    shown = [int(x.replace(",", "")) for x in found.groups()]
    assert shown == [actual, round(total.mean()), round(p10), round(p90)]
    # kept for the reader who never saw the console
    assert said[0] in set(report.assumptions["value"])


def test_a_forecast_from_the_end_of_the_history_says_nothing_of_it():
    said, _ = _notes(None)
    assert said == []
    said, _ = _notes(pd.Timestamp("2026-03-31"))
    assert said == []
