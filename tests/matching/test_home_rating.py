"""An Ofsted judgement is the home's: rows of one home (one URN and postcode) whose
ratings disagree are read inadequate on every row if any row says so, costed, flagged
and warned of, on the real command."""

from __future__ import annotations

from pathlib import Path

from test_register_rows_disagree import _child, _home, _run, _write


def test_a_home_rated_inadequate_on_one_of_its_rows_is_inadequate_on_every_row(
    tmp_path: Path,
) -> None:
    """RH-A and RH-B are one children's home (one URN and postcode), RH-A rated
    inadequate, RH-B good and £1,000 a week cheaper. Before, RH-B was proposed at no cost
    for the rating and with no flag; now the home's judgement holds on RH-B (costed and
    flagged, naming RH-A), so the good home RH-C is proposed, RH-B is an option flagged
    inadequate, and the warning says the rows differ in Ofsted rating."""
    refs, plcs = _write(tmp_path, _child("C1", "01/05/2012", foster="unsuitable",
                                         residential="suitable"),
                        _home("RH-A", cost=5000, rating="Inadequate", urn="SC111111")
                        + _home("RH-B", cost=4000, urn="SC111111")
                        + _home("RH-C", postcode="WR9 7GB", cost=4500, urn="SC222222"))  # fmt: skip
    output, out = _run(tmp_path, refs, plcs)
    matches = (out / "matches.csv").read_text().splitlines()
    assert matches[1].startswith("C1,RH-C,"), matches
    alternatives = (out / "alternatives.csv").read_text()
    rh_b = next(line for line in alternatives.splitlines() if ",RH-B," in line)
    assert "rated inadequate by Ofsted" in rh_b and "its row RH-A of the register" in rh_b
    assert "The rows differ in Ofsted rating" in output
