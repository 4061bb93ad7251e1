"""An independent recomputation of spend's months already past, as a finance officer
would check them: each child's placement days in each month (903 episodes, DECOM up to
the day before DEC, under-18s), times the weekly cost / 7 by cost line, at the price
index the docs give (the costs are the prices of the first day of the financial year
the forecast begins in, or of ``[finance] costs_price_year``; prices rise by the
inflation rate on each uplift date after that day, and are one rise lower before it).

Nothing of ``sufficiency.finance`` is imported: the 903 return of the year is read with
pandas, day by day, and compared month by month and line by line with
``spend_to_date.csv`` and with spend.xlsx's Monthly sheet after LibreOffice has
recalculated its formulas. The history is the sample's with hard children added: a
placement starting and ending mid-month, two placements the same day, a placement open
at the forecast start, a child turning 18 mid-month, a child the cost file prices at
their actual cost, a leap-year February and a placement across the financial year's end.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from sufficiency import api
from sufficiency.config import load_params
from sufficiency.io.ssda903 import SSDA903History, read_history

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "ssda903"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
LINES = ("kinship_foster", "in_house_foster", "ifa_foster", "in_house_residential",
         "external_residential", "secure", "supported", "with_parents",
         "placed_for_adoption", "other")  # fmt: skip
WEEKLY = {"kinship_foster": 350.0, "in_house_foster": 600.0, "ifa_foster": 900.0,
          "in_house_residential": 5500.0, "external_residential": 6100.0, "secure": 8000.0,
          "supported": 2000.0, "with_parents": 150.0, "placed_for_adoption": 100.0,
          "other": 1000.0}  # fmt: skip
#: The Monthly sheet's column heading of each cost line.
WORDS = {"kinship_foster": "Kinship foster care", "in_house_foster": "In-house foster care",
         "ifa_foster": "IFA foster care", "in_house_residential": "In-house children's homes",
         "external_residential": "External children's homes",
         "secure": "Secure children's homes", "supported": "Supported accommodation",
         "with_parents": "Placed with parents", "placed_for_adoption": "Placed for adoption",
         "other": "Other placements"}  # fmt: skip

# Hard children, added to a return: (child, DOB, [(DECOM, DEC, RNE, PLACE, PROVIDER)]).
HARD_2025_26 = [
    # starts and ends mid-month: 19 days of June, all July, 19 days of August
    ("990001", "03/03/2015", [("12/06/2025", "20/08/2025", "S", "K2", "PR4")]),
    # two placements the same day (one of no nights), then open past the forecast start;
    # the cost file prices the current one at £700 a week, from 10 May
    (
        "990002",
        "05/05/2012",
        [
            ("01/05/2025", "10/05/2025", "S", "U4", "PR4"),
            ("10/05/2025", "10/05/2025", "P", "K2", "PR4"),
            ("10/05/2025", "", "P", "U4", "PR1"),
        ],
    ),
    # open at the forecast start (31 December), ending after it
    ("990003", "07/07/2010", [("15/11/2025", "15/02/2026", "S", "K2", "PR1")]),
    # turns 18 on 17 November: counted to the 16th
    ("990004", "17/11/2007", [("01/09/2025", "", "S", "H5", "PR4")]),
]
HARD_2023_24 = [
    # a leap-year February, across the financial year's end into 2024-25
    ("990005", "01/01/2014", [("10/02/2024", "", "S", "K2", "PR4")]),
]
HARD_2024_25 = [("990005", "01/01/2014", [("10/02/2024", "20/04/2024", "S", "K2", "PR4")])]


def _category(place: str, provider: str) -> str:
    """docs/forecast.md's table of categories, written out again."""
    ext = provider in ("PR4", "PR5")
    if place in ("U1", "U2", "U3"):
        return "kinship_foster"
    if place in ("U4", "U5", "U6"):
        return "ifa_foster" if ext else "in_house_foster"
    if place in ("K2", "R1") or (place == "S1" and ext):
        return "external_residential" if ext else "in_house_residential"
    if place in ("A3", "A4", "A5", "A6"):
        return "placed_for_adoption"
    return {"K1": "secure", "H5": "supported", "K3": "supported", "P2": "supported",
            "P1": "with_parents"}.get(place, "other")  # fmt: skip


