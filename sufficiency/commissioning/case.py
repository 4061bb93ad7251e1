"""The commissioning case in plain words: what the HTML page and the workbook say.

The case opens with the recommendation (what to recruit, block-buy or leave to spot
purchase, year by year, its cost and saving against today's practice and how sure we
are), then the reasons (caps that bind, end-of-horizon effects, sensitivity in words),
then the forecast behind it, and the method last. Every function here reads a
:class:`CommissioningReport` and returns words or tables with plain-word labels; the
writers only lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sufficiency import figures, vocabulary
from sufficiency.commissioning.decisions import Decision, commitment_costs, economics
from sufficiency.commissioning.evaluate import margin_95
from sufficiency.commissioning.lever_words import lever_title, plain_assumptions
from sufficiency.commissioning.report import CommissioningReport
from sufficiency.commissioning.sensitivity import (
    NOT_PROVEN,
    NOT_TESTED,
    PROVEN,
    plan_summary,
)
from sufficiency.figures import money
from sufficiency.prices import DAYS_PER_WEEK

#: The unit each kind of lever is counted in.
UNITS = {"recruit": "households", "block": "places", "home": "homes", "uplift": ""}
#: What a plan would do more of if a cap did not stop it.
_MORE = {
    "recruit": "recruit more households",
    "block": "contract more places",
    "home": "open more homes",
}
#: How each sensitivity factor is said.
_FACTOR = {
    "demand": ("demand", "higher", "lower"),
    "spot prices": ("spot prices", "higher", "lower"),
    "recruitment success": ("each new household's places", "more", "fewer"),
}


def gbp(value: float | None) -> str:
    """Pounds with thousands separators (``£1,234``; ``-£5``); blank for no figure (a
    sensitivity case not tested: it showed '£nan')."""
    if value is None or pd.isna(value):
        return ""
    return f"-£{-value:,.0f}" if value < 0 else f"£{value:,.0f}"


def num_years(report: CommissioningReport) -> int:
    """Plan years in the horizon (the last may be part of a year)."""
    return -(-report.params.horizon_months // 12)


def year_label(report: CommissioningReport, year: int) -> str:
    """``Year 1: Apr 2026 to Mar 2027`` for 0-based plan year ``year``."""
    ends = report.demand.month_ends
    first = ends[min(12 * year + 1, len(ends) - 1)]
    last = ends[min(12 * year + 12, len(ends) - 1)]
    return f"Year {year + 1}: {first:%b %Y} to {last:%b %Y}"


def _years_text(years: list[int]) -> str:
    """``year 1``, ``years 1 to 4``, ``years 1, 3 and 5`` (1-based numbers)."""
    if len(years) == 1:
        return f"year {years[0]}"
    if years == list(range(years[0], years[-1] + 1)):
        return f"years {years[0]} to {years[-1]}"
    return "years " + ", ".join(map(str, years[:-1])) + f" and {years[-1]}"


def _title(d: Decision) -> str:
    return d.title or vocabulary.lever(d.kind, d.group if d.kind == "recruit" else "", d.key)


#: Fewer fresh futures than this and the headline says how far its expected figures could
#: be out (on 10, the sample's expected cost was £260.4m, give or take £10.2m).
FEW_FUTURES = 100


@dataclass(frozen=True)
class Headline:
    """The recommendation's figures over the horizon, on the fresh paths."""

    plan_cost_gbp: float
    status_quo_cost_gbp: float
    saving_gbp: float
    chance_cheaper: float
    saving_p10_gbp: float
    saving_p90_gbp: float
    num_paths: int
    horizon_months: int
    #: 95% margins of the expected cost and saving from the fresh paths (1.96 standard errors).
    cost_margin_gbp: float = 0.0
    saving_margin_gbp: float = 0.0

    def items(self) -> list[dict[str, object]]:
        """Headline boxes: figure and label."""
        years, part = divmod(self.horizon_months, 12)
        span = vocabulary.counted(years, "year") if not part else f"{self.horizon_months} months"
        return [
            {"figure": money(self.plan_cost_gbp), "label": f"Expected cost of the recommended "
             f"plan over {span}", "warn": False},
            {"figure": money(self.status_quo_cost_gbp), "label": "Expected cost of today's "
             "practice (spot purchase as now)", "warn": False},
            {"figure": money(self.saving_gbp), "label": "Expected saving",
             "warn": self.saving_gbp < 0},
            {"figure": figures.chance(self.chance_cheaper), "label": f"Share of "
             f"{self.num_paths:,} fresh simulated futures in which the plan costs less",
             "warn": self.chance_cheaper < 0.5 and not self.is_today},
        ]  # fmt: skip

    @property
    def is_today(self) -> bool:
        """The plan makes no new commitments: it is today's practice, in every future."""
        return (
            self.plan_cost_gbp == self.status_quo_cost_gbp
            and self.saving_p10_gbp == 0
            and self.saving_p90_gbp == 0
        )

    def sentence(self) -> str:
        """How sure we are, in a sentence; on fewer than :data:`FEW_FUTURES` fresh futures
        also how far the expected figures themselves could be out."""
        if self.is_today:
            said = (
                "The plan makes no new commitments, so it is today's practice: it costs the "
                f"same in each of the {self.num_paths:,} simulated futures."
            )
        else:
            p10, p90 = self.saving_p10_gbp, self.saving_p90_gbp
            low, high = figures.money(p10, like=p90), figures.money(p90, like=p10)
            # a spread narrower than the figures' rounding read "between £27.8m and £27.8m"
            spread = f"between {low} and {high}" if low != high else f"{low}, rounded"
            said = (
                f"In {figures.chance(self.chance_cheaper)} of {self.num_paths:,} simulated "
                "futures the plan was not made on, it costs less than today's practice; in 8 of "
                f"10 the saving is {spread}."
            )
        if self.num_paths >= FEW_FUTURES:
            return said
        cost, saving = map(figures.money, (self.cost_margin_gbp, self.saving_margin_gbp))
        return (
            f"{said} Scored on only {self.num_paths:,} futures, the expected cost could be "
            f"{cost} either way and the saving {saving} either way (95% margins): score the "
            "plan on more futures before relying on these figures (whoever runs the "
            "commissioning sets how many: --eval-paths, 1,000 by default)."
        )


