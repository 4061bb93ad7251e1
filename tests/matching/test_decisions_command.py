"""``sufficiency match --decisions`` end to end: console, outputs, run store, ``runs diff``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from openpyxl import load_workbook
from test_matching_command import write_inputs

from sufficiency.commands.match import match
from sufficiency.commands.runs import runs

HEADER = "child_id,placement_id,decision,reason,decided_by,until,decided_on\n"
BAD_UNTIL = "until: is not a date in the form DD/MM/YYYY or YYYY-MM-DD (value '31/04/2026')"


def _match(tmp_path: Path, out: str, store: str, *extra: str):  # type: ignore[no-untyped-def]
    refs, plcs = tmp_path / "referrals.csv", tmp_path / "placements.csv"
    return CliRunner().invoke(
        match, ["--referrals", str(refs), "--placements", str(plcs), "--date", "2026-03-01",
                "--out", str(tmp_path / out), "--store", store, "--time-limit", "30", *extra],
    )  # fmt: skip


def _matched_with(tmp_path: Path, rows: str) -> Path:
    """Match the test inputs into ``out`` with a decisions file of ``rows`` (it succeeds);
    return the decisions file."""
    write_inputs(tmp_path)
    path = tmp_path / "decisions.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    res = _match(tmp_path, "out", f"sqlite:///{tmp_path / 'runs.sqlite'}", "--decisions", str(path))
    assert res.exit_code == 0, res.output
    return path


def test_console_shows_weekly_cost_and_priority_score(tmp_path: Path) -> None:
    """The console gives the real weekly cost in pounds and the priority score unlabelled
    as money; summary.json carries both (and the old objective key)."""
    write_inputs(tmp_path)
    res = _match(tmp_path, "out", f"sqlite:///{tmp_path / 'runs.sqlite'}")
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    matches = pd.read_csv(tmp_path / "out" / "matches.csv")
    assert summary["weekly_cost_gbp"] == round(matches["weekly_cost"].sum(), 2)
    assert summary["priority_score"] == summary["objective_gbp"]
    assert summary["weekly_cost_gbp"] != summary["priority_score"]
    line = res.output.strip().splitlines()[-1]
    # in whole pounds, as page 1 of the match report: "£28,708.26 a week" gave pence, and
    # "weekly cost ... a week" said it twice
    assert f"weekly cost £{summary['weekly_cost_gbp']:,.0f} (today's practice: £" in line
    assert "a week" not in line and not re.search(r"£[\d,]+\.\d\d", line)
    assert f"priority score {summary['priority_score']:,.0f} " in line
    assert "objective £" not in res.output and "score £" not in res.output
    assert summary["decisions"] == {"applied": [], "ignored": [], "refused": []}


def test_decisions_are_obeyed_listed_recorded_and_named_by_runs_diff(tmp_path: Path) -> None:
    """A night with an exclusion moves a child; the console and outputs list every
    decision, the store keeps them, and ``runs diff`` names the exclusion as the cause."""
    write_inputs(tmp_path)
    store = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    first = _match(tmp_path, "a", store)
    assert first.exit_code == 0, first.output
    was = pd.read_csv(tmp_path / "a" / "matches.csv").set_index("child_id")["placement_id"]
    path = tmp_path / "decisions.csv"
    path.write_text(
        HEADER
        + f"C3,{was['C3']},exclude,too far from school,J Smith,,27/02/2026\n"
        + "C1,P1,pin,agreed at panel,A Jones,28/02/2026,\n"
        + "C8,P1,pin,agreed at panel,A Jones,,\n",
        encoding="utf-8",
    )
    res = _match(tmp_path, "b", store, "--decisions", str(path))
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()  # the stages are on standard error
    assert lines[0] == "Decisions: 1 applied, 2 ignored, 0 refused."
    assert "  ignored pin C1 -> P1: it expired on 28 February 2026." in lines
    assert "  ignored pin C8 -> P1: child C8 is not in tonight's referrals." in lines
    now = pd.read_csv(tmp_path / "b" / "matches.csv").set_index("child_id")["placement_id"]
    assert now["C3"] != was["C3"]
    summary = json.loads((tmp_path / "b" / "summary.json").read_text())
    assert [d["child_id"] for d in summary["decisions"]["applied"]] == ["C3"]
    assert "decisions" in summary["inputs_sha256"]
    wb = load_workbook(tmp_path / "b" / "match_report.xlsx", read_only=True)
    sheet = [r for r in wb["Decisions"].iter_rows(values_only=True)]
    assert sheet[0][:4] == ("Child", "Home", "Decision", "What the run did")
    assert sorted(r[3] for r in sheet[1:]) == ["Applied", "Ignored", "Ignored"]
    assert any("it expired on 28 February 2026." in r for r in sheet)  # day first, as the report's
    assert "it expired on 28 February 2026." in (tmp_path / "b" / "match_report.html").read_text()
    wb.close()
    shown = CliRunner().invoke(runs, ["show", "2", "--store", store])
    assert f"applied exclude C3 -> {was['C3']}: the child is not matched" in shown.output
    diff = CliRunner().invoke(runs, ["diff", "1", "2", "--store", store])
    assert diff.exit_code == 0, diff.output
    assert (f"C3: {was['C3']} -> {now['C3']} (excluded from {was['C3']} by J Smith on "
            "27 February 2026: too far from school)") in diff.output  # fmt: skip


def test_bad_decision_row_is_set_aside_and_listed(tmp_path: Path) -> None:
    """A pin with an error is set aside (listed on the console and in the summary with
    file, row and column), the good rows are applied and the night runs; --strict refuses
    with exit code 1 and no traceback. (A decision word not read, 'maybe', is kept as an
    exclusion: test_decision_word_unread.py.)"""
    write_inputs(tmp_path)
    path = tmp_path / "decisions.csv"
    path.write_text(HEADER + "C1,P1,pin,agreed,J Smith,31/04/2026,\n"
                    "C3,P3,exclude,too far,J Smith,,\n", encoding="utf-8")  # fmt: skip
    store = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    res = _match(tmp_path, "out", store, "--decisions", str(path))
    assert res.exit_code == 0, res.output
    assert "1 input row set aside" in res.output
    assert BAD_UNTIL in res.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    (aside,) = summary["set_aside"]
    assert (aside["file_kind"], aside["row"], aside["id"]) == ("decisions", 2, "C1")
    assert [d["placement_id"] for d in summary["decisions"]["applied"]] == ["P3"]
    res = _match(tmp_path, "strict", store, "--decisions", str(path), "--strict")
    assert res.exit_code == 1
    assert f"Error: {path}: 1 error, 0 warnings" in res.output
    assert f"row 2, column {BAD_UNTIL}" in res.output
    assert "Traceback" not in res.output


def test_exclusions_typed_twice_or_with_a_bad_date_are_still_applied(tmp_path: Path) -> None:
    """An exclusion is not set aside for a blemish in how it was typed: written twice,
    or with an unreadable `until` (applied with no end date). Each is applied and the
    blemish listed with file, row and column (was: set aside, and the child proposed
    where the team said they must not go)."""
    # without decisions: C1 and C3 at P1, C2 at P2
    path = _matched_with(tmp_path, "C3,P1,exclude,too far,J Smith,31/04/2026,\n"
                         "C2,P2,exclude,no,J Smith,,\nC2,P2,exclude,no,J Smith,,\n")  # fmt: skip
    out = tmp_path / "out"
    plan = pd.read_csv(out / "matches.csv")
    assert not set(zip(plan["child_id"], plan["placement_id"], strict=True)) & {
        ("C3", "P1"),
        ("C2", "P2"),
    }
    summary = json.loads((out / "summary.json").read_text())
    assert summary["set_aside"] == []
    applied = [(d["child_id"], d["placement_id"]) for d in summary["decisions"]["applied"]]
    assert sorted(applied) == [("C2", "P2"), ("C3", "P1")]
    notes = {(n["row"], n["column"]): n["note"] for n in summary["input_notes"]}
    assert "the exclusion is applied all the same, with no end date" in notes[(2, "until")]
    assert notes[(4, "placement_id")].startswith(
        "row 4, column placement_id: the same child and placement are excluded on row 3, "
        "which is applied; this copy is not needed"
    )
    res = _match(tmp_path, "strict", f"sqlite:///{tmp_path / 'runs.sqlite'}", "--decisions",
                 str(path), "--strict")  # fmt: skip
    assert res.exit_code == 1 and "row 2, column until: is not a date" in res.output


def test_decision_ids_typed_in_lower_case_are_matched(tmp_path: Path) -> None:
    """IDs typed in another case or with spaces (``c1`` for ``C1``) are taken as the one
    ID of tonight's inputs they match, and the note says how they were written (was:
    ignored as "not in tonight's referrals", and the exclusion lost)."""
    # without decisions: C1 and C3 at P1
    path = _matched_with(tmp_path, "c1,p1,exclude,carer said no,J Smith,,\n")
    plan = pd.read_csv(tmp_path / "out" / "matches.csv")
    assert ("C1", "P1") not in set(zip(plan["child_id"], plan["placement_id"], strict=True))
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    (applied,) = summary["decisions"]["applied"]
    assert (applied["child_id"], applied["placement_id"]) == ("C1", "P1")
    assert applied["note"].endswith(
        "(The decisions write the child's ID and P1 as 'p1', in another case or spacing.)"
    )
    assert "c1" not in applied["note"]  # pseudonymised nights would not hide it
    # one pin typed twice in different cases is one pin, obeyed
    path.write_text(HEADER + "C3,P2,pin,agreed,J Smith,,\nc3,p2,pin,agreed,J Smith,,\n",
                    encoding="utf-8")  # fmt: skip
    _match(tmp_path, "twice", f"sqlite:///{tmp_path / 'runs.sqlite'}", "--decisions",
           str(path))  # fmt: skip
    summary = json.loads((tmp_path / "twice" / "summary.json").read_text())
    assert [(d["child_id"], d["note"]) for d in summary["decisions"]["applied"]] == [
        ("C3", "the child is matched to this placement.")
    ]


def test_a_pin_and_an_exclusion_of_one_pair_keep_the_exclusion(tmp_path: Path) -> None:
    """The same pair pinned on one row and excluded on another: the exclusion is applied
    and the pin set aside, each row naming the other (was: both set aside, so the child
    could be placed where the team said they must not go)."""
    _matched_with(tmp_path, "C3,P1,pin,agreed,J Smith,,\nC3,P1,exclude,too far,A Patel,,\n")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    plan = pd.read_csv(tmp_path / "out" / "matches.csv")
    assert ("C3", "P1") not in set(zip(plan["child_id"], plan["placement_id"], strict=True))
    assert [(d["child_id"], d["placement_id"]) for d in summary["decisions"]["applied"]] == [
        ("C3", "P1")
    ]
    (aside,) = summary["set_aside"]
    assert aside["row"] == 2
    assert "excluded on row 3, which is applied; this pin is not obeyed" in aside["problem"]


def test_text_typed_as_a_formula_is_shown_as_written_in_the_report(tmp_path: Path) -> None:
    """A reason or name beginning "=" (typed in the application or a spreadsheet) is text
    in match_report.xlsx, never a formula Excel would run when the report is opened."""
    _matched_with(tmp_path, 'C3,P1,exclude,"=HYPERLINK(""http://x.example"",""open"")",=1+1,,\n')
    ws = load_workbook(tmp_path / "out" / "match_report.xlsx")["Decisions"]
    cells = {c.value: c.data_type for row in ws.iter_rows(min_row=2) for c in row if c.value}
    assert cells['=HYPERLINK("http://x.example","open")'] == "s"
    assert cells["=1+1"] == "s"


def test_a_workbook_with_two_sheets_of_decisions_says_which_was_read(tmp_path: Path) -> None:
    """A workbook holding this month's decisions and an old sheet is read as one sheet,
    and a warning names both and the one read (was: the first read in silence, the
    other's exclusions unapplied); a title row above the header is noted too."""
    from openpyxl import Workbook

    write_inputs(tmp_path)
    wb = Workbook()
    old = wb.active
    old.title = "March (old)"
    april = wb.create_sheet("April")
    for ws, row in ((old, ["C3", "P2", "pin", "old", "J Smith"]),
                    (april, ["C3", "P1", "exclude", "too far", "J Smith"])):  # fmt: skip
        ws.append(["Team decisions"])
        ws.append(["child_id", "placement_id", "decision", "reason", "decided_by", "until"])
        ws.append(row)
    wb.save(tmp_path / "decisions.xlsx")
    res = _match(tmp_path, "out", f"sqlite:///{tmp_path / 'runs.sqlite'}", "--decisions",
                 str(tmp_path / "decisions.xlsx"))  # fmt: skip
    assert res.exit_code == 0, res.output
    notes = [n["note"] for n in json.loads((tmp_path / "out" / "summary.json").read_text())
             ["input_notes"]]  # fmt: skip
    assert any("has 2 sheets that read as decisions: March (old), April; only March (old) "
               "is read" in n for n in notes), notes  # fmt: skip
    assert any("row(s) above the header (a title) were skipped" in n for n in notes), notes


def test_runs_diff_says_when_a_plan_is_not_proven_best(tmp_path: Path) -> None:
    """``runs diff`` blamed a move between two plans on "the best overall plan changed"
    where the later plan was not proven best (the solver stopped at its time limit), and
    said nothing of it, as the web's What changed page now does; between two proven plans
    it says nothing more. It says so in plain words ("the search stopped before proving
    it the best"), not "the solver stopped before proving it"."""
    import datetime as dt

    from sufficiency.store import RunStore
    from sufficiency.store.types import ChildOutcome, InputRow

    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    store = RunStore(url)
    t0 = dt.datetime(2026, 4, 1, 2, tzinfo=dt.UTC)
    rows = [InputRow("referral", "C1", "a", None), InputRow("placement", "P1", "x", 1),
            InputRow("placement", "P2", "y", 1)]  # fmt: skip
    nights = (("P1", "optimal"), ("P2", "feasible"), ("P1", "time_limit"), ("P2", "optimal"),
              ("P1", "optimal"))  # fmt: skip
    for night, (home, status) in enumerate(nights):
        when = t0 + dt.timedelta(days=night)
        rid = store.start("match", {}, rows=rows, now=when)
        store.finish(rid, succeeded=True, objective=1.0, solver_status=status,
                     outcomes=[ChildOutcome("C1", home, None, None)],
                     now=when + dt.timedelta(seconds=5))  # fmt: skip
    diff = CliRunner().invoke(runs, ["diff", "1", "2", "--store", url])
    assert diff.exit_code == 0, diff.output
    assert diff.output.splitlines()[-1] == (
        "The plan of run 2 may not be the best one: the search stopped before proving it the "
        "best (the first page of its match report says more). A child above whose move has "
        'no cause of its own ("the best overall plan changed", or a place that went to such a '
        "child) may have moved for that alone, between plans about as good."
    )
    both = CliRunner().invoke(runs, ["diff", "2", "3", "--store", url])
    assert "The plans of runs 2 and 3 may not be the best ones: each search stopped" in (
        both.output
    )
    # the team's words, as the match report's page 1 says it: not the solver's
    assert "solver" not in diff.output + both.output
    proven = CliRunner().invoke(runs, ["diff", "4", "5", "--store", url])
    assert proven.exit_code == 0 and "C1: P2 -> P1" in proven.output
    assert "may not be the best" not in proven.output
