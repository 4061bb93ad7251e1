"""Children proposed on two rows that may be one home (one provider and setting at one
postcode, no home_id) carry a flag naming the other row and child; where the two may not
live together (rules 10, 11, 14) the flag says so. Rows at different postcodes get none."""

from __future__ import annotations

from typing import Any

import pandas as pd
from match_builders import POSTCODES, RUN_DATE, placement, placements_frame, referral
from match_builders import referrals_frame as refs_frame

from sufficiency.config import Params
from sufficiency.matching import run_matching
from sufficiency.matching.maybe_alongside import MAYBE_ONE_HOME


def _night(second_postcode: str, risks: tuple[str, ...] = ("harm_sexual",)) -> Any:
    """A 13-year-old (K1, ``risks``) and a 5-year-old (Y1); two carers of one agency, each
    with one place, differing in fee (so not a repeated row), the second at
    ``second_postcode``."""
    refs = refs_frame([referral("K1", age=13, risks=risks), referral("Y1", age=5)])
    plcs = placements_frame([
        placement("F-A", provider="ifa", weekly_cost=800.0),
        placement("F-B", provider="ifa", weekly_cost=820.0, postcode=second_postcode),
    ])  # fmt: skip
    return run_matching(refs, plcs, RUN_DATE, Params())


def _flags(run: Any) -> dict[str, tuple[str | None, str]]:
    plan = run.result.plan
    return {
        str(c): (None if pd.isna(p) else str(p), str(f))
        for c, p, f in zip(plan["child_id"], plan["placement_id"], plan["flags"], strict=True)
    }


def test_children_proposed_on_rows_that_may_be_one_home_are_flagged() -> None:
    """K1, a risk of sexual harm to younger children, and Y1, 5, are proposed on the two
    rows (matched as two homes): each row says the other child and that they may not live
    together if the rows are one household."""
    flags = _flags(_night(POSTCODES["near"]))
    assert {p for p, _ in flags.values()} == {"F-A", "F-B"}  # one child on each row
    k_at, y_at = flags["K1"][0], flags["Y1"][0]
    assert flags["K1"][1] == (
        f"K1 may not live with Y1 (rules 10, 11 and 14) if {k_at} and {y_at} are one home: "
        f"agree neither until checked; may be one home with {y_at} (Y1 proposed there): "
        f"{MAYBE_ONE_HOME}"
    )
    assert flags["Y1"][1].startswith(f"Y1 may not live with K1 (rules 10, 11 and 14) if {y_at}")
    assert flags["Y1"][1].endswith(f"may be one home with {k_at} (K1 proposed there): "
                                   f"{MAYBE_ONE_HOME}")  # fmt: skip


def test_children_who_may_live_together_get_the_check_without_the_rule() -> None:
    flags = _flags(_night(POSTCODES["near"], risks=()))
    assert MAYBE_ONE_HOME in flags["K1"][1] and MAYBE_ONE_HOME in flags["Y1"][1]
    assert "may not live with" not in flags["K1"][1] + flags["Y1"][1]


def test_rows_at_different_postcodes_are_not_flagged() -> None:
    flags = _flags(_night(POSTCODES["malvern"]))
    assert {p for p, _ in flags.values()} == {"F-A", "F-B"}
    assert all("may be one home" not in f for _, f in flags.values())


def test_page_one_counts_the_children_on_rows_that_may_be_one_home() -> None:
    """The rows said it and page 1 (the Summary sheet's and the page's flags) did not."""
    from sufficiency.matching.html import render_html
    from sufficiency.matching.report import match_report

    report = match_report(_night(POSTCODES["near"]))
    flag = {f.key: f for f in report.flags}["maybe_one_home"]
    assert (flag.count, flag.raised, flag.sheet) == (2, True, "Children placed")
    assert "Proposed on rows that may be one home" in render_html(report)
    quiet = {f.key: f for f in match_report(_night(POSTCODES["malvern"])).flags}
    assert "maybe_one_home" not in quiet  # listed when raised: the Summary stays on two pages
