"""Charts for the HTML reports, drawn with matplotlib as self-contained SVG.

Each chart is a :class:`Chart`: its title, the SVG (text kept as text, so it is
searchable and read by screen readers; no dates or random ids, so the same figures
give the same bytes) and the figures it draws as a table, which the page shows
beside it. Colours are the Okabe-Ito colour-blind-safe set, with dashes as well as
colour telling series apart.
"""

from __future__ import annotations

import io
import os
import re
import stat
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from markupsafe import Markup, escape
from pandas.api.types import is_numeric_dtype

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def matplotlib_home() -> str | None:
    """Where matplotlib keeps its settings and font cache, set before it is first imported
    when its own (``~/.config/matplotlib``) cannot be written, as on a server account with
    no home folder: it then printed two lines of warning on every run with charts and built
    its font cache again each time, in a new temporary folder. The folder used instead is
    the account's own in the temporary folder (owner-only, made once and reused); one that
    is not (another account's, or open to others) is not used. ``None``: left alone
    (``$MPLCONFIGDIR`` set, or the usual folder writable)."""
    if os.environ.get("MPLCONFIGDIR") or not hasattr(os, "getuid"):
        return None
    try:
        xdg = os.environ.get("XDG_CONFIG_HOME")
        usual = (Path(xdg) if xdg else Path.home() / ".config") / "matplotlib"
        usual.mkdir(parents=True, exist_ok=True)
        if os.access(usual, os.W_OK):
            return None
    except (OSError, RuntimeError):  # RuntimeError: no home folder can be found at all
        pass
    own = Path(tempfile.gettempdir()) / f"sufficiency-matplotlib-{os.getuid()}"
    try:
        own.mkdir(mode=0o700, exist_ok=True)
        st = own.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        return None
    os.environ["MPLCONFIGDIR"] = str(own)
    return str(own)


matplotlib_home()

#: History, central forecast, band, scenario, added places (colour-blind safe).
HISTORY, CENTRAL, BAND, SCENARIO, EXTRA = "#222222", "#0b4f8a", "#a6cbe8", "#b04a00", "#6a3d9a"
#: matplotlib settings for every chart (typed loosely: its stubs list every key).
_RC: Any = {
    "svg.fonttype": "none",
    # Labels are plain text: a scenario named "Save $2m and $3m" is not TeX (matplotlib
    # drew "Save 2mand3m" in italics, and a name it could not parse was a fault).
    "text.parse_math": False,
    "svg.hashsalt": "sufficiency",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "axes.edgecolor": "#555555",
    "axes.labelcolor": "#222222",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
}


@dataclass(frozen=True)
class Chart:
    """One chart: title, SVG, the table of what it draws, and a one-line description."""

    title: str
    svg: Markup
    data: pd.DataFrame
    description: str = ""
    #: How the chart says its values (``{:,.0f}`` for children); its data table says them
    #: so too (a count of 12 children read "12.0" there, 102 read "102"). Blank: as is.
    value_format: str = ""

    def formats(self) -> dict[str, Callable[[object], str]]:
        """The data table's number columns, each written with :attr:`value_format`."""
        if not self.value_format:
            return {}

        def said(v: object) -> str:
            return "" if v is None or pd.isna(v) else self.value_format.format(v)

        return {c: said for c in self.data.columns[1:] if is_numeric_dtype(self.data[c])}


def _svg(fig: Figure, title: str) -> Markup:
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    buffer = io.StringIO()
    FigureCanvasSVG(fig).print_svg(buffer, metadata={"Date": None, "Creator": None})  # type: ignore[arg-type]
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r'\s(width|height)="[^"]*pt"', "", text, count=2)
    text = text.replace(
        "<svg ",
        f'<svg role="img" aria-label="{escape(title)}" focusable="false" '
        'preserveAspectRatio="xMidYMid meet" class="chart-svg" ',
        1,
    )
    # A <title> child names the image to assistive technology.
    text = re.sub(
        r"(<svg[^>]*>)", lambda m: f"{m.group(1)}<title>{escape(title)}</title>", text, count=1
    )
    return Markup(text)


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    with rc_context(_RC):
        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.add_subplot()
    return fig, ax


def _date_axis(ax: Axes, dates: Sequence[pd.Timestamp]) -> None:
    import matplotlib.dates as mdates

    span_years = (dates[-1] - dates[0]).days / 365.25 if len(dates) > 1 else 1
    step = 3 if span_years <= 1.5 else 6 if span_years <= 4 else 12
    ax.xaxis.set_major_locator(
        mdates.MonthLocator(bymonth=range(3, 13, step) if step < 12 else [3])
    )
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    for label in ax.get_xticklabels():
        label.set_rotation(0)
    ax.margins(x=0.01)


