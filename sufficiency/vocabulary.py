"""One vocabulary: every internal name in the words the tool's users use.

Placement teams, commissioners and finance read workbooks, HTML pages and console
lines, not code. Every human-facing output takes its words from here: placement
categories, age bands, commissioning capacity groups and levers, plans, solver and
match statuses, backtest methods and table columns. Machine-facing CSVs and JSON keep
their stable internal names; only what a person reads is translated.

A levers file may give a lever its own label (``label = "..."`` in a ``[[block]]`` or
``[[recruit]]`` table); :func:`lever` prefers it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

#: Placement categories (the forecast's states and the finance cost lines).
CATEGORIES: dict[str, str] = {
    "kinship_foster": "Kinship foster care",
    "in_house_foster": "In-house foster care",
    "ifa_foster": "IFA foster care",
    "in_house_residential": "In-house children's homes",
    "external_residential": "External children's homes",
    "secure": "Secure children's homes",
    "supported": "Supported accommodation",
    "with_parents": "Placed with parents",
    "placed_for_adoption": "Placed for adoption",
    "other": "Other placements",
    "all": "All placements",
}

#: Placement types on the matching register.
PLACEMENT_TYPES: dict[str, str] = {
    "in_house_foster": "In-house foster care",
    "ifa_foster": "IFA foster care",
    "kinship_foster": "Kinship foster care",
    "in_house_residential": "In-house children's home",
    "external_residential": "External children's home",
    "residential": "Children's home",
    "supported": "Supported accommodation",
    "secure": "Secure children's home",
    "in_house_supported": "Supported accommodation",
    "external_supported": "Supported accommodation",
    "foster": "Foster care",
}

#: Who runs a home on the matching register.
PROVIDERS: dict[str, str] = {
    "in_house": "The council (in-house)",
    "ifa": "Independent fostering agency",
    "external": "External provider",
    "other_la": "Another council",
}

#: Page 1's sentence for the Ofsted checks (matching/gates.py).
OFSTED_CHECKS = (
    "Proposals in a home rated inadequate by Ofsted, or in a children's home or supported "
    "accommodation with no Ofsted URN on the register: check before agreeing."
)
#: Page 1's sentence for the children placed out of area (matching/gates.py): whose area
#: is each child's own council's, which in a regional night differs from child to child.
OUT_OF_AREA_FLAG = (
    "Children placed outside their own council's area (each child's responsible authority, "
    "named in their flag): that council's nominated officer (its Director of Children's "
    "Services, if the home's area does not adjoin it) must approve each."
)
#: Page 1's sentence for the key stage 4 school moves (matching/gates.py: every key stage 4
#: flag, a move known or possible).
KS4_MOVES = (
    "Children in school years 10 or 11 placed too far from their school to stay there, or "
    "whose school or school year is not known: a nominated officer must approve a school move."
)
#: The heading of what a report's reader must know before its figures (the run's warnings):
#: the ``item`` of their assumptions rows, and the API results' ``notes``.
READ_WITH_CARE = "Read with care"
#: Why a placed child's distance from home is not known (matching/plan.py): each is left
#: out of "placed over 20 miles" (DfE's statistics count them "not known"), and said so.
DISTANCE_NOT_KNOWN: dict[str, str] = {
    "no_home_postcode": "with no home postcode",
    "home_postcode_not_located": "whose home postcode could not be located",
    "placement_postcode_not_located": "in a home whose postcode could not be located (charged "
    "as far)",
}
#: The 8am match report's flags, by key: what each counts, in a few words.
MATCH_FLAGS: dict[str, str] = {
    "urgent_unplaced": "Urgent children not placed",
    "distance_unknown": "Distance unknown",
    "rows_set_aside": "Input rows set aside",
    "input_warnings": "Input warnings",
    "siblings_split": "Sibling groups split",
    "sibling_risks": "Siblings placed together, one a risk to the other",
    "maybe_one_home": "Proposed on rows that may be one home",
    "pets_not_known": "Pets answer not known",
    "ks4_school_moves": "Key stage 4 school moves",
    "out_of_area": "Placed out of area",
    "ofsted_checks": "Ofsted to check",
    "over_20_miles": "Placed over 20 miles from home",
    "not_preferred": "Not the preferred type of home",
    "decisions_not_applied": "Team decisions refused or ignored",
    "not_proven": "Plan not proven best",
    "pinned": "Agreed by the team (pinned)",
}

#: The forecast's age bands.
AGE_BANDS: dict[str, str] = {
    "under 1": "Under 1",
    "1-4": "Aged 1 to 4",
    "5-9": "Aged 5 to 9",
    "10-15": "Aged 10 to 15",
    "16-17": "Aged 16 to 17",
    "all": "All ages",
}

#: The forecast's legal groups of the 903 legal status (see ``forecast.states``).
LEGAL_GROUPS: dict[str, str] = {
    "interim_order": "interim care order or police protection",
    "care_order": "care order",
    "placement_order": "placement order",
    "accommodated": "section 20 or youth justice",
}

#: Commissioning capacity groups (what a lever adds places for).
GROUPS: dict[str, str] = {
    "foster_0_4": "Foster care, aged 0 to 4",
    "foster_5_9": "Foster care, aged 5 to 9",
    "foster_10_15": "Foster care, aged 10 to 15",
    "foster_16_17": "Foster care, aged 16 to 17",
    "residential": "Children's homes",
}

#: Commissioning lever kinds.
LEVER_KINDS: dict[str, str] = {
    "recruit": "Recruit in-house foster carers",
    "block": "Block contract",
    "home": "Open an in-house children's home",
    "in_house_home": "Open an in-house children's home",
    "fee_uplift": "Raise in-house carers' fees",
    "uplift": "Raise in-house carers' fees",
    "service_limit": "Service limit",
    "spot": "Spot purchase",
    "childrens_home_beds": "Children's home beds",
}

#: What each figure of a levers file means (the Assumptions rows of the commissioning case).
LEVER_FIELDS: dict[str, str] = {
    "foster_weekly_gbp": "Foster care, weekly price (£)",
    "residential_weekly_gbp": "Children's home, weekly price (£)",
    "residential_high_cost_share": "Share of children's home placements at the high cost",
    "residential_high_cost_weekly_gbp": "High-cost children's home, weekly price (£)",
    "recruitment_cost_gbp": "Cost of recruiting one household (£)",
    "months_to_approval": "Months from recruitment to approval",
    "attrition_per_year": "Share of households leaving each year",
    "places_per_household": "Places per household",
    "max_households_per_year": "Most households that can be recruited in a year",
    "support_cost_gbp_per_household_year": "Support cost per household a year (£)",
    "weekly_cost_gbp": "In-house weekly cost per child (£)",
    "weekly_gbp_per_household": "Weekly uplift per household (£)",
    "existing_households": "In-house households today",
    "extra_households_per_year": "Extra households recruited a year with the uplift",
    "weekly_price_gbp": "Weekly price per place (£)",
    "contract_years": "Contract length (years)",
    "min_places": "Fewest places in a contract",
    "max_places": "Most places under contract",
    "setup_cost_gbp": "Set-up cost of one home (£)",
    "beds": "Beds per home",
    "running_cost_gbp_per_year": "Running cost per home a year (£)",
    "lead_time_months": "Months from decision to first bed",
    "max_homes": "Most homes that can be opened",
    "max_probability": "Highest acceptable chance a month of needing a spot placement",
    "from_month": "Applies from month",
}

#: The commissioning plans compared.
PLANS: dict[str, str] = {
    "stochastic": "Recommended plan",
    "central forecast": "Plan for the central forecast only",
    "central": "Plan for the central forecast only",
    "status quo": "Today's practice (spot purchase as now)",
    "status_quo": "Today's practice (spot purchase as now)",
}

#: Solver statuses, said as what they mean for the plan.
STATUSES: dict[str, str] = {
    "optimal": "Proven best (optimal)",
    "feasible": "Good, not proven best",
    "time_limit": "Stopped at the time limit; not proven best",
    "infeasible": "No plan meets every rule",
    "unknown": "Not known",
    "error": "Solver error",
    "placed": "Placed",
    "unplaced": "Not placed",
    "pinned": "Agreed by the team",
    "excluded": "Ruled out by the team",
    "applied": "Applied",
    "ignored": "Ignored",
    "refused": "Refused",
}

#: Backtest methods.
METHODS: dict[str, str] = {
    "model": "This model",
    "persistence": "No change (persistence)",
    "stock_flow": "Stock and flow",
}

#: Table columns in plain words (columns not listed are said by :func:`column`).
COLUMNS: dict[str, str] = {
    "month": "Month",
    "quarter_end": "Quarter ending",
    "cutoff": "Cutoff",
    "scenario": "Scenario",
    "category": "Category",
    "age_band": "Age band",
    "group": "Places for",
    "lever": "Lever",
    "kind": "Kind",
    "year": "Year",
    "plan": "Plan",
    "method": "Method",
    "purchase": "Purchase",
    "mean": "Mean",
    "p10": "Lower (P10)",
    "p50": "Median (P50)",
    "p90": "Upper (P90)",
    "total_mean": "Total (mean)",
    "total_p10": "Total: lower (P10)",
    "total_p50": "Total: median (P50)",
    "total_p90": "Total: upper (P90)",
    "places": "Places",
    "demand_mean": "Demand (mean)",
    "demand_p10": "Demand: lower (P10)",
    "demand_p90": "Demand: upper (P90)",
    "expected_gap": "Expected shortfall (children)",
    "prob_demand_exceeds_supply": "Chance demand exceeds places",
    "expected_spare": "Expected spare places",
    "expected_places": "Expected places",
    "horizon_months": "Horizon (months)",
    "forecast": "Forecast",
    "actual": "Actual",
    "ape_pct": "Error (% of actual)",
    "p10_p90_coverage_pct": "Months inside P10-P90 (all months tested)",
    "item": "Item",
    "value": "Value",
    "source": "Source",
    "financial_year": "Financial year",
    "cost_line": "Cost line",
    "months": "Months forecast",
    "budget_gbp": "Budget (£)",
    "variance_gbp": "Variance (mean - budget)",
    "prob_overspend": "Probability of overspend",
    "spend_to_date_estimated_gbp": "Spend to date (£, estimated from the 903 history, not "
    "the ledger: see Basis)",
    "rest_of_year_mean_gbp": "Rest of year forecast (mean, £)",
    "basis": "Basis",
    "base_mean": "Base case (mean)",
    "scenario_mean": "Scenario (mean)",
    "difference": "Difference (scenario - base)",
    "cost_gbp": "Cost (£)",
    "units": "Units",
    "households": "Households",
    "expected_cost_gbp": "Expected cost (£)",
    "p10_cost_gbp": "Cost: lower (P10, £)",
    "p90_cost_gbp": "Cost: upper (P90, £)",
    "saving_gbp": "Saving (£)",
    "child_id": "Child",
    "placement_id": "Home",
    "weekly_cost": "Weekly cost (£)",
    "weekly_cost_gbp": "Weekly cost (£)",
    "distance_home_miles": "Miles from home",
    "distance_school_miles": "Miles from school",
    "reason": "Reason",
    "why": "Why this home",
    "why_not": "Why not",
    "miles_from_home": "Miles from home",
    "miles_from_school": "Miles from school",
    "home_type": "Type of home",
    "provider": "Provider",
    "setting": "Setting",
    "next_best": "Next best option",
    "flags": "Flags",
    "urgent": "Needed today",
    "needed_by": "Needed by",
    "nearest_placement_id": "Nearest option (the cheapest if home not known)",
    "nearest_miles_from_home": "Option: miles from home",
    "nearest_breaks": "Rules the option breaks",
    "num_suitable_placements": "Homes meeting every rule",
    "rank": "Rank",
    "extra_cost_gbp": "Priority score above the proposal (not money)",
    "weekly_cost_difference": "Weekly cost against the proposal (£)",
    "vacancy_left_in_plan": "Vacancy left in the plan",
    "decision": "Decision",
    "status": "Status",
    "note": "Note",
    "decided_by": "Decided by",
    "decided_on": "Decided on",
    "until": "Until",
    "file": "File",
    "row": "Row",
    "id": "ID",
    "problem": "Problem",
    "column": "Column",
    "code": "Code",
    "assumption": "Assumption",
    "authority": "Authority",
    "children_now": "Children looked after now",
    "children_forecast": "Children at the horizon (mean)",
    "children_forecast_p10": "At the horizon: lower (P10)",
    "children_forecast_p90": "At the horizon: upper (P90)",
    "starts_first_year": "Placements to find in the first year",
    "spend_gbp": "Spend in the first year (£)",
    "budget_variance_gbp": "Variance, base case (spend - budget, £)",
    "said_in": "Said in (runs)",
    "runs": "Runs it stopped",
    "warning": "Warning",
    "backtest_ape_12_pct": "Backtest error at 12 months (%)",
    "backtest_coverage_pct": "Backtest months inside P10-P90 (%)",
    "backtest_starts_ape_pct": "Backtest error in placement starts over 12 months (%)",
    "backtest_starts_inside": "Backtest placement starts inside P10-P90",
    "backtest_cutoff": "Backtest cutoff",
    "seed": "Seed",
    "alone_cost_gbp": "Cost alone (£)",
    "pooled_share_gbp": "Share of the pooled cost (£)",
    "equal_saving_share_gbp": "Share if all save equally (£)",
    "transfer_gbp": "Transfer to share savings equally (£)",
    "saving_pct": "Saving (%)",
    "pooled_cost_gbp": "Pooled cost (£)",
    "block_places_year1": "Block places in year 1",
    "households_recruited": "Households recruited",
    "base_plan_cost_gbp": "Recommended plan's cost in this case (£)",
    "homes_opened": "Homes opened",
    "fee_uplift": "Raise carers' fees",
    "solve": "Solver's result",
    "factor": "What changes",
    "change": "Change",
    "failed": "Why the run failed",
    "gap": "Proven within (gap)",
    "plan_cost_gbp": "Plan's expected cost (£)",
    "status_quo_cost_gbp": "Buying spot as now (£)",
    "recommendation": "Recommendation",
    "data_quality": "Data quality",
    "all": "All categories",
}

#: Finance's own column words (its workbook speaks of projections and budgets).
FINANCE_COLUMNS: dict[str, str] = {
    "mean": "Projected (mean)",
    "p10": "P10",
    "p50": "P50",
    "p90": "P90",
    # the Change since previous sheet (spend --previous)
    "then": "Then",
    "then_gbp": "Then (£)",
    "now": "Now",
    "now_gbp": "Now (£)",
    "change_gbp": "Change, now - then (£)",
    "why": "What changed",
}

#: Every code any table or sentence may carry, longest first for :func:`plain`. Only
#: snake_case codes: a code that is also an English word (``supported``, ``model``,
#: ``other``, ``secure``, ``residential``) is left alone inside a sentence, where it is a
#: word ("not supported by the data"), never a code.
_CODES: dict[str, str] = {
    k: v
    for k, v in {
        **METHODS,
        **{k: v for k, v in CATEGORIES.items() if k != "all"},
        **GROUPS,
        **LEGAL_GROUPS,
    }.items()
    if "_" in k
}
_CODE = re.compile(r"\b(" + "|".join(sorted(_CODES, key=len, reverse=True)) + r")\b")


def _fallback(name: str) -> str:
    text = str(name).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _name(name: str) -> str:
    """A name from a levers file (``ifa_older_children`` -> ``IFA older children``)."""
    text = re.sub(r"\bifa\b", "IFA", str(name).replace("_", " ").strip())
    text = re.sub(r"\bchildrens\b", "children's", text)
    return text[:1].upper() + text[1:]


def lever_field(name: str) -> str:
    """A figure of a levers file in plain words (``months_to_approval`` -> ``Months ...``)."""
    return LEVER_FIELDS.get(name, _fallback(name))


def category(code: str) -> str:
    """A placement category in plain words (``ifa_foster`` -> ``IFA foster care``)."""
    return CATEGORIES.get(code, _fallback(code))


def purchase(label: str) -> str:
    """An external purchase as the reports head it: purchases.csv's label with a capital
    (``foster (IFA / spot)`` -> ``Foster (IFA / spot)``)."""
    text = str(label)
    return text[:1].upper() + text[1:]


def home_type(setting: str, provider: str) -> str:
    """A register home's type from its setting and provider (``foster``, ``ifa`` ->
    ``IFA foster care``)."""
    kind = str(setting)
    fallback = PLACEMENT_TYPES.get(kind, CATEGORIES.get(kind, _fallback(kind)))
    return PLACEMENT_TYPES.get(f"{provider}_{setting}", fallback)


def provider(code: str) -> str:
    """Who runs a home, in plain words (``ifa`` -> ``Independent fostering agency``)."""
    return PROVIDERS.get(str(code), _fallback(str(code)))


def match_flag(key: str) -> str:
    """One of the match report's flags in a few words."""
    return MATCH_FLAGS.get(key, _fallback(key))


