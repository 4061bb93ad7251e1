"""The Jinja2 environment: templates from this package, autoescaped, no network."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from sufficiency import clock, figures, vocabulary

Format = Callable[[Any], str]


def gbp(value: Any) -> str:
    """Pounds with thousands separators and no pence (``£32,932``), half up as finance
    and the workbooks round (``£1,235`` for 1234.5); negatives as -£."""
    if _blank(value):
        return ""
    v = figures.half_up(float(value))
    return _no_minus_zero(f"-£{-v:,.0f}" if v < 0 else f"£{v:,.0f}")


def count(value: Any) -> str:
    """A whole number of children or places (``1,234``)."""
    return "" if _blank(value) else _no_minus_zero(f"{float(value):,.0f}")


def tenths(value: Any) -> str:
    """A mean over the simulated futures to one decimal place (``22.2``, ``1,234.5``): a
    column of means said alike, not ``128`` beside ``22.1``, a small one not as ``0``."""
    return "" if _blank(value) else _no_minus_zero(f"{float(value):,.1f}")


def chance(value: Any) -> str:
    """A share of simulated futures (:func:`sufficiency.figures.chance`): whole points,
    a tenth of a point near nought or one (``0.5%``, not ``0%`` beside a shortfall)."""
    return "" if _blank(value) else figures.chance(float(value))


#: The forecast's tables: means over the futures to tenths (placement starts a year,
#: places bought externally); their P10 and P90, quantiles of whole numbers of children,
#: whole: '67', not an interpolated '66.9' beside a mean of '73.0'.
MEANS: dict[str, Format] = {"starts per year": tenths, "expected_places": tenths,
                            "p10": count, "p90": count}  # fmt: skip
#: The forecast's shortfall table alike: places, P10 and P90 whole; means (demand, the
#: shortfall and the spare places) to tenths, so a column never reads '252' beside '23.7'.
SHORTFALL: dict[str, Format] = {
    "places": count, "demand_mean": tenths, "demand_p10": count, "demand_p90": count,
    "expected_gap": tenths, "prob_demand_exceeds_supply": chance, "expected_spare": tenths,
}  # fmt: skip


def percent(value: Any) -> str:
    """A share of one as a percentage (``0.8`` -> ``80%``)."""
    return "" if _blank(value) else _no_minus_zero(f"{float(value):.0%}")


def percent1(value: Any) -> str:
    """A share of one as a percentage to one decimal place (``0.015`` -> ``1.5%``): a
    backtest's errors, as the workbook and the sentences beside them give them."""
    return "" if _blank(value) else _no_minus_zero(f"{float(value):.1%}")


def change_percent(value: Any) -> str:
    """A change as a signed percentage (``0.1`` -> ``+10%``, ``-0.2`` -> ``-20%``)."""
    return "" if _blank(value) else f"{float(value):+.0%}"


def gap_percent(value: Any) -> str:
    """A solver's relative gap (a share of one) as a percentage to three decimals
    (``0.00012`` -> ``0.012%``), so a gap of a few per cent never reads as nought."""
    return "" if _blank(value) else _no_minus_zero(f"{float(value):.3%}")


def miles(value: Any) -> str:
    """Miles to one decimal place; blank when unknown."""
    return "" if _blank(value) else f"{float(value):,.1f}"


def uk_time(value: dt.datetime | None, fmt: str = "{day} %H:%M") -> str:
    """A time the store holds (UTC; SQLite gives it back without its zone) as a clock in
    England reads it: a pin made at 09:15 in summer showed as made at 08:15. ``{day}`` in
    ``fmt`` is the day as :func:`sufficiency.figures.day` says it (``1 April 2026 09:15``;
    the pages said ``01 Apr 2026 09:15`` beside their ``1 April 2026``)."""
    if value is None:
        return ""
    aware = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value
    local = aware.astimezone(clock.ENGLAND)
    return local.strftime(fmt.replace("{day}", figures.day(local.date())))


def _no_minus_zero(text: str) -> str:
    """``text`` without its minus when it shows nothing but noughts: a pooled sensitivity
    run saving nothing (-0.0, or a few pence less) read "£-0" and "-0%"."""
    return text if any(c in "123456789" for c in text) else text.replace("-", "")


def _blank(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def cell(value: Any) -> str:
    """A value as a table cell says it (a day in words, Yes or No, thousands separated)."""
    if _blank(value):
        return ""
    if isinstance(value, dt.date):  # datetimes and pandas Timestamps are dates too
        # as figures.day says a day ("30 April 2026"): cells wrote "30 Apr 2026" under
        # headings and beside sentences saying "30 April 2026"
        return figures.day(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table_html(
    frame: pd.DataFrame,
    caption: str = "",
    formats: Mapping[str, Format] | None = None,
    headers: Mapping[str, str] | None = None,
    max_rows: int | None = None,
    numeric: tuple[str, ...] | None = None,
) -> Markup:
    """``frame`` as an accessible table: a caption, ``th scope``, numbers right-aligned.

    Column headers come from the vocabulary (``headers`` override it); ``formats`` maps
    a column to a function giving its text. Columns holding numbers (or named in
    ``numeric``) are right-aligned.
    """
    formats = formats or {}
    shown = frame if max_rows is None else frame.head(max_rows)
    cols = list(shown.columns)
    nums = set(numeric or ()) | {
        c for c in cols if pd.api.types.is_numeric_dtype(shown[c]) and shown[c].dtype != bool
    }
    head = "".join(
        f'<th scope="col"{" class=num" if c in nums else ""}>'
        f"{escape(vocabulary.column(str(c), headers))}</th>"
        for c in cols
    )
    rows = []
    for values in shown.itertuples(index=False):
        cells = []
        for j, (c, v) in enumerate(zip(cols, values, strict=True)):
            text = formats[c](v) if c in formats else cell(v)
            tag = "th scope=row" if j == 0 else "td"
            klass = " class=num" if c in nums else ""
            cells.append(f"<{tag}{klass}>{escape(text)}</{tag.split()[0]}>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    more = ""
    if max_rows is not None and len(frame) > max_rows:
        more = f'<p class="note">First {max_rows:,} of {len(frame):,} rows.</p>'
    # a table wider than the page scrolls inside its wrapper: keyboard users reach it by
    # Tab (WCAG 2.1.1; axe's scrollable-region-focusable), its caption read with it
    return Markup(
        f'<div class="table-wrap" tabindex="0"><table>{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>{more}"
    )


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one template environment (autoescaped; undefined names are errors)."""
    env = Environment(
        loader=PackageLoader("sufficiency.pages", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(gbp=gbp, count=count, percent=percent, miles=miles)
    env.globals.update(table=table_html, words=vocabulary)
    return env


def render_page(template: str, **context: Any) -> str:
    """Render ``templates/<template>`` with ``context``."""
    return environment().get_template(template).render(**context)
