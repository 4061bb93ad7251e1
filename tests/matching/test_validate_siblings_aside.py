"""``validate`` on referrals says what tonight's run will: a referral set aside for errors
whose sibling group is matched without it (:mod:`sufficiency.io.siblings_aside`), and so
does ``matches.csv``'s ``sibling_note`` on each sibling matched. Before, ``validate``
listed the row for its error alone, and the matched siblings' notes said nothing."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner
from test_register_rows_disagree import PLACEMENTS, REFERRALS, RUN_DATE, _child, _home, _run

from sufficiency.cli import main


def _validate(*paths: Path) -> tuple[int, dict]:  # type: ignore[type-arg]
    res = CliRunner().invoke(main, ["validate", *map(str, paths), "--date", RUN_DATE,
                                    "--format", "json"])  # fmt: skip
    return res.exit_code, json.loads(res.output)


def test_validate_says_a_sibling_set_aside_is_matched_without(tmp_path: Path) -> None:
    """S2's date of birth is not a date: validate gives its error and, at its row, the
    warning that S1 and S3 (its group SG1) are matched without S2. P1 and P2 (SG2) are
    both set aside: nobody of SG2 is matched, so no warning for them."""
    refs, plcs = tmp_path / "referrals.csv", tmp_path / "placements.csv"
    sg1 = _child("S1", "01/04/2014", "SG1") + _child("S2", "31/02/2016", "SG1")
    sg2 = _child("P1", "2011-13-01", "SG2") + _child("P2", "2011-13-02", "SG2")
    refs.write_text(REFERRALS + sg1 + _child("S3", "01/04/2012", "SG1") + sg2)
    plcs.write_text(PLACEMENTS + _home("F-A", setting="foster", vacancies=2))
    code, report = _validate(refs, plcs)
    assert code == 1  # the date errors
    said = [(p["row"], p["severity"], p["message"]) for p in report["problems"]
            if p["code"] == "sibling_set_aside"]  # fmt: skip
    assert [(row, severity) for row, severity, _ in said] == [(3, "warning")]
    assert said[0][2].startswith("S2, of sibling group SG1, is set aside for errors, so S1 "
                                 "and S3 are matched tonight without S2")  # fmt: skip
    errors = {(p["row"], p["code"]) for p in report["problems"] if p["severity"] == "error"}
    assert {row for row, _ in errors} == {3, 5, 6}


def test_validate_says_nothing_of_siblings_when_the_file_is_refused(tmp_path: Path) -> None:
    """A referrals file missing a required column is refused whole (no child is matched):
    its error alone, no sibling warning and no traceback."""
    refs = tmp_path / "referrals.csv"
    text = REFERRALS + _child("S1", "01/04/2014", "SG1") + _child("S2", "31/02/2016", "SG1")
    drop = REFERRALS.split(",").index("sex")  # a required column
    refs.write_text("\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != drop)
                              for line in text.splitlines()) + "\n")  # fmt: skip
    code, report = _validate(refs)
    assert code == 1
    assert not [p for p in report["problems"] if p["code"] == "sibling_set_aside"]
    assert any(p["severity"] == "error" for p in report["problems"])


def test_matches_csv_says_a_sibling_set_aside_on_each_sibling_matched(tmp_path: Path) -> None:
    """S2 (SG1) is set aside for its date of birth; S1 and S3 are matched together on F-A.
    Their sibling_note says a sibling of the group, by row (never by ID: the note is not
    pseudonymised as text), is set aside; Q1, alone in no group, has no note."""
    refs, plcs = tmp_path / "referrals.csv", tmp_path / "placements.csv"
    sg1 = _child("S1", "01/04/2014", "SG1") + _child("S2", "31/02/2016", "SG1")
    refs.write_text(REFERRALS + sg1 + _child("S3", "01/04/2012", "SG1")
                    + _child("Q1", "01/04/2013"))  # fmt: skip
    plcs.write_text(PLACEMENTS + _home("F-A", setting="foster", vacancies=2)
                    + _home("F-B", setting="foster", postcode="WR9 7GB"))  # fmt: skip
    _, out = _run(tmp_path, refs, plcs)
    with (out / "matches.csv").open() as fh:
        notes = {r["child_id"]: (r["placement_id"], r["sibling_note"]) for r in csv.DictReader(fh)}
    assert notes["S1"][0] == notes["S3"][0] == "F-A"
    said = (f"a sibling of group SG1 (row 3 of {refs}) is set aside for errors and not "
            "matched tonight: the home proposed may have no place for that child")  # fmt: skip
    assert notes["S1"][1].startswith(said) and notes["S3"][1].startswith(said)
    assert "S2" not in notes["S1"][1]
    assert notes["Q1"][1] == ""
