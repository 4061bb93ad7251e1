"""The commissioners' page restates the run's plan and comparison as the commissioning case
does: the same headers, and the note saying what a commitment's cost holds."""

from __future__ import annotations

import html as htmllib
import re

import pandas as pd
import pytest

from sufficiency.commissioning.case import COMMITMENTS_NOTE

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _table(page: str, caption: str) -> list[list[str]]:
    body = page.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
    return [[htmllib.unescape(re.sub(r"<[^>]+>", "", c)).strip()
             for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, flags=re.S)]
            for tr in re.findall(r"<tr.*?</tr>", body, flags=re.S)]  # fmt: skip


def test_plan_costs_are_headed_and_explained_as_the_case_does(site, commission_run):
    """The page headed plan.csv's costs 'Cost (£)' with no word that they are only the
    commitments' costs over the horizon (the case says so under 'Cost over the horizon
    (£)'), beside a comparison headed 'Commitments gbp' and 'In house child months': its
    plan costs add to the comparison's Commitments, not to the plan's expected cost."""
    page = site.client("commissioner").get("/commissioning").text
    text = htmllib.unescape(page)
    assert COMMITMENTS_NOTE in text
    assert "Commitments gbp" not in text and "child months" not in text
    plan = _table(page, "What to recruit, block-buy or open, by plan year")
    assert plan[0] == ["Lever", "Plan year", "Starts", "Number", "Unit",
                       "Cost over the horizon (£)"]  # fmt: skip
    comparison = _table(page, "Expected cost of each plan over the horizon, on fresh "
                              "simulated futures")  # fmt: skip
    head = comparison[0]
    assert head[:5] == ["Plan", "Expected cost (£)", "Cost: lower (P10, £)",
                        "Cost: upper (P90, £)", "Commitments (£)"]  # fmt: skip
    csv = pd.read_csv(commission_run / "plan.csv")
    assert len(plan) - 1 == len(csv)
    shown = sum(int(r[5].replace("£", "").replace(",", "")) for r in plan[1:])
    commitments = int(comparison[1][4].replace("£", "").replace(",", ""))
    assert abs(shown - commitments) <= len(csv)  # pounds rounded row by row
    assert plan[1][2] == f"{pd.Timestamp(csv['starts'].iloc[0]):%B %Y}"


def test_the_saving_headline_is_said_as_the_case_says_it(site, commission_run):
    """The page's headline gave the expected saving to the pound ('£25,352,851 expected
    saving'), a sum from a few hundred simulated futures, where commissioning.html says
    £25.4m; it now says it as the case does (figures.money), the table keeping pounds."""
    from sufficiency import figures

    page = htmllib.unescape(site.client("commissioner").get("/commissioning").text)
    cost = pd.read_csv(commission_run / "comparison.csv").set_index("plan")["expected_cost_gbp"]
    saving = cost["status quo"] - cost["stochastic"]
    figure = re.search(r'<span class="figure">([^<]*)</span> expected saving', page)
    assert figure is not None, page[:2000]
    assert figure[1] == figures.money(saving), (figure[1], saving)
    assert not re.search(r"£\d{1,3}(,\d{3}){2}", figure[1]), figure[1]