def legal_group(code: str) -> str:
    """A legal group of the forecast in plain words (``care_order`` -> ``care order``)."""
    return LEGAL_GROUPS.get(code, _fallback(code).lower())


def group(code: str) -> str:
    """A commissioning capacity group in plain words."""
    return GROUPS.get(code, _fallback(code))


def plan(name: str) -> str:
    """A commissioning plan's name in plain words (``stochastic`` -> ``Recommended plan``)."""
    return PLANS.get(name, _fallback(name))


def status(name: str) -> str:
    """A solver or match status in plain words."""
    return STATUSES.get(str(name).lower(), _fallback(str(name)))


def method(name: str) -> str:
    """A backtest method in plain words."""
    return METHODS.get(name, _fallback(name))


def column(name: str, overrides: Mapping[str, str] | None = None) -> str:
    """A table column's header in plain words; ``overrides`` take precedence."""
    if overrides and name in overrides:
        return overrides[name]
    return COLUMNS.get(name, CATEGORIES.get(name, AGE_BANDS.get(name, _fallback(name))))


def lever(kind: str, group_code: str = "", name: str = "", label: str = "") -> str:
    """A commissioning lever in plain words.

    ``label`` (from the levers file) wins; otherwise the kind in words, with the block
    contract's ``name`` or the group it adds places for (``Recruit in-house foster
    carers: foster care, aged 0 to 4``).
    """
    if label:
        return label
    words = LEVER_KINDS.get(kind, _fallback(kind))
    detail = name or (group(group_code) if group_code else "")
    if not detail:
        return words
    if name:
        return f"{words}: {LEVER_KINDS.get(name, _name(name))}"
    return f"{words}: {detail[:1].lower()}{detail[1:]}"