def _eighteen(dob: pd.Timestamp) -> pd.Timestamp:
    """The 18th birthday (1 March for a child born on 29 February, in a year without one)."""
    try:
        return pd.Timestamp(dob.year + 18, dob.month, dob.day)
    except ValueError:
        return pd.Timestamp(dob.year + 18, 3, 1)


def _index(day: pd.Timestamp, base: pd.Timestamp, rate: float, uplift: tuple[int, int]) -> float:
    """Prices on ``day``: 1.0 on ``base``, times (1 + rate) for each uplift date after
    ``base`` up to ``day``, divided by it for each uplift date after ``day`` up to
    ``base``."""
    lo, hi, sign = (base, day, 1) if day >= base else (day, base, -1)
    rises = sum(lo < pd.Timestamp(y, *uplift) <= hi for y in range(lo.year, hi.year + 1))
    return float((1 + rate) ** (sign * rises))


def recompute(
    ret: Path,
    first: pd.Timestamp,
    last: pd.Timestamp,
    *,
    rate: float = 0.06,
    uplift: tuple[int, int] = (4, 1),
    base: pd.Timestamp,
    weekly: dict[str, float] = WEEKLY,
    actual: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Spend by month (its last day counted) and cost line from ``first`` to ``last``, day
    by day, from the one 903 return ``ret`` covering those days. ``actual``: a child's
    weekly cost in their last placement (from its DECOM)."""
    eps = pd.read_csv(ret / "episodes.csv", dtype=str, keep_default_na=False)
    dob = pd.read_csv(ret / "header.csv", dtype=str).set_index("CHILD")["DOB"]
    eps["begin"] = pd.to_datetime(eps["DECOM"], dayfirst=True)
    eps["end"] = pd.to_datetime(eps["DEC"].replace("", None), dayfirst=True)
    eps["end"] = eps["end"].fillna(last + pd.Timedelta(days=1))
    eps["adult"] = [_eighteen(d) for d in pd.to_datetime(dob[eps["CHILD"]], dayfirst=True)]
    eps["line"] = [LINES.index(_category(p, q))
                   for p, q in zip(eps["PLACE"], eps["PLACE_PROVIDER"], strict=True)]  # fmt: skip
    eps["cost"] = [weekly[LINES[n]] for n in eps["line"]]
    if actual:  # from the start of the child's last episode
        last_one = ~eps["CHILD"].duplicated(keep="last") & eps["CHILD"].isin(actual)
        eps.loc[last_one, "cost"] = eps.loc[last_one, "CHILD"].map(actual)
    days = pd.date_range(first, last, freq="D")
    prices = np.array([_index(d, base, rate, uplift) for d in days])
    day = days.to_numpy()
    spend = np.zeros((len(days), len(LINES)))
    for r in eps.itertuples():
        placed = (day >= r.begin.to_datetime64()) & (day < r.end.to_datetime64())
        placed &= day < r.adult.to_datetime64()  # DEC's own day is not paid; nor from 18
        spend[placed, r.line] += r.cost / 7 * prices[placed]
    out = pd.DataFrame(spend, columns=list(LINES)).groupby(np.asarray(days.to_period("M"))).sum()
    out.index = [min(m.end_time.normalize(), last) for m in out.index]
    return out


def _history(tmp: Path) -> Path:
    """The sample history with the hard children added to their returns."""
    hist = tmp / "ssda903"
    shutil.copytree(SAMPLE, hist)
    for year, children in (("2026", HARD_2025_26), ("2024", HARD_2023_24), ("2025", HARD_2024_25)):
        eps = pd.read_csv(hist / year / "episodes.csv", dtype=str, keep_default_na=False)
        hdr = pd.read_csv(hist / year / "header.csv", dtype=str, keep_default_na=False)
        new_eps, new_hdr = [], []
        for child, born, spells in children:
            new_hdr.append({**dict.fromkeys(hdr.columns, ""), "CHILD": child, "SEX": "1",
                            "DOB": born, "ETHNIC": "WBRI"})  # fmt: skip
            for decom, dec, rne, place, provider in spells:
                new_eps.append({**dict.fromkeys(eps.columns, ""), "CHILD": child,
                                "DECOM": decom, "DEC": dec, "RNE": rne, "LS": "C2",
                                "CIN": "N1", "PLACE": place, "PLACE_PROVIDER": provider,
                                "REC": "E11" if dec and place == "K2" else "",
                                "HOME_POST": "WR1 1AA", "PL_POST": "WR5 3BB"})  # fmt: skip
        pd.concat([eps, pd.DataFrame(new_eps)]).to_csv(hist / year / "episodes.csv", index=False)
        pd.concat([hdr, pd.DataFrame(new_hdr)]).to_csv(hist / year / "header.csv", index=False)
    return hist


@pytest.fixture(scope="module")
def hard(tmp_path_factory):
    return _history(tmp_path_factory.mktemp("hard"))


@pytest.fixture(scope="module")
def hard_read(hard):
    """The hard history read once (reading it is most of a run's time)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_history(hard)


def _config(tmp: Path, **finance: object) -> Path:
    lines = ["[forecast]", "num_paths = 10", "horizon_months = 3", "seed = 3", "[finance]"]
    lines += [f"{k} = {v!r}".replace("'", '"') for k, v in finance.items()]
    path = tmp / "config.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _run(hist: Path | SSDA903History, tmp: Path, start: str, *, costs: Path | None = None,
         budget: pd.DataFrame | Path | None = None, horizon: int = 3,
         previous: Path | None = None, **finance: object) -> Path:  # fmt: skip
    """The run's output folder, ``OUT`` beside its configuration in ``tmp``; its headline
    in ``OUT/headline.txt``."""
    out = tmp / "out"
    config = _config(tmp, **finance)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = api.spend(hist, config, costs=costs, budget=budget, start=start,
                           horizon_months=horizon, run_date=dt.date(2026, 6, 1))  # fmt: skip
    if previous is not None:  # as `sufficiency spend --previous` does
        result = result.since(previous, load_params(config).finance)
    result.write(out)
    (out / "headline.txt").write_text(result.headline)
    return out


def _from_csv(out: Path) -> pd.DataFrame:
    t = pd.read_csv(out / "spend_to_date.csv")
    t = t.pivot(index="month", columns="cost_line", values="spend_gbp")
    t.index = pd.to_datetime(t.index)
    return t


def _compare(ours: pd.DataFrame, theirs: pd.DataFrame, what: str) -> None:
    """Every month and line to the penny (each figure is rounded to pence once); the
    month's total (``all``, or a sheet's Total) is the sum of its lines' pence, as a
    finance officer's SUM of them gives it, and so within a penny of the recomputed lines'
    pence (it was the unrounded lines' total rounded: a few pence from their sum)."""
    assert list(theirs.index) == list(ours.index), what
    wrong = []
    for month in ours.index:
        for line in LINES:
            a, b = round(float(ours.loc[month, line]), 2), float(theirs.loc[month, line])
            if abs(a - b) > 0.011:
                wrong.append(f"{month:%Y-%m} {line}: recomputed {a:,.2f}, {what} {b:,.2f}")
        if "all" not in theirs:
            continue
        total = round(sum(round(float(ours.loc[month, ln]), 2) for ln in LINES), 2)
        added = round(sum(float(theirs.loc[month, ln]) for ln in LINES), 2)
        shown = float(theirs.loc[month, "all"])
        if abs(total - shown) > 0.011 or abs(added - shown) > 0.001:
            wrong.append(f"{month:%Y-%m} all: recomputed lines add to {total:,.2f}, {what} "
                         f"gives {shown:,.2f} (its lines add to {added:,.2f})")  # fmt: skip
    assert not wrong, "\n".join(wrong)


#: A budget kept by month (as a finance system exports it): 2025-26 set low (an
#: overspend), 2026-27 high (an underspend), in-house fostering's line each month.
MONTHS_25 = ["Apr-25", "May-25", "Jun-25", "Jul-25", "Aug-25", "Sep-25", "Oct-25", "Nov-25",
             "Dec-25", "Jan-26", "Feb-26", "Mar-26"]  # fmt: skip
BUDGET_25 = [5.1e6, 5.0e6, 4.9e6, 5.2e6, 5.05e6, 4.95e6, 5.0e6, 5.0e6, 5.3e6, 4.8e6, 4.7e6,
             5.000_000_37e6]  # fmt: skip
BUDGET_26 = [7.0e6 + 1000.25 * k for k in range(12)]


def _monthly_budget(path: Path) -> Path:
    rows = ["financial_year,month,cost_line,budget_gbp"]
    for k, (m, v) in enumerate(zip(MONTHS_25, BUDGET_25, strict=True)):
        rows.append(f"2025-26,{m},all,{v}")
        rows.append(f"2025-26,{m},in_house_foster,{650_000 + k}")
        rows.append(f"2026-27,{m[:4]}{int(m[4:]) + 1},all,{BUDGET_26[k]}")
    path.write_text("\n".join(rows) + "\n")
    return path


def _recalculated(xlsx: Path, tmp: Path):
    """The workbook as LibreOffice has recalculated its formulas, values only."""
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed (scripts/install_render_tools.sh)")
    recalc = tmp / "recalc"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp / 'lo'}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(recalc), str(xlsx)],
                   capture_output=True, check=True, timeout=180)  # fmt: skip
    return load_workbook(recalc / xlsx.name, data_only=True)


