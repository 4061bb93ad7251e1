"""An alternative option on a row that may be one home with another row where a child is
proposed tonight carries the check the proposals carry (``flags`` on alternatives.csv):
before, only the proposals said it, and the team picking the option from "Other options"
saw nothing."""

from __future__ import annotations

from typing import Any

from match_builders import POSTCODES, RUN_DATE, placement, placements_frame, referral
from match_builders import referrals_frame as refs_frame

from sufficiency.config import Params
from sufficiency.matching import run_matching
from sufficiency.matching.maybe_alongside import MAYBE_ONE_HOME


def _night(third_postcode: str, risks: tuple[str, ...] = ("harm_sexual",)) -> Any:
    """K1 (13, ``risks``) and Y1 (5); three carers of one agency, one place each, the third
    dearest (so an alternative) at ``third_postcode``."""
    refs = refs_frame([referral("K1", age=13, risks=risks), referral("Y1", age=5)])
    plcs = placements_frame([
        placement("F-A", provider="ifa", weekly_cost=800.0),
        placement("F-B", provider="ifa", weekly_cost=820.0),
        placement("F-C", provider="ifa", weekly_cost=990.0, postcode=third_postcode),
    ])  # fmt: skip
    return run_matching(refs, plcs, RUN_DATE, Params())


def _option(run: Any, child: str, row: str) -> str:
    alt = run.alternatives
    hit = alt[(alt["child_id"] == child) & (alt["placement_id"] == row)]
    assert len(hit) == 1, (child, row, alt[["child_id", "placement_id"]].to_dict("records"))
    return str(hit["flags"].iloc[0])


def _placed(run: Any) -> dict[str, str]:
    plan = run.result.plan
    return dict(zip(plan["child_id"].astype(str), plan["placement_id"].astype(str), strict=True))


def test_an_option_on_a_row_that_may_be_one_home_with_another_childs_is_flagged() -> None:
    run = _night(POSTCODES["near"])
    at = _placed(run)
    assert {at["K1"], at["Y1"]} == {"F-A", "F-B"}
    assert _option(run, "K1", "F-C") == (
        f"K1 may not live with Y1 (rules 10, 11 and 14) if F-C and {at['Y1']} are one home: "
        f"agree neither until checked; may be one home with {at['Y1']} (Y1 proposed there): "
        f"{MAYBE_ONE_HOME}"
    )
    # Y1's option names K1 only: Y1's own proposal is not "another child"
    assert _option(run, "Y1", "F-C").endswith(
        f"may be one home with {at['K1']} (K1 proposed there): {MAYBE_ONE_HOME}"
    )


def test_an_option_with_children_who_may_live_together_gets_the_check_alone() -> None:
    flags = _option(_night(POSTCODES["near"], risks=()), "K1", "F-C")
    assert flags.startswith("may be one home with ") and flags.endswith(MAYBE_ONE_HOME)


def test_an_option_at_another_postcode_is_not_flagged() -> None:
    run = _night(POSTCODES["malvern"])
    assert "may be one home" not in _option(run, "K1", "F-C")
