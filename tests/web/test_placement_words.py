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
