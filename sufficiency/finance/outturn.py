"""In-year outturn: spend to date estimated from the 903 history, plus the forecast's rest.

A budget year the forecast starts inside (an in-year extract, or ``--start`` within a
year) is compared with its OUTTURN: the spend from the year's first day to the forecast
start, plus the simulated spend for the rest of the year. The spend to date is ESTIMATED
from the 903 history, not taken from the ledger: the children in care at the end of each
day (as the forecast counts its starting stock, under-18s only), by cost line, times the
same weekly unit costs / 7 and the same price index the projection uses, carried back
before the forecast start (prices are 1.0 on the start date and one uplift lower before
each uplift date). It is fixed: the outturn's range and probability of overspend come
from the rest of the year's simulated paths plus that fixed part.

With a cost file listing today's placements (``--costs`` rows with a ``child_id``), a
child it lists who is in care at the forecast start, in the cost line the file gives,
is priced at their actual weekly cost from the first day of their CURRENT placement
(the last entry, move or change of carers in the history; a change of legal status or
a temporary placement does not end it): the file is a snapshot of what today's
placements cost, so it says nothing of what an earlier placement cost. The days before
that placement, the children it does not list and a listed child the history does not
have in care at the start (or has in another cost line) are priced at the unit costs,
and how many were which is said with the outturn (``basis`` names the cost file).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sufficiency import figures, vocabulary
from sufficiency.config import FinanceParams
from sufficiency.finance.lines_only import lines_only_notes, lines_only_words
from sufficiency.finance.pence import budget_words, pence, penny_sum, pounds
from sufficiency.finance.projection import SpendProjection, UnitCosts
from sufficiency.finance.summaries import OUTTURN, OUTTURN_ACTUAL, WHOLE_YEAR, financial_year
from sufficiency.forecast import CATEGORIES, LEAVING_AGE_MONTHS, CareSpells, age_months_at, stock_at
from sufficiency.prices import DAYS_PER_WEEK, prices_before

if TYPE_CHECKING:
    from sufficiency.finance.workbook import SpendReport

#: How the spend to date is estimated, wherever it appears.
ESTIMATED = (
    "ESTIMATED from the 903 history (children in care each day by cost line, at the unit "
    "costs and price index the projection uses), not the ledger's actuals"
)
#: ... and with a cost file's actual weekly costs for the children it lists.
ESTIMATED_ACTUAL = (
    "ESTIMATED from the 903 history (children in care each day by cost line; each child "
    "the cost file lists at their actual weekly cost from the start of their current "
    "placement, the unit costs before it and for the other children; at the price index "
    "the projection uses), not the ledger's actuals"
)


def estimated(basis: str) -> str:
    """How an outturn row's spend to date was estimated, from its ``basis``."""
    return ESTIMATED_ACTUAL if basis == OUTTURN_ACTUAL else ESTIMATED


#: The budget comparison's columns in GBP that an outturn adds.
OUTTURN_MONEY = ("spend_to_date_estimated_gbp", "rest_of_year_mean_gbp")


@dataclass(frozen=True)
class SpendToDate:
    """Estimated spend on each cost line from a year's first day to the forecast start."""

    financial_year: str
    first_day: pd.Timestamp
    last_day: pd.Timestamp
    gbp: np.ndarray  # aligned with the projection's cost lines: ``monthly``'s penny sums
    #: Children priced at the cost file's actual weekly cost (their current placement's
    #: days in the year), and those it lists who were not (not in care at the forecast
    #: start, in another cost line there, or 18 by then).
    actual: int = 0
    not_found: int = 0
    listed: bool = False  # whether the cost file listed any placements
    #: The same spend month by month, each to the penny (``gbp`` is their sum):
    #: ``monthly[month, line]``,
    #: each month ending on ``month_ends`` (the last day counted: the forecast start in
    #: the month it falls in), for the Monthly and Cumulative sheets' actual months.
    monthly: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    month_ends: pd.DatetimeIndex = field(default_factory=lambda: pd.DatetimeIndex([]))

    @property
    def basis(self) -> str:
        return OUTTURN_ACTUAL if self.actual else OUTTURN

    @property
    def total_gbp(self) -> float:
        """All lines' spend to date: the penny sum of the months' penny figures."""
        return float(penny_sum(self.gbp))

    @property
    def dates(self) -> str:
        return f"{figures.day(self.first_day)} to {figures.day(self.last_day)}"


