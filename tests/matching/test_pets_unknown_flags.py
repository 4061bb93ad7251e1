"""A child whose pets answer is not known (``unknown``, or blank) proposed to a home that
has pets, or does not say, carries a check on ``matches.csv``, ``alternatives.csv`` and the
report, and page 1 counts such children when there are any: before, rule 7 read the
answer as ``can`` and the proposal said nothing."""

from __future__ import annotations

from typing import Any

import pandas as pd
from match_builders import POSTCODES, RUN_DATE, placement, placements_frame, referral
from match_builders import referrals_frame as refs_frame

from sufficiency.config import Params
from sufficiency.matching import run_matching
from sufficiency.matching.pets_unknown import PETS_NOT_KNOWN


def _night(pets: Any, has_pets: Any, other_has_pets: Any = False) -> Any:
    """U1 (``pets``) against a home with ``has_pets`` (£600) and, dearer, one with
    ``other_has_pets`` (£700: an alternative), two providers (so two homes)."""
    refs = refs_frame([referral("U1", pets=pets)])
    plcs = placements_frame([
        placement("F-A", has_pets=has_pets, weekly_cost=600.0),
        placement("F-B", provider="ifa", has_pets=other_has_pets, weekly_cost=700.0,
                  postcode=POSTCODES["malvern"]),
    ])  # fmt: skip
    return run_matching(refs, plcs, RUN_DATE, Params())


def _proposal(run: Any) -> tuple[str, str]:
    plan = run.result.plan
    row = plan[plan["child_id"] == "U1"].iloc[0]
    return str(row["placement_id"]), str(row["flags"])


def _option(run: Any, row: str) -> str:
    alt = run.alternatives
    hit = alt[(alt["child_id"] == "U1") & (alt["placement_id"] == row)]
    assert len(hit) == 1, alt[["child_id", "placement_id"]].to_dict("records")
    return str(hit["flags"].iloc[0])


def test_unknown_pets_at_a_home_with_pets_is_flagged() -> None:
    assert _proposal(_night("unknown", True)) == (
        "F-A",
        "pets not known, home has pets: whether U1 can live with pets is not known: "
        "check before agreeing it",
    )


def test_blank_pets_at_a_home_that_does_not_say_is_flagged() -> None:
    at, flags = _proposal(_night(pd.NA, pd.NA))
    assert at == "F-A"
    assert flags == (
        "pets not known, home may have pets: whether U1 can live with pets is not known, "
        "and this home does not say whether it has pets: check both before agreeing it"
    )


def test_known_answers_and_homes_without_pets_are_not_flagged() -> None:
    for pets, has in (("can", True), ("unknown", False), ("can", pd.NA), ("must", True)):
        at, flags = _proposal(_night(pets, has))
        assert at == "F-A" and PETS_NOT_KNOWN not in flags, (pets, has, flags)


def test_an_option_at_a_home_with_pets_is_flagged() -> None:
    """The proposal (no pets) says nothing; the dearer option with pets says the check."""
    run = _night("unknown", False, other_has_pets=True)
    assert _proposal(run) == ("F-A", "")
    assert _option(run, "F-B").startswith("pets not known, home has pets: whether U1 ")


def test_page_one_counts_the_children_only_when_there_are_any() -> None:
    from sufficiency.matching.html import render_html
    from sufficiency.matching.report import match_report

    report = match_report(_night("unknown", True))
    flag = {f.key: f for f in report.flags}["pets_not_known"]
    assert (flag.count, flag.raised, flag.sheet) == (1, True, "Children placed")
    assert "Pets answer not known" in render_html(report)
    quiet = {f.key for f in match_report(_night("unknown", False)).flags}
    assert "pets_not_known" not in quiet