def headline(report: CommissioningReport) -> Headline:
    """Expected costs, the saving, and how sure: share of fresh paths cheaper, P10-P90."""
    c = report.comparison
    return Headline(
        c.stochastic.expected_cost_gbp,
        c.status_quo.expected_cost_gbp,
        c.saving_vs_status_quo_gbp,
        c.chance_cheaper,
        c.saving_quantile_gbp(0.1),
        c.saving_quantile_gbp(0.9),
        c.num_paths,
        report.params.horizon_months,
        margin_95(c.stochastic.path_cost_gbp),
        margin_95(c.saving_paths_gbp),
    )


def _per_year(report: CommissioningReport, monthly: np.ndarray, how: str) -> list[float]:
    out = []
    for y in range(num_years(report)):
        part = monthly[12 * y : 12 * y + 12]
        out.append(float(part.sum() if how == "sum" else part.mean()) if len(part) else 0.0)
    return out


def year_table(report: CommissioningReport) -> pd.DataFrame:
    """What to do each plan year: ``action, unit``, one column per year, ``All years``.

    One row per lever (households recruited, block places contracted, homes opened,
    fee uplift adopted), then the children left to spot purchase (average at a time)
    and the expected cost of the plan and of today's practice, and the saving.
    """
    plan = report.stochastic
    years = num_years(report)
    rows: dict[str, dict[Any, Any]] = {}
    for d, v in zip(plan.decisions, plan.values, strict=True):
        title = _title(d)
        if d.kind == "block":
            unit = "places, new contract"
        elif d.kind == "uplift":
            unit = "yes or no"
        else:
            unit = UNITS[d.kind]
        row = rows.setdefault(
            title, {"action": title, "unit": unit, **dict.fromkeys(range(years), 0)}
        )
        row[d.year] = int(row[d.year]) + int(v)
    frame_rows: list[dict[Any, Any]] = list(rows.values())
    c = report.comparison
    spot = c.stochastic.children.get("spot")
    if spot is not None and len(spot):
        per = _per_year(report, spot.sum(axis=1), "mean")
        frame_rows.append({"action": "Children left to spot purchase", "unit":
                           "average children at a time", **dict(enumerate(per))})  # fmt: skip
    costs = [
        ("Expected cost of the recommended plan", c.stochastic.month_cost_gbp),
        ("Expected cost of today's practice", c.status_quo.month_cost_gbp),
    ]
    if all(len(m) for _, m in costs):
        plan_y = _per_year(report, costs[0][1], "sum")
        quo_y = _per_year(report, costs[1][1], "sum")
        frame_rows += [
            {"action": costs[0][0], "unit": "£", **dict(enumerate(plan_y))},
            {"action": costs[1][0], "unit": "£", **dict(enumerate(quo_y))},
            {"action": "Expected saving", "unit": "£",
             **{y: q - p for y, (p, q) in enumerate(zip(plan_y, quo_y, strict=True))}},
        ]  # fmt: skip
    frame = pd.DataFrame(frame_rows, columns=["action", "unit", *range(years)])
    values = frame[list(range(years))].astype(float)
    average = frame["unit"].str.contains("average")
    # An average over all years weighs each year by its months (the last may be part of one).
    months = np.array([min(12, report.params.horizon_months - 12 * y) for y in range(years)])
    weights = months / 12.0
    frame["all"] = np.where(
        average, (values * weights).sum(axis=1) / weights.sum(), values.sum(axis=1)
    )
    frame.loc[frame["unit"] == "yes or no", "all"] = values[frame["unit"] == "yes or no"].max(
        axis=1
    )
    return frame.rename(columns={y: year_label(report, y) for y in range(years)})


