"""The web says what the outputs say: the forecast's external purchases named as the
reports name them, and a child's distance from home as matches.csv gives it."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_forecast_purchases_are_named_as_the_reports_name_them(site, forecast_run):
    """The shortfall page listed 'foster (IFA / spot)' where forecast.xlsx and forecast.html
    say 'Foster (IFA / spot)'."""
    labels = pd.read_csv(forecast_run / "purchases.csv")["purchase"].unique()
    assert "foster (IFA / spot)" in labels
    page = _text(site.client("commissioner").get("/forecast/shortfall").text)
    report = _text((forecast_run / "forecast.html").read_text(encoding="utf-8"))
    for label in labels:
        said = label[:1].upper() + label[1:]
        assert f" {said} " in f" {report} ", label
        assert f" {said} " in f" {page} ", label
        assert f" {label} " not in f" {page} ", label


def test_forecast_means_are_said_as_the_report_says_them(site, forecast_run):
    """The starts page's 'Mean placement starts per year' gave '126' beside '22.2', and the
    shortfall page's expected places '161' beside '99.9': means, each to one decimal place
    as forecast.html now gives them."""
    c = site.client("commissioner")
    for path, caption in (("/forecast/starts", "Mean placement starts per year"),
                          ("/forecast/shortfall", "Placements expected to be bought")):  # fmt: skip
        table = c.get(path).text.split(caption)[1].split("</table>")[0]
        cells = re.findall(r"<td class=num>([^<]*)</td>", table)
        if path.endswith("shortfall"):  # expected places; their P10 and P90 whole
            cells, ends = cells[0::3], cells[1::3] + cells[2::3]
            assert ends and all(re.fullmatch(r"[\d,]+", v) for v in ends), (path, ends)
        assert cells and all(re.fullmatch(r"[\d,]+\.\d", v) for v in cells), (path, cells)
    # the shortfall table as forecast.html gives it: places, P10 and P90 whole, means to tenths
    table = c.get("/forecast/shortfall").text.split("Expected shortfall per quarter")[1]
    rows = [re.findall(r"<td class=num>([^<]*)</td>", r)
            for r in table.split("</table>")[0].split("<tr>")[2:]]  # fmt: skip
    assert rows and all(len(r) == 7 for r in rows), rows[:2]
    for places, mean, p10, p90, gap, _chance, spare in rows:
        assert all(re.fullmatch(r"[\d,]+", v) for v in (places, p10, p90)), rows
        assert all(re.fullmatch(r"[\d,]+\.\d", v) for v in (mean, gap, spare)), rows


def test_a_child_without_a_home_postcode_is_not_applicable_not_unknown(site):
    """R014 has a blank home postcode: matches.csv says 'no home postcode: distance from home
    not applicable' (rule 15 tells it from unknown), but the child page's 'Why this home'
    said '(distance from home not known)' and its miles 'not known'."""
    matches = pd.read_csv(site.out / "match" / "matches.csv", dtype=str)
    note = matches.set_index("child_id").loc["R014", "distance_note"]
    assert note == "no home postcode: distance from home not applicable"
    page = _text(site.client("placement").get("/matching/children/R014").text)
    assert "No home postcode: distance from home not applicable; " in page  # Why this home
    assert "Miles from home not applicable (no home postcode)" in page
    assert "not known" not in page
