"""A referral's risks and pets as placement teams write them (sufficiency.io.plain_answers):
``None``, ``N/A``, ``Nil`` and ``No known risks`` for no risk, ``N`` for no pets, and ``Y``
for yes under the Placements Data Standard's pets question. Before, each such child was
set aside ("lists a value that is not one of: cce, cse, ...") and not matched."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from sufficiency.io.inputs import read_referrals_for_night

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "referrals.csv"
RUN = dt.date(2026, 4, 1)


def _referrals(tmp_path: Path, column: str, values: list[str], header: str | None = None) -> Path:
    """The sample's referrals with the first ``len(values)`` rows' ``column`` set to
    ``values`` (the column renamed ``header`` if given)."""
    rows = list(csv.DictReader(SAMPLE.open(newline="")))
    for row, value in zip(rows, values, strict=False):
        row[column] = value
    fields = list(rows[0])
    path = tmp_path / "referrals.csv"
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow([header if (c == column and header) else c for c in fields])
        w.writerows([r[c] for c in fields] for r in rows)
    return path


def _night(path: Path):
    return read_referrals_for_night(path, default_responsible_la="E10000034", run_date=RUN)


NO_RISK = ["None", "N/A", "nil", "No known risks", "No known risk", "None known", "No", "-"]


def test_no_risk_in_words_is_no_risk_and_said(tmp_path):
    night = _night(_referrals(tmp_path, "risks", NO_RISK))
    assert night.set_aside.empty
    kept = night.table.set_index("child_id")
    ids = [f"R{i:03d}" for i in range(1, len(NO_RISK) + 1)]
    assert all(kept.loc[i, "risks"] == () for i in ids)
    said = [p for p in night.problems if p.code == "no_risk_words"]
    assert len(said) == 1 and said[0].severity == "warning"
    assert "rows 2, 3, 4, 5, 6" in said[0].message and "read as no known risk" in said[0].message


@pytest.mark.parametrize("word", ["Not known", "Unknown"])
def test_risks_not_known_set_aside_saying_what_to_write(tmp_path, word):
    night = _night(_referrals(tmp_path, "risks", [word]))
    assert list(night.set_aside["id"]) == ["R001"]
    said = [p for p in night.problems if p.code == "risks_not_known"]
    assert len(said) == 1 and said[0].row == 2 and said[0].severity == "error"
    assert "leave the cell blank (or write None)" in said[0].message


def test_a_risk_listed_is_still_read(tmp_path):
    """Only a whole cell saying no risk is blank: a risk beside it is not dropped."""
    night = _night(_referrals(tmp_path, "risks", ["harm_sexual", "harm_sexual; none"]))
    assert night.table.set_index("child_id").loc["R001", "risks"] == ("harm_sexual",)
    assert list(night.set_aside["id"]) == ["R002"]


@pytest.mark.parametrize("word", ["N", "n", "No pets", "None"])
def test_pets_n_is_no_the_safer_reading(tmp_path, word):
    night = _night(_referrals(tmp_path, "pets", [word]))
    assert night.set_aside.empty
    assert night.table.set_index("child_id").loc["R001", "pets"] == "no"
    said = [p for p in night.problems if p.code == "pets_words"]
    assert len(said) == 1 and "the safer reading" in said[0].message


def test_pets_y_under_the_standards_question_is_can(tmp_path):
    path = _referrals(tmp_path, "pets", ["Y", "N"], header="Can the child live with pets/animals?")
    night = _night(path)
    assert night.set_aside.empty
    kept = night.table.set_index("child_id")
    assert (kept.loc["R001", "pets"], kept.loc["R002", "pets"]) == ("can", "no")
    said = [p.message for p in night.problems if p.code == "pets_words"]
    assert any("read as the question's yes, Yes - can" in m for m in said)


def test_pets_y_under_a_bare_pets_column_is_set_aside_saying_what_to_write(tmp_path):
    """``pets: Y`` may say the child can live with pets, must, or that pets are a
    concern: not guessed."""
    night = _night(_referrals(tmp_path, "pets", ["Y"]))
    assert list(night.set_aside["id"]) == ["R001"]
    said = [p for p in night.problems if p.code == "pets_ambiguous"]
    assert len(said) == 1 and said[0].row == 2
    assert "write can (may live with pets), must" in said[0].message
    assert not [p for p in night.problems if p.row == 2 and p.code == "invalid_value"]