def year_columns(table: pd.DataFrame) -> list[str]:
    """The year columns of :func:`year_table` (and ``all``)."""
    return [c for c in table.columns if c not in ("action", "unit")]


def supply_split(report: CommissioningReport) -> pd.DataFrame:
    """Per capacity group, children at a time (average over the horizon) needing a place
    beyond today's in-house places, and where they go under the plan: new in-house
    places, block places, spot purchase (an external provider is expected to have a
    place) and true shortfall (no provider expected).

    The levers file sets no limit on what the spot market can supply, so every child not
    in an in-house or block place is spot-purchased and the true shortfall is zero.
    """
    ch = report.comparison.stochastic.children
    groups = report.demand.groups
    if not ch:
        return pd.DataFrame(columns=["group", "demand", "new_in_house", "block", "spot",
                                     "shortfall"])  # fmt: skip
    mean = {k: v.mean(axis=0) for k, v in ch.items()}
    shortfall = np.maximum(mean["demand"] - mean["new_in_house"] - mean["block"] - mean["spot"],
                           0.0)  # fmt: skip
    frame = pd.DataFrame(
        {
            "group": [vocabulary.group(g) for g in groups],
            "demand": mean["demand"],
            "new_in_house": mean["new_in_house"],
            "block": mean["block"],
            "spot": mean["spot"],
            "shortfall": np.where(shortfall < 1e-9, 0.0, shortfall),
        }
    )
    total = frame.drop(columns="group").sum()
    frame.loc[len(frame)] = {"group": "All groups", **total.to_dict()}
    return frame


#: Plain headers of :func:`supply_split`.
SPLIT_HEADERS = {
    "group": "Places for",
    "demand": "Children needing a place beyond today's in-house places",
    "new_in_house": "In new in-house places (recruits, homes)",
    "block": "In block-contract places",
    "spot": "To be spot-purchased (a provider is expected to have a place)",
    "shortfall": "True shortfall (no provider expected)",
}


#: Under the year-by-year table: its figures are shown rounded, its totals are not sums of
#: the rounded figures (the years of £50,093,713 ... £56,388,762 add to £1 more than the
#: All years £265,378,925 shown, which is the headline's figure).
YEAR_ROUNDING_NOTE = (
    "Figures are shown rounded (pounds to the nearest pound, children to one decimal place); "
    "each All years figure is worked out before rounding, so the years shown may not add to "
    "it exactly."
)


