"""How honest the forecast is when entries really keep rising or falling.

Authorities of the calibration family (:mod:`sufficiency.forecast.family`) whose entries
change steadily from April 2021 and go on changing: quiet 700-child authorities
(``quiet_spec``: steady entries, little noise, no drift) with entries changing by +4%,
+8%, +12%, -4%, -8% or -12% a year (``trend_per_year = log(1 + rate)``), seeds 0-5
(``--seeds``), and with ``--family`` also the family's own rising and falling held-out
authorities (seeds 1000-1035 of those regimes: their rates, sizes, level drift and
noise as drawn); with ``--step SEED ...`` quiet authorities whose entries rose 50% once,
in April 2024, then held (a step the forecast may read as a trend), and with ``--flat SEED
...`` quiet authorities with steady entries (``--rates`` with no value leaves out the
trends). Nine years of returns are generated to 31 March 2029; the forecast
is fitted on the history to 31 March 2026 (the backtest's truncation: nothing after it
is used) and simulated 36 months (``--paths``, default 300, seed 2026), and its total
children looked after (mean, P10, P50, P90) is set beside the count the later returns
show at 12, 24 and 36 months: the error of the mean, whether the truth fell inside
P10-P90, and the change from the start forecast and seen.

``said``: whether the forecast warned that entries have changed or that it does not
carry an entry trend on in full (its ``ForecastWarning``); ``missed_unsaid``: the truth
outside P10-P90 with neither said, the silent wrong answer.

Also printed, to say *why* it misses: the entries the forecast expects over the 36 months
against those that came, the exits likewise, and the fitted entry trend: the trend fit's
own slope (% a year; blank when no trend was kept), its weight among the simulated
futures (0 without a trend; 1 when used alone) and the mean slope the paths use after the
cap (before averaging, damping and the random walk).

Run: .venv/bin/python benchmarks/forecast/trend_honesty.py [--seeds 0 1 2 3 4 5]
     [--rates 4 8 12 -4 -8 -12] [--family] [--step 0 1 ...] [--flat 0 1 ...]
     [--paths 300] [--csv out.csv]
     [--param NAME=VALUE ...]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench_args

import numpy as np
import pandas as pd
from bench_args import out_file, random_seed, run
from param_option import add_param_option, forecast_params, param_update

from sufficiency.config import ForecastParams
from sufficiency.errors import DataWarning
from sufficiency.forecast.backtest import truncate_history
from sufficiency.forecast.errors import ForecastWarning
from sufficiency.forecast.estimate import fit_model
from sufficiency.forecast.family import family_history, family_spec, quiet_spec
from sufficiency.forecast.projection import forecast_from_spells
from sufficiency.forecast.states import build_spells, flows, month_ends, stock_at

START = pd.Timestamp("2026-03-31")
TREND_FROM = pd.Timestamp("2021-04-01")
HORIZONS = (12, 24, 36)
#: The family's held-out seeds (as ``calibration.py``'s) whose regime is one of these.
FAMILY_REGIMES = ("rising", "falling")
HELD_OUT = range(1000, 1036)
#: ``--step``: entries up 50% once, from this month, then flat (a step that can be read as
#: a trend: ``tests/forecast/test_step_or_trend_said.py``).
STEP_AT = pd.Timestamp("2024-04-01")


def one_authority(label: str, spec, params: ForecastParams) -> list[dict]:
    """Forecast ``spec``'s authority from :data:`START`; one row per horizon."""
    history = family_history(spec, num_years=9, end_year=2029)
    care = build_spells(history)
    past = build_spells(truncate_history(history, START))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ForecastWarning)
        model = fit_model(past, START, params)
    said = [str(w.message) for w in caught if issubclass(w.category, ForecastWarning)]
    said_trend = any("does not carry the" in m for m in said)
    said_change = any(m.startswith("Entries have changed") for m in said)
    result = forecast_from_spells(past, params, start=START, model=model)
    months = month_ends(START, params.horizon_months)
    truth = stock_at(care, months).reshape(len(months), -1).sum(1).astype(float)
    total = result.total().astype(float)
    p10, p50, p90 = np.quantile(total, [0.1, 0.5, 0.9], axis=0)
    mean = total.mean(axis=0)
    seen = flows(care, pd.DatetimeIndex([months[0], months[-1]]))
    em = model.entries
    slope = getattr(em, "trend_slope_per_year", em.coef[1]) if em.has_trend else np.nan
    used = em.coef[1] if em.has_trend else np.nan  # averaged over the futures
    capped = np.clip(used, -em.max_trend_per_year, em.max_trend_per_year)
    rows = []
    for h in HORIZONS:
        rows.append({
            "authority": label,
            "seed": spec.seed, "months": h, "start": truth[0],
            "mean": mean[h], "p10": p10[h], "p50": p50[h], "p90": p90[h], "actual": truth[h],
            "error_pct": 100 * (mean[h] / truth[h] - 1),
            "inside": bool(p10[h] <= truth[h] <= p90[h]),
            "said": said_trend or said_change,
            "missed_unsaid": not (p10[h] <= truth[h] <= p90[h]) and not (said_trend or said_change),
            "change_fc_pct": 100 * (mean[h] / truth[0] - 1),
            "change_seen_pct": 100 * (truth[h] / truth[0] - 1),
            "entries_fc": result.entries[:, 1:].sum(axis=(1, 2)).mean(),
            "entries_seen": seen.loc[seen["flow"] == "entry", "count"].sum(),
            "exits_fc": result.exits[:, 1:].sum(axis=(1, 2)).mean(),
            "exits_seen": seen.loc[seen["flow"].isin(["exit", "age_out"]), "count"].sum(),
            "trend_fit_pct": 100 * np.expm1(slope),
            "trend_weight": getattr(em, "trend_weight", 1.0) if em.has_trend else 0.0,
            "trend_used_pct": 100 * np.expm1(capped),
            "coverage_1_36_pct": 100 * ((p10 <= truth) & (truth <= p90))[1:].mean(),
        })  # fmt: skip
    return rows


