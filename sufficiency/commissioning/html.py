"""``commissioning.html``: the commissioning case as one self-contained page.

Rendered from the ``commissioning.html`` Jinja2 template (:mod:`sufficiency.pages`):
the recommendation first (headline figures, what to do, the year-by-year table, spot
purchase against true shortfall), then the reasons (caps that bind, end-of-horizon
effects, sensitivity in words), then the forecast behind it (matplotlib SVG fan
charts, each with its data table), and the method, solver and assumptions in an
appendix. Nothing is fetched from elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import Markup

from sufficiency import figures, vocabulary
from sufficiency.commissioning import case
from sufficiency.commissioning.pooled import pooling_case
from sufficiency.commissioning.report import (
    CommissioningReport,
    no_commitments,
    planning_sentence,
    recommendation,
)
from sufficiency.pages import Chart, bar_chart, fan_chart, render_page, table_html
from sufficiency.pages.render import count


def _year_cell(unit: str, value: float) -> str:
    if unit == "£":
        return case.gbp(value)
    if unit == "yes or no":
        return "Yes" if value > 0 else "No"
    if "average" in unit:
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def year_table_html(report: CommissioningReport) -> Markup:
    """The year-by-year table, each row in its own unit."""
    table = case.year_table(report)
    cols = case.year_columns(table)
    shown = pd.DataFrame(
        {
            "What": [
                a if u == "yes or no" else f"{a} ({u})"
                for a, u in zip(table["action"], table["unit"], strict=True)
            ]
        }
    )
    for col in cols:
        shown[col] = [_year_cell(u, v) for u, v in zip(table["unit"], table[col], strict=True)]
    return table_html(
        shown,
        caption="What the plan does each year, and what it costs against today's practice",
        headers={"all": "All years"},
        numeric=tuple(cols),
    )


def _money_formats(frame: pd.DataFrame) -> dict[str, Callable[[Any], str]]:
    return {c: case.gbp for c in frame.columns if "£" in c}


def _forecast_charts(report: CommissioningReport) -> list[Chart]:
    """All children looked after, then each group's demand beyond today's in-house places
    against the places the plan adds."""
    charts = []
    h = report.params.horizon_months
    f = report.forecast
    if f is not None:
        total = f.stock[:, : h + 1].sum(axis=(2, 3)).astype(float)
        dates = list(f.month_ends[: h + 1])
        hist = np.asarray(f.history_stock).sum(axis=tuple(range(1, np.ndim(f.history_stock))))
        keep = slice(max(0, len(hist) - 36), len(hist))
        p10, p50, p90 = np.quantile(total, [0.1, 0.5, 0.9], axis=0)
        charts.append(
            fan_chart(
                "All children looked after",
                dates,
                p10,
                p50,
                p90,
                history_dates=list(f.history_month_ends[keep]),
                history=hist[keep] if len(hist) else None,
            )
        )
    demand = report.demand
    plan = report.stochastic
    added = np.zeros(demand.demand.shape[1:])
    for d, v in zip(plan.decisions, plan.values, strict=True):
        added += v * (d.fixed_capacity + d.variable_capacity)
    dates = list(demand.month_ends[1:])
    for g, code in enumerate(demand.groups):
        paths = demand.demand[:, :, g].astype(float)
        if not paths.any() and not added[:, g].any():
            continue
        p10, p50, p90 = np.quantile(paths, [0.1, 0.5, 0.9], axis=0)
        charts.append(
            fan_chart(
                f"{vocabulary.group(code)}: children needing a place beyond today's in-house "
                "places",
                dates,
                p10,
                p50,
                p90,
                extra=added[:, g],
                extra_name="Places the plan adds",
            )
        )
    return charts


def _plans_chart(report: CommissioningReport) -> Chart:
    c = report.comparison
    scores = [c.stochastic, c.central, c.status_quo]
    chart = bar_chart(
        f"Expected cost of each plan over {report.params.horizon_months} months (£ million)",
        [vocabulary.plan(s.name) for s in scores],
        # not rounded first: £290,153,568 rounded to 290.15 was labelled '£290.1m' beside
        # the headline's £290.2m
        [s.expected_cost_gbp / 1e6 for s in scores],
        x_label="Expected cost (£ million)",
        value_format="£{:,.1f}m",
    )
    data = pd.DataFrame(
        {"Plan": chart.data["item"], "Expected cost (£)": [case.gbp(s.expected_cost_gbp)
                                                          for s in scores]}
    )  # fmt: skip
    return Chart(chart.title, chart.svg, data, chart.description)


def _lead(report: CommissioningReport, head: case.Headline) -> str:
    actions = [d.kind for d, v in zip(report.stochastic.decisions, report.stochastic.values,
                                      strict=True) if v > 0]  # fmt: skip
    what = []
    if "recruit" in actions:
        what.append("recruit in-house foster carers")
    if "block" in actions:
        what.append("block-buy places")
    if "home" in actions:
        what.append("open in-house children's homes")
    if not what:
        return no_commitments(report)
    joined = ", ".join(what[:-1]) + (" and " if len(what) > 1 else "") + what[-1]
    cost, today, saving = map(
        figures.money, (head.plan_cost_gbp, head.status_quo_cost_gbp, abs(head.saving_gbp))
    )
    if head.saving_gbp < 0:
        against = (
            f"{saving} more than today's practice: on the futures it "
            "was not made on, the plan is not expected to save money"
        )
    else:
        against = f"a saving of {saving}"
    return (
        f"Recommended: {joined}, and leave the rest to spot purchase. Over "
        f"{report.params.horizon_months} months this is expected to cost "
        f"{cost} against {today} for "
        f"today's practice, {against}."
    )


def render_html(report: CommissioningReport) -> str:
    """The commissioning case page (UTF-8 text)."""
    head = case.headline(report)
    c = report.comparison
    split = case.supply_split(report)
    sens = case.sensitivity_table(report)
    plans = case.plans_table(report)
    commitments = case.commitments_table(report)
    starts = case.starts_by_year(report)
    about = case.forecast_rows(report)
    method = pd.DataFrame(case.method_rows(report), columns=["item", "value"])
    forecast_lead = (
        f"The plan is optimised on {report.demand.num_paths:,} simulated futures of the forecast "
        "below. Shaded: 8 in 10 futures (P10 to P90); dark line: the middle (P50); dotted: the "
        "places the plan adds (block places, new homes and new foster carers' places)."
    )
    pooling_words: list[str] = []
    pooling_table = Markup("")
    if report.pooled is not None:
        pooling, pooling_words = pooling_case(report.pooled)
        shares = {c: (lambda v: f"{v:.2%}") if "%)" in c else case.gbp for c in pooling.columns}
        pooling_table = table_html(
            pooling, caption="Each authority alone against its share of the pooled plan",
            formats={c: f for c, f in shares.items() if c != "Authority"},
        )  # fmt: skip
    return render_page(
        "commissioning.html",
        pooling_words=pooling_words,
        pooling_table=pooling_table,
        title="Commissioning case: what to recruit, block-buy or leave to spot purchase",
        lead=_lead(report, head),
        cautions=report.quality.cautions() if report.quality is not None else [],
        headline_items=head.items(),
        how_sure=head.sentence(),
        actions=recommendation(report)[:-2],
        year_table=year_table_html(report),
        num_paths=c.num_paths,
        uplift_date=report.prices.date,
        year_rounding=case.YEAR_ROUNDING_NOTE,
        split_table=table_html(
            split,
            caption="Children at a time beyond today's in-house places (average), and where "
            "they are placed under the plan",
            headers=case.SPLIT_HEADERS,
            formats={k: (lambda v: f"{v:,.1f}") for k in case.SPLIT_HEADERS if k != "group"},
        ),
        split_note=case.split_note(report),
        caps=case.binding_caps(report),
        horizon=case.end_of_horizon(report),
        planning=(
            "The recommended plan is made for the whole range of futures. "
            + planning_sentence(c, report.central)
        ),
        plans_chart=_plans_chart(report),
        sensitivity=case.sensitivity_sentences(report),
        sensitivity_table=table_html(
            sens, caption="The plan re-made with one figure changed", formats=_money_formats(sens)
        )
        if len(sens)
        else Markup(""),
        forecast_lead=forecast_lead,
        forecast_charts=_forecast_charts(report),
        method_table=table_html(method, caption="Method, solver and run settings"),
        commitments_table=table_html(
            commitments,
            caption="Each commitment the plan makes",
            formats=_money_formats(commitments),
        ),
        commitments_note=case.COMMITMENTS_NOTE,
        plans_table=table_html(
            plans,
            caption="The plans scored on the same fresh futures",
            # child-months are whole: '0' for today's practice beside '2,750', not '0.0'
            formats={
                **_money_formats(plans),
                **{c: count for c in plans.columns if "child-months" in c},
            },
        ),
        assumptions_table=table_html(
            case.assumptions_table(report), caption="Commissioning assumptions"
        ),
        starts_table=table_html(
            starts, caption="Expected placement starts per plan year (mean over futures)"
        )
        if len(starts)
        else "",
        forecast_table=table_html(about, caption="Forecast settings and fitted rates")
        if len(about)
        else "",
    )