def split_note(report: CommissioningReport) -> list[str]:
    """What the spot and shortfall columns mean, and any service limits."""
    lines = [
        "Children at a time, averaged over the months of the plan and the simulated futures. "
        "'To be spot-purchased' children are placed with external providers at spot prices, "
        "as today; they are not a shortfall. Figures are shown to one decimal place; the All "
        "groups row and the first column are worked out before rounding, so the figures shown "
        "may not add to them exactly.",
        "The levers file sets no limit on how many places the external market can supply, so "
        "the model expects a provider for every child the plan does not place in-house or in "
        "a block contract: the true shortfall (no provider expected) is zero. Where the market "
        "is known to be short, read part of the spot figure as a risk of no place.",
    ]
    limits = report.levers.service_limit if report.levers is not None else ()
    for limit in limits:
        lines.append(
            f"Service limit for {vocabulary.group(limit.group).lower()}: at most a "
            f"{limit.max_probability:.0%} chance in any month from month {limit.from_month} "
            "that a spot placement is needed; the plan meets it."
        )
    return lines


def binding_caps(report: CommissioningReport) -> list[str]:
    """A sentence per lever whose plan takes its cap (the value equals the upper bound).

    The recruitment cap of a year is the file's most households a year, plus the fee
    uplift's extra households when the plan adopts the uplift.
    """
    plan = report.stochastic
    uplift = any(d.kind == "uplift" and v > 0 for d, v in zip(plan.decisions, plan.values,
                                                              strict=True))  # fmt: skip
    fee = report.levers.fee_uplift if report.levers is not None else None
    extra = fee.extra_households_per_year if uplift and fee is not None else 0
    hits: dict[str, tuple[Decision, int, list[int]]] = {}
    homes: dict[str, tuple[Decision, int]] = {}
    for d, v in zip(plan.decisions, plan.values, strict=True):
        if d.kind == "home":
            prev = homes.get(_title(d), (d, 0))
            homes[_title(d)] = (d, prev[1] + int(v))
            continue
        if d.kind not in _MORE or v <= 0:
            continue
        cap = d.upper + (extra if d.kind == "recruit" else 0)
        if v >= cap:
            hits.setdefault(_title(d), (d, cap, []))[2].append(d.year + 1)
    out = []
    for title, (d, cap, years) in hits.items():
        per = " a year" if d.kind == "recruit" else " under contract"
        out.append(
            f"{title}: the cap binds in {_years_text(years)} ({cap:,} {UNITS[d.kind]}{per}, the "
            f"most the levers file allows): the plan would {_MORE[d.kind]} if it could."
        )
    for title, (d, total) in homes.items():
        if total > 0 and total >= d.upper:
            out.append(
                f"{title}: the cap binds ({d.upper:,} homes, the most the levers file allows): "
                "the plan would open more homes if it could."
            )
    return out


def _pays_back(report: CommissioningReport, d: Decision) -> bool:
    """Whether one unit of ``d`` (a household recruited, a home opened) would save more than
    it costs within the horizon if every place it brings were used."""
    if report.levers is None:
        return False
    econ = economics(report.levers, report.demand.groups, report.demand.month_ends,
                     report.prices)  # fmt: skip
    spot, running = econ.spot_weekly_gbp, econ.running_weekly_gbp
    used = d.fixed_capacity * spot + d.variable_capacity * (spot - running)
    return float((econ.week_weight[:, None] * used).sum()) > d.cost_gbp


def _demand_words(report: CommissioningReport, d: Decision, first: int) -> str:
    """The children of ``d``'s group beyond today's in-house places, on average, in year 1,
    the first quiet year and the last."""
    g = report.demand.groups.index(d.group)
    per_year = _per_year(report, report.demand.demand[:, :, g].mean(axis=0), "mean")
    years = sorted({0, first, len(per_year) - 1})
    return ", ".join(f"{per_year[y]:,.1f} in year {y + 1}" for y in years)


