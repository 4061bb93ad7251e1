"""A change in how many children enter care is said, with the level the forecast starts from.

The entry model may find a level shift (a policy change, unaccompanied 16-17-year-olds
arriving) and start the forecast from the new level; before, nothing said so: the
assumptions gave only the reference window's average (32.8 a month on an authority whose
entries had stepped from 27 to 43, so the forecast's rise looked unexplained), and no
sentence said that how long children stay is still measured mostly before the change.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from forecast_builders import FAST, regime_history

from sufficiency.forecast.errors import ForecastWarning
from sufficiency.forecast.estimate import fit_model
from sufficiency.forecast.report import assumptions_table
from sufficiency.forecast.scenario import BASE
from sufficiency.forecast.states import build_spells

START = pd.Timestamp("2026-03-31")


def _fit(**changes):
    care = build_spells(regime_history(3, **changes))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = fit_model(care, START, FAST)
    said = [str(w.message) for w in caught if issubclass(w.category, ForecastWarning)]
    rows = assumptions_table(model, FAST, BASE, START).set_index("item")["value"]
    return model, [s for s in said if s.startswith("Entries have changed")], rows


@pytest.mark.parametrize("step_at", ["2024-04-01", "2025-04-01"])
def test_a_step_in_entries_is_said_with_the_level_the_forecast_starts_from(step_at):
    """Entries up 60% from April 2024 or 2025 (the model finds a trend, a step or a
    drifting level: it must say so whichever)."""
    model, said, rows = _fit(step_at=pd.Timestamp(step_at), step_factor=1.6)
    assert len(said) == 1, said
    fitted, average, pct = re.search(
        r"expects about ([\d.]+) children a month to start to be looked after in its first "
        r"year, against ([\d.]+) a month on average from 31 March 2023 to 31 March 2026 "
        r"\(\+(\d+)%\)",
        said[0],
    ).groups()
    # the new level (or above it: a step two years back may be read as a trend)
    assert float(fitted) > 0.9 * model.entries.monthly_counts[-12:].mean()
    assert float(fitted) > 1.15 * float(average)
    assert abs(int(pct) - 100 * (float(fitted) / float(average) - 1)) <= 2
    assert float(average) == pytest.approx(model.entries.monthly_counts[-36:].mean(), abs=0.5)
    assert "16-17-year-olds stay until 18" in said[0]
    row = float(rows["Entries per month expected in the first forecast year (fitted)"])
    assert row == pytest.approx(float(fitted), abs=0.5)
    shift = rows["Entry level shift"]
    assert ("a step in" in said[0]) == shift.startswith("from "), (said[0], shift)


def test_steady_entries_say_no_shift():
    model, said, rows = _fit()
    assert said == []
    assert rows["Entry level shift"] == "none (not supported by the data)"
    fitted = float(rows["Entries per month expected in the first forecast year (fitted)"])
    assert fitted == pytest.approx(np.mean(model.entries.monthly_counts[-36:]), rel=0.1)
