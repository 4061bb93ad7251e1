"""What the forecast says about a change in entries must match what the returns show.

Two ways it misled a commissioner (December 2026, quiet 700-child authorities of the
calibration family, seed 3, six returns to March 2026):

- A one-off surge (unaccompanied young people arriving for six months from April 2024,
  then back to the usual 37-40 a month) was read as a level shift, and the sentence gave
  the *fitted* levels either side: "a step in April 2024 (from about 16 a month to 38)".
  The drifting level had taken part of the change, so the "before" level was one no
  month had seen. It now gives the entries observed: the year before the step, since,
  and the last 12 months when they differ.
- Entries up 50% once, in April 2024, then flat, were read as a trend (1 of 16 such
  authorities, seeds 0-15; 2 of 40 with seeds 16-39): 60 a month expected in the first
  year where 53 entered in the last 12 months and the level was 51, and the total rose
  from 934 to 1,134 over three years. The sentence said only "following the trend of
  recent years"; it now gives the last 12 months' entries and says that a one-off step
  looks like a trend and the forecast then runs high.
"""

from __future__ import annotations

import re
import warnings

import pandas as pd
from forecast_builders import regime_history

from sufficiency.config import ForecastParams
from sufficiency.forecast.entries import entry_change_sentence, fit_entries
from sufficiency.forecast.report import _shift_words
from sufficiency.forecast.states import build_spells

START = pd.Timestamp("2026-03-31")
WINDOW = pd.Timestamp("2023-03-31")


def _fit(**changes):
    care = build_spells(regime_history(3, **changes))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        em = fit_entries(care, START, WINDOW, ForecastParams())
    said = entry_change_sentence(em, WINDOW, em.monthly_counts[-36:])
    return em, said


def test_a_passed_surge_is_said_with_the_entries_observed_either_side():
    em, said = _fit(
        uasc_from=pd.Timestamp("2024-04-01"),
        uasc_until=pd.Timestamp("2024-10-01"),
        uasc_share=1.5,
    )
    assert em.has_shift and em.shift_at == pd.Timestamp("2024-03-31")
    y = em.monthly_counts
    year_before = y[-36:-24].mean()  # April 2023 to March 2024
    since, last = y[-24:].mean(), y[-12:].mean()
    assert said is not None
    before_said, since_said, last_said = map(
        float,
        re.search(
            r"a step in April 2024 \(entries observed: about ([\d.]+) a month in the year "
            r"before it, ([\d.]+) since, ([\d.]+) in the last 12 months\)",
            said,
        ).groups(),
    )
    assert abs(before_said - year_before) <= 0.5  # 39, not the fitted 16
    assert abs(since_said - since) <= 0.5
    assert abs(last_said - last) <= 0.5
    # the forecast starts from the last months, which the sentence now shows
    assert abs(em.fitted_per_month() / last - 1) < 0.1
    words = _shift_words(em)
    assert words.startswith(f"from April 2024: {year_before:.1f} entries a month observed")
    assert f"{last:.1f} in the last 12 months" in words


def test_a_step_read_as_a_trend_says_it_may_run_high():
    em, said = _fit(step_at=pd.Timestamp("2024-04-01"), step_factor=1.5)
    assert em.has_trend and not em.has_shift  # the case this guards
    assert said is not None
    last = em.monthly_counts[-12:].mean()
    assert f"about {last:.0f} a month entered in the last 12 months" in said
    assert "rose once (a change of policy, a surge of arrivals)" in said
    assert "the forecast then runs high" in said
    assert em.fitted_per_month() > 1.1 * last  # what the warning is about


def test_a_step_read_as_a_trend_not_carried_on_is_one_warning_both_ways():
    """Seed 3's one-off step read as a trend also set off the trend-not-carried-on
    warning: a commissioner read "runs high if it was a one-off step" and, apart, "runs
    low if it goes on". Now one warning says both ways."""
    care = build_spells(regime_history(3, step_at=pd.Timestamp("2024-04-01"), step_factor=1.5))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit_entries(care, START, WINDOW, ForecastParams())
    said = [str(w.message) for w in caught if "Entries" in str(w.message)]
    assert len(said) == 1, said
    assert said[0].startswith("Entries have changed")
    assert (
        "and then held can look like a trend, and the forecast then runs high; if the rise "
        "goes on, it runs low (below): check what lay behind the change" in said[0]
    )
    assert "does not carry the rise on in full" in said[0]
    assert said[0].index("runs high") < said[0].index("Entries rose about")
