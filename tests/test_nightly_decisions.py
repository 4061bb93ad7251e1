"""The nightly match job reads ``nightly.decisions`` and records them; pseudonyms cover them."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from test_nightly import DAY, _config, _store

from sufficiency.io.atomic import sha256_file
from sufficiency.nightly import EXIT_INPUT, EXIT_OK, run_nightly
from sufficiency.store.team_decisions import add_decision, withdraw_decision


def _pseudonymised_night_with(tmp_path, sample_dir, monkeypatch, rows: list[str]):  # type: ignore[no-untyped-def]
    """Run a pseudonymised nightly match with a decisions file of ``rows``; it succeeds."""
    decisions = tmp_path / "decisions.csv"
    decisions.write_text(
        "child_id,placement_id,decision,reason,decided_by,until\n" + "".join(rows),
        encoding="utf-8",
    )
    cfg = _config(tmp_path, sample_dir, jobs=("match",))
    cfg.write_text(cfg.read_text() + f'decisions = "{decisions}"\n')
    monkeypatch.setenv("SUFFICIENCY_PSEUDONYM_KEY", "a-secret-key-of-some-length")
    report = run_nightly(cfg, DAY, pseudonymise=True)
    assert report.exit_code == EXIT_OK, report.messages
    return report


def test_nightly_match_obeys_records_and_pseudonymises_decisions(tmp_path, sample_dir, monkeypatch):
    """Decisions named in [nightly] are applied and stored; with pseudonyms on, no referred
    child's ID appears anywhere in the outputs, the why_not and decision sentences included."""
    ids = pd.read_csv(sample_dir / "referrals.csv", dtype=str)["child_id"].tolist()
    plc = pd.read_csv(sample_dir / "placements.csv", dtype=str)["placement_id"].tolist()
    _pseudonymised_night_with(tmp_path, sample_dir, monkeypatch, [
        f"{ids[0]},{plc[0]},exclude,carer unwell,J Smith,\n",
        f"{ids[1]},{plc[0]},pin,agreed,J Smith,01/01/2026\n",
    ])  # fmt: skip
    out = tmp_path / "out" / "2026-04-01" / "match"
    summary = json.loads((out / "summary.json").read_text())
    assert [len(summary["decisions"][k]) for k in ("applied", "ignored", "refused")] == [1, 1, 0]
    for f in out.iterdir():
        if f.suffix != ".xlsx":
            text = f.read_text(encoding="utf-8")
            assert not any(re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text) for c in ids)
    store = _store(tmp_path)
    (run,) = store.list_runs()
    got = store.get(run["id"])["decisions"]
    assert [(d["child_id"], d["status"]) for d in got] == [(ids[0], "applied"), (ids[1], "ignored")]
    assert any(f["label"] == "decisions" for f in store.get(run["id"])["files"])
    store.close()


def test_nightly_reads_the_teams_decisions_from_the_store(tmp_path, sample_dir, monkeypatch):
    """``decisions = "store"``: the decisions in force on the run date, as made in the web
    application, are applied (as ``match --decisions-from-store`` does); the file the job
    read is published with its outputs and recorded where it ended up. With pseudonyms on,
    that file (real IDs) is not left in the outputs."""
    cfg = _config(tmp_path, sample_dir, jobs=("match",))
    cfg.write_text(cfg.read_text() + 'decisions = "store"\n')
    store = _store(tmp_path)
    add_decision(store, "R001", "PL0013", "pin", "agreed at the placement panel", "J Smith")
    add_decision(store, "R004", "PL0032", "exclude", "too far from school", "J Smith")
    gone = add_decision(store, "R002", "PL0017", "exclude", "withdrawn later", "J Smith")
    withdraw_decision(store, gone.id, "J Smith")
    ended = dt.date(2026, 3, 31)  # the day before the run date: not in force
    add_decision(store, "R003", "PL0017", "exclude", "carers on leave", "J Smith", until=ended,
                 now=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))  # fmt: skip

    report = run_nightly(cfg, DAY)
    assert report.exit_code == EXIT_OK, report.messages
    out = tmp_path / "out" / "2026-04-01" / "match"
    read = pd.read_csv(out / "team_decisions.csv")
    assert sorted(read["child_id"]) == ["R001", "R004"]
    matches = pd.read_csv(out / "matches.csv").set_index("child_id")
    assert matches.loc["R001", "placement_id"] == "PL0013"
    assert matches.loc["R004", "placement_id"] != "PL0032"  # its proposal without it
    (run,) = store.list_runs()
    got = store.get(run["id"])
    assert {(d["child_id"], d["status"]) for d in got["decisions"]} == {
        ("R001", "applied"), ("R004", "applied")}  # fmt: skip
    (recorded,) = [f for f in got["files"] if f["label"] == "decisions"]
    assert Path(recorded["path"]) == out / "team_decisions.csv"
    assert sha256_file(out / "team_decisions.csv") == recorded["sha256"]

    # pseudonymised: the decisions are still applied, but their file is not published
    monkeypatch.setenv("SUFFICIENCY_PSEUDONYM_KEY", "a-secret-key-of-some-length")
    report = run_nightly(cfg, DAY + dt.timedelta(days=1), pseudonymise=True)
    assert report.exit_code == EXIT_OK, report.messages
    out = tmp_path / "out" / "2026-04-02" / "match"
    assert not (out / "team_decisions.csv").exists()
    summary = json.loads((out / "summary.json").read_text())
    assert len(summary["decisions"]["applied"]) == 2
    store.close()


