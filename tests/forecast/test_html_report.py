"""forecast.html as a commissioner reads it: headline first, readable charts, the backtest said."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from sufficiency.commands.forecast import forecast

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def _page(out: Path, *extra: str) -> str:
    args = ["--history", str(SAMPLE / "ssda903"), "--out", str(out), "--paths", "60", *extra]
    result = CliRunner().invoke(forecast, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return (out / "forecast.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _page(
        tmp_path_factory.mktemp("page"),
        "--scenario", str(SAMPLE / "scenarios" / "step_down_and_in_house.toml"),
        "--backtest-cutoff", "2024-03-31",
    )  # fmt: skip


def _visible(html: str) -> str:
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_headline_comes_first(page: str) -> None:
    text = _visible(page)
    assert text.index("children looked after on 31 March 2026") < text.index(
        "All children looked after"
    )
    figure = r"middle forecast \(P50\) for March 2029 \(8 in 10 futures: [\d,]+ to [\d,]+\)"
    assert re.search(figure, text)


def test_the_page_says_only_the_first_chart_draws_the_scenario(page: str) -> None:
    """The page's sections are the base forecast: it says so (before: a step-down
    scenario's run showed the base's placement starts with no word of it)."""
    assert re.search(
        r"the dashed orange line is the scenario Step-downs and in-house shift ?, drawn on the "
        r"first chart only: every other chart, table and figure on this page is the base "
        r"forecast \(no scenario\)", " ".join(_visible(page).split()),
    )  # fmt: skip


def test_every_chart_has_axis_titles_a_full_legend_and_its_data(page: str) -> None:
    charts = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    assert len(charts) >= 3
    for svg in charts:
        assert "Month end" in svg and ("Children" in svg or "Placement starts" in svg)
        assert "Middle forecast (P50)" in svg and "8 in 10 futures (P10 to P90)" in svg
        assert "Mar 2029" in svg  # the last year's label is drawn whole
    assert page.count("<summary>Data table:") == len(charts)


def test_no_empty_panels(page: str) -> None:
    """The sample has no child in secure homes: that panel is not drawn, and the page says so."""
    assert 'aria-label="Secure children&#39;s homes"' not in page
    assert re.search(r"Not drawn, because no child was in them.*?Secure children", page, re.S)


def test_the_backtest_says_where_the_model_beats_or_loses_to_no_change(page: str) -> None:
    text = _visible(page)
    verdict = r"(\d+) months ahead, the model did (better than|worse than|as well as)"
    said = re.findall(verdict, text)
    assert {h for h, _ in said} == {"3", "6", "12"}
    assert "assuming no change" in text


def test_without_a_backtest_the_page_says_how_to_run_one(tmp_path: Path) -> None:
    text = _visible(_page(tmp_path))
    assert "No backtest was run with this forecast" in text


def test_no_code_words_in_what_a_person_reads(page: str) -> None:
    body = re.sub(r"\w+\.csv", "", _visible(page.split('<section class="appendix">')[0]))
    assert not re.findall(r"\b[a-z]+_[a-z0-9_]+\b", body)


def test_the_appendix_names_categories_and_legal_groups_in_words(page: str) -> None:
    """The fitted rates said 'Rate of exit: kinship_foster' and 'interim_order'."""
    appendix = _visible(page).split("Appendix: method and assumptions")[1]
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", appendix), re.findall(r"\b[a-z]+_[a-z_]+", appendix)
    assert "Rate of exit: Kinship foster care (per child per year)" in appendix
    assert "Rate of exit: Care order (per child per year)" in appendix
    assert "none (not supported by the data)" in appendix


def test_external_purchases_read_as_the_workbook_does(tmp_path: Path) -> None:
    """The purchases table said 'base', '2026-06-30' and 'foster (IFA / spot)' where the
    workbook's External purchases sheet says 'Base', a date and 'Foster (IFA / spot)'."""
    page = _page(tmp_path, "--supply", str(SAMPLE / "supply.toml"), "--horizon-months", "6")
    table = page.split("Placements expected to be bought from external providers")[1]
    table = _visible(table.split("</table>")[0])
    assert re.search(r"\bBase\s+30 June 2026\s+Foster \(IFA / spot\)", table), table[:300]
    assert not re.search(r"\bbase\b|\d{4}-\d\d-\d\d|\bfoster \(", table)
    shortfall = page.split("Expected shortfall per quarter (base case)")[1].split("</table>")[0]
    # Places is the first number of a row: whole, as the supply file gives it ('60' not '60.0')
    assert re.search(r"<td[^>]*>\s*60\s*</td>", shortfall), shortfall[:600]
    assert not re.search(r"<td[^>]*>\s*60\.0\s*</td>", shortfall)
    # expected places are means: every one to one decimal place, not '161' beside '99.9';
    # their P10 and P90, quantiles of whole numbers of children, whole ('67', not '66.9')
    bought = page.split("Placements expected to be bought from external providers")[1]
    cells = re.findall(r"<td class=num>([^<]*)</td>", bought.split("</table>")[0])
    means, ends = cells[0::3], cells[1::3] + cells[2::3]
    assert means and all(re.fullmatch(r"[\d,]+\.\d", c) for c in means), cells
    assert ends and all(re.fullmatch(r"[\d,]+", c) for c in ends), cells


