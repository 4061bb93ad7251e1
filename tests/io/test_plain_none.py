"""A child's communication needs and adaptations, and a home's communication and adapted,
written as none in words (sufficiency.io.plain_none): ``N/A``, ``Nil``, ``None``, ``No``
are read as the blank the column allows (none; N), with one warning per column. Before,
each such child or home was set aside ("lists a value that is not one of: bsl, ...";
"must be Y or N") and not matched."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from sufficiency.io.inputs import read_placements_for_night, read_referrals_for_night

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
RUN = dt.date(2026, 4, 1)


def _copy(tmp_path: Path, name: str, column: str, values: list[str]) -> Path:
    """The sample's ``name`` with the first ``len(values)`` rows' ``column`` set."""
    rows = list(csv.DictReader((SAMPLE / name).open(newline="")))
    for row, value in zip(rows, values, strict=False):
        row[column] = value
    path = tmp_path / name
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def _referrals(path: Path):
    return read_referrals_for_night(path, default_responsible_la="E10000034", run_date=RUN)


WORDS = ["N/A", "nil", "No", "None", "-", "n.a."]


def test_communication_none_in_words_is_no_need(tmp_path):
    night = _referrals(_copy(tmp_path, "referrals.csv", "communication", WORDS))
    assert night.set_aside.empty
    kept = night.table.set_index("child_id")
    assert all(kept.loc[f"R{i:03d}", "communication"] == () for i in range(1, 7))
    said = [p for p in night.problems if p.code == "none_words"]
    # None was read already (a code): the warning names the rows it reads anew
    assert len(said) == 1 and said[0].severity == "warning"
    assert "rows 2, 3, 4, 6, 7" in said[0].message and "no communication need" in said[0].message


def test_adaptations_none_in_words_is_n(tmp_path):
    night = _referrals(_copy(tmp_path, "referrals.csv", "adaptations", WORDS))
    assert night.set_aside.empty
    kept = night.table.set_index("child_id")
    assert not kept.loc[[f"R{i:03d}" for i in range(1, 7)], "adaptations"].any()
    said = [p for p in night.problems if p.code == "none_words"]
    assert len(said) == 1 and "rows 2, 3, 5, 6, 7" in said[0].message  # No was an N already


@pytest.mark.parametrize("word", ["Unknown", "TBC"])
def test_not_known_is_still_set_aside(tmp_path, word):
    for column in ("communication", "adaptations"):
        night = _referrals(_copy(tmp_path, "referrals.csv", column, [word]))
        assert list(night.set_aside["id"]) == ["R001"], column


def test_a_need_beside_none_is_still_read(tmp_path):
    """Only a whole cell saying none is blank: ``bsl`` is kept, ``bsl; N/A`` set aside."""
    night = _referrals(_copy(tmp_path, "referrals.csv", "communication", ["bsl", "bsl; N/A"]))
    assert night.table.set_index("child_id").loc["R001", "communication"] == ("bsl",)
    assert list(night.set_aside["id"]) == ["R002"]


def test_a_homes_communication_and_adapted_none_in_words(tmp_path):
    path = _copy(tmp_path, "placements.csv", "communication", ["N/A", "Nil"])
    night = read_placements_for_night(path)
    assert night.set_aside.empty
    assert all(night.table.set_index("placement_id").loc[["PL0001", "PL0002"], "communication"]
               .map(len) == 0)  # fmt: skip
    path = _copy(tmp_path, "placements.csv", "adapted", ["N/A"])
    night = read_placements_for_night(path)
    assert night.set_aside.empty
    assert not night.table.set_index("placement_id").loc["PL0001", "adapted"]
    assert [p.code for p in night.problems].count("none_words") == 1
