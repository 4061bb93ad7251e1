"""Tonight's matches left "Miles from home" blank for R014 and R029, whose referrals give
no home postcode: a blank read as a figure missing (or nought), and the table has no "Why
this home" to say otherwise (the child's page said "not applicable (no home postcode)").
The cell now says "no home postcode"."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import run_match, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _row(html: str, child: str) -> list[str]:
    row = re.search(rf'<tr><th scope="row"><a href="[^"]*">{child}</a></th>(.*?)</tr>', html, re.S)
    assert row is not None, child
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                   row.group(1), re.S)]  # fmt: skip


def test_a_child_with_no_home_postcode_says_so_in_the_miles_column(tmp_path):
    with site_of_its_own(tmp_path, "placement") as site:  # the sample's night, no decision
        run_match(site.store_url, tmp_path / "match")
        html = site.client("placement").get("/matching").text
    for child in ("R014", "R029"):
        assert _row(html, child)[3] == "no home postcode"
    assert _row(html, "R001")[3] == "1.1"  # a distance, as before
