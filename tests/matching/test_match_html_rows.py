"""The match report page's children placed (and other homes) as a team prints them:
each child's figures on one row, and each of their sentences (why this home, why not,
flags) under it on a labelled row across the table, the child's rows one ``<tbody>``
kept together in print (matching/html_rows.py). tests/render counts the printed pages."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from markupsafe import escape

from sufficiency.matching import match
from sufficiency.matching.html import render_html
from sufficiency.matching.html_rows import texts_table
from sufficiency.matching.report import match_report
from sufficiency.matching.text_rows import TEXT_COLUMNS
from sufficiency.matching.writers import ASSUMPTIONS
from sufficiency.pages.render import environment


@pytest.fixture(scope="module")
def report(sample_dir: Path):
    run = match(sample_dir / "referrals.csv", sample_dir / "placements.csv",
                run_date=dt.date(2026, 4, 1))  # fmt: skip
    return match_report(run, ASSUMPTIONS)


def _bodies(html: str) -> dict[str, str]:
    """Each ``<tbody class="item">`` of the children placed table, by its child."""
    section = html[html.index('id="placed"') : html.index('id="not-placed"')]
    bodies = re.findall(r'<tbody class="item">(.*?)</tbody>', section, flags=re.S)
    return {re.search(r"<th scope=row>([^<]*)</th>", b).group(1): b for b in bodies}


def test_each_childs_texts_sit_on_labelled_rows_under_their_figures(report) -> None:
    html = render_html(report)
    children = report.children
    bodies = _bodies(html)
    assert list(bodies) == list(children["child_id"]), "one tbody per child, in order"
    said = 0
    for _, child in children.iterrows():
        body = bodies[child["child_id"]]
        figures, *texts = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
        assert "colspan" not in figures and figures.count("</td>") == 7  # no text column
        assert str(escape(child["placement_id"])) in figures
        wanted = [(c, str(child[c]).strip()) for c in TEXT_COLUMNS if str(child[c]).strip()]
        assert len(texts) == len(wanted), child["child_id"]  # no Flags row without flags
        for row, (column, text) in zip(texts, wanted, strict=True):
            label = {"why": "Why this home", "why_not": "Why not", "flags": "Flags"}[column]
            assert f'<th scope="row" class="label">{label}</th>' in row
            assert f'<td colspan="7">{escape(text)}</td>' in row
            said += 1
    assert said > 2 * len(children)  # the sample night has texts to say


def test_every_text_of_the_other_homes_is_said_under_its_home() -> None:
    frame = pd.DataFrame({
        "child_id": ["R1", "R1"], "rank": [1, 2], "placement_id": ["P1", "P2"],
        "weekly_cost": [900.0, 950.0], "why_not": ["R2 is placed there.", ""],
        "flags": ["", "out of area for Leeds & York"],
    })  # fmt: skip
    html = str(texts_table(frame, caption="Other homes"))
    assert html.count('<tbody class="item">') == 2
    assert '<td colspan="3">R2 is placed there.</td>' in html
    assert '<td colspan="3">out of area for Leeds &amp; York</td>' in html
    assert html.count("<tr") == 1 + 2 + 2  # header, two figures rows, one text row each


def test_print_rules_keep_a_childs_rows_together() -> None:
    css = environment().get_template("base.html").render(title="t")
    rules = css[css.index("@media print") :]
    assert re.search(r"tbody\.item\{break-inside:avoid", rules)
