"""``commissioning.html``: a self-contained section (plain HTML and inline SVG)."""

from __future__ import annotations

from html import escape

from sufficiency.commissioning.run import CommissioningReport, recommendation


def _bars(labels: list[str], values: list[float], width: int = 640) -> str:
    """A horizontal bar chart as inline SVG."""
    top = max(max(values, default=0.0), 1.0)
    row, left = 28, 170
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{row * len(values) + 10}" role="img">'
    ]
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        w = max(v, 0.0) / top * (width - left - 120)
        y = i * row + 5
        parts.append(f'<text x="0" y="{y + 16}" font-size="13">{escape(label)}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="20" fill="#2b6cb0"/>')
        parts.append(
            f'<text x="{left + w + 6:.1f}" y="{y + 16}" font-size="13">£{v / 1e6:,.2f}m</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(report: CommissioningReport) -> str:
    """The commissioning section as one self-contained HTML document."""
    c = report.comparison
    scores = [c.stochastic, c.central, c.status_quo]
    plan = report.stochastic.table(report.start)
    plan_rows = [
        [r.lever, str(r.year), r.starts, str(r.commitment), f"£{r.cost_gbp:,.0f}"]
        for r in plan.itertuples(index=False)
    ]
    cost_rows = [
        [
            s.name,
            f"£{s.expected_cost_gbp:,.0f}",
            f"£{s.p10_cost_gbp:,.0f}",
            f"£{s.p90_cost_gbp:,.0f}",
            f"{s.in_house_child_months:,.0f}",
            f"{s.external_child_months:,.0f}",
            f"{s.spot_child_months:,.0f}",
        ]
        for s in scores
    ]
    parts = [
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">',
        "<title>Commissioning plan</title><style>body{font-family:sans-serif;max-width:60em;"
        "margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
        "padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}"
        '</style></head><body><section id="commissioning">',
        "<h2>Commissioning plan</h2><h3>Recommendation</h3><ul>",
        *[f"<li>{escape(line)}</li>" for line in recommendation(report)],
        "</ul><h3>Expected cost on fresh demand paths</h3>",
        _bars([s.name for s in scores], [s.expected_cost_gbp for s in scores]),
        _table(
            [
                "Plan",
                "Expected cost",
                "P10",
                "P90",
                "In-house child-months",
                "External child-months",
                "Spot child-months",
            ],
            cost_rows,
        ),
        "<h3>Plan by year</h3>",
        _table(["Lever", "Year", "Starts", "Commitment", "Cost"], plan_rows),
    ]
    if report.sensitivity is not None:
        rows = [
            [
                f"{r.factor} {r.change:+.0%}",
                f"£{r.expected_cost_gbp:,.0f}",
                f"£{r.saving_gbp:,.0f}",
                str(r.households_recruited),
                str(r.block_places_year1),
                str(r.homes_opened),
            ]
            for r in report.sensitivity.itertuples(index=False)
        ]
        parts += [
            "<h3>Sensitivity</h3>",
            _table(
                [
                    "Case",
                    "Expected cost",
                    "Saving",
                    "Households recruited",
                    "Block places (year 1)",
                    "Homes opened",
                ],
                rows,
            ),
        ]
    parts.append("<h3>Assumptions</h3>")
    parts.append(_table(["Item", "Value", "Source"], [list(a) for a in report.assumptions]))
    parts.append("</section></body></html>\n")
    return "\n".join(parts)