def end_of_horizon(report: CommissioningReport) -> list[str]:
    """A sentence when the last plan year(s) recruit nothing where earlier years do.

    Households approved late in the horizon pay back beyond it, so the model does not
    count their benefit; the plan's silence in its last years is not advice to stop. But
    where a household recruited (a home opened) in the first quiet year would pay for
    itself within the horizon if its places were used, the horizon is not why: the plan
    expects too few children for more places (a falling population), and says so.
    """
    plan = report.stochastic
    years = num_years(report)
    by_lever: dict[str, list[int]] = {}
    kinds: dict[str, dict[int, Decision]] = {}
    home_total = 0
    for d, v in zip(plan.decisions, plan.values, strict=True):
        if d.kind not in ("recruit", "home"):
            continue
        values = by_lever.setdefault(_title(d), [0] * years)
        values[d.year] += int(v)
        kinds.setdefault(_title(d), {})[d.year] = d
        home_total += int(v) if d.kind == "home" else 0
    quiet: dict[int, list[str]] = {}
    falling = []
    h = report.params.horizon_months
    for title, values in by_lever.items():
        d = next(iter(kinds[title].values()))
        if d.kind == "home" and home_total >= d.upper:
            continue  # every home allowed is already opened: the cap, not the horizon
        trailing = 0
        while trailing < years and values[years - 1 - trailing] == 0:
            trailing += 1
        if not 0 < trailing < years:
            continue
        first = years - trailing
        late = kinds[title].get(first)
        if late is None or not _pays_back(report, late):
            quiet.setdefault(first, []).append(title)
            continue
        one = "a household recruited" if d.kind == "recruit" else "a home opened"
        falling.append(
            f"{title}: the plan adds nothing in {_years_text(list(range(first + 1, years + 1)))} "
            f"although earlier years do, and {one} in year {first + 1} would pay for itself "
            f"within the {h} months modelled if its places were used. This is not an "
            "end-of-horizon effect: the forecast expects too few children for more places "
            "(children needing a place beyond today's in-house places, on average: "
            f"{_demand_words(report, d, first)}). Re-run the plan each year, as demand may "
            "change."
        )
    out = []
    for first, titles in sorted(quiet.items()):
        last_years = _years_text(list(range(first + 1, years + 1)))
        names = "; ".join(titles)
        out.append(
            f"The plan adds nothing in {last_years} ({names}) although earlier years do. "
            f"This is an end-of-horizon effect, not advice to stop: households recruited or "
            f"homes opened then are approved or open late in the {h} months modelled and pay "
            "back after the horizon ends, so the model does not count their benefit. "
            "Re-run the plan each year; recruitment will probably continue."
        )
    return _out_of_reach(report) + out + falling + _contracts_past_horizon(report)


def _out_of_reach(report: CommissioningReport) -> list[str]:
    """A sentence for each lever whose first places come after the horizon (a household
    approved, a home's first beds): the plan cannot weigh it, and without a word a reader
    takes it as weighed and turned down."""
    lv, h = report.levers, report.params.horizon_months
    if lv is None:
        return []
    late = [
        (
            lever_title(lv, "recruit", r.group),
            "a household is approved",
            r.months_to_approval,
            "recruitment starts",
        )
        for r in lv.recruit
        if r.months_to_approval >= h and r.max_households_per_year
    ]
    if (home := lv.home) is not None and home.max_homes and home.lead_time_months >= h:
        late.append((lever_title(lv, "home"), "its first beds come", home.lead_time_months,
                     "it is opened"))  # fmt: skip
    return [f"{title}: {what} {months} months after {start}, after the {h} months modelled, "
            "so the plan cannot weigh it. Model a longer horizon (--horizon-months, up to 60) "
            "to weigh it." for title, what, months, start in late]  # fmt: skip


def _contracts_past_horizon(report: CommissioningReport) -> list[str]:
    """A sentence for each block contract the plan signs that runs past the horizon.

    Its cost over the horizon is part of the contract's: the months after the horizon
    are neither paid for nor used in the figures shown.
    """
    blocks = {b.name: b for b in report.levers.block} if report.levers is not None else {}
    h = report.params.horizon_months
    out = []
    for d, v in zip(report.stochastic.decisions, report.stochastic.values, strict=True):
        if d.kind != "block" or v <= 0 or d.key not in blocks:
            continue
        ends = 12 * (d.year + blocks[d.key].contract_years)
        if ends <= h:
            continue
        begin = (report.start + pd.offsets.MonthBegin(1)) + pd.DateOffset(years=d.year)
        last = report.start + pd.offsets.MonthEnd(ends)
        month_ends = pd.date_range(report.start, periods=ends + 1, freq="ME")
        days = np.diff(month_ends.values.astype("datetime64[D]")).astype(float)
        weeks = report.prices.index(month_ends) * days / DAYS_PER_WEEK
        later = float(v) * blocks[d.key].weekly_price_gbp * float(weeks[h:].sum())
        out.append(
            f"{_title(d)}: the {int(v):,} places contracted from {begin:%B %Y} run to "
            f"{last:%B %Y}, {ends - h} months past the {h} months modelled. The contract's "
            f"payments in those months, {figures.money(later)} at the prices then, are not "
            "in the costs shown (its cost over the horizon is part of the contract's), nor is "
            "the use of its places then."
        )
    return out


