"""A register row whose current_children cell is blank was read as no children living
there, so a child who is a risk of sexual harm to younger children was proposed at a
foster home that did not say who lives there (``match``: B1 at M3, the cheapest, before
M4). A blank count is now read the safer way, as at least one child of ages not known
(rules 10, 11 and 14 not met), with one warning naming the rows; a register with no
current_children column is read as before, with a warning saying so."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sufficiency.commands.match import match
from sufficiency.io.current_blank import READ_AS
from sufficiency.io.inputs import load_placements

REFERRALS = (
    "child_id,dob,sex,home_postcode,needed_by,foster_suitability,residential_suitability,"
    "supported_suitability,alongside,pets,risks,dolo,responsible_la\n"
    "B1,01/05/2013,F,WR1 1AA,today,preferred,suitable,unsuitable,no_preference,can,"
    "harm_sexual,N,E10000034\n"
    "B2,01/05/2012,M,WR1 1AA,today,preferred,suitable,unsuitable,solo,can,,N,E10000034\n"
)
HEAD = "placement_id,setting,provider,postcode,vacancies,weekly_cost,age_min,age_max,sex,"


def _register(tmp: Path, count: bool = True) -> Path:
    path = tmp / "p.csv"
    rows = [("M3", "WR5 1AA", 300, ""), ("M4", "WR14 1AA", 900, "0"), ("M5", "B60 1AA", 950, "0")]
    text = HEAD + ("current_children," if count else "") + "risk_exclusions,has_pets\n"
    for pid, postcode, cost, now in rows:
        cell = f"{now}," if count else ""
        text += f"{pid},foster,in_house,{postcode},1,{cost},0,17,any,{cell},N\n"
    path.write_text(text)
    return path


def _placed(tmp: Path, register: Path) -> dict[str, str]:
    (tmp / "r.csv").write_text(REFERRALS)
    res = CliRunner().invoke(match, [
        "--referrals", str(tmp / "r.csv"), "--placements", str(register),
        "--date", "2026-04-01", "--out", str(tmp / "out"),
        "--store", f"sqlite:///{tmp / 'runs.sqlite'}",
    ])  # fmt: skip
    assert res.exit_code == 0, res.output
    lines = (tmp / "out" / "matches.csv").read_text().splitlines()[1:]
    return dict(line.split(",")[:2] for line in lines)  # type: ignore[misc]


def test_a_blank_count_keeps_a_risk_to_younger_children_and_a_solo_child_away(
    tmp_path: Path,
) -> None:
    register = _register(tmp_path)
    table, problems = load_placements(register)
    assert table["current_children"].tolist() == [1, 0, 0]
    assert table["current_ages"].tolist() == [(), (), ()]
    (note,) = [p for p in problems if p.code == "current_not_given"]
    assert note.message == f"is blank on row 2: {READ_AS}"
    assert note.severity == "warning"
    placed = _placed(tmp_path, register)
    assert placed.keys() == {"B1", "B2"} and "M3" not in placed.values()


def test_ages_listed_with_a_blank_count_are_the_children(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(HEAD + "current_children,current_ages\n"
                    "M1,foster,in_house,WR5 1AA,1,300,0,17,any,,5;9\n")  # fmt: skip
    table, problems = load_placements(path)
    assert table["current_children"].tolist() == [2]
    assert table["current_ages"].tolist() == [(5, 9)]
    assert not [p for p in problems if p.severity == "error"]


def test_a_register_without_the_column_is_read_as_before(tmp_path: Path) -> None:
    register = _register(tmp_path, count=False)
    table, problems = load_placements(register)
    assert table["current_children"].tolist() == [0, 0, 0]
    assert "current_not_given" not in {p.code for p in problems}
    (note,) = [p for p in problems if p.code == "no_current_children"]  # said, not silent
    assert note.severity == "warning"
    assert note.message.startswith("there is no current_children column: every home is read "
                                   "as having no child living there now")  # fmt: skip
    assert "(rules 10, 11 and 14)" in note.message
