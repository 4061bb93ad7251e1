""" "What changed" called the two matchings by their run store numbers, "Matching run 1
against run 5", and a placement worker wondered where runs 2 to 4 went (they were the
forecast, spend and commissioning runs kept in the same store). The page now says the
two matchings by when they started; the store numbers stay in a small note for an
administrator. Driven in headless Chromium."""

from __future__ import annotations

import datetime as dt

import pytest

from sufficiency.store.types import ChildOutcome, InputRow
from tests.web.conftest import browser_sign_in, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_what_changed_says_the_matchings_by_when_they_started(tmp_path, chromium):
    rows = [InputRow("referral", "C1", "a", None), InputRow("placement", "P1", "x", 1),
            InputRow("placement", "P2", "y", 1)]  # fmt: skip
    t0 = dt.datetime(2026, 12, 6, 2, tzinfo=dt.UTC)
    with site_of_its_own(tmp_path, "placement") as site:

        def match(when: dt.datetime, home: str, status: str) -> int:
            rid = site.store.start("match", {}, rows=rows, now=when)
            site.store.finish(rid, succeeded=True, objective=1.0, solver_status=status,
                              outcomes=[ChildOutcome("C1", home, None, None)],
                              now=when + dt.timedelta(seconds=5))  # fmt: skip
            return rid

        first = match(t0, "P1", "optimal")
        for i, kind in enumerate(("forecast", "spend", "commission")):  # the same store
            other = site.store.start(kind, {}, now=t0 + dt.timedelta(hours=1 + i))
            site.store.finish(other, succeeded=True, now=t0 + dt.timedelta(hours=1 + i))
        latest = match(t0 + dt.timedelta(days=1), "P2", "feasible")
        assert (first, latest) == (1, 5)

        page = chromium.new_page()
        browser_sign_in(page, site, "placement")
        page.goto(f"{site.url}/matching/changes")
        lead = page.locator("p.lead").inner_text()
        assert lead == (
            "The latest matching (started 7 December 2026, 02:00) against the one before it "
            "(started 6 December 2026, 02:00): 1 child's proposal changed."
        ), lead
        main = page.inner_text("main")
        assert "run 1" not in main.split("In the run store")[0]
        assert "run 5" not in main.split("In the run store")[0]
        assert (
            "In the run store, which also keeps the forecast, spend and commissioning runs, "
            "the latest is run 5 and the one before it run 1: the numbers an administrator looks "
            "them up by."
        ) in main
        assert "The plan of the latest matching may not be the best one" in main
        page.close()
