"""A decision whose ID a spreadsheet or word processor rewrote: the leading zeros of an
all-digit ID dropped (``12345`` for the referral's ``0012345``) or a hyphen become a
dash (``PL–7`` for ``PL-7``). Before, it matched nothing and was ignored, so the child was
proposed exactly where the team had excluded them (``match``: 0012345 at H1 with
``12345,H1,exclude``). Now it is the one ID it matches, and the note says how it was
written; an ID matching two is still ignored."""

from __future__ import annotations

import pandas as pd
from match_builders import (
    POSTCODES,
    RUN_DATE,
    placement,
    placements_frame,
    referral,
    referrals_frame,
)
from test_decisions import decision, decisions_frame

from sufficiency.config import Params
from sufficiency.matching import run_matching
from sufficiency.matching.decision_ids import REWRITTEN, loose_id


def _run(table: pd.DataFrame, ids: tuple[str, ...] = ("0012345", "C2")):  # type: ignore[no-untyped-def]
    refs = referrals_frame([referral(i) for i in ids])
    plcs = placements_frame([
        placement("PL-7", weekly_cost=500.0),
        placement("H2", weekly_cost=600.0, postcode=POSTCODES["malvern"]),
        placement("H3", weekly_cost=700.0, postcode=POSTCODES["bromsgrove"]),
    ])  # fmt: skip
    return run_matching(refs, plcs, RUN_DATE, Params(), decisions=table)


def test_a_rewritten_id_is_the_child_or_placement_it_means() -> None:
    table = decisions_frame([
        decision("12345", "PL\u20137", "exclude"),  # zeros dropped, an en dash
        decision("C2", "PL\u20117", "exclude"),  # a non-breaking hyphen
    ])  # fmt: skip
    run = _run(table)
    placed = dict(zip(run.matches["child_id"], run.matches["placement_id"], strict=True))
    assert "PL-7" not in placed.values()
    notes = {n.child_id: (n.status, n.placement_id, n.note) for n in run.decisions.notes}
    assert notes["0012345"] == (
        "applied", "PL-7",
        "the child is not matched to this placement. (The decisions write the child's ID and "
        f"PL-7 as 'PL\u20137', {REWRITTEN}.)",
    )  # fmt: skip
    assert notes["C2"][:2] == ("applied", "PL-7")


def test_an_id_matching_two_is_ignored_and_digits_elsewhere_are_kept() -> None:
    run = _run(decisions_frame([decision("12345", "PL-7", "exclude")]), ("012345", "0012345"))
    (note,) = run.decisions.notes
    assert (note.status, note.note) == ("ignored", "child 12345 is not in tonight's referrals.")
    assert loose_id("R0012") == "R0012" and loose_id("000") == "0"
    assert loose_id(" r\u20130012 ") == "R-0012"


def test_a_dash_the_referral_does_not_write_is_the_child_it_means() -> None:
    """``C–2`` (an en dash) for the referral's ``C2``: before, ignored with a console line
    and C2 proposed at PL-7, the home the team excluded them from."""
    run = _run(decisions_frame([decision("C\u20132", "PL-7", "exclude")]), ("C2",))
    assert run.matches.loc[run.matches["child_id"] == "C2", "placement_id"].item() != "PL-7"
    (note,) = run.decisions.notes
    assert (note.status, note.child_id) == ("applied", "C2")
    assert REWRITTEN in note.note
    # a hyphen in the referral and none in the decision reads the same way
    run = _run(decisions_frame([decision("C2", "PL-7", "exclude")]), ("C-2",))
    assert [n.status for n in run.decisions.notes] == ["applied"]


def test_a_dash_left_out_matching_two_ids_is_ignored() -> None:
    """``C–12`` matches both ``C12`` and ``C1-2`` with the dashes left out: neither."""
    run = _run(decisions_frame([decision("C\u201312", "PL-7", "exclude")]), ("C12", "C1-2"))
    (note,) = run.decisions.notes
    assert note.status == "ignored"
