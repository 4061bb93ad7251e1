"""The forecast's figures against an independent recount of the raw 903 returns.

``tests/recount903.py`` recounts, in plain Python and without ``sufficiency``'s reader
or spells, the children looked after on each 31 March by placement category and age
band, the periods of care started and ceased and the placements begun (entries, moves
and new carers, as docs/forecast.md defines them) in each collection year. Here the
tool's figures (the history the forecast's charts draw, the starting stock in
``demand.csv``, the flows its backtest scores) must equal it: on the sample, on the
messy 903 generator's revised, vanished and missing-year returns, and on authorities
made to be hard (falling, tiny, large; children leaving and coming back, turning 18
mid-year, a temporary placement).
"""

from __future__ import annotations

import warnings
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from messy903 import SAMPLE_903, missing_year, revised_start_dates, vanished_children
from recount903 import AGE_BANDS, CATEGORIES, Recount, authority, recount, write_returns

from sufficiency.cli import main
from sufficiency.forecast.states import build_spells, flows, stock_at
from sufficiency.io.ssda903 import read_history


def _differences(folder: Path) -> tuple[Recount, list[str]]:
    """Every figure where the tool and the recount differ, in words."""
    mine = recount(folder)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        care = build_spells(read_history(folder))
    years = range(mine.years[0], mine.years[-1] + 1)  # a missing year's too
    days = [pd.Timestamp(y, 3, 31) for y in years if date(y, 3, 31) <= mine.data_end]
    stock = stock_at(care, days)
    edges = pd.DatetimeIndex([pd.Timestamp(days[0].year - 1, 3, 31), *days])
    flow = flows(care, edges).groupby(["period_end", "flow"])["count"].sum()
    gaps = set(mine.missing_years())
    out = []
    for i, day in enumerate(days):
        if day.year in gaps:
            continue  # who was in care, who came and left in a missing year: unknown
        counted = Counter(mine.looked_after(day.date()).values())
        for c, cat in enumerate(CATEGORIES):
            for a, band in enumerate(AGE_BANDS):
                if counted[(cat, band)] != stock[i, c, a]:
                    out.append(f"{day:%d/%m/%Y} {cat} {band}: recount {counted[(cat, band)]}, "
                               f"tool {stock[i, c, a]}")  # fmt: skip
        mine_flows = mine.flows(day.year)
        mine_flows["placement_starts"] = mine.placement_starts(day.year)
        tool = {
            "starts": flow[(day, "entry")],
            "ceased": flow[(day, "exit")] + flow[(day, "age_out")],
            "placement_starts": sum(flow[(day, f)] for f in ("entry", "move_in", "change")),
        }
        for what, n in tool.items():
            if mine_flows[what] != n:
                out.append(f"{day.year} {what}: recount {mine_flows[what]}, tool {n}")
    return mine, out


def test_sample_recount_equals_the_tool():
    mine, differences = _differences(SAMPLE_903)
    assert differences == []
    assert mine.stock(date(2026, 3, 31))["all"] == 869  # the forecast's headline count


