"""A regional night (several councils' children, one register): each council's own
figures, in summary.json, on the console and on the report's "By council" sheet and page,
add up to the night's, with out of area judged against each child's own council."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from match_builders import (
    POSTCODES,
    RUN_DATE,
    placement,
    placements_frame,
    referral,
    referrals_frame,
)
from openpyxl import load_workbook

from sufficiency.cli import main
from sufficiency.config import Params
from sufficiency.matching.run import run_matching

BHM = "E08000025"  # Birmingham; the builders' children are Worcestershire's (E10000034)


def _night() -> tuple[pd.DataFrame, pd.DataFrame]:
    refs = referrals_frame([
        referral("W1", age=8),
        referral("W2", age=9),
        referral("W3", age=10),
        referral("B1", age=8, home_postcode=POSTCODES["birmingham"], responsible_la=BHM),
        referral("B2", age=12, home_postcode=POSTCODES["birmingham"], responsible_la=BHM,
                 sex="F"),
    ])  # fmt: skip
    plcs = placements_frame([
        placement("P_WOR", postcode=POSTCODES["near"], weekly_cost=600.0),
        placement("P_BHM", postcode=POSTCODES["birmingham"], vacancies=2, weekly_cost=700.0),
        placement("P_EVE", postcode=POSTCODES["evesham"], weekly_cost=800.0),
        placement("P_F", postcode=POSTCODES["malvern"], weekly_cost=900.0, sex="F"),
        placement("P_BHM2", postcode=POSTCODES["birmingham"], weekly_cost=650.0),
    ])  # fmt: skip
    return refs, plcs


def test_each_council_s_figures_add_up_to_the_night_s(tmp_path: Path) -> None:
    refs, plcs = _night()
    run = run_matching(refs, plcs, RUN_DATE, Params())
    run.write(tmp_path)
    m = run.matches.set_index("child_id")
    fee = plcs.set_index("placement_id")["weekly_cost"]
    council = refs.set_index("child_id")["responsible_la"]
    # counted here from the plan's own placements, independently of by_council.py
    tier = {"P_WOR": "E10000034", "P_EVE": "E10000034", "P_F": "E10000034", "P_BHM": BHM,
            "P_BHM2": BHM}  # fmt: skip
    want = {}
    for code in ("E08000025", "E10000034"):
        kids = m[council.reindex(m.index) == code]
        want[code] = {
            "children": int((council == code).sum()),
            "children_placed": len(kids),
            "placed_out_of_area": sum(tier[p] != code for p in kids["placement_id"]),
            "placed_over_20_miles": int((kids["miles_from_home"] > 20).sum()),
            "weekly_cost_gbp": round(float(fee[kids["placement_id"]].sum()), 2),
        }
    summary = json.loads((tmp_path / "summary.json").read_text())
    got = {c["code"]: c for c in summary["by_responsible_authority"]}
    assert {c: {k: got[c][k] for k in w} for c, w in want.items()} == want
    assert got[BHM]["name"] == "Birmingham" and got["E10000034"]["name"] == "Worcestershire"
    for key in ("children_placed", "placed_out_of_area", "placed_over_20_miles"):
        assert sum(c[key] for c in got.values()) == summary[key], key
    assert round(sum(c["weekly_cost_gbp"] for c in got.values()), 2) == summary["weekly_cost_gbp"]
    assert summary["placed_out_of_area"] > 0  # someone is placed outside their own council
    book = load_workbook(tmp_path / "match_report.xlsx")
    assert book.sheetnames[:3] == ["Summary", "By council", "Children placed"]
    rows = list(book["By council"].iter_rows(values_only=True))
    assert rows[1][0] == "Birmingham (E08000025)" and rows[2][0] == "Worcestershire (E10000034)"
    assert [r[2] for r in rows[1:]] == [want[BHM]["children_placed"],
                                        want["E10000034"]["children_placed"]]  # fmt: skip
    html = (tmp_path / "match_report.html").read_text(encoding="utf-8")
    assert 'id="by-council"' in html and "Worcestershire (E10000034)" in html


def test_the_console_gives_each_council_s_line_and_one_council_s_night_no_table(
    tmp_path: Path,
) -> None:
    refs, plcs = (
        frame.assign(**{c: frame[c].map(";".join) for c in frame.columns
                        if frame[c].map(lambda v: isinstance(v, tuple)).any()})
        for frame in _night()
    )  # fmt: skip
    refs.to_csv(tmp_path / "referrals.csv", index=False, date_format="%d/%m/%Y")
    plcs.to_csv(tmp_path / "placements.csv", index=False)
    args = ["match", "--referrals", str(tmp_path / "referrals.csv"), "--placements",
            str(tmp_path / "placements.csv"), "--date", RUN_DATE.isoformat()]  # fmt: skip
    result = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "By council (2):" in result.output
    assert "  Birmingham (E08000025): placed 2 of 2," in result.output
    # one council's children: page 1 says it all, no table and no console lines
    refs[refs["responsible_la"] != BHM].to_csv(tmp_path / "referrals.csv", index=False,
                                               date_format="%d/%m/%Y")  # fmt: skip
    result = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "one")])
    assert result.exit_code == 0, result.output
    assert "By council" not in result.output
    assert "By council" not in load_workbook(tmp_path / "one" / "match_report.xlsx").sheetnames
    summary = json.loads((tmp_path / "one" / "summary.json").read_text())
    assert [c["code"] for c in summary["by_responsible_authority"]] == ["E10000034"]


def test_in_house_homes_say_whose_they_are_where_the_register_says(tmp_path: Path) -> None:
    """A register several councils share: each in-house home read "The council (in-house)"
    on the report, though Birmingham's child placed in Worcestershire's in-house home is in
    another council's. Where the register gives a home's council (column ``council``), the
    report's Provider says whose it is, for the plan and the other options alike; a home
    with none given, or an agency's, reads as before."""
    refs, plcs = _night()
    plcs["provider"] = ["in_house", "in_house", "ifa", "other_la", "in_house"]
    plcs["council"] = ["E10000034", BHM, "E10000034", BHM, pd.NA]
    run = run_matching(refs, plcs, RUN_DATE, Params())
    run.write(tmp_path)
    said = {"P_WOR": "Worcestershire (in-house)", "P_BHM": "Birmingham (in-house)",
            "P_EVE": "Independent fostering agency", "P_F": "Another council (Birmingham)",
            "P_BHM2": "The council (in-house)"}  # fmt: skip
    book = load_workbook(tmp_path / "match_report.xlsx")
    for sheet, home in (("Children placed", "Home"), ("Other options", "Home")):
        rows = list(book[sheet].iter_rows(values_only=True))
        top = next(i for i, r in enumerate(rows) if "Provider" in r)
        at, who = rows[top].index(home), rows[top].index("Provider")
        shown = {r[at]: r[who] for r in rows[top + 1 :] if r[at] in said}
        assert shown and all(said[h] == w for h, w in shown.items()), (sheet, shown)
    placed = set(run.matches["placement_id"])
    assert {"P_WOR", "P_BHM"} <= placed
    html = (tmp_path / "match_report.html").read_text()
    assert "Worcestershire (in-house)" in html and "Birmingham (in-house)" in html
