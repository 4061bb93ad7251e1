"""Words on the placement pages that said something untrue or unreadable of the sample
night: R016's home is not known, so the option its reason names is the cheapest, not the
nearest (the page headed it "Nearest option"); tonight's matches offered a re-run "with
the 0 decisions in force today"."""

from __future__ import annotations

import html
import re

import pytest

from tests.web.conftest import run_match, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_sample_nights_pages_say_what_the_run_says(tmp_path):
    with site_of_its_own(tmp_path, "placement") as site:
        run_match(site.store_url, tmp_path / "match")
        c = site.client("placement")
        child = _text(c.get("/matching/children/R016").text)
        assert "The cheapest option (the child's home is not known), PL0017," in child
        assert "Cheapest option (the child's home is not known): PL0017; rules it breaks" in child
        assert "Nearest option" not in child
        tonight = _text(c.get("/matching").text)
        assert "with no team decision (none is in force today)" in tonight
        assert "the 0 decisions" not in tonight
        # a decision in force is counted as before
        page = c.get("/matching/children/R001").text
        token = page.split('name="csrftoken" value="', 1)[1].split('"', 1)[0]
        r = c.post("/matching/children/R001/decisions", data={
            "csrftoken": token, "decision": "exclude", "placement_id": "PL0066",
            "reason": "carer on leave", "run_id": "1", "seen": ""})  # fmt: skip
        assert r.status_code == 303, r.text
        assert "with the 1 decision in force today" in _text(c.get("/matching").text)


def test_what_changed_says_when_a_plan_is_not_proven_best(tmp_path):
    """A night whose solver stopped at its time limit (a plan not proven best): the page
    blamed every move with no cause of its own on "the team's decisions changed, so the
    best overall plan changed" (95 of 135 children on a crowded night with one pin), and
    said nothing of the plan not being proven best."""
    import datetime as dt

    from sufficiency.store.types import ChildOutcome, InputRow

    t0 = dt.datetime(2026, 4, 1, 2, tzinfo=dt.UTC)
    with site_of_its_own(tmp_path, "placement") as site:
        rows = [InputRow("referral", "C1", "a", None), InputRow("placement", "P1", "x", 1),
                InputRow("placement", "P2", "y", 1)]  # fmt: skip
        for night, (home, status) in enumerate((("P1", "optimal"), ("P2", "feasible"))):
            when = t0 + dt.timedelta(days=night)
            rid = site.store.start("match", {}, rows=rows, now=when)
            site.store.finish(rid, succeeded=True, objective=1.0, solver_status=status,
                              outcomes=[ChildOutcome("C1", home, None, None)],
                              now=when + dt.timedelta(seconds=5))  # fmt: skip
        page = _text(site.client("placement").get("/matching/changes").text)
        assert (
            "The plan of the latest matching may not be the best one: the search stopped "
            "before proving it the best (the first page of its match report says more). A "
            "child below whose "
            'move has no cause of its own ("the best overall plan changed", or a place that '
            "went to such a child) may have moved for that alone"
        ) in page
        assert "the one before it may not" not in page
        assert "solver" not in page.lower()  # the program's word, not a placement team's
