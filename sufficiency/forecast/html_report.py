"""A self-contained HTML page of the forecast: inline SVG fan charts, no scripts."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sufficiency.io.quality_writers import quality_html

if TYPE_CHECKING:
    from sufficiency.forecast.report import ForecastReport

_CSS = """
body{font-family:Arial,Helvetica,sans-serif;margin:2em auto;max-width:1100px;color:#1d1d1d}
h1{font-size:1.7em}h2{font-size:1.3em;margin-top:1.8em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.6em 0;font-size:.88em}
th,td{border:1px solid #ccc;padding:3px 7px;text-align:right}
th{background:#eef2f6}td:first-child,th:first-child{text-align:left}
.grid{display:flex;flex-wrap:wrap;gap:10px}.note{color:#555;font-size:.9em}
"""
_BAND, _LINE, _HIST, _SCEN = "#9ecae1", "#08519c", "#333333", "#d94801"


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    span = max(hi - lo, 1.0)
    step = 10 ** math.floor(math.log10(span / n))
    for mult in (1, 2, 5, 10):
        if span / (step * mult) <= n:
            step *= mult
            break
    first = math.floor(lo / step) * step
    return [t for i in range(int((hi - first) / step) + 2) if lo <= (t := first + i * step) <= hi]


def fan_chart(
    title: str,
    hist: np.ndarray,
    paths: np.ndarray,
    dates: list[pd.Timestamp],
    scenario_paths: np.ndarray | None = None,
    width: int = 520,
    height: int = 240,
) -> str:
    """SVG fan chart: history line, P10-P90 band, P50 line (and a scenario's P50, dashed).

    ``paths`` is ``(paths, months)`` including the start month; ``dates`` covers
    ``len(hist) + months``.
    """
    p10, p50, p90 = np.quantile(paths, [0.1, 0.5, 0.9], axis=0)
    values = [hist, p10, p90] + (
        [np.quantile(scenario_paths, 0.5, axis=0)] if scenario_paths is not None else []
    )
    lo = min(float(np.min(v)) for v in values if len(v))
    hi = max(float(np.max(v)) for v in values if len(v))
    lo, hi = max(0.0, lo - 0.08 * (hi - lo + 1)), hi + 0.08 * (hi - lo + 1)
    left, right, top, bottom = 48, 12, 26, 26
    n = len(dates)

    def x(i: float) -> float:
        return left + (width - left - right) * i / max(n - 1, 1)

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - (v - lo) / max(hi - lo, 1e-9))

    off = len(hist)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{html.escape(title)}">',
        f'<text x="{left}" y="16" font-size="13" font-weight="bold">{html.escape(title)}</text>',
    ]
    for t in _ticks(lo, hi):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
            'stroke="#e5e5e5"/>'
            f'<text x="{left - 4}" y="{y(t) + 4:.1f}" font-size="10" text-anchor="end">{t:g}</text>'
        )
    for i, d in enumerate(dates):
        if d.month == 3:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - 8}" font-size="10" '
                f'text-anchor="middle">Mar {d.year}</text>'
            )
    band = [f"{x(off + i):.1f},{y(v):.1f}" for i, v in enumerate(p90)]
    band += [f"{x(off + i):.1f},{y(v):.1f}" for i, v in reversed(list(enumerate(p10)))]
    parts.append(f'<polygon points="{" ".join(band)}" fill="{_BAND}" opacity="0.8"/>')

    def line(series: np.ndarray, start: int, colour: str, dash: str = "") -> str:
        pts = " ".join(f"{x(start + i):.1f},{y(v):.1f}" for i, v in enumerate(series))
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        return f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"{extra}/>'

    if len(hist):
        parts.append(line(np.r_[hist, paths[0, 0]], 0, _HIST))
    parts.append(line(p50, off, _LINE))
    if scenario_paths is not None:
        parts.append(line(np.quantile(scenario_paths, 0.5, axis=0), off, _SCEN, "5,3"))
    parts.append("</svg>")
    return "".join(parts)


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:,.1f}" if isinstance(value, float) else str(value)


def _table(df: pd.DataFrame, max_rows: int = 200) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = []
    for row in df.head(max_rows).itertuples(index=False):
        cells = "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row)
        body.append(f"<tr>{cells}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def html_table(df: pd.DataFrame, max_rows: int = 200) -> str:
    """``df`` as a table styled like the rest of the page (for sections added to it)."""
    return _table(df, max_rows)


def render_html(report: ForecastReport, sections: Sequence[str] = ()) -> str:
    """The whole page as a string; ``sections`` (HTML fragments) follow the forecast."""
    base, scen = report.base, report.scenario
    dates = [pd.Timestamp(d) for d in base.history_month_ends] + [
        pd.Timestamp(d) for d in base.month_ends
    ]
    hist_total = base.history_stock.sum(axis=(1, 2))
    out = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Sufficiency forecast</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Sufficiency forecast: children looked after</h1>",
        f"<p>Start {base.start.date()} (last day of the 903 history used), "
        f"{base.horizon_months} months ahead, {base.num_paths:,} simulated futures, "
        f"seed {base.seed}"
        + (f"; scenario <b>{html.escape(scen.scenario)}</b> shown dashed orange" if scen else "")
        + ".</p>",
        "<p class='note'>Black: what the 903 returns show. Dark blue: the middle forecast (P50). "
        "Shaded: 8 in 10 simulated futures fall inside the band (P10 to P90).</p>",
        "<h2>All children looked after</h2>",
        fan_chart(
            "Children looked after (all)",
            hist_total,
            base.total(),
            dates,
            scen.total() if scen else None,
            width=900,
            height=320,
        ),
    ]
    tot = report.demand[(report.demand["category"] == "all") & (report.demand["age_band"] == "all")]
    picks = [
        m.strftime("%Y-%m-%d")
        for i, m in enumerate(base.month_ends)
        if i % 12 == 0 or i == base.horizon_months
    ]
    out.append(_table(tot[tot["month"].isin(picks)][["month", "mean", "p10", "p50", "p90"]]))
    out.append("<h2>By placement category</h2><div class='grid'>")
    for c, cat in enumerate(base.categories):
        hist = base.history_stock[:, c].sum(axis=1)
        if hist.sum() == 0 and base.stock[:, :, c].sum() == 0:
            continue
        out.append(
            fan_chart(
                cat.replace("_", " "),
                hist,
                base.stock[:, :, c].sum(axis=2),
                dates,
                scen.stock[:, :, c].sum(axis=2) if scen else None,
            )
        )
    out.append("</div><h2>Placement starts per month (placements to find)</h2>")
    out.append(
        fan_chart(
            "Placement starts, all categories",
            np.zeros(0),
            base.starts[:, 1:].sum(axis=2),
            [pd.Timestamp(d) for d in base.month_ends[1:]],
            width=900,
        )
    )
    st = report.starts[(report.starts["scenario"] == "base")]
    yearly = st.assign(year=st["month"].str[:4]).groupby("category", sort=False)[
        "mean"
    ].sum() / max(base.horizon_months / 12, 1e-9)
    out.append("<p>Mean placement starts per year over the horizon:</p>")
    out.append(_table(yearly.round(1).reset_index().rename(columns={"mean": "starts_per_year"})))
    if report.shortfall is not None and report.purchases is not None:
        out.append("<h2>Supply and shortfall (per quarter)</h2>")
        out.append(
            "<p class='note'>expected_gap: mean children above the places available; "
            "prob_demand_exceeds_supply: share of futures with a gap.</p>"
        )
        out.append(_table(report.shortfall[report.shortfall["scenario"] == "base"]))
        out.append("<h2>Placements to buy externally</h2>")
        out.append(_table(report.purchases))
    if report.backtest is not None:
        out.append("<h2>Backtest: how accurate were past forecasts?</h2>")
        out.append(
            "<p class='note'>Mean absolute percentage error of the total; coverage is the "
            "share of months whose actual total fell inside P10-P90 (target about 80%).</p>"
        )
        out.append(_table(report.backtest.summary()))
    out.append("<h2>Assumptions</h2>")
    out.append(_table(report.assumptions))
    out.append(quality_html(report.quality))
    out.extend(sections)
    out.append("</body></html>")
    return "\n".join(out)
