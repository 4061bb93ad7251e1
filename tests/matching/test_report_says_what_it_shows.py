"""The match report's words say what its cells show: the type of home a child prefers when
the proposal is another, and the cheapest option (not the nearest) for a child whose home
is not known."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from match_builders import RUN_DATE, placement, placements_frame, referral, referrals_frame
from openpyxl import load_workbook

from sufficiency.config import MatchingParams, MatchingWeights, Params
from sufficiency.matching.report import match_report
from sufficiency.matching.run import run_matching
from sufficiency.matching.writers import write_match_outputs


def _night(weight: float) -> pd.DataFrame:
    """Children placed on a night of four preferences, ``not_preferred_setting`` at
    ``weight``: F1 prefers a children's home and only foster homes suit, R1 prefers
    supported accommodation at 16 and only a children's home is on the register for it,
    OK1 prefers foster care and gets it, ANY1 prefers nothing."""
    refs = referrals_frame([
        referral("F1", foster_suitability="suitable", residential_suitability="preferred"),
        referral("R1", age=16, foster_suitability="unsuitable",
                 residential_suitability="suitable", supported_suitability="preferred"),
        referral("OK1"),
        referral("ANY1", foster_suitability="suitable"),
    ])  # fmt: skip
    plcs = placements_frame(
        [placement(f"FH{k}", weekly_cost=600.0 + k) for k in range(3)]
        + [placement("CH1", setting="residential", provider="external", weekly_cost=5000.0)]
    )
    params = Params(matching=MatchingParams(weights=MatchingWeights(not_preferred_setting=weight)))
    run = run_matching(refs, plcs, RUN_DATE, params)
    return match_report(run).children.set_index("child_id")


@pytest.mark.parametrize("weight", [500.0, 0.0])
def test_why_this_home_says_the_type_is_not_the_one_preferred(weight: float) -> None:
    """A child placed in a type of home other than the one preferred is told so in "Why
    this home" and flagged, whatever the weight (R045 of the sample: foster care, a
    children's home preferred, and not a word of it in the sentence)."""
    children = _night(weight)
    assert set(children.index) == {"F1", "R1", "OK1", "ANY1"}
    assert children.loc["F1", "home_type"] == "In-house foster care"
    assert children.loc["F1", "why"].endswith(
        "but foster care is not the child's preferred type of home (a children's home is)."
    )
    assert children.loc["R1", "home_type"] == "External children's home"
    assert (
        "a children's home is not the child's preferred type of home "
        "(supported accommodation is)" in children.loc["R1", "why"]
    )
    for cid in ("F1", "R1"):
        assert "not the preferred type of home" in children.loc[cid, "flags"], cid
    for cid in ("OK1", "ANY1"):
        assert "preferred" not in children.loc[cid, "why"], cid
        assert "preferred" not in children.loc[cid, "flags"], cid


def test_not_placed_does_not_head_the_cheapest_option_nearest(tmp_path: Path) -> None:
    """A child not placed whose home is not known is given the cheapest option (its reason
    says so): the "Not placed" sheet headed it "Nearest option"; its header now says it
    is the cheapest for such a child, in the workbook and the HTML page."""
    refs = referrals_frame([referral("U1", age=16, home_postcode=pd.NA)])
    plcs = placements_frame(
        [placement("Y1", age_max=10), placement("Y2", age_max=9, weekly_cost=500.0)]
    )
    run = run_matching(refs, plcs, RUN_DATE, Params())
    write_match_outputs(run, tmp_path)
    unplaced = pd.read_csv(tmp_path / "unplaced.csv")
    assert "The cheapest option (the child's home is not known), Y2" in unplaced["reason"][0]
    sheet = load_workbook(tmp_path / "match_report.xlsx")["Not placed"]
    head = [c.value for c in sheet[1]]
    row = dict(zip(head, next(sheet.iter_rows(min_row=2, values_only=True)), strict=True))
    (option,) = [h for h in head if row[h] == "Y2"]
    assert "cheapest if home not known" in option, head
    assert not any(h.startswith("Nearest option:") or "nearest option" in h for h in head)
    html = (tmp_path / "match_report.html").read_text(encoding="utf-8")
    assert "Nearest option (the cheapest if home not known)" in html
    assert "Rules the nearest option breaks" not in html


#: Words of the solver's trade, not the placement team's: only "Technical detail" (and the
#: HTML page's appendix of it) may use them.
JARGON = re.compile(
    r"\b(solver|objective|MIP|LP|penalt(y|ies)|pruning|column generation|heuristic|"
    r"bound|minimis\w*|feasible)\b|\b[a-z]+_[a-z_]+\b(?! ?=)(?<!= )",
    re.IGNORECASE,
)


def _jargon(text: str) -> list[str]:
    # a configuration setting named with its value (siblings = 'together') is the admin's
    # word, and a file's name (matches.csv) is the file's
    text = re.sub(r"\b\w+ = '\w+'|\b\w+\.csv\b", "", text)
    return [m.group(0) for m in JARGON.finditer(text)]


def test_the_team_reads_no_solver_jargon(sample_dir: Path, tmp_path: Path) -> None:
    """Every sheet but Technical detail, and the HTML page before its appendix, is in the
    team's words: the Assumptions said "the objective the solver minimises", "weighted
    penalties", "flagged in distance_note" and "charged as beyond far_from_home_miles",
    and page 1 pointed to the "Solver"."""
    import datetime as dt

    from sufficiency.matching import match

    run = match(sample_dir / "referrals.csv", sample_dir / "placements.csv",
                run_date=dt.date(2026, 4, 1))  # fmt: skip
    run.write(tmp_path)
    found = {}
    for sheet in load_workbook(tmp_path / "match_report.xlsx").worksheets:
        if sheet.title == "Technical detail":
            continue
        texts = [v for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)]
        hits = [w for t in texts for w in _jargon(t)]
        if hits:
            found[sheet.title] = sorted(set(hits))
    html = (tmp_path / "match_report.html").read_text(encoding="utf-8")
    body = html.split("</style>")[-1].split('id="technical"')[0]
    hits = _jargon(re.sub(r"<[^>]+>", " ", body))
    if hits:
        found["HTML"] = sorted(set(hits))
    assert found == {}
    assert _jargon("the objective the solver minimises; flagged in distance_note") == [
        "objective", "solver", "minimises", "distance_note",
    ]  # fmt: skip


def test_page_one_says_the_margin_a_plan_proven_best_may_miss_by() -> None:
    """The sample's plan is optimal within the run's tolerance (gap 0.0098%): page 1 said
    "proven the best" while Technical detail said it may be up to 0.01% worse; a plan
    exactly proven is said so alone."""
    import dataclasses

    from sufficiency.solver_status import SolveStatus

    run = run_matching(referrals_frame([referral("C1")]), placements_frame([placement("P1")]),
                       RUN_DATE, Params())  # fmt: skip

    def sentence(gap: float | None) -> str:
        summary = dataclasses.replace(run.summary, status=SolveStatus.OPTIMAL, gap=gap)
        report = match_report(dataclasses.replace(run, summary=summary))
        (flag,) = [f for f in report.flags if f.key == "not_proven"]
        assert flag.count == 0
        return flag.sentence

    assert sentence(9.8e-05) == (
        "The plan is proven the best under the rules and priorities, to within 0.01% (the "
        "margin the run allows)."
    )
    for gap in (0.0, None):
        assert sentence(gap) == "The plan is proven the best under the rules and priorities."