def test_months_to_date_and_budget_recomputed_in_the_csvs_and_the_recalculated_workbook(
    hard, hard_read, tmp_path
):
    """The run to 31 December 2025 (prices of 1 April 2025, no uplift in the months),
    with a cost file giving its own weekly costs and one child's actual cost, and a
    budget kept by month: the CSV's and the recalculated workbook's April-December agree
    with the recomputation; each budget year is its months' sum; each variance is
    projected - budget, its sign and its word (overspend, underspend) agree."""
    costs = tmp_path / "costs.csv"
    weekly = {**WEEKLY, "ifa_foster": 950.0, "external_residential": 6400.0}
    rows = [f"{k},{v}," for k, v in weekly.items()] + ["in_house_foster,700,990002"]
    costs.write_text("category,weekly_cost,child_id\n" + "\n".join(rows) + "\n")
    budget = _monthly_budget(tmp_path / "budget.csv")
    out = _run(hard_read, tmp_path, "2025-12-31", costs=costs, budget=budget, horizon=15)
    ours = recompute(
        hard / "2026",
        pd.Timestamp("2025-04-01"),
        pd.Timestamp("2025-12-31"),
        base=pd.Timestamp("2025-04-01"),
        weekly=weekly,
        actual={"990002": 700.0},
    )
    _compare(ours, _from_csv(out), "spend_to_date.csv")

    comp = pd.read_csv(out / "budget_comparison.csv").set_index(["financial_year", "cost_line"])
    assert comp.loc[("2025-26", "all"), "budget_gbp"] == pytest.approx(sum(BUDGET_25), abs=0.005)
    assert comp.loc[("2026-27", "all"), "budget_gbp"] == pytest.approx(sum(BUDGET_26), abs=0.005)
    assert comp.loc[("2025-26", "in_house_foster"), "budget_gbp"] == 650_000 * 12 + 66
    # the outturn year's spend to date is the recomputed months', line by line
    pence = ours.round(2)  # each month's line to the penny; totals add the pence
    for line in ("all", "in_house_foster"):
        done = pence.to_numpy().sum() if line == "all" else pence[line].sum()
        assert comp.loc[("2025-26", line), "spend_to_date_estimated_gbp"] == pytest.approx(
            done, abs=0.01
        )
    year_rest = pd.read_csv(out / "spend.csv").query("financial_year == '2025-26'")
    rest = year_rest.groupby("cost_line")["mean"].sum()
    for (fy, line), r in comp.iterrows():
        mean = r["spend_to_date_estimated_gbp"] + (rest[line] if fy == "2025-26" else 0)
        if fy == "2025-26":  # the outturn: spend to date + the forecast months left
            assert r["mean"] == pytest.approx(mean, abs=0.02), (fy, line)
        assert r["variance_gbp"] == pytest.approx(r["mean"] - r["budget_gbp"], abs=0.011)
    assert comp.loc[("2025-26", "all"), "variance_gbp"] > 0  # the budgets set so
    assert comp.loc[("2026-27", "all"), "variance_gbp"] < 0
    said = (out / "headline.txt").read_text()
    words = re.findall(r"variance ([+-])£[\d.,]+[mk]? \((an overspend|an underspend): "
                       r"projected spend - budget\)", said)  # fmt: skip
    assert sorted(words) == [("+", "an overspend"), ("-", "an underspend")], said

    wb = _recalculated(out / "spend.xlsx", tmp_path)
    ws = wb["Monthly"]
    head = [c.value for c in ws[1]]
    sheet = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        if isinstance(row[0], str) and row[0].endswith("history"):
            month = pd.Timestamp(row[0][:7]) + pd.offsets.MonthEnd(0)
            sheet[month] = {**{ln: row[head.index(WORDS[ln])] for ln in LINES},
                            "all": row[head.index("Total (mean)")]}  # fmt: skip
    # each line's cell is to the penny; the total is a formula adding the cells' pence,
    # which spend_to_date.csv's total is too (it was a few pence from it)
    _compare(ours, pd.DataFrame(sheet).T, "spend.xlsx Monthly (recalculated)")
    ws = wb["Cumulative"]  # the year's running total, April to December from the history
    col = [c.value for c in ws[1]].index("2025-26 projected (history to December, then forecast)")
    running = [r[col] for r in ws.iter_rows(min_row=2, max_row=10, values_only=True)]
    assert np.allclose(running, ours.sum(axis=1).cumsum(), atol=0.05), running
    # the budget profile is the budget file's months added up, not a twelfth a month (the
    # file's months were added up to the year's and spread evenly, said only in a warning)
    head = [c.value for c in ws[1]]
    for year, months in (("2025-26", BUDGET_25), ("2026-27", BUDGET_26)):
        col = head.index(f"{year} budget profile")
        profile = [r[col] for r in ws.iter_rows(min_row=2, max_row=13, values_only=True)]
        assert np.allclose(profile, np.cumsum(months), atol=0.005), (year, profile)
    said = " ".join(str(c) for r in ws.iter_rows(values_only=True) for c in r if c)
    assert "The budget profile follows the budget file's months (2025-26, 2026-27)." in said
    assert "straight-line" not in said and "twelfth" not in said
    head = [c.value for c in wb["Monthly"][1]]
    assert "Cumulative budget (budget file's months)" in head
    ws = wb["Budget"]
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[0] not in ("2025-26", "2026-27"):
            continue
        line = "all" if row[1] == "All placements" else "in_house_foster"
        r = comp.loc[(row[0], line)]
        got = {k: row[head.index(h)] for k, h in (("budget", "Budget (£)"),
               ("mean", "Projected (mean)"), ("variance", "Variance (mean - budget)"))}  # fmt: skip
        assert got["budget"] == pytest.approx(r["budget_gbp"], abs=0.005)
        assert got["variance"] == pytest.approx(r["variance_gbp"], abs=0.011)
        assert got["variance"] == pytest.approx(got["mean"] - got["budget"], abs=0.011)


