"""Backtests: refit with data up to a cutoff, forecast, and score against what happened.

Scores, for our model and two baselines (persistence and a deterministic
stock-and-flow model of the Social Finance kind): absolute percentage error of the
total and of each category at 3, 6 and 12 months, and for our model whether each
month's actual total fell inside the forecast's P10-P90 band; and the starts over the
horizon (placement starts, the placements commissioners must find, and children entering
care) against what happened, with the forecast's P10-P90 and the last such period's.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import field, replace

import numpy as np
import pandas as pd

from sufficiency.config import ForecastParams, with_overrides
from sufficiency.errors import ConfigError
from sufficiency.figures import day as said_day
from sufficiency.forecast.errors import ForecastError, ForecastWarning
from sufficiency.forecast.projection import forecast_from_spells
from sufficiency.forecast.result import ForecastResult
from sufficiency.forecast.states import (
    CATEGORIES,
    CareSpells,
    build_spells,
    flows,
    month_ends,
    stock_at,
)
from sufficiency.forecast.stockflow import persistence_forecast, stock_flow_forecast
from sufficiency.io.reconcile import episodes_as_of
from sufficiency.io.ssda903 import SSDA903History
from sufficiency.results import BriefRepr, result_dataclass
from sufficiency.vocabulary import counted

METHODS = ("model", "persistence", "stock_flow")
SCORE_COLUMNS = ("cutoff", "method", "category", "horizon_months", "forecast", "actual", "ape_pct")
COVERAGE_COLUMNS = ("cutoff", "month", "actual", "p10", "p90", "inside")
STARTS_COLUMNS = ("cutoff", "flow", "months", "forecast", "p10", "p90", "actual", "inside",
                  "ape_pct", "previous", "previous_ape_pct")  # fmt: skip
#: The flows each starts score adds up (see :func:`.states.flows`): placement starts are
#: entries, moves in and new placements in the same category, as the forecast's starts.
STARTS_FLOWS = {"placement_starts": ("entry", "move_in", "change"), "entries": ("entry",)}


def truncate_history(history: SSDA903History, cutoff: pd.Timestamp) -> SSDA903History:
    """The history as it would have looked on ``cutoff``.

    Episodes starting after the cutoff are dropped; episodes ending after it are
    open (DEC, REC and REASON_PLACE_CHANGE blanked).
    """
    cutoff = pd.Timestamp(cutoff)
    ep = episodes_as_of(history.episodes, cutoff)
    years = tuple(y for y in history.years if pd.Timestamp(y - 1, 4, 1) <= cutoff)
    missing = tuple(y for y in history.missing_years if pd.Timestamp(y - 1, 4, 1) <= cutoff)
    return replace(
        history,
        episodes=ep.reset_index(drop=True),
        years=years,
        data_start=history.start,
        data_end=min(history.end, cutoff),
        missing_years=missing,
    )


def _truncate_spells(care: CareSpells, history: SSDA903History, cutoff: pd.Timestamp):
    cut = build_spells(truncate_history(history, cutoff))
    return CareSpells(
        cut.spells, care.data_start, min(care.data_end, pd.Timestamp(cutoff)), cut.gaps
    )


@result_dataclass
class BacktestResult(BriefRepr):
    """Backtest scores.

    Attributes
    ----------
    scores
        One row per cutoff x method x category (incl. ``all``) x horizon:
        ``cutoff, method, category, horizon_months, forecast, actual, ape_pct``.
    coverage
        One row per cutoff x month: ``cutoff, month, actual, p10, p90, inside``
        (our model's band for the total).
    starts
        One row per cutoff x flow (``placement_starts``, ``entries``): the starts over the
        ``months`` after the cutoff, forecast (mean, P10, P90) and actual, whether the
        actual fell inside P10-P90, the error, and the same months before the cutoff
        (``previous``: "as many as last time") with its error; ``previous`` is blank when
        the history does not cover them. A cutoff with a month in a collection year with
        no return is not scored (its starts are only partly known).
    """

    scores: pd.DataFrame
    coverage: pd.DataFrame
    starts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(STARTS_COLUMNS)))

    def summary(self) -> pd.DataFrame:
        """Mean APE of the total per method and horizon, plus P10-P90 coverage. A horizon
        at which the total was 0 children at every cutoff has no APE (blank), and stays:
        dropped, a small authority's summary lost its coverage too, and the command
        printed pandas' 'Empty DataFrame'."""
        tot = self.scores[self.scores["category"] == "all"]
        table = tot.pivot_table(
            index="horizon_months", columns="method", values="ape_pct", aggfunc="mean",
            dropna=False,
        )  # fmt: skip
        table = table.reindex(columns=[m for m in METHODS if m in table.columns])
        table["p10_p90_coverage_pct"] = 100 * self.coverage["inside"].mean()
        return table.reset_index()


def _fitted_at(past: CareSpells, params: ForecastParams, cutoff: pd.Timestamp) -> ForecastResult:
    """The forecast from ``cutoff`` on the history before it, its warnings said as the
    backtest's: "Only 2.0 years of history before 31/03/2025", given unlabelled beside
    the forecast's own, read as a warning about the forecast, whose history ran to
    31/03/2026 (a region's Read with care listed both)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = forecast_from_spells(past, params, start=cutoff)
    for w in caught:
        if issubclass(w.category, ForecastWarning):
            said = str(w.message)
            warnings.warn(f"{BACKTEST_SAYS.format(said_day(cutoff))}{said[:1].lower()}{said[1:]}",
                          w.category, stacklevel=3)  # fmt: skip
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return result


#: How a warning of the backtest's forecast (from its cutoff, as figures.day says it) begins.
BACKTEST_SAYS = "In the backtest, forecasting from its cutoff {}: "


def unlabelled(note: str) -> str | None:
    """A backtest's warning (:data:`BACKTEST_SAYS`) as the forecast would give it, without
    the backtest's words; ``None`` for a note that is not a backtest's."""
    found = re.match(BACKTEST_SAYS.replace("{}", r"\d{1,2} [A-Z][a-z]+ \d{4}"), note)
    if found is None:
        return None
    rest = note[found.end() :]
    return rest[:1].upper() + rest[1:]


def backtest(
    history: SSDA903History,
    cutoffs: Sequence[pd.Timestamp] | pd.Timestamp,
    horizon_months: int = 12,
    params: ForecastParams | None = None,
    progress: Callable[[str], None] | None = None,
) -> BacktestResult:
    """Backtest the forecast at each cutoff.

    The errors are scored at each of ``params.backtest_horizons_months`` up to
    ``horizon_months``, and at ``horizon_months`` itself. A month in a collection year
    with no return is not scored (the children looked after then are only partly
    known), with a :class:`ForecastWarning` saying so.

    Raises
    ------
    ConfigError
        ``horizon_months`` is outside 1-60 (as ``--horizon-months``).
    ForecastError
        A cutoff is outside the history, or fewer than ``horizon_months`` months of
        history follow it.
    """
    if horizon_months is None:  # "keep the configured value" to with_overrides: not meant
        raise ConfigError.wrong_kind("horizon_months", "a whole number of months (1-60)", None)
    params = with_overrides(params or ForecastParams(), "backtest", horizon_months=horizon_months)
    horizon_months = params.horizon_months  # as checked: 3.0 or "3" was a pandas TypeError
    horizons = sorted(
        {h for h in params.backtest_horizons_months if h <= horizon_months} | {horizon_months}
    )
    cutoff_list = [pd.Timestamp(cutoffs)] if not isinstance(cutoffs, Sequence) else cutoffs
    care = build_spells(history)
    score_rows: list[dict[str, object]] = []
    cover_rows: list[dict[str, object]] = []
    start_rows: list[dict[str, object]] = []
    for cutoff in sorted({pd.Timestamp(c).normalize() for c in cutoff_list}):  # each once
        if cutoff < care.data_start or cutoff > care.data_end:
            raise ForecastError(
                f"The cutoff {said_day(cutoff)} is outside the 903 history, which covers "
                f"{said_day(care.data_start)} to {said_day(care.data_end)}."
            )
        months = month_ends(cutoff, horizon_months)
        if months[-1] > care.data_end:
            raise ForecastError(
                f"The history ends {said_day(care.data_end)}, before {said_day(months[-1])}: a "
                f"{horizon_months}-month backtest needs an earlier cutoff than {said_day(cutoff)}."
            )
        if progress is not None:
            progress(f"Backtesting at {said_day(cutoff)}")
        past = _truncate_spells(care, history, cutoff)
        unseen = care.in_gap(months.to_numpy("datetime64[D]"))
        _warn_unseen(cutoff, months, unseen)
        if cutoff != cutoff + pd.offsets.MonthEnd(0):
            warnings.warn(
                f"The cutoff {said_day(cutoff)} is not the last day of a month: the forecast "
                f"steps from month end to month end, so its {_and(horizons)}-month scores "
                f"are on {_and([said_day(months[h]) for h in horizons])}, less than that "
                "many whole months after it.",
                ForecastWarning,
                stacklevel=2,
            )
        actual = stock_at(care, months).sum(axis=2).astype(float)  # (M, C)
        result = _fitted_at(past, params, cutoff)
        by_cat = result.by_category().astype(float)  # (P, M, C)
        forecasts = {
            "model": by_cat.mean(axis=0),
            "persistence": persistence_forecast(past, cutoff, months),
            "stock_flow": stock_flow_forecast(past, cutoff, months, params.reference_years),
        }
        for method, fc in forecasts.items():
            for h in horizons:
                if unseen[h]:
                    continue
                for c, name in [*enumerate(CATEGORIES), (-1, "all")]:
                    f = fc[h].sum() if c < 0 else fc[h, c]
                    a = actual[h].sum() if c < 0 else actual[h, c]
                    score_rows.append(
                        {
                            "cutoff": cutoff.date().isoformat(),
                            "method": method,
                            "category": name,
                            "horizon_months": h,
                            "forecast": round(float(f), 2),
                            "actual": float(a),
                            "ape_pct": round(100 * abs(f - a) / a, 2) if a > 0 else np.nan,
                        }
                    )
        if not unseen[1:].any():  # starts in a year with no return are only partly known
            start_rows += _starts_rows(care, months, result)
        totals = by_cat.sum(axis=2)
        p10, p90 = np.quantile(totals, [0.1, 0.9], axis=0)
        for m in range(1, len(months)):
            if unseen[m]:
                continue
            a = actual[m].sum()
            cover_rows.append(
                {
                    "cutoff": cutoff.date().isoformat(),
                    "month": months[m].date().isoformat(),
                    "actual": float(a),
                    "p10": float(p10[m]),
                    "p90": float(p90[m]),
                    "inside": bool(p10[m] <= a <= p90[m]),
                }
            )
    if not score_rows:
        raise ForecastError(
            f"Nothing to score: every horizon ({_and(horizons)} months after each cutoff) "
            "is in a collection year with no return, where the children looked after are "
            "only partly known. Choose a cutoff with returns after it."
        )
    return BacktestResult(
        pd.DataFrame(score_rows, columns=list(SCORE_COLUMNS)),
        pd.DataFrame(cover_rows, columns=list(COVERAGE_COLUMNS)),
        pd.DataFrame(start_rows, columns=list(STARTS_COLUMNS)),
    )


def _observed(care: CareSpells, first: pd.Timestamp, last: pd.Timestamp, flow: str) -> int:
    """Starts of ``flow`` (see ``STARTS_FLOWS``) from the day after ``first`` to ``last``."""
    found = flows(care, pd.DatetimeIndex([first, last]))
    return int(found.loc[found["flow"].isin(STARTS_FLOWS[flow]), "count"].sum())


def _starts_rows(
    care: CareSpells, months: pd.DatetimeIndex, result: ForecastResult
) -> list[dict[str, object]]:
    """The starts over the months after the cutoff: forecast, actual and the months before."""
    cutoff, h = months[0], len(months) - 1
    before = (cutoff - pd.DateOffset(months=h)) + pd.offsets.MonthEnd(0)
    earlier = month_ends(before, h).to_numpy("datetime64[D]")
    known = before >= care.data_start and not care.in_gap(earlier[1:]).any()
    rows: list[dict[str, object]] = []
    for flow, paths in (("placement_starts", result.starts), ("entries", result.entries)):
        sums = paths[:, 1:].sum(axis=(1, 2)).astype(float)
        mean = float(sums.mean())
        p10, p90 = (round(float(q), 1) for q in np.quantile(sums, [0.1, 0.9]))  # as written
        actual = _observed(care, cutoff, months[-1], flow)
        previous = _observed(care, before, cutoff, flow) if known else None
        rows.append({
            "cutoff": cutoff.date().isoformat(), "flow": flow, "months": h,
            "forecast": round(mean, 2), "p10": p10, "p90": p90,
            "actual": actual, "inside": bool(p10 <= actual <= p90),
            "ape_pct": round(100 * abs(mean - actual) / actual, 2) if actual else np.nan,
            "previous": previous,
            "previous_ape_pct": (round(100 * abs(previous - actual) / actual, 2)
                                 if actual and previous is not None else np.nan),
        })  # fmt: skip
    return rows


def _and(items: Sequence[object]) -> str:
    """``3, 6 and 12``."""
    words = [str(n) for n in items]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _warn_unseen(cutoff: pd.Timestamp, months: pd.DatetimeIndex, unseen: np.ndarray) -> None:
    """Say which months after ``cutoff`` fall in a year with no return, so are not scored."""
    later = months[1:][unseen[1:]]
    if not len(later):
        return
    warnings.warn(
        f"The backtest from {said_day(cutoff)} does not score {counted(len(later), 'month')} "
        f"({later[0]:%b %Y} to {later[-1]:%b %Y}) in a collection year with no return: the "
        "children looked after then are only partly known (those who entered and left "
        "within it are missing), so there is no true count to score against.",
        ForecastWarning,
        stacklevel=3,
    )


def _pct(x: float) -> str:
    return f"{x:.1f}%"


def backtest_sentences(result: BacktestResult) -> list[str]:
    """One plain sentence per horizon comparing the model with "no change", and one on coverage."""
    summ = result.summary()
    lines = []
    for rec in summ.to_dict("records"):
        h = int(rec["horizon_months"])
        model, still = rec.get("model"), rec.get("persistence")
        if model is None or still is None:
            continue
        if pd.isna(model) or pd.isna(still):
            lines.append(
                f"{h} months ahead, no error can be scored: the actual total was 0 children "
                "(a percentage of 0 is not defined; backtest.csv has the counts)."
            )
            continue
        if _pct(model) == _pct(still):  # as said: "worse than ... 1.5%, against 1.5%" read wrong
            verdict = "about as well as"
        elif model < still:
            verdict = "better than"
        elif model > still:
            verdict = "worse than"
        else:
            verdict = "as well as"
        lines.append(
            f"{h} months ahead, the model did {verdict} assuming no change: its forecast "
            f"total was on average {_pct(model)} away from the actual count, against "
            f"{_pct(still)} for no change (persistence)."
        )
    if len(summ):
        cover = float(summ["p10_p90_coverage_pct"].iloc[0])
        lines.append(
            f"The actual total fell inside the model's P10-P90 band in {cover:.0f}% of the "
            f"months tested; a well-calibrated band holds about 80%."
        )
    return lines + starts_sentences(result)


def starts_sentences(result: BacktestResult) -> list[str]:
    """One plain sentence per cutoff: the placement starts forecast against what happened."""
    lines = []
    for rec in result.starts[result.starts["flow"] == "placement_starts"].to_dict("records"):
        actual, months = int(rec["actual"]), counted(int(rec["months"]), "month")
        where = "inside" if rec["inside"] else "outside"
        line = (
            f"Placement starts in the {months} after {said_day(pd.Timestamp(rec['cutoff']))}: "
            f"forecast {rec['forecast']:,.0f} (P10-P90 {rec['p10']:,.0f} to {rec['p90']:,.0f}), "
            f"actual {actual:,}, {where} the band"
        )
        if not pd.isna(rec["previous"]):
            line += f"; the {months} before the cutoff had {int(rec['previous']):,}"
        lines.append(line + ".")
    return lines
