"""The commissioners' page shows pooling with other authorities as the commissioning case
does: a run with ``--pool-with`` recorded ``pooling_saving_gbp`` and wrote pooling.csv, and
commissioning.xlsx and .html showed the pooled savings, but the page said nothing of them."""

from __future__ import annotations

import html as htmllib
import re

import openpyxl
import pandas as pd
import pytest

from sufficiency.commissioning.pooled import POOLING_HEADERS, pooling_words
from tests.web.conftest import browser_sign_in, run_cli, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
CAPTION = "Each authority alone against its share of the pooled plan"


def _gbp(v: float) -> str:
    return f"-£{-v:,.0f}" if v < 0 else f"£{v:,.0f}"


def test_pooling_is_shown_as_the_case_shows_it(tmp_path, sample_dir, chromium) -> None:
    with site_of_its_own(tmp_path, "commissioner") as site:
        run_cli("sample", "--seed", "7", "--out", str(tmp_path / "other"))
        out = tmp_path / "commission"
        run_cli("commission", "--history", str(sample_dir / "ssda903"), "--levers",
                str(sample_dir / "levers.toml"), "--out", str(out), "--paths", "20",
                "--eval-paths", "20", "--pool-with", str(tmp_path / "other" / "ssda903"),
                "--store", site.store_url)  # fmt: skip
        page = chromium.new_page()
        browser_sign_in(page, site, "commissioner")
        page.goto(site.url + "/commissioning")
        section = page.get_by_role("heading", name="Pooling block contracts with other authorities")
        assert section.is_visible()
        text = htmllib.unescape(re.sub(r"\s+", " ", page.inner_text("main")))
        rows = page.locator("table", has=page.locator(f"caption:text-is('{CAPTION}')"))
        cells = [[c.strip() for c in r.locator("th, td").all_inner_texts()]
                 for r in rows.locator("tr").all()]  # fmt: skip
        page.close()

    # the workbook's Pooling sheet: its sentences in one merged cell, then the table
    sheet = openpyxl.load_workbook(out / "commissioning.xlsx")["Pooling"]
    values = [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
    # its sentences are a paragraph on the first printed page, beside the authority column
    # printed on every page (io.xlsx.first_page_note): the first row's text, in any column
    words = next(str(v) for v in values[0] if isinstance(v, str))
    head, body = list(values[1]), values[2:]
    assert "saves £" in words or "more than each commissioning alone" in words
    for sentence in re.split(r"(?<=\.) (?=[A-Z])", words):
        assert sentence in text, sentence
    assert cells[0] == head == list(POOLING_HEADERS.values())
    assert len(cells) - 1 == len(body) == 3
    for shown, row in zip(cells[1:], body, strict=True):
        assert shown[0] == row[0]
        assert shown[4] == f"{row[4]:.2%}"
        assert [shown[i] for i in (1, 2, 3, 5, 6)] == [_gbp(row[i]) for i in (1, 2, 3, 5, 6)]

    # a run recorded before the sentences were: made again from pooling.csv, the same but
    # for how close the plan was proven (which only the run knew)
    csv = pd.read_csv(out / "pooling.csv")
    csv["saving_pct"] = csv["saving_gbp"] / csv["alone_cost_gbp"]
    again = " ".join(pooling_words(csv, float(csv["saving_gbp"].iloc[-1]), None))
    proof = next(s for s in re.split(r"(?<=\.) (?=[A-Z])", words) if "pooled plan is" in s)
    assert again == words.replace(proof + " ", "")
