"""``runs diff`` names an exclusion from one row of a home on several rows as the cause of
a child's move from the home's other row. The exclusion covers the whole home
(matching/decision_homes.py), but before, the diff read only the excluded row: C1 at RB,
then excluded from RA (RA and RB one children's home, one URN and postcode), read
*"C1: RB -> RC (the team's decisions changed, so the best overall plan changed)"*."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sufficiency.commands.match import match
from sufficiency.commands.runs import runs

REFERRALS = (
    "child_id,dob,sex,home_postcode,needed_by,foster_suitability,residential_suitability,"
    "supported_suitability,alongside,pets,risks,dolo,responsible_la\n"
    "C1,01/05/2012,F,WR1 1AA,today,unsuitable,preferred,unsuitable,no_preference,can,,N,E10000034\n"
)
PLACEMENTS = (
    "placement_id,setting,provider,postcode,vacancies,weekly_cost,age_min,age_max,sex,"
    "current_children,current_ages,risk_exclusions,has_pets,urn\n"
    "RA,residential,in_house,WR5 1AA,1,5000,8,17,any,0,,,N,SC1\n"
    "RB,residential,in_house,WR5 1AA,1,4000,8,17,any,0,,,N,SC1\n"
    "RC,residential,in_house,WR14 1AA,1,6000,8,17,any,0,,,N,SC2\n"
)
EXCLUDE = (
    "child_id,placement_id,decision,reason,decided_by,until\n"
    "C1,RA,exclude,home refused after visit,ann,\n"
)


def _match(tmp: Path, out: str, store: str, *extra: str) -> None:
    res = CliRunner().invoke(match, [
        "--referrals", str(tmp / "r.csv"), "--placements", str(tmp / "p.csv"),
        "--date", "2026-04-01", "--out", str(tmp / out), "--store", store, *extra,
    ])  # fmt: skip
    assert res.exit_code == 0, res.output


def test_an_exclusion_from_the_homes_other_row_is_named(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text(REFERRALS)
    (tmp_path / "p.csv").write_text(PLACEMENTS)
    (tmp_path / "d.csv").write_text(EXCLUDE)
    store = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    _match(tmp_path, "a", store)
    _match(tmp_path, "b", store, "--decisions", str(tmp_path / "d.csv"))
    _match(tmp_path, "c", store)
    diff = CliRunner().invoke(runs, ["diff", "1", "2", "--store", store])
    assert diff.exit_code == 0, diff.output
    assert (
        "C1: RB -> RC (excluded from RA by ann: home refused after visit; RB is a row of the "
        "same home, so the exclusion holds there too)"
    ) in diff.output
    back = CliRunner().invoke(runs, ["diff", "2", "3", "--store", store])
    assert (
        "C1: RC -> RB (the exclusion from RA recorded with the earlier run, which held at RB "
        "(a row of the same home), no longer applies"
    ) in back.output