def sensitivity_sentences(report: CommissioningReport) -> list[str]:
    """For each factor and step: how the plan and its cost would change, in words."""
    sens = report.sensitivity
    if sens is None or not len(sens):
        return []
    base = plan_summary(report.stochastic)
    base_saving = report.comparison.saving_vs_status_quo_gbp
    out = []
    tested = sens[sens["solve"] != NOT_TESTED]
    for rec in tested.itertuples(index=False):
        lead = _if(str(rec.factor), float(rec.change))
        now = {"recruit": int(rec.households_recruited), "block": int(rec.block_places_year1),
               "home": int(rec.homes_opened), "uplift": int(bool(rec.fee_uplift))}  # fmt: skip
        if now == base:
            plan_words = "the plan would stay the same"
        else:
            parts = [
                f"recruit {vocabulary.counted(now['recruit'], 'household')} "
                f"({base['recruit']:,} in the recommended plan)",
                f"contract {vocabulary.counted(now['block'], 'block place')} in year 1 "
                f"({base['block']:,})",
                f"open {vocabulary.counted(now['home'], 'home')} ({base['home']:,})",
            ]
            if now["uplift"] != base["uplift"]:
                parts.append("raise carers' fees" if now["uplift"] else "not raise carers' fees")
            plan_words = "the plan would " + ", ".join(parts[:-1]) + " and " + parts[-1]
        saving = float(rec.saving_gbp)
        cost, more, more_now = map(figures.money, (rec.expected_cost_gbp, saving, base_saving))
        against = (f" and save {more} against today's practice" if saving >= 0
                   else f", {more.removeprefix('-')} more than today's practice")  # fmt: skip
        now_words = (f"{more_now} as things are" if base_saving >= 0
                     else f"{more_now.removeprefix('-')} more as things are")  # fmt: skip
        said = f"{lead}, {plan_words}; it would cost {cost}{against} ({now_words})."
        if (loss := float(rec.base_plan_cost_gbp) - float(rec.status_quo_cost_gbp)) > 0:
            # the plan committed to now would lose money in this world: the risk to weigh
            said += (f" The recommended plan, made as things are, would cost "
                     f"{figures.money(rec.base_plan_cost_gbp)} in this case, "
                     f"{figures.money(loss)} more than today's practice.")  # fmt: skip
        # not proven: the figures may move; the recommended plan kept for the case, or not
        proof = rec.note if isinstance(rec.note, str) else ""  # blank read back: nan
        out.append(f"{said} {proof}" if proof else said)
    return out + _untested(report)


def _untested(report: CommissioningReport) -> list[str]:
    """A sentence for each sensitivity case not tested, with its reason (``sensitivity.csv``'s
    ``note``): its solve found no plan, spot moved below in-house prices, or demand or
    recruitment success moved where the levers cannot meet a service limit."""
    sens = report.sensitivity
    if sens is None:
        return []
    out = []
    for rec in sens[sens["solve"] == NOT_TESTED].itertuples(index=False):
        why = str(rec.note)
        out.append(f"{_if(str(rec.factor), float(rec.change))}: not tested, because "
                   f"{why[:1].lower()}{why[1:]}")  # fmt: skip
    return out


def _if(factor: str, change: float) -> str:
    """A sensitivity case in words: ``If demand were 10% higher``, ``If each newly
    recruited household brought 20% fewer places``."""
    what, up, down = _FACTOR.get(factor, (factor, "higher", "lower"))
    words = f"{abs(change):.0%} {up if change > 0 else down}"
    if factor == "recruitment success":
        return f"If each newly recruited household brought {words} places"
    return f"If {what} were {words}"


def sensitivity_table(report: CommissioningReport) -> pd.DataFrame:
    """Sensitivity with plain-word cases and headers (money in £); a case whose re-made
    plan is not proven the cheapest says so (its sentence says how far)."""
    sens = report.sensitivity
    if sens is None:
        return pd.DataFrame()
    return sensitivity_frame(sens)


