"""The region's tables: each member and the region, the mix, scenarios, plans, failures.

Region totals add the members' means (children, starts, spend, budget: the budget only
when every member that ran has one in pounds, not one that looks like £000s or pence, and
none of them when the members' histories end on different dates). The P10 and
P90 of a sum are not the sums of the members' P10 and P90, and the workers return
summaries rather than paths, so the region's row leaves those blank; its forecast
accuracy is the members' errors weighted by their children looked after now.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import pandas as pd

from sufficiency import figures, vocabulary
from sufficiency.finance.pence import pounds
from sufficiency.finance.report import UNDER
from sufficiency.forecast.backtest import unlabelled
from sufficiency.plurals import numbered
from sufficiency.region.specs import BASE_KEY, MemberFailure, MemberSummary
from sufficiency.vocabulary import counted

if TYPE_CHECKING:
    from sufficiency.region.run import RegionResult

REGION_CODE = "region"
#: The member table's columns (named in :mod:`sufficiency.vocabulary`).
MEMBER_COLUMNS = (
    "code",
    "authority",
    "children_now",
    "children_forecast",
    "children_forecast_p10",
    "children_forecast_p90",
    "starts_first_year",
    "financial_year",
    "spend_gbp",
    "budget_gbp",
    "budget_variance_gbp",
    "backtest_ape_12_pct",
    "backtest_coverage_pct",
    "backtest_starts_ape_pct",
    "backtest_starts_inside",
    "status",
)


def year_label(s: MemberSummary) -> str:
    """The financial year the spend figures cover, with its months when not all twelve:
    ``2025-26 (6 months)`` for a history ending on 30 September (an in-year extract), or
    ``2025-26 (outturn: spend to date + 6 months)`` when its budget is set against its
    outturn (the member's spend outputs' comparison)."""
    if s.spend_to_date_gbp is not None:
        return f"{s.financial_year} (outturn: spend to date + {counted(s.spend_months, 'month')})"
    if s.spend_months >= 12:
        return s.financial_year
    return f"{s.financial_year} ({counted(s.spend_months, 'month')})"


def starts_header(result: RegionResult, scenario: str = BASE_KEY) -> str:
    """The members table's header for ``starts_first_year``: the first year's placements,
    or, when the forecast runs fewer than twelve months, the months it covers ("in the
    first 6 months": a part-year count is no year's)."""
    months = {s.starts_months for s in summaries_of(result, scenario)}
    if not months or min(months) >= 12:
        return vocabulary.column("starts_first_year")
    if len(months) == 1:
        return f"Placements to find in the first {counted(min(months), 'month')}"
    return "Placements to find in the months forecast, up to a year (see region.csv)"


def _by_member(result: RegionResult, scenario: str) -> dict[str, MemberSummary]:
    return {s.code: s for s in result.members if s.scenario == scenario}


#: Region totals that add figures at a member's own dates, by the date they depend on:
#: the history's end (now), the horizon's month, and the first financial year.
DATED = {
    "start": ("children_now", "starts_first_year"),
    "horizon_month": ("children_forecast",),
    "financial_year": ("financial_year", "spend_gbp", "budget_gbp", "budget_variance_gbp"),
}


def mixed_dates(summaries: list[MemberSummary]) -> dict[str, dict[str, list[str]]]:
    """The dates (``start``, ``horizon_month``, ``financial_year``) on which the members
    that ran differ, each with the members' names by date; empty when they agree.

    A member's forecast starts at the end of its own history, so members whose histories
    end on different dates have figures for different months and financial years: their
    sum is no month's or year's figure, and the region's row leaves it blank.
    """
    out: dict[str, dict[str, list[str]]] = {}
    for key in DATED:
        by: dict[str, list[str]] = {}
        for s in summaries:  # a year's outturn and its forecast months alone differ too
            value = year_label(s) if key == "financial_year" else getattr(s, key)
            by.setdefault(str(value), []).append(s.name)
        if len(by) > 1:
            out[key] = by
    return out


def mixed_dates_sentence(result: RegionResult, scenario: str = BASE_KEY) -> str | None:
    """A sentence naming each member's history end when they differ (``None`` if not)."""
    mixed = mixed_dates(summaries_of(result, scenario))
    if "start" not in mixed:
        return None
    dates = "; ".join(
        f"{day(d)}: {', '.join(names)}" for d, names in sorted(mixed["start"].items(), reverse=True)
    )
    return (
        f"The members' histories end on different dates ({dates}), so the region's totals "
        "of figures at those dates (children now and at the horizon, placements to find, "
        "spend and budget) are left blank: a sum over different months is no month's "
        "figure. Each member's own figures are at its own dates."
    )


def budget_sentence(result: RegionResult, scenario: str = BASE_KEY) -> str | None:
    """When only some members that ran have a budget for their first financial year: who,
    their spend against it, and why the region's budget is left blank (``None`` if not)."""
    ran = summaries_of(result, scenario)
    doubted = [s for s in ran if s.budget_doubted]
    with_budget = [s for s in ran if s.budget_gbp is not None and not s.budget_doubted]
    if (not with_budget and not doubted) or len(with_budget) == len(ran):
        return None
    said = [f"{s.name}'s budget for {s.financial_year} ({pounds(float(s.budget_gbp or 0))}) is "
            f"{s.budget_doubt} its projected spend ({figures.money(s.spend_gbp)}): "
            f"{'thousands of pounds' if s.budget_doubt == UNDER else 'pence'}, not pounds? "
            "Its variance is its own and is not added into the region's."
            for s in doubted]  # fmt: skip
    if with_budget:
        spend = sum(s.spend_gbp for s in with_budget)
        budget = sum(float(s.budget_gbp or 0) for s in with_budget)
        variance = spend - budget
        said.append(
            f"{len(with_budget)} of {len(ran)} members that ran gave one for their first "
            f"financial year ({', '.join(s.name for s in with_budget)}): their spend "
            f"{figures.money(spend)} against {pounds(budget)}, variance "
            f"{figures.signed_money(variance)}."
        )
    return (
        "Budget: " + " ".join(said) + " The region's budget and variance are left blank: "
        + ("the others' spend has no budget in pounds to set against."
           if doubted else "the others' spend has no budget to set against.")
    )  # fmt: skip


def day(value: str) -> str:
    """A member's date (``2026-03-31``) as the reports write it: ``31 March 2026``."""
    return figures.day(pd.Timestamp(value))


def _status(result: RegionResult, code: str, ran: MemberSummary | None = None) -> str:
    failed = [f for f in result.failures if f.code == code]
    if not failed:
        said = ["Ran"]
        # left out of the pool (its history ends on another day) is not its runs failing
        if any(o.code == code for o in result.left_out_of_pool):
            said.append("left out of the pooled plan: its history ends on another day "
                        "(see Not in the pooled plan)")  # fmt: skip
        if ran is not None and ran.findings:
            # where each finding is listed, the folder a word of its own (a path of 45
            # characters does not wrap in a cell)
            folder = f"members/{code}/{BASE_KEY}/forecast"
            said.append(f"{numbered(ran.findings, 'finding(s)')} in its 903 data repaired or "
                        f"set aside (each in data_quality.csv in {folder})")  # fmt: skip
        if ran is not None and ran.budget_doubted:
            said.append(f"budget {ran.budget_doubt} its spend (wrong unit?): not in the "
                        "region's budget")  # fmt: skip
        given = any(m.code == code and m.budget is not None for m in result.region.members)
        if ran is not None and given and ran.budget_gbp is None:
            said.append("its budget file gives no budget for this run's first financial "
                        "year (see Read with care): not in the region's budget")  # fmt: skip
        return "; ".join(said)
    return "Failed: " + ", ".join(dict.fromkeys(run_label(f.scenario) for f in failed))


def member_table(result: RegionResult, scenario: str = BASE_KEY) -> pd.DataFrame:
    """One row per member (members-file order) and a last row for the region."""
    got = _by_member(result, scenario)
    rows: list[dict[str, Any]] = []
    for m in result.region.members:
        s = got.get(m.code)
        row: dict[str, Any] = {"code": m.code, "authority": m.name}
        if s is not None:
            row.update(
                children_now=s.in_care_now,
                children_forecast=s.in_care_forecast,
                children_forecast_p10=s.in_care_forecast_p10,
                children_forecast_p90=s.in_care_forecast_p90,
                starts_first_year=s.starts_first_year,
                financial_year=year_label(s),
                spend_gbp=s.spend_gbp,
                budget_gbp=s.budget_gbp,
                budget_variance_gbp=s.budget_variance_gbp,
                backtest_ape_12_pct=s.backtest_ape_12_pct,
                backtest_coverage_pct=s.backtest_coverage_pct,
                backtest_starts_ape_pct=s.backtest_starts_ape_pct,
                backtest_starts_inside=(None if s.backtest_starts_inside is None
                                        else "Yes" if s.backtest_starts_inside else "No"),
            )  # fmt: skip
        row["status"] = _status(result, m.code, s)
        rows.append(row)
    df = pd.DataFrame(rows).reindex(columns=list(MEMBER_COLUMNS))
    ran = df[df["children_now"].notna()]
    region: dict[str, Any] = {"code": REGION_CODE, "authority": result.region.name}
    for col in ("children_now", "children_forecast", "starts_first_year", "spend_gbp"):
        region[col] = float(ran[col].sum())
    # a budget for only some members is no region's budget: the others' spend has none;
    # nor is one with a member's budget in £000s (its +£7m "overspend" added in)
    doubted = any(s.budget_doubted for s in got.values())
    budgeted = len(ran) > 0 and bool(ran["budget_gbp"].notna().all()) and not doubted
    for col in ("budget_gbp", "budget_variance_gbp"):  # (a scenario's members have none)
        whole = budgeted and bool(ran[col].notna().all())
        region[col] = float(ran[col].sum()) if whole else None
    region["financial_year"] = ran["financial_year"].iloc[0] if len(ran) else None
    mixed = mixed_dates(list(got.values()))
    for key in mixed:
        region.update(dict.fromkeys(DATED[key]))
    # the members' errors, weighted by their children now (BACKTEST_NOTE says so)
    weights = ran["children_now"].where(ran["backtest_ape_12_pct"].notna())
    if weights.sum() > 0:
        region["backtest_ape_12_pct"] = float(
            (ran["backtest_ape_12_pct"] * weights).sum() / weights.sum()
        )
    # the region's placement starts error: the members' absolute errors over their starts
    scored = [s for s in got.values() if s.backtest_starts_ape_pct is not None]
    actual = sum(float(s.backtest_starts_actual or 0) for s in scored)
    if actual > 0:
        region["backtest_starts_ape_pct"] = (
            sum(
                float(s.backtest_starts_ape_pct or 0) * float(s.backtest_starts_actual or 0)
                for s in scored
            )
            / actual
        )
    region["status"] = f"{len(ran)} of {len(df)} members ran" + (
        "; histories end on different dates: totals at those dates left blank"
        if "start" in mixed
        else "; first-year spend covers different spans: its total left blank"
        if mixed
        else ""
    )
    out = pd.concat([df, pd.DataFrame([region])], ignore_index=True)
    numbers = [c for c in MEMBER_COLUMNS[2:] if c not in
               ("financial_year", "backtest_starts_inside", "status")]  # fmt: skip
    return out.astype(dict.fromkeys(numbers, "float64"))


def mix_table(result: RegionResult, when: str = "now", scenario: str = BASE_KEY) -> pd.DataFrame:
    """Children by placement category per member and for the region, ``now`` or at the
    horizon (``forecast``, mean of the paths)."""
    got = _by_member(result, scenario)
    rows = []
    for m in result.region.members:
        s = got.get(m.code)
        if s is not None:
            mix = s.mix_now if when == "now" else s.mix_forecast
            rows.append({"code": m.code, "authority": m.name, **mix})
    df = pd.DataFrame(rows)
    if df.empty:
        return df
    total = df.drop(columns=["code", "authority"]).sum()
    if ("start" if when == "now" else "horizon_month") in mixed_dates(list(got.values())):
        total[:] = None  # members at different months: their sum is no month's
    region = {"code": REGION_CODE, "authority": result.region.name, **total.to_dict()}
    return pd.concat([df, pd.DataFrame([region])], ignore_index=True)


#: Under the tables with a region row: figures are shown rounded, the region's row adds the
#: members' unrounded figures (members' first-year spend shown as £2,201,109, £4,441,890
#: and £6,584,021 add to £13,227,020; the region's, £13,227,019).
ROUNDING_NOTE = (
    "Figures are shown rounded (money to the pound, children to whole numbers or one decimal "
    "place); the region's row adds the members' unrounded figures, so it may differ by one "
    "from the sum of the rows shown."
)


#: How the region row's backtest figures come from the members' (not added up as the
#: others are): a region's 10.6% sat beside members' 34.2%, 8.7% and 3.8%, unexplained.
BACKTEST_NOTE = (
    "The region's backtest error at 12 months is the mean of the members' errors, each "
    "weighted by its children looked after now (a member without a backtest left out); its "
    "error in placement starts is the members' absolute errors in starts added up, over "
    "their actual starts added up. Months inside P10-P90, and starts inside P10-P90, are "
    "the members' own and left blank for the region."
)


#: A scenario column's variance: that scenario's own projected spend less the budget.
VARIANCE_LABEL = "variance, its spend - budget (£)"


def scenario_table(result: RegionResult) -> pd.DataFrame:
    """Scenarios side by side: children at the horizon, first-year spend and its variance
    against the budget (each scenario's own spend), per member and for the region."""
    names = scenario_labels(result)
    # the region's columns side by side add up only when the same members ran under every
    # scenario (a member failing under one would read as that scenario's effect)
    ran = [{s.code for s in summaries_of(result, k)} for k in result.scenarios]
    same = all(codes == ran[0] for codes in ran)
    rows = []
    for m in [*result.region.members, None]:
        code = m.code if m is not None else REGION_CODE
        row: dict[str, Any] = {"code": code, "authority": m.name if m else result.region.name}
        for key in result.scenarios:
            label = names.get(key, key)
            chosen = [
                s for s in result.members if s.scenario == key and (m is None or s.code == m.code)
            ]
            ok = bool(chosen) and (m is not None or same)
            mixed = mixed_dates(chosen) if m is None else {}
            row[f"{label}: children at the horizon"] = (
                sum(s.in_care_forecast for s in chosen)
                if ok and "horizon_month" not in mixed
                else None
            )
            row[f"{label}: spend in the first year (£)"] = (
                sum(s.spend_gbp for s in chosen) if ok and "financial_year" not in mixed else None
            )
            # each scenario's own spend less the budget, under its own label
            own = [None if s.budget_doubted and m is None
                   else s.budget_variance_gbp if key == BASE_KEY else s.scenario_variance_gbp
                   for s in chosen]  # fmt: skip
            row[f"{label}: {VARIANCE_LABEL}"] = (
                sum(float(v) for v in own if v is not None)
                if ok and "financial_year" not in mixed and all(v is not None for v in own)
                else None
            )
        rows.append(row)
    return pd.DataFrame(rows)


def scenario_labels(result: RegionResult) -> dict[str, str]:
    """Each run's name as its columns are headed: the scenario's own name, or, when two
    are alike in any case (a file copied with its figures changed and not its ``name``, or
    one named "Base"), the name with its file's key ("Entries up (up_50)"): two columns
    under one name were one, the later scenario's, the other scenario dropped unsaid."""
    got = {s.scenario: s.scenario_name for s in result.members}
    names = {k: got.get(k, k) for k in result.scenarios}
    alike = Counter(n.casefold() for n in names.values())
    return {k: n if k == BASE_KEY or alike[n.casefold()] == 1 else f"{n} ({k})"
            for k, n in names.items()}  # fmt: skip


def summaries_of(result: RegionResult, key: str) -> list[MemberSummary]:
    return [s for s in result.members if s.scenario == key]


def caution_table(result: RegionResult) -> pd.DataFrame:
    """Every member's warnings (a short history, an in-year extract, a budget that could
    not be used, a category never seen), each once under the member's name, with the runs
    that gave it: each scenario's forecast and spend, its own plan, the pooled plan. A
    backtest's warning whose words its forecast gives too is left to the forecast's."""
    names = {m.code: m.name for m in result.region.members} | {REGION_CODE: result.region.name}
    said: dict[tuple[str, str], list[str]] = {}
    for s in result.members:
        for w in s.warnings:
            said.setdefault((s.code, w), []).append(s.scenario)
    for c in result.commissions:
        for w in c.warnings:
            said.setdefault((c.code, w), []).append("own plan")
    for code, notes in result.pooled.notes if result.pooled is not None else ():
        for w in notes:
            said.setdefault((code, w), []).append("pooled plan")
    # members sharing children: once, under the later member, for every run
    for shared in result.shared:
        said.setdefault((shared.second.code, shared.warning()), []).append("every run")
    # a backtest's warning the forecast gives too (a category never seen) is said once
    rows = [(code, names.get(code, code), ", ".join(dict.fromkeys(runs)), w)
            for (code, w), runs in said.items()
            if (code, unlabelled(w)) not in said]  # fmt: skip
    return pd.DataFrame(rows, columns=["code", "authority", "said_in", "warning"])


#: How the report names a member's runs that are not a scenario's.
RUN_LABELS = {"commission": "own plan", "pooled": "pooled plan"}


def run_label(key: str) -> str:
    """A run as the report names it: a scenario's key, ``own plan`` or ``pooled plan``."""
    return RUN_LABELS.get(key, key)


def failures_once(result: RegionResult) -> list[tuple[MemberFailure, str]]:
    """Each member's (or plan's) failure once per reason, with the runs it stopped (each
    scenario's forecast and spend, its own plan), as :func:`caution_table` says warnings:
    the same unreadable history was said once per scenario and again for its own plan.
    Its data-quality lines are the first run's that has them (what reading found)."""
    said: dict[tuple[str, str], tuple[MemberFailure, dict[str, None]]] = {}
    for f in result.failures:
        first, runs = said.setdefault((f.code, f.reason), (f, {}))
        runs[run_label(f.scenario)] = None
        if (f.quality or f.found) and not (first.quality or first.found):
            said[f.code, f.reason] = (f, runs)
    return [(f, ", ".join(runs)) for f, runs in said.values()]


def failure_table(result: RegionResult) -> pd.DataFrame:
    """Every member (or plan) that failed, once per reason: the runs it stopped, why, and
    what reading its data found in words, with the file listing each finding (it held
    ``sufficiency validate``'s lines, a log cut at fifteen)."""
    rows = [(f.code, f.name, runs, f.reason, f.found) for f, runs in failures_once(result)]
    return pd.DataFrame(rows, columns=["code", "authority", "runs", "reason", "data_quality"])


def seed_table(result: RegionResult) -> pd.DataFrame:
    """How to reproduce each member's run: its seed and backtest cutoff per scenario, then
    each member's own plan (``commission``) and the pooled plan (``pooled``)."""
    rows = [
        {
            "code": s.code,
            "authority": s.name,
            "scenario": s.scenario,
            "seed": str(s.seed),
            "backtest_cutoff": s.backtest_cutoff,
        }
        for s in result.members
    ]
    rows += [
        {"code": c.code, "authority": c.name, "scenario": "commission", "seed": str(c.seed)}
        for c in result.commissions
    ]
    if result.pooled is not None:
        rows.append({"code": REGION_CODE, "authority": result.region.name,
                     "scenario": "pooled", "seed": str(result.pooled.seed)})  # fmt: skip
    return pd.DataFrame(rows, columns=["code", "authority", "scenario", "seed", "backtest_cutoff"])
