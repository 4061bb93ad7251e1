"""Templates and charts for the HTML reports: self-contained, accessible, deterministic."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from sufficiency.pages import bar_chart, fan_chart, render_page, table_html


def _fan() -> str:
    dates = pd.date_range("2026-04-30", periods=25, freq="ME")
    hist = pd.date_range("2024-04-30", periods=24, freq="ME")
    mid = np.linspace(300, 320, 25)
    chart = fan_chart(
        "Children looked after",
        dates,
        mid - 15,
        mid,
        mid + 20,
        history_dates=hist,
        history=np.linspace(280, 300, 24),
        scenario=mid - 8,
        scenario_name="Step down",
    )
    assert chart.data.shape[0] == 49
    assert list(chart.data.columns) == ["month", "actual", "p10", "p50", "p90", "Step down (P50)"]
    assert "by April 2028 the middle forecast is 320" in chart.description
    return str(chart.svg)


def test_fan_chart_is_self_contained_accessible_and_deterministic() -> None:
    svg = _fan()
    assert svg == _fan()
    assert svg.startswith('<svg role="img" aria-label="Children looked after"')
    assert "<title>Children looked after</title>" in svg
    assert "http://" not in svg.replace("http://www.w3.org", "")
    assert "Mar 2027" in svg and "Month end" in svg and "Children" in svg  # axes and titles
    assert "8 in 10 futures (P10 to P90)" in svg  # the full legend


def test_band_is_not_flattened_the_axis_starts_near_it() -> None:
    svg = _fan()
    assert ">0<" not in svg.replace(" ", "")  # no tick at zero: the axis starts near the band


def test_a_count_of_a_few_children_is_ticked_in_whole_children() -> None:
    """A category of one or two children has ticks 0, 1, 2, not 0.0, 0.5, ... 2.0 (seen
    on a 46-child authority's in-house children's homes and adoption charts); money
    written with pence or millions keeps its fractional ticks."""
    dates = pd.date_range("2026-04-30", periods=12, freq="ME")
    few = fan_chart("Placed for adoption", dates, np.zeros(12), np.ones(12), np.full(12, 2.0),
                    history_dates=pd.date_range("2025-04-30", periods=12, freq="ME"),
                    history=np.array([1.0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1]))  # fmt: skip
    ticks = re.findall(r"<text[^>]*>([^<]*)</text>", str(few.svg))
    assert {"0", "1", "2"} <= set(ticks), ticks
    assert not [t for t in ticks if re.fullmatch(r"\d+\.\d+", t)], ticks
    kinship = fan_chart("Kinship foster care", dates, np.full(12, 5.0), np.full(12, 9.0),
                        np.full(12, 13.0))  # fmt: skip
    ticks = [t for t in re.findall(r"<text[^>]*>([^<]*)</text>", str(kinship.svg)) if t.isdigit()]
    assert ticks == ["6", "8", "10", "12"], ticks  # not a label at every child from 5 to 13
    money = fan_chart("Spend", dates, np.zeros(12), np.ones(12), np.full(12, 2.0),
                      value_format="£{:,.1f}m")  # fmt: skip
    assert "0.5" in re.findall(r"<text[^>]*>([^<]*)</text>", str(money.svg))


def test_tables_have_headers_in_words_and_numbers_right_aligned() -> None:
    frame = pd.DataFrame({"category": ["ifa_foster"], "p50": [12.0], "weekly_cost": [900.0]})
    html = str(table_html(frame, caption="Caption"))
    assert "<caption>Caption</caption>" in html
    assert '<th scope="col">Category</th>' in html
    assert '<th scope="col" class=num>Median (P50)</th>' in html
    assert "<td class=num>900</td>" in html


def test_a_date_in_a_table_is_said_as_figures_day_says_it() -> None:
    """Table cells wrote "30 Apr 2026" beside headings and sentences saying "30 April
    2026" (figures.day); a missing date (NaT) broke the table (NaT has no strftime)."""
    frame = pd.DataFrame({"month": pd.to_datetime(["2026-04-30", None, "2026-06-01"]),
                          "p50": [1.0, 2.0, 3.0]})  # fmt: skip
    html = str(table_html(frame))
    cells = re.findall(r"<th scope=row>([^<]*)</th>", html)
    assert cells == ["30 April 2026", "", "1 June 2026"], cells
    day = pd.DataFrame({"day": [dt.date(2026, 3, 1)]})
    assert "<th scope=row>1 March 2026</th>" in str(table_html(day))


