"""An ID on two rows of one night's file, written in another case or with spaces (``R014``
beside ``r014``), is one ID written twice, as matching reads IDs elsewhere (the team's
decisions, the comparison of two nights): both copies are set aside as an exact repeat
is, each naming the other row and both spellings. Before, the two rows were two
children, each given a place (one child placed twice, a place taken from another), and
with a blank home postcode nothing warned of it."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.errors import InputDataError
from sufficiency.io.inputs import read_placements, read_referrals


def _copy_with_row_respelt(src, dst, pick, respell):
    """``src`` with a copy of the first row ``pick`` accepts, its ID respelt, at the end."""
    with open(src, newline="") as f:
        rows = list(csv.reader(f))
    row = next(r for r in rows[1:] if pick(r))
    rows.append([respell(row[0]), *row[1:]])
    with open(dst, "w", newline="") as f:
        csv.writer(f).writerows(rows)
    return row[0], len(rows)  # the ID copied, and the copy's row number in the file


def test_a_referral_respelt_on_another_row_is_one_child_set_aside(sample_dir, tmp_path):
    child, row = _copy_with_row_respelt(
        sample_dir / "referrals.csv", tmp_path / "referrals.csv",
        lambda r: r[4] == "" and r[3] == "", str.lower,  # no siblings, no home postcode
    )  # fmt: skip
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "match", "--referrals", str(tmp_path / "referrals.csv"),
        "--placements", str(sample_dir / "placements.csv"), "--date", "2026-04-01",
        "--out", str(out),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    with open(out / "matches.csv", newline="") as f:
        matched = [r["child_id"] for r in csv.DictReader(f)]
    assert child not in matched and child.lower() not in matched
    with open(out / "unplaced.csv", newline="") as f:
        unplaced = {r["child_id"]: r for r in csv.DictReader(f)}
    assert {child, child.lower()} <= set(unplaced)
    said = " ".join(result.output.split())
    assert f"row {row} ({child.lower()}): child_id: duplicate child_id" in said
    assert f"'{child}', '{child.lower()}': the same ID but for case and spaces" in said
    summary = json.loads((out / "summary.json").read_text())
    assert summary["children_set_aside"] == 2


def test_a_placement_respelt_with_a_space_is_one_place_offered_twice(sample_dir, tmp_path):
    _place, row = _copy_with_row_respelt(
        sample_dir / "placements.csv", tmp_path / "placements.csv",
        lambda r: True, lambda p: f" {p[:2].lower()} {p[2:]}",
    )  # fmt: skip
    with pytest.raises(InputDataError) as e:
        read_placements(tmp_path / "placements.csv")
    dup = [p for p in e.value.problems if p.code == "duplicate_id"]
    assert [p.row for p in dup] == [2]  # the first copy, naming the other
    assert f"also on row(s) {row}" in dup[0].message
    assert "the same ID but for case and spaces" in dup[0].message


def test_an_id_as_written_twice_reads_as_before(sample_dir, tmp_path):
    """An exact repeat says nothing of spellings, and two different IDs are no repeat."""
    _copy_with_row_respelt(
        sample_dir / "referrals.csv", tmp_path / "referrals.csv", lambda r: True, str
    )
    with pytest.raises(InputDataError) as e:
        read_referrals(tmp_path / "referrals.csv")
    dup = [p for p in e.value.problems if p.code == "duplicate_id"]
    assert len(dup) == 1 and "case and spaces" not in dup[0].message
    _copy_with_row_respelt(
        sample_dir / "referrals.csv", tmp_path / "other.csv", lambda r: True, lambda c: c + "9"
    )
    assert len(read_referrals(tmp_path / "other.csv")) == 46  # 45 and the copy