_YES_NO = {"True": "Yes", "False": "No"}


def sensitivity_frame(sens: pd.DataFrame) -> pd.DataFrame:
    """``sensitivity.csv`` with plain-word cases and headers, as the case shows it: a case
    whose re-made plan is not proven the cheapest, or that is not tested (its figures
    blank), says so (its sentence says how far, or why)."""
    solve = sens["solve"] if "solve" in sens else pd.Series(PROVEN, index=sens.index)
    said = {NOT_PROVEN: " (not proven the cheapest)", NOT_TESTED: " (not tested)"}
    case = [
        f"{str(f).capitalize()} {c:+.0%}{said.get(str(s), '')}"
        for f, c, s in zip(sens["factor"], sens["change"], solve, strict=True)
    ]
    return pd.DataFrame(
        {
            "Case": case,
            "Expected cost of the re-made plan (£)": sens["expected_cost_gbp"],
            "Expected cost of today's practice (£)": sens["status_quo_cost_gbp"],
            "Saving (£)": sens["saving_gbp"],
            "Recommended plan's cost in this case (£)": sens["base_plan_cost_gbp"],
            "Households recruited": sens["households_recruited"],
            "Block places in year 1": sens["block_places_year1"],
            "Homes opened": sens["homes_opened"],
            # True/False, or their words when read back from a CSV with a case not tested
            "Raise carers' fees": [_YES_NO.get(str(v)) for v in sens["fee_uplift"]],
        }
    )


def comparison_frame(comp: pd.DataFrame) -> pd.DataFrame:
    """``comparison.csv`` with the plans' names and headers of :func:`plans_table`."""
    return pd.DataFrame(
        {
            "Plan": comp["plan"].map(lambda v: vocabulary.plan(str(v))),
            "Expected cost (£)": comp["expected_cost_gbp"],
            "Cost: lower (P10, £)": comp["p10_cost_gbp"],
            "Cost: upper (P90, £)": comp["p90_cost_gbp"],
            "Commitments (£)": comp["commitments_gbp"],
            "Children in new in-house places (child-months)": comp["in_house_child_months"],
            "Children spot-purchased (child-months)": comp["spot_child_months"],
        }
    )