@pytest.mark.parametrize(
    ("start", "finance", "ret", "first", "base", "why"),
    [
        ("2025-12-31", {"uplift_month": 10, "inflation_rate": 0.05}, "2026", "2025-04-01",
         "2025-04-01", "an uplift on 1 October, mid-year"),
        ("2025-12-31", {"costs_price_year": "2024-25", "uplift_month": 7, "uplift_day": 15},
         "2026", "2025-04-01", "2024-04-01", "last year's prices, an uplift on 15 July"),
        ("2024-02-29", {}, "2024", "2023-04-01", "2023-04-01", "a leap-year February"),
        ("2024-04-30", {}, "2025", "2024-04-01", "2024-04-01", "a financial year's first month"),
    ],
)  # fmt: skip
def test_months_to_date_recomputed(
    hard, hard_read, tmp_path, start, finance, ret, first, base, why
):
    out = _run(hard_read, tmp_path, start, **finance)
    month, day = finance.get("uplift_month", 4), finance.get("uplift_day", 1)
    ours = recompute(hard / ret, pd.Timestamp(first), pd.Timestamp(start),
                     rate=float(finance.get("inflation_rate", 0.06)), uplift=(month, day),
                     base=pd.Timestamp(base))  # fmt: skip
    _compare(ours, _from_csv(out), f"spend_to_date.csv ({why})")