def authorities(
    seeds: list[int], rates: list[float], family: bool, step: list[int], flat: list[int]
):
    """(label, spec) for each quiet authority and rate, the family's own, then the quiet
    authorities with a one-off step and with flat entries."""
    for rate in rates:
        kind = "rising" if rate > 0 else "falling"
        for seed in seeds:
            change = dict(trend_per_year=float(np.log1p(rate / 100)), trend_from=TREND_FROM)
            spec = replace(quiet_spec(seed), regime=kind, **change)
            yield f"{kind} {rate:+g}% s{seed}", spec
    if family:
        for kind in FAMILY_REGIMES:
            for seed in HELD_OUT:
                spec = family_spec(seed)
                if spec.regime != kind:
                    continue
                yield f"family {kind} s{seed} ({100 * np.expm1(spec.trend_per_year):+.0f}%)", spec
    for seed in step:
        spec = replace(quiet_spec(seed), regime="stepped", step_at=STEP_AT, step_factor=1.5)
        yield f"step +50% s{seed}", spec
    for seed in flat:
        yield f"flat s{seed}", replace(quiet_spec(seed), regime="steady")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=random_seed, nargs="+", default=[0, 1, 2, 3, 4, 5])
    parser.add_argument("--rates", type=float, nargs="*", default=[4, 8, 12, -4, -8, -12])
    parser.add_argument("--family", action="store_true", help="also the family's own")
    parser.add_argument("--step", type=random_seed, nargs="*", default=[], metavar="SEED",
                        help="also quiet authorities of these seeds whose entries rose 50%% "
                        "once, in April 2024, then held")  # fmt: skip
    parser.add_argument("--flat", type=random_seed, nargs="*", default=[], metavar="SEED",
                        help="also quiet authorities of these seeds, entries steady")  # fmt: skip
    parser.add_argument("--paths", type=int, default=300)
    parser.add_argument("--csv", type=out_file, help="also write the per-authority table here")
    add_param_option(parser)
    args = parser.parse_args()
    options = {"num_paths": "--paths"}
    update = param_update(parser, args, options)
    params = forecast_params(parser, options, num_paths=args.paths, horizon_months=36,
                             seed=2026, **update)  # fmt: skip
    warnings.simplefilter("ignore", ForecastWarning)
    warnings.simplefilter("ignore", DataWarning)
    print(
        "Command: .venv/bin/python benchmarks/forecast/trend_honesty.py " + " ".join(sys.argv[1:])
    )
    t0 = time.perf_counter()
    rows = [r for label, spec in authorities(args.seeds, args.rates, args.family,
                                                   args.step, args.flat)
            for r in one_authority(label, spec, params)]  # fmt: skip
    table = pd.DataFrame(rows)
    if args.csv:
        table.to_csv(args.csv, index=False)
    pd.set_option("display.width", 220)
    pd.set_option("display.max_rows", 500)
    show = ["authority", "months", "start", "p10", "p50", "p90", "actual", "error_pct", "inside",
            "said",
            "change_fc_pct", "change_seen_pct", "trend_fit_pct", "trend_weight",
            "trend_used_pct"]  # fmt: skip
    print(table[show].round(1).to_string(index=False))
    table["group"] = table["authority"].str.replace(r" s\d+.*$", "", regex=True)
    summary = table.groupby(["group", "months"], sort=False).agg(
        authorities=("seed", "size"),
        change_fc_pct=("change_fc_pct", "mean"),
        change_seen_pct=("change_seen_pct", "mean"),
        error_pct=("error_pct", "mean"),
        inside_p10_p90_pct=("inside", lambda x: 100 * x.mean()),
        said=("said", "sum"),
        missed_unsaid=("missed_unsaid", "sum"),
        entries_fc=("entries_fc", "mean"),
        entries_seen=("entries_seen", "mean"),
        exits_fc=("exits_fc", "mean"),
        exits_seen=("exits_seen", "mean"),
        trend_kept=("trend_fit_pct", lambda x: int(x.notna().sum())),
        trend_fit_pct=("trend_fit_pct", "mean"),
        trend_weight=("trend_weight", "mean"),
    )
    print("\nMean by change and horizon (entries and exits: over the 36 months):")
    print(summary.round(1).to_string())
    print(f"\nTotal time {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    run(main)