def test_bar_chart_labels_each_bar() -> None:
    chart = bar_chart("Cost", ["A", "B"], [1_000_000.0, 2_000_000.0], x_label="Cost (£)")
    assert "£2,000,000" in str(chart.svg)
    assert chart.data["value"].tolist() == [1_000_000.0, 2_000_000.0]


def test_base_template_escapes_and_sets_language() -> None:
    page = render_page("base.html", title="<b>x</b>")
    assert '<html lang="en-GB">' in page
    assert "<title>&lt;b&gt;x&lt;/b&gt;</title>" in page
    assert "@page{size:A4 landscape" in page


def test_a_charts_data_table_says_counts_as_the_chart_does() -> None:
    """A fan chart of children under 100 had its data table read '12.0', '33.0' ('102' for
    102): a count of children is now said as the chart says it, whole ('12'), blank where
    a month has no figure; a chart of money keeps its pounds."""
    from sufficiency.pages.render import environment

    dates = pd.date_range("2026-04-30", periods=3, freq="ME")
    chart = fan_chart("Placed for adoption", dates, np.array([10.0, 11.0, 9.0]),
                      np.array([12.0, 12.0, 12.0]), np.array([14.0, 15.0, 16.0]),
                      history_dates=pd.date_range("2026-02-28", periods=2, freq="ME"),
                      history=np.array([12.0, 15.0]))  # fmt: skip
    macro = environment().from_string('{% from "macros.html" import chart %}{{ chart(c) }}')
    html = macro.render(c=chart)
    assert "<td class=num>12</td>" in html and "<td class=num>15</td>" in html
    assert "12.0" not in html and "15.0" not in html
    assert "<td class=num></td>" in html  # the history's months have no forecast
    money = bar_chart("Cost", ["A"], [1_500.0], x_label="Cost (£)")
    assert "<td class=num>£1,500</td>" in macro.render(c=money)


def _chart_in_a_process_without_a_home(tmp_path) -> tuple[str, str]:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("MPLCONFIGDIR", "XDG_CONFIG_HOME")}
    env.update(HOME="/proc/no-home-here", TMPDIR=str(tmp_path))
    code = ("import os; from sufficiency.pages import bar_chart; "
            "bar_chart('Cost', ['A'], [1.0], x_label='x'); "
            "print(os.environ.get('MPLCONFIGDIR', ''))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=True)  # fmt: skip
    return done.stdout.strip(), done.stderr


def test_charts_on_an_account_without_a_home_folder_are_drawn_quietly(tmp_path) -> None:
    """With no home folder to write (a server account), matplotlib printed 'mkdir -p
    failed ...' and 'Matplotlib created a temporary cache directory ...' on every run with
    charts and rebuilt its font cache each time; it now keeps them in the account's own
    owner-only folder in the temporary folder, reused the next run. Another account's
    folder, or one open to others, is never used."""
    import os
    import stat

    used, said = _chart_in_a_process_without_a_home(tmp_path)
    own = tmp_path / f"sufficiency-matplotlib-{os.getuid()}"
    assert used == str(own) and "mkdir -p failed" not in said and "Matplotlib" not in said
    assert stat.S_IMODE(own.stat().st_mode) == 0o700
    assert _chart_in_a_process_without_a_home(tmp_path)[0] == str(own)  # reused
    own.chmod(0o777)  # open to others: not trusted with the cache
    used, said = _chart_in_a_process_without_a_home(tmp_path)
    assert used == "" or not used.startswith(str(own))


def test_a_figure_shown_as_nought_has_no_minus() -> None:
    """A pooled sensitivity run saving nothing (-0.0, from cost alone less pooled cost)
    read "£-0" and "-0%" in region.html; a few pence less than nothing, "-£0"."""
    from sufficiency.pages.render import count, gap_percent, gbp, percent, tenths

    assert [gbp(-0.0), gbp(-0.3), gbp(-1.2)] == ["£0", "£0", "-£1"]
    assert [percent(-0.0), percent(-0.004), percent(-0.01)] == ["0%", "0%", "-1%"]
    assert [count(-0.2), tenths(-0.04), tenths(-0.06), gap_percent(-0.0)] == [
        "0", "0.0", "-0.1", "0.000%"
    ]  # fmt: skip