def test_a_closed_years_months_recomputed(hard, hard_read, tmp_path):
    """A year-end run (to 31 March 2024) with the closed year's budget: its twelve months,
    leap February among them, are shown from the history."""
    budget = pd.DataFrame({"financial_year": ["2023-24"], "cost_line": ["all"],
                           "budget_gbp": [6.0e7]})  # fmt: skip
    out = _run(hard_read, tmp_path, "2024-03-31", budget=budget, horizon=12)
    ours = recompute(hard / "2024", pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-31"),
                     base=pd.Timestamp("2024-04-01"))  # fmt: skip
    _compare(ours, _from_csv(out), "spend_to_date.csv (the closed year 2023-24)")
    assert np.isclose(pd.read_csv(out / "budget_comparison.csv").query("cost_line == 'all'")
                      ["mean"].iloc[0], ours.to_numpy().sum(), atol=0.5)  # fmt: skip


def test_month_end_runs_say_what_moved_and_keep_the_past_months(hard, hard_read, tmp_path):
    """Three month-end runs, each with --previous naming the last: the change table's
    'then' and 'now' are the two runs' figures, month by month; the sentence's totals
    and parts add up from them; the months from the history are unchanged while the
    history is, and said to have changed (only those) when a return is revised."""
    from sufficiency import figures  # formatting only: the sentence's own figures

    runs: list[Path] = []
    revised = _history(tmp_path / "revised")
    eps = revised / "2026" / "episodes.csv"  # a child placed in June, reported late
    eps.write_text(eps.read_text() + "990006,15/06/2025,S,C2,N1,R1,PR4,01/08/2025,E11,,"
                   "WR1 1AA,WR5 3BB,\n")  # fmt: skip
    hdr = revised / "2026" / "header.csv"
    hdr.write_text(hdr.read_text() + "990006,1,04/04/2011,WBRI,,,\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        revised_read = read_history(revised)
    for k, (start, hist) in enumerate((("2025-10-31", hard_read), ("2025-11-30", hard_read),
                                       ("2025-12-31", revised_read))):  # fmt: skip
        (tmp_path / str(k)).mkdir()
        runs.append(_run(hist, tmp_path / str(k), start, horizon=5,
                         previous=runs[-1] if runs else None))  # fmt: skip

    def year(out: Path) -> pd.Series:
        """2025-26's months in a run, each from the history or the forecast."""
        past = pd.read_csv(out / "spend_to_date.csv").query("cost_line == 'all'")
        ahead = pd.read_csv(out / "spend.csv").query(
            "cost_line == 'all' and financial_year == '2025-26'"
        )
        return pd.concat(
            [
                pd.Series(past["spend_gbp"].to_numpy(), past["month"].str[:7]),
                pd.Series(ahead["mean"].to_numpy(), ahead["month"].str[:7]),
            ]
        )

    for then_out, now_out in itertools.pairwise(runs):
        then, now = year(then_out), year(now_out)
        table = pd.read_csv(now_out / "change_since_previous.csv").set_index("month")
        assert list(table.index) == list(now.index) == list(then.index)
        assert np.allclose(table["then_gbp"], then, atol=0.005)
        assert np.allclose(table["now_gbp"], now, atol=0.005)
        assert np.allclose(table["change_gbp"], now - then, atol=0.011)
        said = (now_out / "headline.txt").read_text()
        total = (f"£{figures.money(then.sum())[1:]} then, {figures.money(now.sum())} now "
                 f"({figures.signed_money(now.sum() - then.sum())})")  # fmt: skip
        assert total in said, said
        # the outturn the earlier run gave is the 'then' of this one
        assert f"outturn {figures.money(then.sum())} " in (then_out / "headline.txt").read_text()
        for why, part in table.groupby("why"):
            if why != "from the history both times, unchanged":
                assert f"{figures.signed_money(part['change_gbp'].sum())}" in said, (why, said)
    for out in runs:  # the Summary's year is the outturn the headline gives (no budget here:
        # it was the 3 to 5 forecast months alone, £17.0m beside the headline's £68.6m)
        summary = load_workbook(out / "spend.xlsx")["Summary"]
        assert summary["A5"].value == "2025-26 (current, outturn)"
        assert summary["C5"].value == pytest.approx(year(out).sum(), abs=0.05)
        assert summary["A8"].value.startswith("2025-26 is its forecast outturn: spend to date")
        # ... and the Financial years sheet's 2025-26, its forecast months alone, says so
        notes = [
            c
            for row in load_workbook(out / "spend.xlsx")["Financial years"].iter_rows(
                values_only=True
            )
            for c in row
            if isinstance(c, str) and "Means add" in c
        ]
        done = pd.read_csv(out / "spend_to_date.csv").query("cost_line == 'all'")["spend_gbp"]
        assert "2025-26 is here its forecast months alone, from " in notes[0]
        assert f"£{done.sum():,.0f}, estimated from the 903 history) are on the Monthly" in notes[0]
    second = pd.read_csv(runs[1] / "change_since_previous.csv").set_index("month")
    assert (second.loc["2025-04":"2025-10", "change_gbp"] == 0).all()
    assert "7 months from the history unchanged" in (runs[1] / "headline.txt").read_text()
    third = pd.read_csv(runs[2] / "change_since_previous.csv").set_index("month")
    moved = third[third["why"].str.contains("and changed")].index.tolist()
    assert moved == ["2025-06", "2025-07"], third  # the late placement's months alone
    ours = recompute(revised / "2026", pd.Timestamp("2025-06-01"), pd.Timestamp("2025-07-31"),
                     base=pd.Timestamp("2025-04-01"))  # fmt: skip
    before = recompute(hard / "2026", pd.Timestamp("2025-06-01"), pd.Timestamp("2025-07-31"),
                       base=pd.Timestamp("2025-04-01"))  # fmt: skip
    assert np.allclose(third.loc[moved, "change_gbp"], (ours - before).sum(axis=1), atol=0.011)


@pytest.mark.parametrize(
    ("first", "last", "words"),
    [("2025-04-01", "2025-04-30", "April 2025"),
     ("2025-04-01", "2025-09-30", "April to September 2025"),
     ("2024-04-01", "2025-02-28", "April 2024 to February 2025")],
)  # fmt: skip
def test_the_headline_names_the_months_to_date_unambiguously(first, last, words):
    """The headline's months to date said 'April to April 2025' after a month, and 'April
    to February 2025' for April 2024 to February 2025."""
    from sufficiency.finance.months_to_date import months_words

    assert months_words(pd.Timestamp(first), pd.Timestamp(last)) == words


def test_a_budget_by_month_short_of_a_month_is_set_aside_in_words(tmp_path):
    """Eleven months of a year's only line: set aside, and said so; it said 'the spend is
    compared with the other 0 lines only'."""
    from sufficiency.finance.inputs import budget_for_run

    path = tmp_path / "budget.csv"
    path.write_text("financial_year,month,cost_line,budget_gbp\n" + "".join(
        f"2026-27,{m[:4]}{int(m[4:]) + 1},all,{v}\n"
        for m, v in zip(MONTHS_25[:11], BUDGET_26, strict=False)))  # fmt: skip
    kept, notes = budget_for_run(path, LINES)
    assert not len(kept)
    said = " ".join(notes)
    assert "gives 11 different months for 2026-27 All placements" in said
    assert "no line of it is left, so the spend is compared with no budget." in said, said
    assert "other 0 lines" not in said


def test_a_scenarios_year_to_date_is_its_outturn_beside_the_base_case(hard_read, tmp_path):
    """With a scenario and no budget, the Summary's base row for 2025-26 was its outturn
    while the scenario block's base and scenario (and the headline's scenario) were the
    forecast months alone (£16.8m under £68.4m): all are now the outturn, the same spend
    to date in both cases."""
    from sufficiency import figures

    scenario = SAMPLE.parent / "scenarios" / "step_down_and_in_house.toml"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = api.spend(hard_read, _config(tmp_path), scenario=scenario, start="2025-12-31",
                           horizon_months=3, run_date=dt.date(2026, 6, 1))  # fmt: skip
    result.write(tmp_path / "out")
    done = float(result.report.to_date.gbp.sum())
    ws = load_workbook(tmp_path / "out" / "spend.xlsx")["Summary"]
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0] and str(r[0])[:2] == "20"}
    base_row, block = rows["2025-26 (current, outturn)"], rows["2025-26 (outturn)"]
    assert block[2] == pytest.approx(base_row[2], abs=0.01)  # the base case, both places
    comp = result.scenario_comparison.set_index(["financial_year", "cost_line"])
    scen = float(comp.loc[("2025-26", "all"), "scenario_mean"]) + done
    assert block[3] == pytest.approx(scen, abs=0.01)
    assert f"2025-26 outturn {figures.money(scen)} (difference from base" in result.headline


