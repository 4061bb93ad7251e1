"""What changed since last month's run: each month of the year, then and now, and the
year's outturn bridged from the one to the other.

A finance business partner runs spend at each month end and reports how the year's
projected outturn moved. Given the folder of an earlier run (its ``spend.csv`` and
``spend_to_date.csv``), each month of the current financial year is set beside what that
run had for it: a month then forecast and now from the history (the forecast against
what the history gives), a month from the history in both (the same figure unless the
903 history, or the costs, for it changed since, which is said), a month forecast in
both (re-forecast). The year's change is the sum of the three, so the outturn moves by
what changed, and each part is named.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sufficiency import figures, vocabulary
from sufficiency.config import FinanceParams
from sufficiency.errors import ConfigError
from sufficiency.finance.summaries import financial_year
from sufficiency.io.atomic import user_path
from sufficiency.prices import uplift_dates

#: A past month whose figure moved by less than this (GBP) is unchanged: pennies of rounding.
_SAME_GBP = 0.5
#: How each month of the year came to change, by what it was then and is now.
HISTORY_CHANGED = (
    "from the history both times, and changed: the 903 history (or the costs) for it changed"
)
HISTORY_SAME = "from the history both times, unchanged"
HISTORY_REPRICED = (
    "from the history both times, re-priced: an uplift date fell between the two runs"
)
NOW_HISTORY = "forecast then, from the history now"
REFORECAST = "forecast both times (re-forecast)"
NEW_MONTH = "not in the earlier run"


def prices_dated(base: dt.date, params: FinanceParams) -> str:
    """The Assumptions sheet's sentence on the date the weekly costs are the prices of
    (:func:`sufficiency.prices.price_date`): the first day of a financial year, the same
    for every month-end run of the year (before, a run's own forecast start, so the runs
    to 31 March and to 30 April priced the same costs a year's rise apart)."""
    rise = params.price_rise
    fy = financial_year(pd.Timestamp(base), params.financial_year_start_month)
    why = ("as [finance] costs_price_year sets" if params.costs_price_year
           else "the financial year the forecast begins in; set [finance] costs_price_year "
           "for another")  # fmt: skip
    return (f"the weekly costs are the prices of {fy} ({why}), as on {figures.day(base)}: each "
            f"month after an uplift date costs {rise.rate:.1%} more ({rise.words}), each "
            f"month before it {rise.rate:.1%} less. Every month-end run of {fy} reads them "
            "so, the run on the 31 March return too")  # fmt: skip


@dataclass(frozen=True)
class Changes:
    """The year's months then and now (``table``, ``change_since_previous.csv``) and the
    sentence the console and the workbook give."""

    financial_year: str
    table: pd.DataFrame
    sentence: str


def _folder(previous: Path | str) -> Path:
    """The earlier run's folder, ``~`` the user's home (:func:`user_path`); one that is not
    there, or a file, refused in a sentence (a traceback before)."""
    folder = user_path(previous)
    if folder.is_file():
        raise ConfigError(f"--previous {previous}: is a file, not a folder: give the --out "
                          f"folder of the earlier spend run ({folder.parent}, if it is "
                          "that run's)")  # fmt: skip
    if not folder.is_dir():
        raise ConfigError(f"--previous {previous}: there is no such folder: give the --out "
                          "folder of an earlier spend run")  # fmt: skip
    return folder


def _read(folder: Path, name: str, required: bool) -> pd.DataFrame | None:
    path = folder / name
    if not path.is_file():
        if required:
            raise ConfigError(
                f"--previous {folder}: is not the folder of a spend run, since it "
                f"has no {name}: give the --out folder of an earlier run"
            )
        return None
    try:
        table = pd.read_csv(path, dtype={"month": str, "financial_year": str})
    except (ValueError, UnicodeDecodeError) as exc:  # pandas' parser errors are ValueErrors
        raise ConfigError(f"--previous {folder}: {name} cannot be read as a spend run's "
                          f"({exc})") from None  # fmt: skip
    missing = [c for c in _COLUMNS[name] if c not in table.columns]
    if missing:
        raise ConfigError(f"--previous {folder}: {name} has no column {', '.join(missing)}: "
                          "it is not a spend run's (give the --out folder of an earlier "
                          "run, written by this version or a later one)")  # fmt: skip
    return table


#: The columns the earlier run's files must give.
_COLUMNS = {"spend.csv": ("month", "financial_year", "cost_line", "mean"),
            "spend_to_date.csv": ("month", "financial_year", "cost_line", "spend_gbp")}  # fmt: skip


def _year_months(monthly: pd.DataFrame, fy: str, column: str) -> pd.Series:
    rows = monthly[(monthly["financial_year"] == fy) & (monthly["cost_line"] == "all")]
    return pd.Series(rows[column].to_numpy(float), index=rows["month"].str[:7].to_numpy())


def changes_since(
    previous: Path | str, monthly: pd.DataFrame, past: pd.DataFrame | None, params: FinanceParams
) -> Changes:
    """The current financial year's months in this run (``monthly``: spend.csv's table;
    ``past``: spend_to_date.csv's, ``None`` without one) beside an earlier run's, from its
    folder ``previous``."""
    folder = _folder(previous)
    then_forecast = _read(folder, "spend.csv", required=True)
    then_past = _read(folder, "spend_to_date.csv", required=False)
    first = pd.Timestamp(past["month"].iloc[0] if past is not None else monthly["month"].iloc[0])
    fy = financial_year(first, params.financial_year_start_month)
    now = {"history": _year_months(past, fy, "spend_gbp") if past is not None else None,
           "forecast": _year_months(monthly, fy, "mean")}  # fmt: skip
    then = {"history": _year_months(then_past, fy, "spend_gbp") if then_past is not None
            else None, "forecast": _year_months(then_forecast, fy, "mean")}  # fmt: skip
    rows = []
    for month in sorted({m for d in (now, then) for s in d.values() if s is not None
                         for m in s.index}):  # fmt: skip
        was, was_kind = _value(then, month)
        is_, is_kind = _value(now, month)
        change = (is_ or 0.0) - (was or 0.0)
        if was is None:
            how = NEW_MONTH
        elif was_kind == is_kind == "history":
            how = HISTORY_CHANGED if abs(change) >= _SAME_GBP else HISTORY_SAME
        else:
            how = NOW_HISTORY if is_kind == "history" else REFORECAST
        rows.append({"month": month, "financial_year": fy, "then": was_kind, "then_gbp": was,
                     "now": is_kind, "now_gbp": is_, "change_gbp": round(change, 2),
                     "why": how})  # fmt: skip
    table = pd.DataFrame(rows)
    rebased = _uplift_between(then_forecast, monthly, params)
    if rebased:  # the history did not change; its prices did, re-dated to this run's start
        table.loc[table["why"] == HISTORY_CHANGED, "why"] = HISTORY_REPRICED
    return Changes(fy, table, _sentence(table, fy, then) + rebased)


def _uplift_between(then: pd.DataFrame, now: pd.DataFrame, params: FinanceParams) -> str:
    """A sentence when the two runs take the weekly costs as prices of different years
    ('' if the same): between them, an uplift re-prices every month."""
    bases = [params.price_rise.base(pd.Timestamp(t["month"].min()) - pd.offsets.MonthEnd(1))
             for t in (then, now)]  # fmt: skip
    rise = params.price_rise
    ups = uplift_dates(bases[0], bases[1], rise.month, rise.day)
    if not ups:
        return ""
    years = [financial_year(pd.Timestamp(b), params.financial_year_start_month) for b in bases]
    return (f". The earlier run took the weekly costs as {years[0]} prices, this one as "
            f"{years[1]}'s (each run the prices of the year it begins in): unless the costs "
            f"were raised by the {figures.day(ups[-1])} uplift, every month here is priced "
            f"{rise.rate:.1%} lower than in the earlier run, the history unchanged; set "
            "[finance] costs_price_year to price both alike")  # fmt: skip


def _value(run: dict[str, pd.Series | None], month: str) -> tuple[float | None, str | None]:
    """A month's figure in a run and whether it was from the history or forecast."""
    for kind in ("history", "forecast"):
        s = run[kind]
        if s is not None and month in s.index:
            return float(s[month]), kind
    return None, None


def _sentence(table: pd.DataFrame, fy: str, then: dict[str, pd.Series | None]) -> str:
    """How the year's spend moved since the earlier run, part by part."""
    was = float(table["then_gbp"].fillna(0).sum())
    now = float(table["now_gbp"].fillna(0).sum())
    past = then["history"]
    last = f" (history to {pd.Timestamp(past.index[-1]):%B %Y})" if past is not None and len(
        past) else ""  # fmt: skip
    parts = []
    for how, words in ((NOW_HISTORY, "now from the history, against {its} forecast"),
                       (REFORECAST, "re-forecast"),
                       (HISTORY_CHANGED, "from the history both times, and changed: the 903 "
                        "history (or the costs) for {them} changed since"),
                       (HISTORY_REPRICED, "from the history both times, re-priced")):  # fmt: skip
        rows = table[table["why"] == how]
        if len(rows):
            months = list(rows["month"])
            named = " to ".join(dict.fromkeys([months[0], months[-1]])) if how == REFORECAST \
                else vocabulary.listed(months)  # fmt: skip
            one = len(rows) == 1
            said = words.format(its="its" if one else "their", them="it" if one else "them")
            parts.append(f"{named} {said}, {figures.signed_money(rows['change_gbp'].sum())}")
    same = int((table["why"] == HISTORY_SAME).sum())
    tail = f"; {vocabulary.counted(same, 'month')} from the history unchanged" if same else ""
    return (f"{fy} since the earlier run{last}: {figures.money(was)} then, "
            f"{figures.money(now)} now ({figures.signed_money(now - was)}): "
            + "; ".join(parts) + tail + " (change_since_previous.csv)")  # fmt: skip