def test_the_shortfall_table_says_each_column_alike(tmp_path: Path) -> None:
    """The shortfall table read 'Demand (mean)' '240' beside '73.0', P10s such as '66.9'
    (an interpolated quantile of whole numbers of children), 'Expected spare places' '252'
    beside '23.7', and a gap in 5 of 1,000 futures as '0%'. Places and the P10 and P90
    are whole; the means (demand, shortfall, spare places) to tenths; a chance under 1% to
    a tenth of a point."""
    page = _page(tmp_path, "--supply", str(SAMPLE / "supply.toml"), "--horizon-months", "6")
    shortfall = page.split("Expected shortfall per quarter (base case)")[1].split("</table>")[0]
    rows = [re.findall(r"<td class=num>([^<]*)</td>", r) for r in shortfall.split("<tr>")[2:]]
    assert rows and all(len(r) == 7 for r in rows), rows[:2]
    for places, mean, p10, p90, gap, chance, spare in rows:
        assert all(re.fullmatch(r"[\d,]+", c) for c in (places, p10, p90)), rows
        assert all(re.fullmatch(r"[\d,]+\.\d", c) for c in (mean, gap, spare)), rows
        assert re.fullmatch(r"\d+%|0\.\d%|99\.\d%", chance), rows
    assert any(float(r[1].replace(",", "")) >= 100 for r in rows)  # '240.5', not '240'


def test_mean_starts_per_year_are_said_alike(page: str) -> None:
    """'Mean placement starts per year' gave '126' beside '22.2' and '0.0' (whole at 100
    and above): means over the simulated futures, each now to one decimal place."""
    table = page.split("Mean placement starts per year over the forecast")[1].split("</table>")[0]
    cells = re.findall(r"<td class=num>([^<]*)</td>", table)
    assert len(cells) >= 5 and all(re.fullmatch(r"[\d,]+\.\d", c) for c in cells), cells
    assert any(float(c.replace(",", "")) >= 100 for c in cells)


@pytest.fixture(scope="module")
def gap_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 300-child authority's six returns with 2023-24's left out (a missing year)."""
    import shutil

    from sufficiency.forecast.synthetic import synthetic_history
    from sufficiency.region.synthetic import write_history

    folder = write_history(synthetic_history(300, seed=13), tmp_path_factory.mktemp("gap"))
    shutil.rmtree(folder / "2024")
    return folder


@pytest.fixture(scope="module")
def gap_out(gap_history: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gap_page")
    _page(out, "--history", str(gap_history))
    return out


@pytest.fixture(scope="module")
def gap_page(gap_out: Path) -> str:
    return _visible((gap_out / "forecast.html").read_text(encoding="utf-8"))


def test_a_missing_year_is_said_in_full_on_the_workbook_s_summary(gap_out: Path) -> None:
    """The workbook's Summary says the missing year itself, not only a count of warnings
    at the end of the Assumptions sheet (its last)."""
    from openpyxl import load_workbook

    said = load_workbook(gap_out / "forecast.xlsx")["Summary"]["A3"].value
    assert said.startswith(
        "Read with care: No return for 2023-24: children entering, moving and leaving then "
        "are unknown, so those months are left out of the rates."
    ), said


def test_a_missing_year_is_read_with_care_before_the_first_chart(gap_page: str) -> None:
    """The missing year is said under "Read with care", by the headline: before, only the
    data-quality section, fourteen pages on, said it."""
    text = " ".join(gap_page.split())
    care = text.index("Read with care")
    said = text.index("No return for 2023-24: children entering, moving and leaving then")
    assert care < said < text.index("All children looked after")


def test_a_missing_year_leaves_a_gap_in_the_actual_line_not_a_peak(
    gap_history: Path, gap_page: str
) -> None:
    """The months of a missing year are not known, and the chart says so. Before, the
    actual line ran through 2023-24 from 325 up to 378 children and fell to 305 at the next
    return: episodes open before the gap are closed at its end, so no one left all year."""
    from forecast_builders import FAST

    from sufficiency.forecast.projection import forecast_from_spells
    from sufficiency.forecast.states import build_spells
    from sufficiency.io.ssda903 import read_history

    result = forecast_from_spells(build_spells(read_history(gap_history)), FAST)
    months = pd.DatetimeIndex(result.history_month_ends)
    total = result.history_stock.sum(axis=(1, 2))
    gap = (months >= "2023-04-01") & (months <= "2024-03-31")
    assert gap.sum() == 12 and np.isnan(total[gap]).all()
    assert np.isfinite(total[~gap]).all() and total[~gap].max() < 340, total
    assert "The actual line has a gap where no 903 return is held." in gap_page


def test_each_warning_is_given_once_and_the_appendix_links_to_it(page: str) -> None:
    """Each warning was on the page twice: under Read with care by the headline, and again
    as a Read with care row of the appendix's assumptions table. The appendix now says
    where they are, with a link, and assumptions.csv keeps them."""
    text = " ".join(_visible(page).split())
    notes = re.search(r'<ul class="notes">(.*?)</ul>', page, flags=re.S)
    assert notes is not None
    warnings = [
        " ".join(_visible(w).split()) for w in re.findall(r"<li>(.*?)</li>", notes[1], re.S)
    ]
    assert warnings
    for warning in warnings:
        assert text.count(warning) == 1, warning
    appendix = page[page.index("Appendix: method and assumptions") :]
    assert '<a href="#read-with-care">Read with care</a>' in appendix
    assert 'id="read-with-care"' in page
    n = len(warnings)
    assert f"The {n} warning{'' if n == 1 else 's'} given with this forecast" in text
