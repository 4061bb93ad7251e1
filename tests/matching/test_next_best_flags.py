"""The report's "Next best option" names the approvals and checks that option would need
(out of area, a key stage 4 school move, Ofsted), as the "Other options" sheet does: a
placement officer reading only "Children placed" (or the HTML page, which has no other
options table) was not told the next best home was out of area."""

from __future__ import annotations

from match_builders import (
    POSTCODES,
    RUN_DATE,
    placement,
    placements_frame,
    referral,
    referrals_frame,
)

from sufficiency.config import Params
from sufficiency.matching.html import render_html
from sufficiency.matching.report import match_report
from sufficiency.matching.run import run_matching


def test_next_best_option_shows_its_flags_in_the_sheet_and_the_page() -> None:
    refs = referrals_frame([referral("C1")])
    plcs = placements_frame([
        placement("P1"),
        placement("P2", postcode=POSTCODES["birmingham"], weekly_cost=650.0,
                  setting="residential", provider="private", ofsted_rating="inadequate",
                  urn="SC123456"),
    ])  # fmt: skip
    run = run_matching(refs, plcs, RUN_DATE, Params())
    assert run.matches["placement_id"].tolist() == ["P1"]
    assert run.alternatives["flags"].iat[0].startswith("out of area for Worcestershire: needs")
    report = match_report(run)
    nxt = report.children["next_best"].iat[0]
    # and a children's home is not the type C1 prefers (foster care)
    assert nxt == (
        "P2 (£50 a week more; out of area for Worcestershire, rated inadequate by Ofsted, "
        "not the preferred type of home)"
    )
    assert "out of area for Worcestershire, rated inadequate by Ofsted" in render_html(report)


def test_next_best_option_without_flags_is_unchanged() -> None:
    refs = referrals_frame([referral("C1")])
    plcs = placements_frame([placement("P1"), placement("P2", weekly_cost=600.0)])
    report = match_report(run_matching(refs, plcs, RUN_DATE, Params()))
    assert report.children["next_best"].iat[0] == "P2 (same weekly cost)"
