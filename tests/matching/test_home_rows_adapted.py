"""Whether a home is adapted, and which communication needs it supports, are the home's
facts: rows of one home (one URN and postcode, or one home_id) are read adapted only if
every row says so, and supporting a communication need only if every row does, and the
rows that differ are warned of, on the real command and every solver. Before, a child
needing adaptations (or British Sign Language) was proposed on the row saying Y (or bsl)
of a home whose other row says N (or nothing)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from test_register_rows_disagree import _child, _run, _write


def _row(pid: str, adapted: str, communication: str, urn: str = "SC100") -> str:
    """A children's home row at WR14 2PZ with two places."""
    return (f"{pid},residential,external,WR14 2PZ,2,4000,0,17,any,0,,,N,{communication},"
            f"{adapted},Good,{urn},,\n")  # fmt: skip


def _children() -> str:
    adapt = _child("C1", "01/05/2012", foster="unsuitable", residential="suitable")
    bsl = _child("C2", "01/06/2012", foster="unsuitable", residential="suitable")
    adapt = adapt.replace(",,N,N,E10000034", ",,Y,N,E10000034")  # adaptations Y
    bsl = bsl.replace(",,N,N,E10000034", ",bsl,N,N,E10000034")  # communication bsl
    return adapt + bsl


def _matched(out: Path) -> dict[str, str]:
    with (out / "matches.csv").open() as fh:
        return {r["child_id"]: r["placement_id"] for r in csv.DictReader(fh)}


@pytest.mark.parametrize("solver", ["highspy", "ortools", "highs", "cbc"])
def test_a_home_adapted_on_one_row_only_is_not_adapted(tmp_path: Path, solver: str) -> None:
    """RH-A says adapted Y and supports bsl; RH-B, the same home, says N and nothing.
    Neither child is proposed there; each is unplaced naming the home's rows, and the
    register's warning says the rows differ in adapted and communication."""
    refs, plcs = _write(tmp_path, _children(), _row("RH-A", "Y", "bsl") + _row("RH-B", "N", ""))
    output, out = _run(tmp_path, refs, plcs, solver)
    assert _matched(out) == {}
    unplaced = (out / "unplaced.csv").read_text()
    assert "is not adapted on every row of its home (rows RH-A and RH-B" in unplaced
    assert "communication needs on every row of its home (rows RH-A and RH-B" in unplaced
    assert "The rows differ in adapted and communication" in output
    assert "rows 2 and 3 (RH-A, RH-B) are one home" in output


@pytest.mark.parametrize("solver", ["highspy", "cbc"])
def test_a_home_adapted_on_every_row_is_proposed(tmp_path: Path, solver: str) -> None:
    """Both rows say adapted Y and bsl (and RH-B's bsl among others): both children are
    proposed on the home, which has two places, and no rows are said to differ in
    adapted; two separate homes, one adapted and one not, keep their own answers."""
    refs, plcs = _write(tmp_path, _children(),
                        _row("RH-A", "Y", "bsl") + _row("RH-B", "Y", "bsl;esol"))  # fmt: skip
    output, out = _run(tmp_path, refs, plcs, solver)
    assert set(_matched(out)) == {"C1", "C2"}
    assert "differ in adapted" not in output
    refs, plcs = _write(tmp_path, _children(),
                        _row("RH-A", "Y", "bsl") + _row("RH-B", "N", "", urn="SC200"))  # fmt: skip
    output, out = _run(tmp_path, refs, plcs, solver)
    assert _matched(out) == {"C1": "RH-A", "C2": "RH-A"}
    assert "one home" not in output
