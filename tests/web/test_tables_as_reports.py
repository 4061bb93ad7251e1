"""The web pages' tables say figures as the reports say them: money in pounds, miles to one
decimal place, headers in words, a difference as 'a week more' or 'a week less'."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from sufficiency import clock
from sufficiency.pages.render import uk_time
from sufficiency.store.team_decisions import decisions_in_force
from tests.web.conftest import csrf, run_match, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


#: The caption of a child's other options (the sample's run lists up to 3 a child).
OPTIONS = "Other homes meeting every rule, best first: the run lists up to 3 a child"


def _rows(page: str, caption: str) -> list[list[str]]:
    """The cells of the table with ``caption``, as text, one list a row (the header first)."""
    table = page.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
    return [
        [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split())
         for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    ]  # fmt: skip


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    """A site of its own with one matching run on the sample: the shared site's latest
    run changes as other tests re-run matching with their decisions (R003's options then
    differ from the first run's alternatives.csv)."""
    tmp = tmp_path_factory.mktemp("tables")
    with site_of_its_own(tmp, "placement") as own:
        run_match(own.store_url, tmp / "match")
        yield own, tmp / "match"


def test_a_childs_other_options_are_in_pounds_and_said_as_the_proposal_says_them(night):
    """R015's page said the proposal's next best as 'PL0241 (£62 a week less; ...)' and
    the 'Other options' table below gave the same home as '983' and '-62.3' under
    'Weekly cost (£)'."""
    web, out = night
    matches = pd.read_csv(out / "matches.csv", dtype={"child_id": str})
    own = float(matches.set_index("child_id").loc["R015", "weekly_cost"])
    options = pd.read_csv(out / "alternatives.csv", dtype={"child_id": str})
    mine = options[options["child_id"] == "R015"].iloc[0]
    cost = float(mine["weekly_cost"])
    assert cost < own - 0.5
    page = web.client("placement").get("/matching/children/R015").text
    head, first = _rows(page, OPTIONS)[:2]
    cells = dict(zip(head, first, strict=True))
    assert cells["Home"] == mine["placement_id"]
    assert cells["Weekly cost"] == f"£{cost:,.0f}"
    assert cells["Weekly cost against the proposal"] == f"£{own - cost:,.0f} a week less"
    assert "(£)" not in " ".join(head)
    assert f"{mine['placement_id']} (£{own - cost:,.0f} a week less" in html.unescape(page)


def test_a_childs_other_options_give_miles_to_one_decimal_place(night):
    """R003's other options: miles from home to one decimal place, as the report has them."""
    web, out = night
    options = pd.read_csv(out / "alternatives.csv", dtype={"child_id": str})
    mine = options[options["child_id"] == "R003"]
    page = web.client("placement").get("/matching/children/R003").text
    head, *rows = _rows(page, OPTIONS)
    shown = [dict(zip(head, r, strict=True)) for r in rows]
    assert [s["Miles from home"] for s in shown] == [f"{m:,.1f}" for m in mine["miles_from_home"]]
    assert [s["Weekly cost"] for s in shown] == [f"£{c:,.0f}" for c in mine["weekly_cost"]]


def test_the_commissioning_plan_names_each_lever_as_the_case_does(site, commission_run):
    """The page's plan gave plan.csv's 'Recruit foster households (foster_0_4)' (a levers
    file's group code) where the case says 'Recruit foster carers for children aged 0 to 4',
    and gave no unit ('4' of what)."""
    page = site.client("commissioner").get("/commissioning").text
    case = (commission_run / "commissioning.html").read_text(encoding="utf-8")
    head, *rows = _rows(page, "What to recruit, block-buy or open, by plan year")
    want_head, *want = _rows(case, "Each commitment the plan makes")
    assert head == want_head
    assert [r[:5] for r in rows] == [r[:5] for r in want]
    assert not any("_" in r[0] for r in rows)


def test_dates_are_said_as_the_reports_say_them(tmp_path):
    """The pages said 'Matching run 1 for 2026-04-01' where the report's title says
    '1 April 2026', and a decision's last day as '2026-12-30' beside 'When 06 Dec 2026'."""
    with site_of_its_own(tmp_path, "placement") as own:
        run_match(own.store_url, tmp_path / "match")
        c = own.client("placement")
        until = clock.today() + pd.Timedelta(days=30)
        r = c.post("/matching/children/R003/decisions", data={
            "csrftoken": csrf(c), "decision": "exclude", "placement_id": "PL0032",
            "reason": "a test", "until": until.isoformat(),
        })  # fmt: skip
        assert r.status_code == 303, r.text
        said = f"{until.day} {until:%B %Y}"
        report = (tmp_path / "match" / "match_report.html").read_text(encoding="utf-8")
        assert "Tonight&#39;s matches: 1 April 2026" in report
        for path in ("/matching", "/matching/children/R003", "/decisions"):
            page = html.unescape(c.get(path).text)
            assert "2026-04-01" not in page and until.isoformat() not in page, path
            # a time as '1 April 2026 09:15', as figures.day says days, not '01 Apr 2026'
            assert not re.search(r"\b\d{1,2} (?!May)[A-Z][a-z]{2} \d{4}\b", page), path
        decided = decisions_in_force(own.store, child_id="R003")[0].decided_at
        when = uk_time(decided)
        assert re.fullmatch(r"[1-9]\d? [A-Z][a-z]+ \d{4} \d{2}:\d{2}", when), when
        assert f"<td>{when}</td>" in c.get("/decisions").text
        assert "The matching for 1 April 2026 (started " in html.unescape(c.get("/matching").text)
        assert f"until {said}" in html.unescape(c.get("/matching/children/R003").text)
        assert f"<td>{said}</td>" in c.get("/decisions").text


def test_the_backtest_gives_its_errors_to_a_tenth_of_a_percent(site, forecast_run):
    """The backtest table rounded each error to a whole percent under sentences giving
    them to 0.1%: 3 months ahead '1% | 1%' for the model and no change, under 'the model
    did worse ... 1.5% away ..., against 1.2% for no change' (forecast.xlsx: 1.5%, 1.2%)."""
    scores = pd.read_csv(forecast_run / "backtest.csv")
    total = scores[scores["category"] == "all"]
    mean = total.groupby(["horizon_months", "method"])["ape_pct"].mean()
    c = site.client("commissioner")
    page = c.get("/forecast/backtest").text
    head, *rows = _rows(page, "Mean error of the forecast total, by months ahead "
                              "(lower is better)")  # fmt: skip
    assert head[:3] == ["Horizon (months)", "This model", "No change (persistence)"]
    for r in rows:
        h = int(r[0])
        assert r[1] == f"{mean[(h, 'model')]:.1f}%"
        assert r[2] == f"{mean[(h, 'persistence')]:.1f}%"
    report = (forecast_run / "forecast.html").read_text(encoding="utf-8")
    assert _rows(report, "Mean error of the forecast total, by months ahead "
                         "(lower is better)")[1:] == rows  # fmt: skip