def plain(text: str) -> str:
    """Codes inside a sentence said in plain words, no snake_case left, and dates as people
    write them (``2026-03-31`` as ``31 March 2026``, as ``figures.day`` says them); text in double
    quotes is left as it is (a file's key as the user typed it: ``"fee_uplift.weekly_gbp_
    per_household"``, not ``fee uplift.weekly gbp per household``)."""
    parts = re.split(r'("[^"\n]*")', text)
    return "".join(p if k % 2 else _plain(p) for k, p in enumerate(parts))


def _plain(text: str) -> str:
    text = _CODE.sub(lambda m: _lower_inside(_CODES[m.group(1)], text, m.start()), text)
    text = re.sub(r"\b\d{4}-\d{2}-\d{2}\b", _said_day, text)
    return re.sub(r"(?<=[a-z])_(?=[a-z0-9])", " ", text)


def _said_day(m: re.Match[str]) -> str:
    """As figures.day says it (a module of this layer, which this one may not import)."""
    try:
        when = dt.date.fromisoformat(m[0])
        return f"{when.day} {when:%B %Y}"
    except ValueError:  # not a day (2026-02-30): as written
        return m[0]


def _lower_inside(words: str, text: str, at: int) -> str:
    """Lower-case the first letter of ``words`` unless it starts a sentence or is IFA."""
    if at == 0 or text[:at].rstrip().endswith((".", ":", "!", "?")) or words.startswith("IFA"):
        return words
    return words[:1].lower() + words[1:]


def listed(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: items in a sentence."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def counted(n: int, noun: str) -> str:
    """``n`` and the noun, singular for one (``1 month``, ``3 months``, ``1,200 homes``)."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")
