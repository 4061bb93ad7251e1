"""A register row repeated in every cell but its ID is one home given twice
(``sufficiency/io/repeated_rows.py``): before, two foster rows so repeated were matched as
two homes, and a child who is a risk of sexual harm to younger children was proposed on
one and a 5-year-old on the other, with no flag on either proposal."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from test_referral_inputs import _cli

from sufficiency.io.inputs import load_placements

REFERRALS = (
    "child_id,dob,sex,home_postcode,needed_by,foster_suitability,residential_suitability,"
    "supported_suitability,alongside,pets,risks,adaptations,dolo,responsible_la\n"
    "C1,01/01/2013,M,WR1 1AA,today,suitable,suitable,unsuitable,no_preference,can,"
    "harm_sexual,N,N,E10000034\n"
    "C2,01/01/2021,M,WR1 1AA,today,suitable,suitable,unsuitable,no_preference,can,,N,N,"
    "E10000034\n"
)
HEADER = (
    "placement_id,setting,provider,postcode,vacancies,weekly_cost,age_min,age_max,sex,"
    "current_children,current_ages,risk_exclusions,has_pets,adapted\n"
)
#: The same IFA carer twice (F1, F1b: the cheapest), and two dearer carers elsewhere.
REGISTER = HEADER + (
    "F1,foster,ifa,WR5 1AA,1,900,0,17,any,0,,,N,N\n"
    "F1b,foster,ifa,WR5 1AA,1,900,0,17,any,0,,,N,N\n"
    "F2,foster,ifa,WR14 1AA,1,950,0,17,any,0,,,N,N\n"
    "F3,foster,ifa,WR14 1AB,1,950,0,17,any,0,,,N,N\n"
)


def _night(tmp_path: Path, register: str) -> tuple[str, pd.DataFrame, Path]:
    refs, plcs, out = tmp_path / "r.csv", tmp_path / "p.csv", tmp_path / "out"
    refs.write_text(REFERRALS)
    plcs.write_text(register)
    code, said = _cli("--referrals", str(refs), "--placements", str(plcs), "--out", str(out))
    assert code == 0, said
    return said, pd.read_csv(out / "matches.csv", dtype=str), out


def test_a_row_repeated_is_one_home_so_a_risk_and_a_younger_child_are_not_both_on_it(
    tmp_path: Path,
) -> None:
    said, matches, out = _night(tmp_path, REGISTER)
    placed = dict(zip(matches["child_id"], matches["placement_id"], strict=True))
    assert set(placed) == {"C1", "C2"}
    on_repeat = [c for c, p in placed.items() if p in ("F1", "F1b")]
    assert len(on_repeat) == 1, placed  # before: C1 at F1 and C2 at F1b
    flags = matches.set_index("child_id")["flags"].fillna("")
    assert "home_id, or row repeated, so check" in flags[on_repeat[0]]  # before: no flag
    assert "rows 2 and 3 (F1, F1b) are one home (every cell but the placement ID" in said
    notes = json.loads((out / "summary.json").read_text())["input_notes"]
    assert "same_home" in [n["code"] for n in notes]


def test_a_row_repeated_offers_its_one_place_once(tmp_path: Path) -> None:
    """Two children who may live together: one place offered twice takes one of them."""
    _, matches, _ = _night(tmp_path, REGISTER.replace("harm_sexual", ""))
    assert (matches["placement_id"].isin(["F1", "F1b"])).sum() == 1, matches


def test_rows_that_differ_in_a_cell_or_have_home_ids_are_not_read_as_repeats(
    tmp_path: Path,
) -> None:
    """A row differing in its fee stays a home that only may be the same (warned of,
    matched apart); rows the team gives different home_ids are two homes."""
    path = tmp_path / "p.csv"
    dearer = "F1b,foster,ifa,WR5 1AA,1,910"
    path.write_text(REGISTER.replace("F1b,foster,ifa,WR5 1AA,1,900", dearer))
    _, problems = load_placements(path)
    assert {p.code for p in problems} >= {"maybe_same_home"}
    assert "same_home" not in {p.code for p in problems}
    lines = REGISTER.splitlines()
    with_ids = [lines[0] + ",home_id", lines[1] + ",H1", lines[2] + ",H2", *lines[3:]]
    path.write_text("\n".join(with_ids) + "\n")
    table, problems = load_placements(path)
    assert not {"same_home", "maybe_same_home"} & {p.code for p in problems}
    assert table["home_id"].tolist()[:2] == ["H1", "H2"]