def test_demand_csv_starts_from_the_recount(tmp_path):
    """The starting month of demand.csv (category x age band) is the recount's 31 March."""
    out = tmp_path / "fc"
    result = CliRunner().invoke(main, [
        "forecast", "--history", str(SAMPLE_903), "--out", str(out), "--paths", "20",
        "--horizon-months", "1", "--date", "2026-04-01",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    demand = pd.read_csv(out / "demand.csv")
    first = demand[(demand["month"] == "2026-03-31") & (demand["category"] != "all")
                   & (demand["age_band"] != "all")]  # fmt: skip
    tool = {(r.category, r.age_band): r.mean for r in first.itertuples() if r.mean}
    counted = Counter(recount(SAMPLE_903).looked_after(date(2026, 3, 31)).values())
    assert tool == dict(counted)
    assert "on 31 March 2026 (DfE's count): 869" in result.output


@pytest.mark.parametrize("build", [revised_start_dates, vanished_children])
def test_messy_sample_recount_equals_the_tool(tmp_path, build):
    """Revised start dates (3 to 5 more starts and ceased a year in the tool than in the
    returns, each revision spanning several returns broke a period of care in two) and
    children vanished from the latest return (31/03/2025: tool 859, the 2024-25 return
    871) were both wrong before."""
    messy = build(tmp_path / "messy")
    mine, differences = _differences(messy.path)
    assert differences == []
    if build is vanished_children:
        assert len(mine.closed_absent) == 12
        assert mine.stock(date(2025, 3, 31))["all"] == 871


def _hard(tmp_path: Path, seed: int, **kw) -> Path:
    episodes, dob = authority(seed, **kw)
    return write_returns(episodes, dob, range(2021, 2027), tmp_path / "returns")


FALLING = {"in_care": 520, "entries_per_year": [70, 60, 55, 50, 45, 40], "leave_per_year": 0.4}
RISING = {"in_care": 200, "entries_per_year": [100, 120, 140, 160, 180, 200],
          "leave_per_year": 0.35}  # fmt: skip
TINY = {"in_care": 40, "entries_per_year": [15] * 6, "leave_per_year": 0.35}


@pytest.mark.parametrize("kind", ["falling", "tiny", "rising"])
def test_hard_authorities_recount_equals_the_tool(tmp_path, kind):
    folder = _hard(tmp_path, 2, **{"falling": FALLING, "tiny": TINY, "rising": RISING}[kind])
    mine, differences = _differences(folder)
    assert differences == []
    periods = Counter(child for child, _, _ in mine.periods())
    assert max(periods.values()) >= 2  # a child leaving and coming back
    eps = [e for es in mine.episodes.values() for e in es]
    assert any(e.rec == "E17" and e.end and e.end.month not in (3, 4) for e in eps)  # 18 mid-year
    flows_ = [mine.flows(y) for y in range(2022, 2027)]
    if kind == "falling":  # more ceased than starts in each of five years
        assert all(f["ceased"] > f["starts"] for f in flows_)
        assert mine.stock(date(2026, 3, 31))["all"] < mine.stock(date(2021, 3, 31))["all"]
    if kind == "tiny":
        assert 30 <= mine.stock(date(2026, 3, 31))["all"] <= 60


@pytest.mark.parametrize("build", [revised_start_dates, vanished_children, missing_year])
def test_hard_authority_revised_and_gapped_equals_the_tool(tmp_path, build):
    folder = _hard(tmp_path, 2, **FALLING)
    messy = build(tmp_path / "messy", source=folder)
    _, differences = _differences(messy.path)
    assert differences == []


def test_large_synthetic_authority_recount_equals_the_tool(tmp_path):
    """2,500 children (sufficiency/forecast/synthetic.py) written as two returns (six
    agree too, at twice the time)."""
    from sufficiency.forecast.synthetic import synthetic_history

    h = synthetic_history(2500, num_years=2, seed=3)
    rows = [
        {"CHILD": r.CHILD, "DECOM": r.DECOM.date(), "DEC": None if pd.isna(r.DEC) else r.DEC.date(),
         "RNE": r.RNE, "LS": r.LS, "PLACE": r.PLACE, "PLACE_PROVIDER": r.PLACE_PROVIDER,
         "REC": r.REC if isinstance(r.REC, str) else ""}
        for r in h.episodes.itertuples()
    ]  # fmt: skip
    dob = {c: d.date() for c, d in zip(h.header["CHILD"], h.header["DOB"], strict=True)}
    folder = write_returns(rows, dob, range(2025, 2027), tmp_path / "large")
    mine, differences = _differences(folder)
    assert differences == []
    assert mine.stock(date(2026, 3, 31))["all"] > 2400


@pytest.mark.parametrize("kind", ["falling", "rising"])
def test_the_central_forecast_goes_the_way_the_history_goes(tmp_path, kind):
    """More ceased than starts for five years (204 children on 31/03/2021 to 134 on
    31/03/2026, 49 starts and 61 ceased in the last year): the middle forecast falls;
    entries rising by a fifth a year: it rises."""
    from sufficiency.forecast import ForecastParams
    from sufficiency.forecast.run import forecast_history

    folder = _hard(tmp_path, 2, **(FALLING if kind == "falling" else RISING))
    mine = recount(folder)
    counts = [mine.stock(date(y, 3, 31))["all"] for y in range(2021, 2027)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = forecast_history(folder, ForecastParams(num_paths=200, horizon_months=24))
    stock = run.base.stock.sum(axis=(2, 3))
    assert stock[:, 0].min() == stock[:, 0].max() == counts[-1]
    middle = np.median(stock[:, -1])
    if kind == "falling":
        assert counts == sorted(counts, reverse=True)
        assert middle < counts[-1]
    else:
        assert counts == sorted(counts)
        assert middle > counts[-1] * 1.1