def year_bounds(fy: str, start_month: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of financial year ``fy`` (``"2025-26"``)."""
    begins = pd.Timestamp(int(str(fy)[:4]), start_month, 1)
    return begins, begins + pd.DateOffset(years=1) - pd.Timedelta(days=1)


def closed_year(proj: SpendProjection) -> str | None:
    """The financial year that ends on the forecast start (a year-end run: the return to
    31 March), or ``None``: its spend is all in the history, none of it to forecast, and
    its budget is compared as its outturn with no forecast months."""
    fy = financial_year(proj.start, proj.financial_year_start_month)
    ends = year_bounds(fy, proj.financial_year_start_month)[1]
    return fy if ends == pd.Timestamp(proj.start).normalize() else None


def outturn_years(
    budget: pd.DataFrame, proj: SpendProjection, care: CareSpells
) -> tuple[dict[str, pd.Timestamp], dict[str, str]]:
    """Budget years the forecast starts inside and covers to their last day, with their first
    day; and, with the reason, those whose spend to date the history cannot give (it begins
    after the year's first day, or a missing return falls in the days to date)."""
    out, why = {}, {}
    for fy in sorted(set(budget["financial_year"])):
        begins, ends = year_bounds(str(fy), proj.financial_year_start_month)
        if not (begins <= proj.start and proj.months[-1] >= ends):
            continue
        if (reason := history_short(care, begins, proj.start)) is not None:
            why[str(fy)] = reason
        else:
            out[str(fy)] = begins
    return out, why


def history_short(care: CareSpells, begins: pd.Timestamp, start: pd.Timestamp) -> str | None:
    """Why the history cannot give the spend from ``begins`` to ``start``, or ``None``."""
    missing = [f"{figures.day(a)} to {figures.day(b)}" for a, b in care.gaps
               if a <= start and b >= begins]  # fmt: skip
    if begins < pd.Timestamp(care.data_start):
        return (f"the 903 history begins on {figures.day(care.data_start)}, after the "
                f"year's first day ({figures.day(begins)})")  # fmt: skip
    return "the 903 history has no return for " + ", ".join(missing) if missing else None


def spend_to_date(
    care: CareSpells, proj: SpendProjection, params: FinanceParams, fy: str, begins: pd.Timestamp
) -> SpendToDate:
    """Spend on each cost line from ``begins`` to the forecast start (both days included):
    child-days by cost line x weekly cost / 7 x price index, day by day, summed by month
    and over the days."""
    days = pd.date_range(begins, proj.start, freq="D")
    stock = stock_at(care, days).sum(axis=2)[:, [CATEGORIES.index(ln) for ln in proj.cost_lines]]
    weekly = proj.costs.require(proj.cost_lines, stock.sum(axis=0) > 0)
    index = prices_before(days, proj.start, params.inflation_rate, params.uplift_month,
                          params.uplift_day, proj.price_date)  # fmt: skip
    daily = stock * index[:, None] * weekly / DAYS_PER_WEEK  # (days, lines)
    listed = proj.costs.children
    found = current_placements(care, proj.start, set(listed))
    actual = 0
    for child, (cat, since) in found.items():
        line, cost = listed[child]
        if line != cat or line not in proj.cost_lines:
            continue
        days_in = days >= since  # the current placement's days in the year to date
        j = proj.cost_lines.index(line)
        daily[days_in, j] += (cost - weekly[j]) * index[days_in] / DAYS_PER_WEEK
        actual += 1
    month = days.to_period("M")
    monthly = pence(pd.DataFrame(daily).groupby(month).sum().to_numpy())  # the rule of .pence
    ends = pd.Series(days).groupby(month).max()
    return SpendToDate(fy, pd.Timestamp(begins), pd.Timestamp(proj.start),
                       penny_sum(monthly, axis=0),
                       actual, len(listed) - actual, bool(listed), monthly,
                       pd.DatetimeIndex(ends.to_numpy()))  # fmt: skip


def in_care_costs(
    care: CareSpells, start: pd.Timestamp, costs: UnitCosts, actual: float | None
) -> tuple[UnitCosts, float | None, str | None]:
    """The cost file's placements that are the history's children in care at the forecast
    start, in the cost line the file gives (``costs.current`` and today's actual weekly
    cost of those alone), and a sentence on the others (``None`` if none): a child who has
    left care, is not yet in the history or is placed elsewhere there is not one of the
    children the run-rate prices, and their cost set against the others' count read as a
    child in care at another's price."""
    listed = costs.children
    if not listed or actual is None:
        return costs, actual, None
    found = current_placements(care, start, set(listed))
    kept = {c: listed[c] for c, (cat, _) in found.items() if listed[c][0] == cat}
    if len(kept) == len(listed):
        return costs, actual, None
    current: dict[str, tuple[int, float]] = {}
    for line, cost in kept.values():
        n, total = current.get(line, (0, 0.0))
        current[line] = (n + 1, total + cost)
    left = len(listed) - len(kept)
    said = (
        f"{costs.origin}: {vocabulary.counted(left, 'placement')} of the "
        f"{len(listed):,} it lists {'is' if left == 1 else 'are'} not a child the 903 history "
        f"has in care in that cost line on {figures.day(pd.Timestamp(start))}, the forecast start "
        "(left care, not yet in the history, placed elsewhere there, or 18 by then): "
        f"{'its' if left == 1 else 'their'} weekly cost is left out of today's run-rate and "
        "the spend to date; check the cost file and the history are of the same day"
    )
    weekly = float(sum(cost for _, cost in kept.values())) if kept else None
    return replace(costs, current=current), weekly, said


def current_placements(
    care: CareSpells, start: pd.Timestamp, children: set[str]
) -> dict[str, tuple[str, pd.Timestamp]]:
    """For each of ``children`` in care and under 18 on ``start`` (counted in the forecast's
    starting stock): the cost line of their placement then and the day it began (the
    start of the last spell that was an entry, a move or a change of carers)."""
    if not children:
        return {}
    sp = care.spells
    sp = sp[sp["child"].isin(children)].sort_values(["child", "start"], kind="stable")
    day = np.datetime64(pd.Timestamp(start), "ns")
    # the start of each spell's placement: the last entry, move or change at or before it
    # (a child's first spell when none is)
    began = sp["start"].where(sp["kind"] != "none").groupby(sp["child"], sort=False).ffill()
    since = began.fillna(sp.groupby("child", sort=False)["start"].transform("first"))
    live = (sp["start"] <= day) & (sp["end"].isna() | (sp["end"] > day))
    one = live & (live.groupby(sp["child"], sort=False).transform("sum") == 1)
    rows, since = sp[one], since[one]
    young = age_months_at(pd.DatetimeIndex(rows["dob"]), pd.Timestamp(start)) < LEAVING_AGE_MONTHS
    rows, since = rows[young], since[young]
    return {str(c): (CATEGORIES[int(k)], pd.Timestamp(t))
            for c, k, t in zip(rows["child"], rows["category"], since, strict=True)}  # fmt: skip


def described(to_date: SpendToDate, rest_months: int) -> str:
    """The Assumptions sheet's sentence for an outturn year."""
    total = to_date.total_gbp
    if not rest_months:  # a year-end run: the year closed at the forecast start
        return (f"compared as its outturn, the year closed on {figures.day(to_date.last_day)}, the "
                f"forecast start: spend {pounds(total)} ({to_date.dates}), "
                f"{estimated(to_date.basis)}{_priced(to_date)}; no month of it is forecast, so "
                "it has no range and no probability of overspend")  # fmt: skip
    return (f"compared as its forecast outturn: spend to date {pounds(total)} "
            f"({to_date.dates}), {estimated(to_date.basis)}{_priced(to_date)}, plus the "
            f"forecast for the rest of the year ({rest_months} months); its range and "
            "probability of overspend are those of the forecast months, the spend to date "
            "being fixed")  # fmt: skip


def _priced(to_date: SpendToDate) -> str:
    """How many of the cost file's placements the spend to date priced at their cost."""
    if not to_date.listed:
        return ""
    return (f" ({vocabulary.counted(to_date.actual, 'placement')} of the cost file at their "
            f"actual weekly cost; {to_date.not_found:,} it lists not in care in that cost line "
            "at the forecast start in the 903 history, so their cost is not used)")  # fmt: skip


def _is_outturn(budget: pd.DataFrame) -> pd.Series:
    return budget["basis"] != WHOLE_YEAR


def whole_year_budgets(budget: pd.DataFrame | None) -> dict[str, float]:
    """The whole placements budget (cost line ``all``) of each year the forecast covers
    whole (an outturn year's budget is not profiled over the forecast months alone)."""
    if budget is None:
        return {}
    b = budget[(budget["cost_line"] == "all") & (budget["basis"] == WHOLE_YEAR)]
    return {str(k): float(v) for k, v in zip(b["financial_year"], b["budget_gbp"], strict=True)}


#: Under the Summary's scenario block when a year in it is compared as its outturn.
SCENARIO_OUTTURN = (
    " A year marked (outturn) is its forecast outturn in both cases: the same spend to date, "
    "estimated from the 903 history, plus that case's forecast for the rest of the year."
)


def scenario_years(
    report: SpendReport, years: list[str]
) -> list[tuple[str, int, float, float, float | None, float | None]]:
    """The Summary's scenario block, a row per year: its label, forecast months, the base's
    and the scenario's means and, where the budget has a whole placements line, that budget
    and the scenario's probability of overspend. A year compared as its outturn is both
    cases' outturns (the same spend to date plus each case's forecast months), set against
    the whole year's budget as the base case's outturn is."""
    comp = report.comparison
    assert comp is not None
    comp = comp[comp["cost_line"] == "all"].set_index("financial_year")
    b, sb = report.budget, report.scenario_budget
    base = scen = None
    if b is not None and sb is not None:
        base = b[b["cost_line"] == "all"].set_index("financial_year")
        scen = sb[sb["cost_line"] == "all"].set_index("financial_year")
    yearly = report.yearly[report.yearly["cost_line"] == "all"].set_index("financial_year")
    out: list[tuple[str, int, float, float, float | None, float | None]] = []
    for fy in years:
        months = int(yearly.loc[fy, "months"])
        if base is not None and scen is not None and fy in scen.index:
            s = scen.loc[fy]
            label = fy + (" (outturn)" if s["basis"] != WHOLE_YEAR else "")
            out.append((label, months, float(base.loc[fy, "mean"]), float(s["mean"]),
                        float(s["budget_gbp"]), float(s["prob_overspend"])))  # fmt: skip
        else:  # a year the forecast starts inside is both cases' outturns, as the base's
            # row above gives it (their forecast months alone were read as the year's)
            past = report.to_date
            done = past.total_gbp if past is not None and past.financial_year == fy else 0.0
            label = fy + " (outturn)" * (past is not None and past.financial_year == fy)
            base_mean, scen_mean = (round(float(comp.loc[fy, k]) + done, 2)
                                    for k in ("base_mean", "scenario_mean"))  # fmt: skip
            out.append((label, months, base_mean, scen_mean, None, None))
    return out


def summary_years(
    report: SpendReport,
) -> tuple[pd.DataFrame, dict[str, float], dict[str, str], dict[str, str]]:
    """The Summary sheet's yearly totals (a year the forecast starts inside is its
    outturn, as the console's headline gives it, budget or not), budgets, probabilities
    of overspend, and a note for each outturn year."""
    yearly = report.yearly[report.yearly["cost_line"] == "all"].set_index("financial_year")
    yearly, notes = _with_months_to_date(yearly.copy(), report.to_date)
    if report.budget is None:
        return yearly, {}, {}, notes
    b = report.budget[report.budget["cost_line"] == "all"].set_index("financial_year")
    for fy, row in b[_is_outturn(b)].iterrows():
        if fy in yearly.index:
            yearly.loc[fy, ["mean", "p10", "p90"]] = row[["mean", "p10", "p90"]].to_numpy()
            notes[str(fy)] = (
                f"{fy} is its forecast outturn: spend to date "
                f"{pounds(row['spend_to_date_estimated_gbp'])}, {estimated(row['basis'])}, plus "
                f"{int(row['months'])} forecast months (mean "
                f"{figures.money(row['rest_of_year_mean_gbp'])})."
            )
    lines = report.budget[_is_outturn(report.budget)]
    closed = lines[lines["months"] == 0]  # a year-end run's year: not a row of the Summary
    for fy, rows in closed.groupby("financial_year", sort=True):
        notes[str(fy)] = (f"{_closed(rows, str(fy))}: on the Budget sheet, and month by month "
                          "as the Monthly sheet's 'history' rows.")  # fmt: skip
    for fy in sorted(set(lines["financial_year"]) - set(b.index) - set(closed["financial_year"])):
        notes[str(fy)] = (
            f"{notes[str(fy)]} The budget gives cost lines only (no whole placements line "
            "'all'), so this row has no budget; each line's forecast outturn (spend to date "
            "+ the forecast) is on the Budget sheet."
        ) if str(fy) in notes else (
            f"{fy}: the budget gives cost lines only (no whole placements line 'all'), so "
            "this row is the forecast months alone; each line's forecast outturn (spend to "
            "date + the forecast) is on the Budget sheet."
        )  # fmt: skip
    notes |= lines_only_notes(report.budget)  # a row with no budget: said why
    return yearly, b["budget_gbp"].to_dict(), b["prob_overspend"].to_dict(), notes


def _with_months_to_date(
    yearly: pd.DataFrame, past: SpendToDate | None
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The yearly totals with the year the forecast starts inside as its outturn: its
    spend to date from the history (fixed) + its forecast months' mean, P10 and P90, as
    the console's headline says it (the forecast months alone, with no word, were read
    as the year's spend: £17.0m for a year whose outturn is £68.6m); and its note."""
    if past is None or past.financial_year not in yearly.index:
        return yearly, {}
    fy, done = past.financial_year, past.total_gbp
    rest = float(yearly.loc[fy, "mean"])
    cols = ["mean", "p10", "p90"]
    yearly.loc[fy, cols] = (yearly.loc[fy, cols].astype(float) + done).round(2)
    return yearly, {fy: (
        f"{fy} is its forecast outturn: spend to date {pounds(done)} ({past.dates}), "
        f"{estimated(past.basis)}, plus {int(yearly.loc[fy, 'months'])} forecast months (mean "
        f"{figures.money(rest)})."
    )}  # fmt: skip


def outturn_note(budget: pd.DataFrame) -> str | None:
    """The Budget sheet's note under its table when a year is compared as its outturn."""
    out = budget[_is_outturn(budget)].drop_duplicates("financial_year")
    if not len(out):
        return None
    return " ".join(
        f"{r.financial_year}: forecast outturn = spend to date (the year's first day to "
        f"the forecast start), {estimated(r.basis)}, + the forecast for the rest of the year."
        for r in out.itertuples()
    ) + (" 'Projected', P10-P90, variance and probability of overspend are the outturn's; "
         "'Months forecast' counts the rest of the year's months.")  # fmt: skip


def outturn_headline(budget: pd.DataFrame | None, case: str = "") -> str:
    """The console's sentence on each year compared as its outturn ('' if none): the
    whole placements budget's outturn, variance and probability of overspend (``case``
    names whose, such as ``Base case: ``, with a scenario); a budget that gives
    cost lines only, each line's, as the Budget sheet shows them."""
    if budget is None:
        return ""
    said = []
    for fy, rows in budget[_is_outturn(budget)].groupby("financial_year", sort=True):
        whole = rows[rows["cost_line"] == "all"]
        label = f"{case}{fy} forecast outturn"
        to_date = figures.money(float(rows["spend_to_date_estimated_gbp"].max()))
        if not rows["months"].any():  # a year-end run: all of it from the history
            said.append(_closed(rows, f"{case}{fy}"))
            continue
        if len(whole):
            r = next(whole.itertuples())
            said.append(f"{label} {_spread(r)} against "
                        f"the budget of {budget_words(r.budget_gbp)}: {_variance(r)}; it includes "
                        f"spend to date of {to_date}, {estimated(r.basis)}")  # fmt: skip
            continue
        lines = "; ".join(
            f"{vocabulary.category(r.cost_line)} {_spread(r)} against "
            f"{budget_words(r.budget_gbp)}: {_variance(r)}"
            for r in rows.itertuples()
        )
        said.append(f"{label} on the budget's cost lines (it gives no whole placements "
                    f"budget, cost line 'all'): {lines}; they include spend to date on those "
                    f"lines of {figures.money(float(rows['spend_to_date_estimated_gbp'].sum()))}, "
                    f"{estimated(str(rows['basis'].iloc[0]))}")  # fmt: skip
    return "".join(". " + s for s in said)


def _closed(rows: pd.DataFrame, label: str) -> str:
    """The console's sentence on a year that closed at the forecast start: its outturn, all
    from the history (no range, no chance of overspend: nothing of it is forecast)."""
    lines = [
        f"{vocabulary.category(r.cost_line)} {figures.money(r.mean)} against the budget of "
        f"{budget_words(r.budget_gbp)}: {_variance(r, odds=False)}"
        for r in rows.sort_values("cost_line", key=lambda c: c != "all").itertuples()
    ]
    return (f"{label} outturn, the year closed at the forecast start (every month from the "
            f"903 history, none forecast): {'; '.join(lines)}; "
            f"{estimated(str(rows['basis'].iloc[0]))}")  # fmt: skip


def whole_year_words(budget: pd.DataFrame | None, financial_year: str) -> str:
    """``; budget £X, variance ±£Y, probability of overspend Z%`` for a year the forecast
    covers whole and the budget gives a whole placements budget (cost line ``all``) for;
    '' otherwise (a year compared as its outturn has its own sentence)."""
    if budget is None:
        return ""
    rows = budget[(budget["financial_year"].astype(str) == financial_year)
                  & (budget["cost_line"] == "all") & ~_is_outturn(budget)]  # fmt: skip
    if not len(rows):
        return lines_only_words(budget, financial_year)  # the lines' budgets, no total's
    r = next(rows.itertuples())
    return f"; budget {budget_words(r.budget_gbp)}, {_variance(r)}"


def _variance(r: Any, *, odds: bool = True) -> str:
    """The variance and chance of overspend, from the simulated futures: said to the
    precision they support (figures.money, figures.chance); the budget beside them is
    as given, to the pound. The variance is projected spend - budget, and says which it
    is in words (``-£1.28m, an underspend``): a bare minus sign read as an overspend to a
    reader used to the ledger's convention (budget - actual)."""
    said = figures.signed_money(r.variance_gbp)
    which = ("on budget" if said.lstrip("+-") == "£0" else
             "an overspend" if said.startswith("+") else "an underspend")  # fmt: skip
    chance = f", probability of overspend {figures.chance(r.prob_overspend)}" * odds
    return f"variance {said} ({which}: projected spend - budget){chance}"


def _spread(r: Any) -> str:
    """A projected mean with its P10 and P90 (``£71.3m (P10 £68.6m, P90 £74.0m)``)."""
    money = figures.money
    return f"{money(r.mean)} (P10 {money(r.p10, like=r.p90)}, P90 {money(r.p90, like=r.p10)})"
