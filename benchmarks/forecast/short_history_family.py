"""How far a forecast from one or two years of 903 returns is from one from six, on the
calibration family (:mod:`sufficiency.forecast.family`), through the real command.

For each authority (held-out seeds 1000-1011 of the family, all regimes and sizes, and
quiet 500-child authorities of seeds 2-9 with steady entries: ``quiet_spec``), nine
years of returns to 31 March 2029 are written as a council holds them; the forecast is
run (``sufficiency forecast``, 300 paths, seed 2026, 36 months) from 31 March 2026 on
the last 1, 2, 3 and 6 of the returns up to then, and its mean and P10-P90 band compared
with the children looked after the later returns show, at 12, 24 and 36 months.

Measured December 7, 2026 (docs/forecast.md, "Errors and warnings"): the sample's
generator (``short_history.py``) gives forecasts from one return that run high; this
family's run low. About 45 minutes on two cores (``--jobs 2``).

Run: .venv/bin/python benchmarks/forecast/short_history_family.py [--jobs 2] [--keep DIR]
     [--limit N]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from sufficiency.forecast.family import family_history, family_spec, quiet_spec
from sufficiency.forecast.states import build_spells, stock_at
from sufficiency.io.ssda903 import read_history
from sufficiency.region.synthetic import write_history

YEARS = (1, 2, 3, 6)
AUTHORITIES = [("family", s) for s in range(1000, 1012)] + [("quiet", s) for s in range(2, 10)]


def _write(root: Path, kind: str, seed: int) -> Path:
    spec = quiet_spec(seed, 500) if kind == "quiet" else family_spec(seed)
    base = root / f"{kind}_s{seed}"
    write_history(family_history(spec, num_years=9, end_year=2029), base / "full")
    for n in YEARS:
        for y in range(2027 - n, 2027):
            shutil.copytree(base / "full" / str(y), base / f"y{n}" / str(y), dirs_exist_ok=True)
    return base


def _forecast(base: Path, n: int) -> None:
    cmd = [sys.executable, "-m", "sufficiency", "forecast", "--history", str(base / f"y{n}"),
           "--out", str(base / f"fc_y{n}"), "--date", "2026-04-01", "--paths", "300",
           "--store", f"sqlite:///{base / 'runs.sqlite'}"]  # fmt: skip
    subprocess.run(cmd, check=True, capture_output=True)


def _scores(base: Path) -> list[dict]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        care = build_spells(read_history(base / "full"))
    rows = []
    for n in YEARS:
        dem = pd.read_csv(base / f"fc_y{n}" / "demand.csv")
        t = dem[(dem["category"] == "all") & (dem["age_band"] == "all")].reset_index(drop=True)
        dates = pd.DatetimeIndex(pd.to_datetime(t["month"]))
        truth = stock_at(care, dates).reshape(len(dates), -1).sum(1)
        inside = ((truth >= t["p10"]) & (truth <= t["p90"]))[1:].mean()
        for h in (12, 24, 36):
            rows.append({
                "authority": base.name, "years": n, "months": h,
                "error_pct": 100 * (t["mean"][h] / truth[h] - 1),
                "width_pct": 100 * (t["p90"][h] - t["p10"][h]) / t["mean"][h],
                "coverage_pct": 100 * inside,
            })  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="folder to keep the authorities and outputs in")
    parser.add_argument("--limit", type=int, help="only the first N authorities (a quick check)")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp())
    bases = [_write(root, kind, seed) for kind, seed in AUTHORITIES[: args.limit]]
    with ThreadPoolExecutor(args.jobs) as pool:
        list(pool.map(lambda job: _forecast(*job), [(b, n) for b in bases for n in YEARS]))
    r = pd.DataFrame([row for b in bases for row in _scores(b)])
    r["set"] = r["authority"].str.split("_").str[0]
    pd.set_option("display.width", 200)
    print(r.pivot_table(index="authority", columns=["months", "years"], values="error_pct")
          .round(1).to_string())  # fmt: skip
    summary = r.groupby(["set", "years", "months"]).agg(
        mean_error_pct=("error_pct", "mean"),
        mean_abs_error_pct=("error_pct", lambda x: x.abs().mean()),
        band_width_pct=("width_pct", "mean"),
        coverage_months_1_36_pct=("coverage_pct", "mean"),
    )
    print(summary.round(2).to_string())
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