def plan_frame(plan: pd.DataFrame, words: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """``plan.csv`` as :func:`commitments_table` shows it (its cost is a commitment's cost
    over the horizon: :data:`COMMITMENTS_NOTE`): each lever in the case's words and its
    unit, from ``words`` (:func:`lever_words`, kept in the run's summary); a lever it does
    not name keeps plan.csv's name."""
    words = words or {}
    named = [words.get(str(v), [str(v), ""]) for v in plan["lever"]]
    frame = {
        "Lever": [w[0] for w in named],
        "Plan year": plan["year"],
        "Starts": [f"{pd.Timestamp(v):%B %Y}" for v in plan["starts"]],
        "Number": plan["commitment"],
    }
    if words:
        frame["Unit"] = [w[1] for w in named]
    return pd.DataFrame(frame | {"Cost over the horizon (£)": plan["cost_gbp"]})


def lever_words(report: CommissioningReport) -> dict[str, list[str]]:
    """plan.csv's lever names in the case's words, with their unit (``households``)."""
    return {d.lever: [_title(d), UNITS[d.kind] or "adopted"] for d in report.stochastic.decisions}


def plans_table(report: CommissioningReport) -> pd.DataFrame:
    """The three plans on the fresh paths, with plain names and headers."""
    c = report.comparison
    rows = []
    for s in (c.stochastic, c.central, c.status_quo):
        rows.append(
            {
                "Plan": vocabulary.plan(s.name),
                "Expected cost (£)": s.expected_cost_gbp,
                "Cost: lower (P10, £)": s.p10_cost_gbp,
                "Cost: upper (P90, £)": s.p90_cost_gbp,
                "Commitments (£)": s.commitments_gbp,
                "Children in new in-house places (child-months)": s.in_house_child_months,
                "Children spot-purchased (child-months)": s.spot_child_months,
            }
        )
    return pd.DataFrame(rows)


#: What a commitment's cost over the horizon holds, and what it does not.
COMMITMENTS_NOTE = (
    "Cost over the horizon: what each commitment costs in the months modelled, whether or "
    "not its places are used: recruiting and supporting the households (and, for the fee "
    "uplift, the uplift on every in-house household), the block places, a home's set-up and "
    "running costs. The weekly cost of children placed with new carers, and spot purchase, "
    "are paid as children are placed: they are in the expected cost of the plan, not here."
)


def commitments_table(report: CommissioningReport) -> pd.DataFrame:
    """Each commitment: lever, year, start date, number, cost over the horizon (£)."""
    rows = []
    start = report.start
    plan = report.stochastic
    costs = commitment_costs(plan.decisions, plan.values)
    for d, v, cost in zip(plan.decisions, plan.values, costs, strict=True):
        if v <= 0:
            continue
        begin = (start + pd.offsets.MonthBegin(1)) + pd.DateOffset(years=d.year)
        rows.append(
            {
                "Lever": _title(d),
                "Plan year": d.year + 1,
                "Starts": f"{begin:%B %Y}",
                "Number": int(v),
                "Unit": UNITS[d.kind] or "adopted",
                "Cost over the horizon (£)": float(cost),
            }
        )
    return pd.DataFrame(rows, columns=["Lever", "Plan year", "Starts", "Number", "Unit",
                                       "Cost over the horizon (£)"])  # fmt: skip


def assumptions_table(report: CommissioningReport) -> pd.DataFrame:
    """Every lever figure and setting with its source, in plain words."""
    rows = plain_assumptions(report.levers) if report.levers is not None else []
    rows += [
        ("Prices", f"Inflation each {report.prices.date}", f"{report.prices.rate:.1%}",
         "[finance] configuration"),
        ("Plan", "Horizon (months)", str(report.params.horizon_months),
         "[commissioning] configuration"),
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["Lever", "Figure", "Value", "Source"])


def method_rows(report: CommissioningReport) -> list[tuple[str, str]]:
    """The method, solver and run settings in words (the appendix)."""
    plan = report.stochastic
    return [
        ("Method", "Sample average approximation: a mixed-integer programme chooses whole "
         "households, places and homes to minimise the expected cost over "
         f"{report.demand.num_paths:,} simulated futures of demand; every plan is then scored "
         f"on {report.fresh.num_paths:,} fresh futures it was not made on."),
        ("Order of use", "Each month new homes and block places (paid whether used or not) are "
         "used first, then new in-house foster places at their weekly cost, then spot."),
        ("Prices", f"Weekly prices are {report.prices.dated(report.start)}, rising "
         f"{report.prices.words}; no discounting."),
        ("Horizon", f"{report.params.horizon_months} months from {figures.day(report.start)}"),
        ("Solver", str(plan.solver).upper() if plan.solver else "None (no plan to solve)"),
        ("Solver status", plan.proof() or vocabulary.status(str(plan.status))),
        ("Futures optimised on", f"{report.demand.num_paths:,} (random seed "
         f"{report.demand.seed})"),
        ("Fresh futures scored on", f"{report.fresh.num_paths:,} (random seed "
         f"{report.fresh.seed})"),
    ]  # fmt: skip


def forecast_rows(report: CommissioningReport) -> pd.DataFrame:
    """The forecast's settings and fitted rates, in plain words."""
    about = report.forecast_assumptions
    if about is None:
        return pd.DataFrame(columns=["item", "value"])
    return pd.DataFrame(
        {"item": [vocabulary.plain(str(x)) for x in about["item"]],
         "value": [vocabulary.plain(str(x)) for x in about["value"]]}
    )  # fmt: skip


def starts_by_year(report: CommissioningReport) -> pd.DataFrame:
    """Expected placement starts per category and plan year (the forecast's)."""
    f = report.forecast
    if f is None:
        return pd.DataFrame()
    h = min(report.params.horizon_months, f.starts.shape[1] - 1)
    starts = f.starts[:, 1 : h + 1].astype(float)
    out = {"Category": [vocabulary.category(c) for c in f.categories]}
    for y in range(num_years(report)):
        out[year_label(report, y)] = starts[:, 12 * y : 12 * y + 12].sum(axis=1).mean(axis=0)
    frame = pd.DataFrame(out)
    return frame[frame.drop(columns="Category").sum(axis=1) > 0].reset_index(drop=True)