def fan_chart(
    title: str,
    dates: Sequence[pd.Timestamp],
    p10: np.ndarray,
    p50: np.ndarray,
    p90: np.ndarray,
    *,
    history_dates: Sequence[pd.Timestamp] = (),
    history: np.ndarray | None = None,
    scenario: np.ndarray | None = None,
    scenario_name: str = "Scenario",
    extra: np.ndarray | None = None,
    extra_name: str = "",
    y_label: str = "Children",
    value_format: str = "{:,.0f}",
    width: float = 7.5,
    height: float = 3.2,
    base: str = "",
) -> Chart:
    """History (solid black), the P10-P90 band, the middle (P50) and a scenario (dashed).

    ``base``: what the band and middle line are when they are not the only forecast (``"the
    base"`` beside a scenario): the legend and the description then name them so, and the
    description gives the scenario's last figure too (a chart of "base and scenario" said
    only "the middle forecast is 853", the base's, beside a scenario at 904).

    The y-axis starts near the band, not at zero, so the band's width can be read, and
    ticks on whole numbers when ``value_format`` writes whole numbers (counts of children);
    ``extra`` is a further dashed line (for example places a plan adds). The description
    writes the last month's figures with ``value_format``.
    """
    from matplotlib import rc_context

    dates = [pd.Timestamp(d) for d in dates]
    hist_dates = [pd.Timestamp(d) for d in history_dates]
    with rc_context(_RC):
        fig, ax = _figure(width, height)
        if history is not None and len(history):
            ax.plot(hist_dates, history, color=HISTORY, lw=1.8, label="Actual (903 returns)")
        whose = f"{base[:1].upper()}{base[1:]}: " if base else ""
        ax.fill_between(dates, p10, p90, color=BAND, lw=0,
                        label=f"{whose}8 in 10 futures (P10 to P90)")  # fmt: skip
        middle = f"{whose}middle forecast (P50)" if base else "Middle forecast (P50)"
        ax.plot(dates, p50, color=CENTRAL, lw=2, label=middle)
        if scenario is not None:
            ax.plot(dates, scenario, color=SCENARIO, lw=2, ls="--", label=f"{scenario_name} (P50)")
        if extra is not None:
            ax.plot(dates, extra, color=EXTRA, lw=2, ls=":", label=extra_name)
        values = [v for v in (history, p10, p90, scenario, extra) if v is not None and len(v)]
        lo = min(float(np.nanmin(v, initial=np.inf)) for v in values)
        hi = max(float(np.nanmax(v, initial=-np.inf)) for v in values)
        pad = 0.08 * max(hi - lo, 1.0)
        ax.set_ylim(max(0.0, lo - pad), hi + pad)
        if "." not in value_format.format(1.5):
            # Whole things (children, placements): ticks on whole numbers, never "0.5
            # children" on the axis of a category that holds one or two.
            from matplotlib.ticker import MaxNLocator

            ax.yaxis.set_major_locator(MaxNLocator("auto", steps=[1, 2, 2.5, 5, 10], integer=True))
        ax.set_ylabel(y_label)
        ax.set_xlabel("Month end")
        _date_axis(ax, hist_dates + dates)
        fig.legend(loc="outside lower center", fontsize=8, frameon=False, ncols=2)
        svg = _svg(fig, title)
    data = pd.DataFrame({"month": [d.date() for d in hist_dates + dates]})
    n_hist = len(hist_dates)
    pad_hist = [np.nan] * n_hist
    if history is not None and n_hist:
        data["actual"] = list(history) + [np.nan] * len(dates)
    data["p10"] = pad_hist + list(p10)
    data["p50"] = pad_hist + list(p50)
    data["p90"] = pad_hist + list(p90)
    if scenario is not None:
        data[f"{scenario_name} (P50)"] = pad_hist + list(scenario)
    if extra is not None:
        data[extra_name] = pad_hist + list(extra)
    end = f"{dates[-1]:%B %Y}" if dates else ""
    description = (
        f"{title}: by {end} {base + chr(39) + 's' if base else 'the'} middle forecast is "
        f"{value_format.format(p50[-1])} (8 in 10 futures between "
        f"{value_format.format(p10[-1])} and {value_format.format(p90[-1])})"
        if len(p50)
        else title
    )
    if len(p50) and base and scenario is not None and len(scenario):
        description += f"; {scenario_name}'s is {value_format.format(scenario[-1])}"
    description += "." if len(p50) else ""
    if history is not None and np.isnan(np.asarray(history, dtype=float)).any():
        description += " The actual line has a gap where no 903 return is held."
    return Chart(title, svg, data, description, value_format)


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    x_label: str,
    value_format: str = "£{:,.0f}",
    width: float = 7.5,
    height: float | None = None,
) -> Chart:
    """Horizontal bars, each labelled with its value."""
    from matplotlib import rc_context

    height = height or 0.9 + 0.45 * len(labels)
    with rc_context({**_RC, "axes.grid": False}):
        fig, ax = _figure(width, height)
        ys = np.arange(len(labels))[::-1]
        ax.barh(ys, values, color=CENTRAL, height=0.6)
        ax.set_yticks(ys, labels=list(labels))
        ax.set_xlabel(x_label)
        top = max([float(v) for v in values] + [1.0])
        ax.set_xlim(0, top * 1.25)
        for y, v in zip(ys, values, strict=True):
            ax.text(float(v) + top * 0.01, y, value_format.format(v), va="center", fontsize=9)
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
        ax.xaxis.set_major_formatter(lambda v, _pos: value_format.format(v).replace(".0m", "m"))
        svg = _svg(fig, title)
    data = pd.DataFrame({"item": list(labels), "value": list(values)})
    return Chart(title, svg, data, title, value_format)
