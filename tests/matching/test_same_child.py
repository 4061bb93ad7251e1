"""One child referred twice under two IDs (two teams each referred them): the referrals
reader, so validate and the match report's Input notes, warns naming both rows by row
number and ID only; twins referred as one sibling group are not warned of."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from test_matching_command import write_inputs
from test_referral_inputs import _cli

from sufficiency.io.inputs import load_referrals


def _with_rows(path: Path, rows: list[dict[str, str]]) -> None:
    """The referrals at ``path`` with ``rows`` added, each a copy of C3's row (a
    15-year-old boy at WR1 1AA) changed as given."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    c3 = df.loc[df["child_id"] == "C3"].iloc[0].to_dict()
    pd.concat([df, pd.DataFrame([{**c3, **r} for r in rows])]).to_csv(path, index=False)


def _warnings(path: Path) -> list:  # type: ignore[type-arg]
    _, problems = load_referrals(path, default_responsible_la="E10000034")
    return [p for p in problems if p.code == "maybe_same_child"]


def test_one_child_under_two_ids_is_warned_of_by_row_and_id_only(tmp_path: Path) -> None:
    """C3 again as C3-B (another team's referral, the postcode written without its space):
    one warning naming rows 4 and 5 and both IDs, and neither the date of birth nor the
    postcode."""
    refs, _ = write_inputs(tmp_path)
    _with_rows(refs, [{"child_id": "C3-B", "home_postcode": "wr11aa"}])
    (w,) = _warnings(refs)
    assert w.row == 4 and w.value is None and w.severity == "warning"
    assert w.message.startswith("rows 4 and 5 (C3 and C3-B) have the same date of birth, sex")
    assert "may be the same child referred twice" in w.message and "or twins" in w.message
    dob = pd.read_csv(refs, dtype=str)["dob"].iloc[2]
    assert dob not in w.message and "WR1" not in w.message.upper()


def test_twins_in_one_sibling_group_are_not_warned_of_but_twins_not_grouped_are(
    tmp_path: Path,
) -> None:
    """Twins referred as one sibling group are siblings, not one child twice; the same twins
    without the group get the warning, worded 'or twins'; a different sex, date of birth
    or a blank home postcode (an unaccompanied child) is no match."""
    refs, _ = write_inputs(tmp_path)
    _with_rows(
        refs,
        [
            {"child_id": "T1", "sibling_group": "G9", "dob": "01/06/2012"},
            {"child_id": "T2", "sibling_group": "G9", "dob": "01/06/2012"},
        ],
    )
    assert _warnings(refs) == []
    refs, _ = write_inputs(tmp_path)
    _with_rows(refs, [{"child_id": "U1", "home_postcode": ""},
                      {"child_id": "U2", "home_postcode": ""},
                      {"child_id": "G1", "sex": "F"}])  # fmt: skip
    assert _warnings(refs) == []
    refs, _ = write_inputs(tmp_path)
    _with_rows(refs, [{"child_id": "T1", "dob": "01/06/2012"},
                      {"child_id": "T2", "dob": "01/06/2012"}])  # fmt: skip
    (w,) = _warnings(refs)
    assert w.message.startswith("rows 5 and 6 (T1 and T2)")


def test_the_match_report_carries_the_warning(tmp_path: Path) -> None:
    """`match` prints the warning and writes it to the report's Input notes
    (summary.json's input_notes); both referrals are still matched."""
    refs, plcs = write_inputs(tmp_path)
    _with_rows(refs, [{"child_id": "C3-B"}])
    code, out = _cli("--referrals", str(refs), "--placements", str(plcs),
                     "--out", str(tmp_path / "out"))  # fmt: skip
    assert code == 0, out
    assert "rows 4 and 5 (C3 and C3-B) have the same date of birth" in out
    notes = json.loads((tmp_path / "out" / "summary.json").read_text())["input_notes"]
    assert [n["row"] for n in notes if n["code"] == "maybe_same_child"] == [4]


def test_a_referral_set_aside_for_an_error_is_not_compared(tmp_path: Path) -> None:
    """C3 again as C3-B, but with a school year in words (an error: the row is set aside,
    so no second placement can be proposed): no warning. A register of every home four
    times, each row with an error, likewise warns of no home twice (test_validate_broken)."""
    refs, _ = write_inputs(tmp_path)
    _with_rows(refs, [{"child_id": "C3-B", "school_year": "ten"}])
    _, problems = load_referrals(refs, default_responsible_la="E10000034")
    assert [p.row for p in problems if p.severity == "error"] == [5]
    assert _warnings(refs) == []
