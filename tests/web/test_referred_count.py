"""The matching page counts the children referred as the 8am report does: a referral set
aside for errors is referred and not placed, on the page as in the report and the console."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.web.conftest import run_cli, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_referrals_set_aside_count_among_the_children_referred(tmp_path, sample_dir):
    """Two referrals with an error each (sex 'Q'): the report and the console said 'placed
    42 of 45 children referred', the page 'placed 42 of 43' above its list of the 3 children
    not placed (summary.json's children_unplaced leaves out the referrals set aside)."""
    refs = pd.read_csv(sample_dir / "referrals.csv", dtype=str, keep_default_na=False)
    refs.loc[refs["child_id"].isin(["R020", "R021"]), "sex"] = "Q"
    referrals = tmp_path / "referrals.csv"
    refs.to_csv(referrals, index=False)
    with site_of_its_own(tmp_path / "site", "placement") as site:
        run_cli("match", "--referrals", str(referrals), "--placements",
                str(sample_dir / "placements.csv"), "--date", "2026-04-01", "--out",
                str(tmp_path / "out"), "--store", site.store_url)  # fmt: skip
        unplaced = pd.read_csv(tmp_path / "out" / "unplaced.csv", dtype=str)
        matches = pd.read_csv(tmp_path / "out" / "matches.csv", dtype=str)
        referred = len(matches) + len(unplaced)
        assert referred == len(refs)
        report = (tmp_path / "out" / "match_report.html").read_text(encoding="utf-8")
        assert f"Children placed: {len(matches)} of {referred} referred" in report
        page = site.client("placement").get("/matching").text
        assert f"placed {len(matches)} of\n{referred} children referred" in page