def _texts(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` as text (workbooks: every cell value)."""
    from openpyxl import load_workbook

    out = {}
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        if f.suffix == ".xlsx":
            wb = load_workbook(f)
            out[str(f)] = "\n".join(str(c.value) for ws in wb for row in ws.iter_rows()
                                    for c in row if c.value is not None)  # fmt: skip
        else:
            out[str(f)] = f.read_text(encoding="utf-8")
    return out


def test_pseudonymised_night_names_no_child_set_aside_or_only_in_a_decision(
    tmp_path, sample_dir, monkeypatch
):
    """With pseudonyms on, children the referrals do not carry tonight still appear only
    as pseudonyms: a decision on a child no longer referred, a child whose referral row
    is set aside (bad date of birth) with a decision on them, a child ID on two rows (the
    problem quotes the ID), and a decision's reason naming a sibling. Outputs and the log
    are scanned, and the pseudonyms line up with the matches'."""
    from sufficiency.pseudonymise import pseudonym

    refs = pd.read_csv(sample_dir / "referrals.csv", dtype=str, keep_default_na=False)
    refs.loc[0, "dob"] = "32/13/2012"  # R001 set aside
    refs = pd.concat([refs, refs.iloc[[2]]], ignore_index=True)  # R003 twice: set aside
    referrals = tmp_path / "referrals.csv"
    refs.to_csv(referrals, index=False)
    decisions = tmp_path / "decisions.csv"
    decisions.write_text(
        "child_id,placement_id,decision,reason,decided_by,until\n"
        "R001,PL0013,pin,agreed at panel,J Smith,\n"
        "R099,PL0020,pin,agreed,J Smith,\n"  # not referred tonight
        "R002,PL0017,exclude,to stay near R004,J Smith,\n",
        encoding="utf-8",
    )
    cfg = _config(tmp_path, sample_dir, jobs=("validate", "match"), referrals=referrals)
    cfg.write_text(cfg.read_text() + f'decisions = "{decisions}"\n')
    key = "a-secret-key-of-some-length"
    monkeypatch.setenv("SUFFICIENCY_PSEUDONYM_KEY", key)
    report = run_nightly(cfg, DAY, pseudonymise=True)
    assert report.exit_code == EXIT_OK, report.messages
    texts = _texts(tmp_path / "out") | _texts(tmp_path / "logs")
    for child in ("R001", "R003", "R004", "R099"):
        pattern = rf"(?<![\w-]){child}(?![\w-])"
        assert not [f for f, t in texts.items() if re.search(pattern, t)], child
    out = tmp_path / "out" / "2026-04-01" / "match"
    summary = json.loads((out / "summary.json").read_text())
    ignored = {d["child_id"] for d in summary["decisions"]["ignored"]}
    assert ignored == {pseudonym("R001", key.encode()), pseudonym("R099", key.encode())}
    unplaced = set(pd.read_csv(out / "unplaced.csv", dtype=str)["child_id"])
    assert {pseudonym("R001", key.encode()), pseudonym("R003", key.encode())} <= unplaced


def test_pseudonymised_validation_quotes_no_903_child_id(tmp_path, sample_dir, monkeypatch):
    """A 903 problem may quote a child's ID outside the CHILD column (a second episode
    starting a day after one of the child's reads as overlapping episodes, the value being
    the child; an episode repeated as it stands is now a repeat, naming rows only): with
    pseudonyms on, the ID is pseudonymised in validation.json and the log like any other."""
    import shutil

    from sufficiency.pseudonymise import pseudonym

    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history)
    episodes = history / "2026" / "episodes.csv"
    lines = episodes.read_text(encoding="utf-8").splitlines()
    cells = lines[11].split(",")
    child, start = cells[0], dt.datetime.strptime(cells[1], "%d/%m/%Y")
    cells[1] = f"{start + dt.timedelta(days=1):%d/%m/%Y}"  # inside the stay: an overlap
    episodes.write_text("\n".join([*lines, ",".join(cells)]) + "\n", encoding="utf-8")
    cfg = _config(tmp_path, sample_dir, jobs=("validate",))
    cfg.write_text(cfg.read_text() + f'history = "{history}"\n')
    key = "a-secret-key-of-some-length"
    monkeypatch.setenv("SUFFICIENCY_PSEUDONYM_KEY", key)
    report = run_nightly(cfg, DAY, pseudonymise=True)
    assert report.exit_code == EXIT_OK, report.messages
    validation = (tmp_path / "out" / "2026-04-01" / "validate" / "validation.json").read_text()
    assert pseudonym(child, key.encode()) in validation
    for text in (validation, (tmp_path / "logs" / "nightly.log").read_text()):
        assert not re.search(rf"(?<![\w-]){child}(?![\w-])", text)


def test_pseudonymised_night_hides_a_child_id_typed_in_lower_case(
    tmp_path, sample_dir, monkeypatch
):
    """A decision typing a child's ID in lower case, twice (one copy applied, the other
    listed as a warning), is applied to the child and names them nowhere in the outputs,
    in either case: the warning quotes the placement, the note does not echo the ID."""
    _pseudonymised_night_with(tmp_path, sample_dir, monkeypatch,
                              ["r005,PL0017,exclude,carer said no,J Smith,\n"] * 2)  # fmt: skip
    summary = json.loads((tmp_path / "out" / "2026-04-01" / "match" / "summary.json").read_text())
    assert [d["placement_id"] for d in summary["decisions"]["applied"]] == ["PL0017"]
    texts = _texts(tmp_path / "out") | _texts(tmp_path / "logs")
    assert not [f for f, t in texts.items() if re.search(r"(?<![\w-])r005(?![\w-])", t, re.I)]


def test_decisions_made_on_pseudonymised_pages_reach_the_next_night(
    tmp_path, sample_dir, monkeypatch
):
    """On a pseudonymised night the application shows children by pseudonym, so a
    decision made there names the pseudonym; the next pseudonymised night applies it to
    that child (was: ignored as "child C... is not in tonight's referrals", a pseudonym
    of the pseudonym, and the child proposed where the team excluded them)."""
    from sufficiency.pseudonymise import pseudonym

    cfg = _config(tmp_path, sample_dir, jobs=("match",))
    cfg.write_text(cfg.read_text() + 'decisions = "store"\n')
    key = "a-secret-key-of-some-length"
    monkeypatch.setenv("SUFFICIENCY_PSEUDONYM_KEY", key)
    assert run_nightly(cfg, DAY, pseudonymise=True).exit_code == EXIT_OK
    first = pd.read_csv(tmp_path / "out" / "2026-04-01" / "match" / "matches.csv")
    shown = pseudonym("R001", key.encode())
    home = first.set_index("child_id").loc[shown, "placement_id"]
    store = _store(tmp_path)
    add_decision(store, shown, home, "exclude", "carer said no", "J Smith")
    store.close()

    report = run_nightly(cfg, DAY + dt.timedelta(days=1), pseudonymise=True)
    assert report.exit_code == EXIT_OK, report.messages
    out = tmp_path / "out" / "2026-04-02" / "match"
    summary = json.loads((out / "summary.json").read_text())
    assert [(d["child_id"], d["placement_id"]) for d in summary["decisions"]["applied"]] == [
        (shown, home)
    ]
    matches = pd.read_csv(out / "matches.csv").set_index("child_id")
    assert matches.loc[shown, "placement_id"] != home


def test_a_decisions_file_that_is_not_there_is_an_input_error(tmp_path, sample_dir):
    """``decisions`` naming a file that is not there (a share not mounted, a typo) stops
    the match job as an input error naming the file (exit 1), not as "unexpected failure
    (FileNotFoundError ...)" with a traceback in the log (exit 2)."""
    cfg = _config(tmp_path, sample_dir, jobs=("match",))
    cfg.write_text(cfg.read_text() + f'decisions = "{tmp_path / "decisions.csv"}"\n')
    report = run_nightly(cfg, DAY)
    assert report.exit_code == EXIT_INPUT, report.messages
    text = "\n".join(report.messages)
    assert f"{tmp_path / 'decisions.csv'}: 1 error" in text and "does not exist" in text
    assert "unexpected failure" not in text


def test_a_decision_made_before_its_child_left_the_referrals_is_not_taken_as_theirs(
    tmp_path, sample_dir
):
    """A child with a pin and an exclusion leaves the referrals (placed) and a child with
    the same ID is referred two nights later: the pin, agreed for the referral that
    ended, is refused with the night the child was not referred, and the exclusion is kept
    with a note to check it (was: both applied to the child referred now without a word,
    the pin placing them where the team agreed for the one who left)."""
    refs = pd.read_csv(sample_dir / "referrals.csv", dtype=str, keep_default_na=False)
    tonight = tmp_path / "referrals.csv"
    decisions = tmp_path / "decisions.csv"
    decisions.write_text(
        "child_id,placement_id,decision,reason,decided_by,until,decided_on\n"
        "R017,PL0034,pin,agreed at panel,J Smith,,01/04/2026\n"
        "R034,PL0007,exclude,too far from school,A Khan,,01/04/2026\n",
        encoding="utf-8",
    )
    cfg = _config(tmp_path, sample_dir, jobs=("match",), referrals=tonight)
    cfg.write_text(cfg.read_text() + f'decisions = "{decisions}"\n')
    nights = {DAY: refs, DAY + dt.timedelta(1): refs[~refs["child_id"].isin(["R017", "R034"])],
              DAY + dt.timedelta(2): refs}  # fmt: skip
    for day, table in nights.items():
        table.to_csv(tonight, index=False)
        report = run_nightly(cfg, day)
        assert report.exit_code == EXIT_OK, report.messages
    summary = json.loads((tmp_path / "out" / "2026-04-03" / "match" / "summary.json").read_text())
    (pin,) = summary["decisions"]["refused"]
    assert (pin["child_id"], pin["note"]) == ("R017", (
        "child R017 was not referred on 2 April 2026, after this pin was made, and is referred "
        "again: it was agreed for a referral that has ended (or for another child given the "
        "same ID); agree it again if it still holds."))  # fmt: skip
    (exclusion,) = summary["decisions"]["applied"]
    assert exclusion["note"] == (
        "the child is not matched to this placement. Check it is about this child: child "
        "R034 was not referred on 2 April 2026, after it was made (a referral that ended, or "
        "another child given the same ID)."
    )
    matches = pd.read_csv(tmp_path / "out" / "2026-04-03" / "match" / "matches.csv")
    assert "PL0034" not in set(matches.loc[matches["child_id"] == "R017", "placement_id"])
    # the first night, before either left, both were applied and the pin obeyed
    out = tmp_path / "out" / "2026-04-01" / "match"
    assert len(json.loads((out / "summary.json").read_text())["decisions"]["applied"]) == 2
    first = pd.read_csv(out / "matches.csv").set_index("child_id")
    assert first.loc["R017", "placement_id"] == "PL0034"


@pytest.mark.parametrize("pseudonymise", [False, True])
def test_a_child_whose_row_was_set_aside_for_a_night_was_still_referred(
    tmp_path, sample_dir, monkeypatch, pseudonymise
):
    """A night that sets a pinned child's row aside for an error (a date of birth that is
    not a date) still had the child referred: once the row is corrected the pin holds, not
    refused as made for a referral that ended; on pseudonymised nights too, whose summary
    names the child set aside by pseudonym."""
    monkeypatch.setenv("SUFFICIENCY_PSEUDONYM_KEY", "a-secret-key-of-some-length")
    refs = pd.read_csv(sample_dir / "referrals.csv", dtype=str, keep_default_na=False)
    tonight = tmp_path / "referrals.csv"
    decisions = tmp_path / "decisions.csv"
    decisions.write_text(
        "child_id,placement_id,decision,reason,decided_by,until,decided_on\n"
        "R017,PL0034,pin,agreed at panel,J Smith,,01/04/2026\n",
        encoding="utf-8",
    )
    cfg = _config(tmp_path, sample_dir, jobs=("match",), referrals=tonight)
    cfg.write_text(cfg.read_text() + f'decisions = "{decisions}"\n')
    broken = refs.copy()
    broken.loc[broken["child_id"] == "R017", "dob"] = "not a date"
    for day, table in {
        DAY: refs,
        DAY + dt.timedelta(1): broken,
        DAY + dt.timedelta(2): refs,
    }.items():
        table.to_csv(tonight, index=False)
        report = run_nightly(cfg, day, pseudonymise=pseudonymise)
        assert report.exit_code == EXIT_OK, report.messages
    out = tmp_path / "out" / "2026-04-02" / "match"
    aside = [a["id"] for a in json.loads((out / "summary.json").read_text())["set_aside"]]
    assert len(aside) == 1 and (aside[0] == "R017") is not pseudonymise
    summary = json.loads((tmp_path / "out" / "2026-04-03" / "match" / "summary.json").read_text())
    assert [d["note"] for d in summary["decisions"]["applied"]] == [
        "the child is matched to this placement."]  # fmt: skip