def test_every_total_adds_the_pence_shown_in_the_workbook_and_the_csvs_alike(hard_read, tmp_path):
    """A finance officer adds up spend.xlsx's columns in Excel and checks them against
    spend.csv: a month's total, a quarter's, a year's and an outturn are the sums of the
    months' penny figures, in the recalculated workbook, the CSVs and budget_comparison.csv
    alike. The totals were the unrounded figures' totals rounded in the CSVs, and SUMs of
    the penny cells in the workbook: a few pence apart (the test allowed 6p)."""
    budget = pd.DataFrame({"financial_year": ["2025-26", "2026-27"], "cost_line": ["all", "all"],
                           "budget_gbp": [6.9e7, 7.4e7]})  # fmt: skip
    out = _run(hard_read, tmp_path, "2025-12-31", budget=budget, horizon=15)
    csv = pd.read_csv(out / "spend.csv")
    means = csv.pivot(index="month", columns="cost_line", values="mean")
    past = pd.read_csv(out / "spend_to_date.csv").pivot(
        index="month", columns="cost_line", values="spend_gbp"
    )
    months = pd.concat([past, means])  # April 2025 to March 2027, a penny figure a line
    gap = (months["all"] - months[list(LINES)].sum(axis=1)).abs()
    assert gap.max() < 0.001, gap.sort_values().tail()

    def pence(x: float) -> int:
        return round(float(x) * 100)

    wb = _recalculated(out / "spend.xlsx", tmp_path)
    ws = wb["Monthly"]
    head = [c.value for c in ws[1]]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True)
            if r[0] and re.match(r"\d{4}-\d\d( history)?$", r[0])]  # fmt: skip
    assert len(rows) == len(months)
    for row, (month, want) in zip(rows, months.iterrows(), strict=True):
        assert str(row[0])[:7] == month[:7]
        assert pence(row[head.index("Total (mean)")]) == pence(want["all"]), month
        cells = sum(pence(row[head.index(WORDS[ln])]) for ln in LINES)  # adding the column
        assert cells == pence(want["all"]), month
    # a total per financial year, adding its months' pence (no total adds the two years)
    totals = {r[0][:7]: r for r in ws.iter_rows(min_row=2, values_only=True)
              if r[0] and re.match(r"\d{4}-\d\d (total|outturn)\n", r[0])}  # fmt: skip
    assert list(totals) == ["2025-26", "2026-27"]
    for year, total in totals.items():
        mine = [v for m, v in months["all"].items() if (m >= "2026-04") == (year == "2026-27")]
        assert pence(total[head.index("Total (mean)")]) == sum(pence(v) for v in mine), year

    years = pd.read_csv(out / "spend_years.csv").set_index(["financial_year", "cost_line"])
    quarters = pd.read_csv(out / "spend_quarterly.csv").set_index(["quarter", "cost_line"])
    fy = pd.Series(["2025-26" if m < "2026-04" else "2026-27" for m in means.index], means.index)
    for sheet, table, keys in (("Financial years", years, fy), ("Quarterly", quarters, None)):
        ws = wb[sheet]
        head = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2, values_only=True):
            if not row[0] or row[0] == "Total" or row[1] is None:
                continue
            for ln in (*LINES, "all"):
                cell = row[head.index("Total (mean)" if ln == "all" else WORDS[ln])]
                assert pence(cell) == pence(table.loc[(row[0], ln), "mean"]), (sheet, row[0], ln)
            if keys is not None:  # the year's forecast months, added up from spend.csv
                added = sum(pence(v) for v in means.loc[keys == row[0], "all"])
                assert pence(table.loc[(row[0], "all"), "mean"]) == added, row[0]
    comp = pd.read_csv(out / "budget_comparison.csv").set_index("financial_year")
    outturn = sum(pence(v) for v in months.loc[:"2026-03-31", "all"])
    assert pence(comp.loc["2025-26", "mean"]) == outturn
    assert pence(comp.loc["2026-27", "mean"]) == pence(years.loc[("2026-27", "all"), "mean"])
    assert pence(comp.loc["2025-26", "variance_gbp"]) == outturn - pence(6.9e7)
    summary = wb["Summary"]
    assert summary["A5"].value == "2025-26 (current, outturn)"
    assert pence(summary["C5"].value) == outturn
    assert pence(summary["G5"].value) == outturn - pence(6.9e7)
