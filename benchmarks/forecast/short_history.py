"""How the forecast does when the council holds only its last one or two 903 returns.

For each authority (the bundled sample, and others generated with ``--seeds``), each
cutoff (31 March of ``--cutoffs``) and each number of years of returns (``--years``;
0 means every return up to the cutoff), the forecast is fitted on only those returns,
as a council starting out would hold them, and scored against what the full history
shows at 12 and 24 months (signed percentage error of the total). The children in care
at the cutoff are split three ways and each group's survivors (still in care, in the
same period of care, 24 months later) compared with a simulation of that group alone
with no entries: ``prevalent`` (in care when the returns begin, start unknown, on the
prevalent clock), ``before`` (in care when the returns begin, but their first episode,
RNE S, is held, so on the ordinary clock) and ``entered`` (began within the history).
With ``--bands`` it prints, for the children who began within the history, their exits
in the 24 months after the cutoff by time in care against the fitted rates' expectation.

Measured December 5, 2026 (docs/forecast.md, "Errors and warnings"): with one year of
returns the children who entered within it were simulated to stay too long (about 40
more still in care at 24 months than were, of about 120), the prevalent children within
a few. 300 paths; about 5 s of CPU per authority and cutoff.

Run: .venv/bin/python benchmarks/forecast/short_history.py [--seeds 11 12]
     [--cutoffs 2021 2022 2023 2024] [--years 1 2 0] [--bands]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench_args

import numpy as np
import pandas as pd
from bench_args import random_seed, run, whole
from param_option import forecast_params

from sufficiency.forecast.estimate import _exposure_and_events, fit_model
from sufficiency.forecast.projection import initial_stock
from sufficiency.forecast.scenario import EntryChange, Scenario
from sufficiency.forecast.simulate import InitialStock, simulate
from sufficiency.forecast.states import (
    LEAVING_AGE_MONTHS,
    CareSpells,
    age_months_at,
    build_spells,
    month_ends,
    stock_at,
)
from sufficiency.io.ssda903 import read_history
from sufficiency.sample.generate import generate_sample

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
HORIZON = 24
NO_ENTRIES = Scenario(name="no entries", entries=EntryChange(change_pct=-100))


def _in_care(care: CareSpells, when: pd.Timestamp) -> pd.DataFrame:
    sp = care.spells
    d = np.datetime64(when, "ns")
    end = sp["end"].to_numpy("datetime64[ns]")
    live = (sp["start"].to_numpy("datetime64[ns]") <= d) & (np.isnat(end) | (end > d))
    rows = sp[live]
    return rows[age_months_at(rows["dob"], when) < LEAVING_AGE_MONTHS]


def _groups(care: CareSpells, cutoff: pd.Timestamp) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The children in care at the cutoff (as :func:`initial_stock` lists them), and who
    is in each group."""
    live = _in_care(care, cutoff)
    prevalent = live["prevalent"].to_numpy(bool)
    before = (live["period_start"] < np.datetime64(care.data_start, "ns")).to_numpy(bool)
    groups = {
        "prevalent": prevalent,
        "before": ~prevalent & before,
        "entered": ~prevalent & ~before,
    }
    return live["child"].to_numpy(str), groups


def _survivors(model, init: InitialStock, sel: np.ndarray, months, params) -> float:
    """Mean simulated children of ``sel`` still in care at the horizon, with no entries."""
    legal = None if init.legal is None else init.legal[sel]
    sub = InitialStock(
        init.category[sel], init.age_months[sel], init.tic_months[sel], init.prevalent[sel], legal
    )
    sim = simulate(model, sub, months, params, NO_ENTRIES)[0]
    return float(sim[:, HORIZON].sum((1, 2)).mean())


def _bands(full: CareSpells, care: CareSpells, cutoff: pd.Timestamp, model, kids: set) -> None:
    """Exits of the children who began within the history, by time in care."""
    edges = np.asarray(model.tic_edges_months)
    sp = full.spells
    keep = sp["child"].isin(kids) & (sp["period_start"] <= np.datetime64(cutoff, "ns"))
    sub = CareSpells(sp[keep].reset_index(drop=True), full.data_start, full.data_end)
    end = cutoff + pd.DateOffset(months=HORIZON)
    counts = _exposure_and_events(sub, cutoff, end, edges)
    expected = (model.exit_shape / model.exit_rate * counts.exposure).sum((0, 1, 2))
    observed = counts.exits.sum((0, 1, 2))
    names = [f"{lo:g}-{hi:g}" for lo, hi in itertools.pairwise(edges)]
    for t, band in enumerate([*names, f"{edges[-1]:g}+"]):
        if counts.exposure[..., t].sum() >= 1:
            print(f"    {band} months in care: {observed[t]:.0f} exits, expected {expected[t]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=random_seed, nargs="*", default=[11, 12])
    years = sorted(int(p.name) for p in (SAMPLE / "ssda903").iterdir() if p.name.isdigit())
    # a cutoff (31 March) needs a return by then and HORIZON months of history after it
    parser.add_argument("--cutoffs", type=whole(years[0], years[-1] - HORIZON // 12), nargs="+",
                        default=[2021, 2022, 2023, 2024])  # fmt: skip
    parser.add_argument("--years", type=whole(0), nargs="+", default=[1, 2, 0])
    parser.add_argument("--paths", type=int, default=300)
    parser.add_argument("--bands", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    params = forecast_params(
        parser, {"num_paths": "--paths"}, num_paths=args.paths, horizon_months=HORIZON, seed=7
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        roots = {"sample": SAMPLE}
        for seed in args.seeds:
            roots[f"seed {seed}"] = Path(tmp) / str(seed)
            generate_sample(seed, roots[f"seed {seed}"])
        for name, root in roots.items():
            folders = sorted(p for p in (root / "ssda903").iterdir() if p.name.isdigit())
            full = build_spells(read_history(root / "ssda903"))
            for year in args.cutoffs:
                cutoff = pd.Timestamp(year, 3, 31)
                months = month_ends(cutoff, HORIZON)
                actual = stock_at(full, months).sum((1, 2))
                later = _in_care(full, months[HORIZON])
                later = later[later["period_start"] <= np.datetime64(cutoff, "ns")]
                for k in args.years:
                    held = [p for p in folders if int(p.name) <= year]
                    held = held if k == 0 else held[-k:]
                    if k > len(held):
                        continue
                    care = build_spells(read_history(held))
                    model = fit_model(care, cutoff, params)
                    init = initial_stock(care, cutoff)
                    stock = simulate(model, init, months, params)[0].sum((2, 3)).mean(0)
                    row: dict[str, object] = {"authority": name, "cutoff": year, "years": k}
                    for h in (12, HORIZON):
                        row[f"error_{h}m_pct"] = round(float(100 * (stock[h] / actual[h] - 1)), 1)
                    children, groups = _groups(care, cutoff)
                    for group, sel in groups.items():
                        sim = _survivors(model, init, sel, months, params)
                        stayed = len(set(children[sel]) & set(later["child"]))
                        row[f"{group}_{HORIZON}m"] = f"{sim:.0f}/{stayed} of {sel.sum()}"
                    rows.append(row)
                    print(row, flush=True)
                    if args.bands:
                        kids = set(children[~groups["prevalent"]])
                        _bands(full, care, cutoff, model, kids)
    print("\nSurvivors at 24 months: simulated/actual of the group at the cutoff.")
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    run(main)
