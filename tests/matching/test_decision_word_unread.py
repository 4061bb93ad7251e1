"""A decision whose word is not read ('exclusion', 'do not place') or is blank is kept as
an exclusion, as an exclusion with an unreadable `until` is: before, the row was set aside
and the child proposed exactly where the team had written they must not go (``match``
with ``C3,P1,exclusion`` and ``C4,H4,do not place``: C3 at P1, C4 at H4, the rows listed
only as set aside). A pin is obeyed only when written so; --strict still refuses."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from test_decisions_command import _match, _matched_with

from sufficiency.io.decisions import read_decisions_for_night

KEPT = "read as an exclusion until it says pin or exclude"


def test_an_unread_or_blank_decision_word_keeps_the_child_from_the_placement(
    tmp_path: Path,
) -> None:
    # without decisions: C1 and C3 at P1, C2 at P2
    rows = (
        "C3,P1,exclusion,too far,J Smith,,\nC2,P2,do not place,no,J Smith,,\n"
        "C1,P1,,carer said no,J Smith,,\n"
    )
    path = _matched_with(tmp_path, rows)
    out = tmp_path / "out"
    plan = pd.read_csv(out / "matches.csv")
    placed = set(zip(plan["child_id"], plan["placement_id"], strict=True))
    assert not placed & {("C3", "P1"), ("C2", "P2"), ("C1", "P1")}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["set_aside"] == []
    applied = {(d["child_id"], d["placement_id"], d["decision"])
               for d in summary["decisions"]["applied"]}  # fmt: skip
    assert applied == {("C3", "P1", "exclude"), ("C2", "P2", "exclude"), ("C1", "P1", "exclude")}
    notes = {(n["row"], n["column"]): n["note"] for n in summary["input_notes"]}
    assert "(value 'exclusion')" in notes[(2, "decision")] and KEPT in notes[(2, "decision")]
    assert KEPT in notes[(3, "decision")] and KEPT in notes[(4, "decision")]
    strict = _match(tmp_path, "strict", f"sqlite:///{tmp_path / 's.sqlite'}",
                    "--decisions", str(path), "--strict")  # fmt: skip
    assert strict.exit_code == 1 and "Traceback" not in strict.output


def test_a_row_with_an_unread_word_and_no_placement_is_still_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "decisions.csv"
    path.write_text("child_id,placement_id,decision,reason,decided_by,until\n"
                    "C1,,exclusion,no,J Smith,\nC2,P2,pinn,agreed,J Smith,\n")  # fmt: skip
    night = read_decisions_for_night(path)
    assert list(night.set_aside["id"]) == ["C1"]
    assert night.table[["child_id", "placement_id", "decision"]].values.tolist() == [
        ["C2", "P2", "exclude"]
    ]
