"""The match report's "Why this home" says what its neighbouring columns do not, and
"Other options" flags an option of a type of home the child does not prefer."""

from __future__ import annotations

import pandas as pd
from match_builders import RUN_DATE, placement, placements_frame, referral, referrals_frame

from sufficiency.config import MatchingParams, Params
from sufficiency.matching.report import MatchReport, match_report
from sufficiency.matching.run import run_matching

NOT_PREFERRED = "not the preferred type of home"


def _report() -> MatchReport:
    """F1 prefers a children's home (foster suits), OK1 prefers foster care, ANY1 prefers
    nothing, NP1 (foster preferred) has no home postcode; four foster homes and one
    children's home, each child with four other options."""
    refs = referrals_frame([
        referral("F1", foster_suitability="suitable", residential_suitability="preferred"),
        referral("OK1"),
        referral("ANY1", foster_suitability="suitable"),
        referral("NP1", home_postcode=pd.NA),
    ])  # fmt: skip
    plcs = placements_frame(
        [placement(f"FH{k}", weekly_cost=600.0 + k) for k in range(4)]
        + [placement("CH1", setting="residential", provider="external", weekly_cost=5000.0)]
    )
    params = Params(matching=MatchingParams(num_alternatives=5))
    return match_report(run_matching(refs, plcs, RUN_DATE, params))


def test_why_this_home_does_not_repeat_the_type_and_miles_beside_it() -> None:
    """ "Why this home" began "In-house foster care, 1.1 miles from home: ...", the type of
    home and the miles the two columns beside it show; it now starts with the reason, and
    says the distance only where the miles column is blank (why it is)."""
    children = _report().children.set_index("child_id")
    assert children.loc["OK1", "miles_from_home"] > 0
    for cid in ("F1", "OK1", "ANY1", "NP1"):
        why = children.loc[cid, "why"]
        assert children.loc[cid, "home_type"].lower() not in why.lower(), why
        assert "miles from home" not in why, why
        assert why[0].isupper() and why.endswith("."), why
    assert children.loc["OK1", "why"].startswith(
        ("Chosen for the plan as a whole", "The best home for this child")
    )
    assert pd.isna(children.loc["NP1", "miles_from_home"])
    assert children.loc["NP1", "why"].startswith(
        "No home postcode: distance from home not applicable; "
    )


def test_other_options_flag_a_type_of_home_the_child_does_not_prefer() -> None:
    """An option of a type of home the child's referral does not prefer was not flagged in
    "Other options" (nor in "Next best option"), though the proposal itself was: a foster
    home for a child preferring a children's home read as good as any. A child preferring
    nothing has no such flag."""
    report = _report()
    options = report.options
    flagged = options["flags"].str.contains(NOT_PREFERRED)
    setting = options["home_type"].str.contains("foster")
    expected = ((options["child_id"] == "F1") & setting) | (
        options["child_id"].isin(["OK1", "NP1"]) & ~setting
    )
    assert expected.any() and (~expected).any()
    assert flagged.tolist() == expected.tolist()
    ch1 = options[(options["child_id"] == "OK1") & (options["placement_id"] == "CH1")]
    # beside the option's own checks, not in place of them
    assert ch1["flags"].iloc[0].endswith(f"; {NOT_PREFERRED}")
    assert "Ofsted" in ch1["flags"].iloc[0]
    children = report.children.set_index("child_id")
    assert NOT_PREFERRED in children.loc["F1", "next_best"]
    assert NOT_PREFERRED not in children.loc["OK1", "next_best"]
