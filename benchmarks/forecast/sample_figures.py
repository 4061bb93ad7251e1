"""The bundled sample's figures that docs/forecast.md quotes in its text.

Prints, for ``data/sample/ssda903``:

- the children looked after on each 31 March (DfE's count: distinct children with an open
  episode in that return, short breaks V3/V4 and children aged 18 or over left out) and
  the periods of care begun (RNE S) in each collection year, counted here with pandas
  from the CSV files, not by the package;
- the share of the reference window's entrants aged 16-17 at the end of their entry
  month, and so the rise in all entries under ``entries_up_20.toml`` (20%, 16-17s 40%);
- from the fitted model: the exit rates a year of children in in-house foster care aged
  10-15 by legal group (posterior means weighted by the window's child-months over the
  time-in-care bands), and the window's shares of moves or changes followed by another
  in the same month and of exits with a move or change earlier in the month of leaving;
- with ``--part-month``: the sample cut as an in-year extract taken on 14 November 2025
  (later episodes dropped, later end dates blanked), forecast with the defaults: where
  it starts and its mean three years on (about 20 s more).

Run: .venv/bin/python benchmarks/forecast/sample_figures.py [--part-month]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench_args

import numpy as np
import pandas as pd
from bench_args import folder, run

from sufficiency.config import ForecastParams
from sufficiency.forecast.errors import ForecastWarning
from sufficiency.forecast.result import demand_table
from sufficiency.forecast.run import build_spells, fit_spells, forecast_history, read_903
from sufficiency.forecast.states import AGE_BANDS, CATEGORIES, LEGAL_GROUPS

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "ssda903"


_FILES = ("episodes.csv", "header.csv")  # the sample's layout, read directly below


def _dates(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s, format="%d/%m/%Y")


def _in_care(episodes: pd.DataFrame, dob: pd.Series, day: pd.Timestamp) -> int:
    e = episodes
    open_ = e[(e["DECOM"] <= day) & (e["DEC"].isna() | (e["DEC"] > day))]
    open_ = open_[~open_["LS"].isin(["V3", "V4"])]
    adult = dob.reindex(open_["CHILD"]) + pd.DateOffset(years=18)
    return int(open_.loc[(adult > day).to_numpy(), "CHILD"].nunique())


def _read(year_dir: Path) -> tuple[pd.DataFrame, pd.Series]:
    e = pd.read_csv(year_dir / "episodes.csv", dtype=str)
    e["DECOM"], e["DEC"] = _dates(e["DECOM"]), _dates(e["DEC"])
    h = pd.read_csv(year_dir / "header.csv", dtype=str).set_index("CHILD")
    return e, _dates(h["DOB"])


def counts(history: Path) -> None:
    """Children looked after on each 31 March and periods of care begun in each year."""
    print("Collection year: children looked after on 31 March; periods of care begun")
    for year_dir in sorted(p for p in history.iterdir() if p.is_dir()):
        e, dob = _read(year_dir)
        end = pd.Timestamp(f"{year_dir.name}-03-31")
        begun = e[(e["RNE"] == "S") & (e["DECOM"] > end - pd.DateOffset(years=1))]
        begun = begun[(begun["DECOM"] <= end) & ~begun["LS"].isin(["V3", "V4"])]
        print(f"  {int(year_dir.name) - 1}-{year_dir.name[2:]}: {_in_care(e, dob, end)}; "
              f"{len(begun)}")  # fmt: skip


def entrant_mix(history: Path, start: pd.Timestamp, years: float) -> None:
    """The window's entrants aged 16-17 and the rise in all entries at 20% and 40%."""
    parts = [_read(d) for d in sorted(p for p in history.iterdir() if p.is_dir())]
    e = pd.concat([p[0] for p in parts]).drop_duplicates(["CHILD", "DECOM"])
    dob = pd.concat([p[1] for p in parts])
    dob = dob[~dob.index.duplicated(keep="last")]
    first = start - pd.DateOffset(months=round(12 * years))
    new = e[(e["RNE"] == "S") & (e["DECOM"] > first) & (e["DECOM"] <= start)]
    new = new[~new["LS"].isin(["V3", "V4"])]
    month_end = new["DECOM"] + pd.offsets.MonthEnd(0)
    old = month_end.to_numpy() >= (dob.reindex(new["CHILD"]) + pd.DateOffset(years=16))
    share = float(np.mean(old))
    rise = 0.2 + 0.2 * share
    print(f"Entrants {first.date()} to {start.date()}: {len(new)}, aged 16-17 {share:.1%}; "
          f"entries up 20% and 16-17s 40% raise all entries by {rise:.1%}")  # fmt: skip


def fitted(history: Path) -> pd.Timestamp:
    """The fitted model's figures quoted in the text; returns the forecast start."""
    fit = fit_spells(build_spells(read_903(history)), ForecastParams())
    m = fit.model
    c, a = CATEGORIES.index("in_house_foster"), AGE_BANDS.index("10-15")
    print("Exit rate a year, in-house foster care aged 10-15, by legal group:")
    for g, name in enumerate(LEGAL_GROUPS):
        weight = m.exposure_months[c, g, a]
        rate = 12 * float((m.exit_mean[c, g, a] * weight).sum() / weight.sum())
        print(f"  {name}: {rate:.3f} ({weight.sum():,.0f} child-months)")
    print(f"Moves or changes followed by another in the same month: "
          f"{m.repeat_event_prob:.2%}; exits with a move or change earlier that month: "
          f"{m.exit_month_event_prob:.2%}")  # fmt: skip
    return pd.Timestamp(fit.start)


def part_month(history: Path) -> None:
    """The sample as an in-year extract taken on 14 November 2025, forecast."""
    cut = pd.Timestamp("2025-11-14")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ssda903"
        shutil.copytree(history, root)
        path = root / "2026" / "episodes.csv"
        e = pd.read_csv(path, dtype=str, keep_default_na=False)
        e = e[_dates(e["DECOM"]) <= cut].copy()
        later = (_dates(e["DEC"].replace("", None)) > cut).to_numpy()
        e.loc[later, ["DEC", "REC", "REASON_PLACE_CHANGE"]] = ""
        e.to_csv(path, index=False)
        run = forecast_history(root, ForecastParams())
    totals = demand_table(run.base)
    totals = totals[(totals["category"] == "all") & (totals["age_band"] == "all")]
    first, last = totals.iloc[0], totals.iloc[-1]
    print(f"Cut at {cut.date()}: starts on {first['month']} from {first['mean']:.0f}; "
          f"on {last['month']} {last['mean']:.0f} on average")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--history", type=folder, default=SAMPLE)
    parser.add_argument("--part-month", action="store_true")
    args = parser.parse_args()
    years = [p for p in args.history.iterdir() if p.is_dir()]
    if not years or any(not (p / f).is_file() for p in years for f in _FILES):
        parser.error(f"--history {args.history}: needs a folder for each year holding "
                     f"{' and '.join(_FILES)}, as {SAMPLE} has")  # fmt: skip
    warnings.simplefilter("ignore", ForecastWarning)
    counts(args.history)
    start = fitted(args.history)
    entrant_mix(args.history, start, ForecastParams().reference_years)
    if args.part_month:
        part_month(args.history)


if __name__ == "__main__":
    run(main)
