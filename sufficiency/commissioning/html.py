"""The commissioning section of the HTML report, after the forecast it was optimised on.

The page is the forecast's own (:func:`sufficiency.forecast.html_report.render_html`:
fan charts of children looked after, placement starts, assumptions) with this section
added: the recommendation, the plans' costs on fresh paths, external demand against
the places the plan adds, the plan by year, sensitivity and every lever figure with
its source. Plain HTML and inline SVG, nothing fetched from elsewhere.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from sufficiency.commissioning.report import CommissioningReport, recommendation
from sufficiency.forecast import (
    ForecastReport,
    demand_table,
    fan_chart,
    html_table,
    starts_table,
)
from sufficiency.forecast import render_html as forecast_html


def _gbp(value: float) -> str:
    return f"£{value:,.0f}"


def _bars(labels: list[str], values: list[float], width: int = 640) -> str:
    """A horizontal bar chart as inline SVG."""
    top = max(max(values, default=0.0), 1.0)
    row, left = 28, 170
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{row * len(values) + 10}" role="img" aria-label="Expected cost by plan">'
    ]
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        w = max(v, 0.0) / top * (width - left - 120)
        y = i * row + 5
        parts.append(f'<text x="0" y="{y + 16}" font-size="13">{escape(label)}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="20" fill="#08519c"/>')
        parts.append(
            f'<text x="{left + w + 6:.1f}" y="{y + 16}" font-size="13">£{v / 1e6:,.2f}m</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _demand_charts(report: CommissioningReport) -> list[str]:
    """Per group: external demand (P10-P90, P50) and the places the plan adds (dashed)."""
    plan = report.stochastic
    demand = report.demand
    added = np.zeros(demand.demand.shape[1:])
    for d, v in zip(plan.decisions, plan.values, strict=True):
        added += v * (d.fixed_capacity + d.variable_capacity)
    dates = [pd.Timestamp(m) for m in demand.month_ends[1:]]
    charts = []
    for g, group in enumerate(demand.groups):
        paths = demand.demand[:, :, g].astype(float)
        if not paths.any() and not added[:, g].any():
            continue
        charts.append(
            fan_chart(group.replace("_", " "), np.zeros(0), paths, dates, added[None, :, g])
        )
    return charts


def render_section(report: CommissioningReport) -> str:
    """The commissioning section as an HTML fragment (``<section id="commissioning">``)."""
    from sufficiency.commissioning.workbook import plan_by_year

    c = report.comparison
    scores = [c.stochastic, c.central, c.status_quo]
    costs = pd.DataFrame(
        {
            "plan": [s.name for s in scores],
            "expected cost": [_gbp(s.expected_cost_gbp) for s in scores],
            "P10": [_gbp(s.p10_cost_gbp) for s in scores],
            "P90": [_gbp(s.p90_cost_gbp) for s in scores],
            "in-house child-months": [f"{s.in_house_child_months:,.0f}" for s in scores],
            "external child-months": [f"{s.external_child_months:,.0f}" for s in scores],
            "spot child-months": [f"{s.spot_child_months:,.0f}" for s in scores],
        }
    )
    detail = report.stochastic.table(report.start)
    detail["cost_gbp"] = detail["cost_gbp"].map(_gbp)
    parts = [
        '<section id="commissioning">',
        "<h2>Commissioning plan: what to recruit, block-buy or spot-purchase</h2>",
        f"<p class='note'>Optimised on {report.demand.num_paths:,} simulated demand paths "
        f"(seed {report.demand.seed}); every plan scored on {report.fresh.num_paths:,} fresh "
        f"paths (seed {report.fresh.seed}); solver {escape(report.stochastic.solver)}, "
        f"status {escape(str(report.stochastic.status))}.</p>",
        "<h3>Recommendation</h3><ul>",
        *[f"<li>{escape(line)}</li>" for line in recommendation(report)],
        "</ul><h3>Expected cost on fresh demand paths</h3>",
        _bars([s.name for s in scores], [s.expected_cost_gbp for s in scores]),
        html_table(costs),
        "<h3>Demand beyond today's in-house places, and the places the plan adds</h3>",
        "<p class='note'>Shaded: 8 in 10 simulated futures (P10 to P90) of children needing "
        "an external or new place; dark blue: the middle (P50); dashed orange: block, new "
        "home and new foster places the plan adds.</p>",
        "<div class='grid'>",
        *_demand_charts(report),
        "</div><h3>Plan by year</h3>",
        html_table(plan_by_year(report)),
        html_table(detail),
    ]
    if report.sensitivity is not None:
        sens = report.sensitivity.copy()
        factor, change = sens.pop("factor"), sens.pop("change")
        sens.insert(0, "case", [f"{f} {x:+.0%}" for f, x in zip(factor, change, strict=True)])
        for col in [c for c in sens.columns if c.endswith("_gbp")]:
            sens[col] = sens[col].map(_gbp)
        parts += ["<h3>Sensitivity</h3>", html_table(sens)]
    assumptions = pd.DataFrame(report.assumptions, columns=["item", "value", "source"])
    parts += [
        "<h3>Commissioning assumptions</h3>",
        "<p class='note'>Every lever figure and where it comes from; [est] marks an estimate.</p>",
        html_table(assumptions, max_rows=len(assumptions)),
        "</section>",
    ]
    return "\n".join(parts)


def forecast_page_report(report: CommissioningReport) -> ForecastReport | None:
    """The forecast report of the paths optimised on (``None`` if it was not kept)."""
    base = report.forecast
    if base is None or report.forecast_assumptions is None:
        return None
    starts = starts_table(base)
    starts.insert(0, "scenario", "base")
    return ForecastReport(
        base, demand_table(base), starts, report.forecast_assumptions, quality=report.quality
    )


def render_html(report: CommissioningReport) -> str:
    """The forecast's page ending with the commissioning section (or the section alone)."""
    page = forecast_page_report(report)
    section = render_section(report)
    if page is not None:
        return forecast_html(page, sections=[section]) + "\n"
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Commissioning plan</title></head><body>\n{section}\n</body></html>\n"
    )
