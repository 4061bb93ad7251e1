"""A child whose referral closed: "What changed" and the Decisions page name the child but
do not link to a page the child no longer has, and one change is said as one."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from sufficiency.store.team_decisions import add_decision
from tests.web.conftest import run_cli, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _match(store_url: str, referrals: Path, out: Path) -> None:
    run_cli("match", "--referrals", str(referrals), "--placements",
            str(SAMPLE / "placements.csv"), "--date", "2026-04-01", "--out", str(out),
            "--store", store_url, "--decisions-from-store")  # fmt: skip


def test_a_child_no_longer_referred_is_named_not_linked(tmp_path):
    """R039's referral closes (the only change: its home was wanted by no one else). What
    changed said "1 children's proposals changed" and linked R039 to its page, and so did
    the Decisions page for the decision still in force on R039: both led to "There is no
    child with that ID in tonight's run" (404)."""
    with site_of_its_own(tmp_path, "placement") as site:
        _match(site.store_url, SAMPLE / "referrals.csv", tmp_path / "a")
        add_decision(site.store, "R039", "PL0006", "pin", "Agreed at panel", "placement")
        closed = tmp_path / "referrals.csv"
        lines = (SAMPLE / "referrals.csv").read_text(encoding="utf-8").splitlines(keepends=True)
        closed.write_text("".join(x for x in lines if not x.startswith("R039,")))
        _match(site.store_url, closed, tmp_path / "b")
        c = site.client("placement")
        assert c.get("/matching/children/R039").status_code == 404
        changes = c.get("/matching/changes").text
        assert "): 1 child's proposal changed. In the run store" in _text(changes)
        assert " R039 PL0006 not referred no longer referred " in f" {_text(changes)} "
        decisions = c.get("/decisions").text
        assert "R039 (not in the latest matching run)" in _text(decisions)
        for page in (changes, decisions):
            assert 'href="/matching/children/R039"' not in page
        # a child still referred is linked as before
        add_decision(site.store, "R001", "PL0073", "pin", "Agreed at panel", "placement")
        assert 'href="/matching/children/R001"' in c.get("/decisions").text
