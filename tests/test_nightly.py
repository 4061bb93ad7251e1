"""The nightly pipeline: whole outputs, run records, locks, and the fault cases."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sufficiency.nightly import (
    EXIT_BUSY,
    EXIT_FAILURE,
    EXIT_INPUT,
    EXIT_OK,
    exclusive_lock,
    run_nightly,
)
from sufficiency.store import RunStore

DAY = dt.date(2026, 4, 1)


def _config(tmp_path: Path, sample_dir: Path, *, jobs=("validate",), referrals=None,
            history=False) -> Path:  # fmt: skip
    """A nightly config in tmp_path over the sample (or a given referrals file)."""
    refs = referrals or sample_dir / "referrals.csv"
    lines = [
        "[general]",
        'responsible_la = "E10000034"',
        "[nightly]",
        f"jobs = {list(jobs)!r}".replace("'", '"'),
        'output_dir = "out/{date}"',
        f'referrals = "{refs}"',
        f'placements = "{sample_dir / "placements.csv"}"',
        f'store = "sqlite:///{tmp_path / "store" / "runs.sqlite"}"',
        'log_format = "json"',
        'log_file = "logs/nightly.log"',
    ]
    if history:
        lines.append(f'history = "{sample_dir / "ssda903"}"')
    path = tmp_path / "nightly.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _store(tmp_path: Path) -> RunStore:
    return RunStore(f"sqlite:///{tmp_path / 'store' / 'runs.sqlite'}")


def test_nightly_publishes_outputs_and_records_the_run(tmp_path, sample_dir):
    """A clean night writes the output folder owner-only and records a succeeded run."""
    report = run_nightly(_config(tmp_path, sample_dir), DAY)
    assert report.exit_code == EXIT_OK, report.messages
    out = tmp_path / "out" / "2026-04-01"
    assert (out / "validate" / "validation.json").is_file()
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert stat.S_IMODE((out / "validate" / "validation.json").stat().st_mode) == 0o600
    runs = _store(tmp_path).list_runs()
    assert [(r["kind"], r["status"]) for r in runs] == [("validate", "succeeded")]
    assert not list(out.parent.glob(".*partial*"))


def test_nightly_rerun_with_identical_inputs_says_outputs_are_identical(tmp_path, sample_dir):
    """Running twice on the same inputs and config reports identical outputs."""
    cfg = _config(tmp_path, sample_dir)
    assert run_nightly(cfg, DAY).exit_code == EXIT_OK
    report = run_nightly(cfg, DAY)
    assert report.exit_code == EXIT_OK
    assert any("outputs are identical" in m for m in report.messages), report.messages


def test_same_inputs_on_another_run_date_are_not_called_differing_outputs(tmp_path, sample_dir):
    """The next night on unchanged files: its outputs differ (children are a day older)
    because the run date does, which is said, not 'these outputs differ' as though the
    run were not reproducible."""
    cfg = _config(tmp_path, sample_dir, jobs=("match",))
    assert run_nightly(cfg, DAY).exit_code == EXIT_OK
    later = DAY + dt.timedelta(days=40)
    report = run_nightly(cfg, later)
    assert report.exit_code == EXIT_OK
    (line,) = [m for m in report.messages if m.startswith("match:")]
    assert line == ("match: run 2 had the same inputs and configuration as run 1 (run for "
                    "2026-04-01), for another run date.")  # fmt: skip
    assert _store(tmp_path).get(2)["summary"]["run_date"] == later.isoformat()


def test_nightly_bad_rows_are_set_aside_and_the_rest_matched(tmp_path, sample_dir, broken_dir):
    """Referral rows with errors never block the night: they are set aside (in
    unplaced.csv and the summary, with the problem) and the rest are matched, exit 0."""
    cfg = _config(tmp_path, sample_dir, jobs=("validate", "match"),
                  referrals=broken_dir / "referrals.csv")  # fmt: skip
    report = run_nightly(cfg, DAY)
    assert report.exit_code == 0
    out = tmp_path / "out" / "2026-04-01" / "match"
    summary = json.loads((out / "summary.json").read_text())
    aside = summary["set_aside"]
    assert summary["rows_set_aside"] == len(aside) > 0
    assert any("duplicate child_id" in a["problem"] for a in aside)
    unplaced = pd.read_csv(out / "unplaced.csv")
    assert unplaced["reason"].str.startswith("Set aside for errors").sum() == len(
        {a["id"] or a["row"] for a in aside}
    )
    assert summary["num_children"] > 0  # the good rows were matched


def test_nightly_strict_refuses_bad_rows_and_records_why(tmp_path, sample_dir, broken_dir):
    """With nightly.strict: exit 1, no output folder, a failed run naming the problem."""
    cfg = _config(tmp_path, sample_dir, referrals=broken_dir / "referrals.csv")
    cfg.write_text(cfg.read_text().replace("[nightly]", "[nightly]\nstrict = true", 1))
    report = run_nightly(cfg, DAY)
    assert report.exit_code == EXIT_INPUT
    assert not (tmp_path / "out" / "2026-04-01").exists()
    (run,) = _store(tmp_path).list_runs()
    assert run["status"] == "failed" and "duplicate child_id" in run["failure_reason"]


def test_nightly_unusable_file_still_stops_the_night(tmp_path, sample_dir):
    """A referrals file missing a required column cannot be matched at all: exit 1."""
    bad = tmp_path / "referrals.csv"
    frame = pd.read_csv(sample_dir / "referrals.csv", dtype=str)
    frame.drop(columns="dob").to_csv(bad, index=False)
    report = run_nightly(_config(tmp_path, sample_dir, referrals=bad), DAY)
    assert report.exit_code == EXIT_INPUT
    (run,) = _store(tmp_path).list_runs()
    assert run["status"] == "failed" and "dob" in run["failure_reason"]


def test_one_jobs_missing_input_does_not_cost_the_others_their_outputs(tmp_path, sample_dir):
    """The 903 history missing: validate and forecast fail (recorded with the reason,
    named in the messages and the log), but tonight's matching still runs and is
    published; the exit code is the failures' (1)."""
    cfg = _config(tmp_path, sample_dir, jobs=("validate", "match", "forecast"))
    cfg.write_text(cfg.read_text() + f'history = "{tmp_path / "no-such-history"}"\n')
    report = run_nightly(cfg, DAY)
    assert report.exit_code == EXIT_INPUT, report.messages
    out = tmp_path / "out" / "2026-04-01"
    assert sorted(p.name for p in out.iterdir()) == ["match"]
    assert (out / "match" / "match_report.xlsx").is_file()
    assert any("without those of any job that failed (validate, forecast)" in m
               for m in report.messages)  # fmt: skip
    assert [m.split(":")[0] for m in report.messages if m.startswith("Error")] == [
        "Error in validate", "Error in forecast"]  # fmt: skip
    runs = {r["kind"]: r for r in _store(tmp_path).list_runs()}
    assert {k: r["status"] for k, r in runs.items()} == {
        "validate": "failed", "match": "succeeded", "forecast": "failed"}  # fmt: skip
    assert "does not exist" in runs["forecast"]["failure_reason"]
    last = json.loads((tmp_path / "logs" / "nightly.log").read_text().splitlines()[-1])
    assert last["failed_jobs"] == ["validate", "forecast"]


def test_rerun_for_a_date_keeps_the_earlier_outputs_of_a_job_that_fails(tmp_path, sample_dir):
    """Re-running a night whose validate job now fails keeps that job's outputs from the
    earlier run for the date (which the store still points at), and says so."""
    cfg = _config(tmp_path, sample_dir, jobs=("validate", "match"))
    assert run_nightly(cfg, DAY).exit_code == EXIT_OK
    kept = tmp_path / "out" / "2026-04-01" / "validate" / "validation.json"
    before = kept.read_bytes()
    cfg.write_text(cfg.read_text() + f'history = "{tmp_path / "no-such-history"}"\n')
    report = run_nightly(cfg, DAY)
    assert report.exit_code == EXIT_INPUT
    assert kept.read_bytes() == before
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert "validate: failed tonight; its outputs from the earlier run for this date are kept." in (
        report.messages)  # fmt: skip


@pytest.mark.parametrize("option", ["output_dir", "log_file"])
def test_nightly_output_or_log_folder_that_cannot_be_made_is_a_sentence(tmp_path, sample_dir,
                                                                       option):  # fmt: skip
    """An output or log path under a file (or anywhere the account cannot write): exit 1
    and a sentence naming the path and the option, not a traceback."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    cfg = _config(tmp_path, sample_dir)
    value = f"{blocker}/{{date}}" if option == "output_dir" else f"{blocker}/nightly.log"
    text = "\n".join(line for line in cfg.read_text().splitlines()
                     if not line.startswith(f"{option} ="))  # fmt: skip
    cfg.write_text(f'{text}\n{option} = "{value}"\n')
    report = run_nightly(cfg, DAY)
    assert report.exit_code == EXIT_INPUT
    (message,) = report.messages
    assert message.startswith(f"Error: cannot write {blocker}") and f"nightly.{option}" in message


def test_the_lock_and_the_folder_of_the_nights_are_owner_only(tmp_path, sample_dir):
    """The folder holding each night's outputs and the lock file in it followed the umask
    (0755 and 0644 under the usual 022) while every output folder is 0700: they are now
    owner-only too, whatever the umask."""
    old = os.umask(0o022)
    try:
        report = run_nightly(_config(tmp_path, sample_dir), DAY)
    finally:
        os.umask(old)
    assert report.exit_code == EXIT_OK, report.messages
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o700
    lock = tmp_path / "out" / ".sufficiency-nightly.lock"
    assert stat.S_IMODE(lock.stat().st_mode) == 0o600
    assert lock.read_text().startswith("pid ")


def test_nightly_refuses_to_run_while_another_holds_the_lock(tmp_path, sample_dir):
    """With the lock held, a second run exits 75 (EX_TEMPFAIL: skipped, try later), not
    2, a failure's code, which a scheduler's alert could not tell from a failed night,
    with a clear message; it does nothing and says so in the log, as a warning."""
    cfg = _config(tmp_path, sample_dir)
    with exclusive_lock(tmp_path / "out" / ".sufficiency-nightly.lock"):
        report = run_nightly(cfg, DAY)
    assert report.exit_code == EXIT_BUSY == 75
    assert EXIT_BUSY not in (EXIT_OK, EXIT_INPUT, EXIT_FAILURE)
    assert "another nightly run is in progress" in report.messages[0]
    assert not (tmp_path / "out" / "2026-04-01").exists()
    last = json.loads((tmp_path / "logs" / "nightly.log").read_text().splitlines()[-1])
    assert (last["level"], last["message"]) == ("warning", "nightly run skipped: lock held")


def _spawn(cfg: Path) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("sufficiency")
    return subprocess.Popen([str(exe), "nightly", "--config", str(cfg), "--date", "2026-04-01"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


def test_two_nightly_runs_started_together_one_runs_one_refuses(tmp_path, sample_dir):
    """Two runs started at once: one succeeds, the other exits 75 saying a run is in progress."""
    cfg = _config(tmp_path, sample_dir, history=True)
    procs = [_spawn(cfg), _spawn(cfg)]
    results = sorted((p.wait(timeout=300), p.stderr.read()) for p in procs)  # type: ignore[union-attr]
    assert [code for code, _ in results] == [EXIT_OK, EXIT_BUSY], results
    assert "another nightly run is in progress" in results[1][1]


def test_sigkill_part_way_leaves_no_partial_output_and_a_usable_store(tmp_path, sample_dir):
    """A killed run publishes nothing; the store lists earlier runs; the next run cleans up."""
    quick = _config(tmp_path, sample_dir)
    assert run_nightly(quick, DAY - dt.timedelta(days=1)).exit_code == EXIT_OK
    slow = _config(tmp_path, sample_dir, history=True)
    proc = _spawn(slow)
    deadline = time.monotonic() + 120
    out_parent = tmp_path / "out"
    while not list(out_parent.glob(".2026-04-01.partial-*")):
        assert proc.poll() is None and time.monotonic() < deadline, "run ended before the kill"
        time.sleep(0.05)
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert not (out_parent / "2026-04-01").exists()
    store = _store(tmp_path)
    runs = store.list_runs()
    assert [r["status"] for r in runs] == ["running", "succeeded"]
    # The next night cleans the partial folder (the killed run's date was not its own)
    # and marks the killed run as interrupted.
    assert run_nightly(quick, DAY + dt.timedelta(days=1)).exit_code == EXIT_OK
    assert not list(out_parent.glob(".*partial*"))
    killed = store.get(runs[0]["id"])
    assert killed["status"] == "failed" and "interrupted" in killed["failure_reason"]


def test_run_killed_mid_swap_gets_the_earlier_folder_back(tmp_path, sample_dir):
    """Killed between moving the earlier folder for its date aside and renaming its own in,
    a run leaves no folder for the date; the next run puts the earlier one back (and
    deletes an aside folder whose date was published)."""
    cfg = _config(tmp_path, sample_dir)
    assert run_nightly(cfg, DAY).exit_code == EXIT_OK
    out = tmp_path / "out"
    before = (out / "2026-04-01" / "validate" / "validation.json").read_bytes()
    os.replace(out / "2026-04-01", out / ".2026-04-01.old-0123abcd")  # what the kill left
    (out / ".2026-04-02.old-4567").mkdir()
    (out / "2026-04-02").mkdir()
    assert run_nightly(cfg, DAY + dt.timedelta(days=2)).exit_code == EXIT_OK
    assert (out / "2026-04-01" / "validate" / "validation.json").read_bytes() == before
    assert not list(out.glob(".*.old-*"))


def test_nightly_store_that_is_not_a_database_is_a_clear_error(tmp_path, sample_dir):
    """A store URL pointing at some other file: exit 2 and a sentence saying so."""
    bad = tmp_path / "store" / "runs.sqlite"
    bad.parent.mkdir()
    bad.write_text("not a database at all\n" * 100)
    report = run_nightly(_config(tmp_path, sample_dir), DAY)
    assert report.exit_code == EXIT_FAILURE and "not a database" in report.messages[0]


def test_nightly_bad_config_is_an_input_error(tmp_path):
    """An unknown job name is a configuration error: exit 1."""
    cfg = tmp_path / "n.toml"
    cfg.write_text('[nightly]\njobs = ["teleport"]\n')
    report = run_nightly(cfg, DAY)
    assert report.exit_code == EXIT_INPUT and "jobs" in report.messages[0]


@pytest.mark.parametrize("fmt", ["json", "plain"])
def test_logs_never_carry_personal_fields(tmp_path, fmt):
    """Extra log fields named like personal details are dropped before formatting."""
    import logging

    from sufficiency.logs import configure_logging

    log_file = tmp_path / "x.log"
    logger = configure_logging(fmt, file=log_file)
    logger.info("placed", extra={"child_id": "C1", "dob": "01/02/2015", "home_postcode": "WR1 1AA"})
    for h in logger.handlers:
        h.flush()
    text = log_file.read_text()
    assert "C1" in text and "01/02/2015" not in text and "WR1 1AA" not in text
    logging.getLogger("sufficiency").handlers.clear()


def test_pseudonymise_replaces_child_ids_in_every_output(tmp_path, sample_dir, monkeypatch):
    """With --pseudonymise no referred child's ID appears in any output; pseudonyms do."""
    import pandas as pd

    from sufficiency.pseudonymise import pseudonym

    key = "a-secret-key-of-some-length"
    monkeypatch.setenv("SUFFICIENCY_PSEUDONYM_KEY", key)
    report = run_nightly(_config(tmp_path, sample_dir, jobs=("match",)), DAY, pseudonymise=True)
    assert report.exit_code == EXIT_OK, report.messages
    out = tmp_path / "out" / "2026-04-01" / "match"
    ids = pd.read_csv(sample_dir / "referrals.csv", dtype=str)["child_id"]
    matches = pd.read_csv(out / "matches.csv", dtype=str)
    assert set(matches["child_id"]) <= {pseudonym(c, key.encode()) for c in ids}
    for f in out.iterdir():
        text = f.read_bytes().decode("utf-8", "replace") if f.suffix != ".xlsx" else ""
        assert not any(f"{c}," in text or f'"{c}"' in text for c in ids), f.name


def test_pseudonymise_without_a_key_is_a_configuration_error(tmp_path, sample_dir, monkeypatch):
    """Asking for pseudonyms with no key set is exit 1 with a clear message."""
    monkeypatch.delenv("SUFFICIENCY_PSEUDONYM_KEY", raising=False)
    report = run_nightly(_config(tmp_path, sample_dir), DAY, pseudonymise=True)
    assert report.exit_code == EXIT_INPUT and "secret key" in report.messages[0]


def test_history_summary_logged_once_per_line(caplog: pytest.LogCaptureFixture) -> None:
    """Each data-quality line is logged once under "903 history:", never twice over."""
    from sufficiency.io.ssda903 import read_history
    from sufficiency.nightly import _log_quality

    quality = read_history(Path(__file__).parents[1] / "data" / "sample" / "ssda903").quality
    caplog.set_level("INFO", logger="sufficiency.nightly")
    _log_quality(quality)
    logged = [r.getMessage() for r in caplog.records if r.name == "sufficiency.nightly"]
    assert len(logged) == len(quality.summary_lines()) >= 2
    assert all(m.startswith("903 history: ") for m in logged)
    assert not any("903 history: 903 history" in m for m in logged)


def test_pseudonymised_forecast_quotes_no_903_child_id(tmp_path, sample_dir, monkeypatch):
    """A 903 history whose 2025-26 return re-keys two children: data_quality.csv (and the
    workbook's sheet) quote both identifiers of each. Pseudonymised, neither real ID is
    written; before, the forecast job's data_quality.csv held them as written."""
    import shutil

    from openpyxl import load_workbook

    from sufficiency.pseudonymise import pseudonym

    key = "a-secret-key-of-some-length"
    monkeypatch.setenv("SUFFICIENCY_PSEUDONYM_KEY", key)
    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history)
    eps = pd.read_csv(history / "2026" / "episodes.csv", dtype=str)
    head = pd.read_csv(history / "2026" / "header.csv", dtype=str)
    begun = pd.to_datetime(eps["DECOM"], format="%d/%m/%Y") < pd.Timestamp("2025-04-01")
    old = list(eps.loc[eps["DEC"].isna() & begun, "CHILD"].unique()[:2])
    for frame in (eps, head):
        frame["CHILD"] = frame["CHILD"].replace({c: f"NEW{c}" for c in old})
    eps.to_csv(history / "2026" / "episodes.csv", index=False)
    head.to_csv(history / "2026" / "header.csv", index=False)
    cfg = _config(tmp_path, sample_dir, jobs=("forecast",), history=True)
    cfg.write_text(cfg.read_text().replace(str(sample_dir / "ssda903"), str(history)))
    report = run_nightly(cfg, DAY, pseudonymise=True)
    assert report.exit_code == EXIT_OK, report.messages
    out = tmp_path / "out" / "2026-04-01" / "forecast"
    quality = (out / "data_quality.csv").read_text()
    assert quality.count("child_id_changed") == 2
    assert pseudonym(old[0], key.encode()) in quality
    cells = " ".join(str(c.value) for ws in load_workbook(out / "forecast.xlsx")
                     for row in ws.iter_rows() for c in row if c.value is not None)  # fmt: skip
    for c in old:
        for text in (quality, cells, (out / "forecast.html").read_text()):
            assert c not in text and f"NEW{c}" not in text


def test_a_total_row_in_the_budget_never_costs_the_night_its_spend(tmp_path, sample_dir):
    """Finance's budget sheet with a total row at its foot stopped the night's spend job
    ('Error in spend: budget.csv: 2 error(s)'; exit 1, no spend outputs) for a row that is
    not a budget line. It is set aside and said; the spend is published, exit 0."""
    budget = tmp_path / "budget.csv"
    budget.write_text((sample_dir / "budget.csv").read_text() + "Total,,209200000\n")
    cfg = _config(tmp_path, sample_dir, jobs=("spend",), history=True)
    cfg.write_text(cfg.read_text() + f'budget = "{budget}"\n[forecast]\nnum_paths = 20\n')
    report = run_nightly(cfg, DAY)
    assert report.exit_code == EXIT_OK, report.messages
    spend = tmp_path / "out" / "2026-04-01" / "spend"
    compared = pd.read_csv(spend / "budget_comparison.csv")
    assert len(compared) == 5  # the sample's five lines, the total row set aside
    assert not any("Total" in str(v) for v in compared.to_numpy().ravel())


def test_a_note_in_the_cost_file_never_costs_the_night_its_spend(tmp_path, sample_dir):
    """A note under the cost file's figures stopped the night's spend job ('Error in
    spend: costs.csv: 2 error(s)'; exit 1, no spend outputs). It is set aside and said
    under Read with care; the spend is published with the costs given, exit 0."""
    costs = tmp_path / "costs.csv"
    costs.write_text("category,weekly_cost\nifa_foster,950\nNote: 2026 framework rates,\n")
    cfg = _config(tmp_path, sample_dir, jobs=("spend",), history=True)
    cfg.write_text(cfg.read_text() + f'costs = "{costs}"\n[forecast]\nnum_paths = 20\n')
    report = run_nightly(cfg, DAY)
    assert report.exit_code == EXIT_OK, report.messages
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "out" / "2026-04-01" / "spend" / "spend.xlsx")
    said = [r[1] for r in sheet["Assumptions"].iter_rows(values_only=True)
            if r[0] == "Read with care"]  # fmt: skip
    assert any(str(v).startswith("costs.csv: 1 row of the cost file set aside") for v in said)


def test_the_night_log_records_what_the_forecast_and_spend_set_aside(tmp_path, sample_dir):
    """A register row the forecast set aside, and a budget row the spend set aside, were
    said on standard error only: the scheduler's log (the night's record) had the match
    job's set-asides and nothing of the forecast's or the spend's. Each job's data
    warnings are logged once, naming the job."""
    reg = pd.read_csv(sample_dir / "placements.csv", dtype=str, keep_default_na=False)
    reg.loc[1, "vacancies"] = "-2"
    reg.to_csv(tmp_path / "placements.csv", index=False)
    budget = tmp_path / "budget.csv"
    budget.write_text((sample_dir / "budget.csv").read_text() + "Note: agreed at Cabinet,,\n")
    cfg = _config(tmp_path, sample_dir, jobs=("forecast", "spend"), history=True)
    text = cfg.read_text().replace(str(sample_dir / "placements.csv"),
                                   str(tmp_path / "placements.csv"))  # fmt: skip
    cfg.write_text(text + f'budget = "{budget}"\n[forecast]\nnum_paths = 20\n')
    report = run_nightly(cfg, DAY)
    assert report.exit_code == EXIT_OK, report.messages
    lines = [json.loads(ln) for ln in (tmp_path / "logs" / "nightly.log").read_text().splitlines()]
    warned = [(e["job"], e["message"]) for e in lines if e["level"] == "warning"]
    forecast = [m for j, m in warned if j == "forecast" and "set aside" in m]
    spend = [m for j, m in warned if j == "spend" and "set aside" in m]
    assert len(forecast) == 1 and forecast[0].startswith(
        "placements.csv: 1 row of the placement register set aside for errors (row 3 (PL0002)"
    ), warned
    assert len(spend) == 1 and spend[0].startswith("budget.csv: 1 budget row set aside"), warned


def test_an_unquoted_comma_in_one_row_never_stops_the_night(tmp_path, sample_dir):
    """One referral and one 903 episode with a cell past the header's columns (an
    unquoted comma in a value): the match and forecast jobs failed ('Error in match:
    referrals.csv: row 6: row has 19 cells but the header has 18 columns'), no child
    matched. Each row is set aside and said; both jobs publish, exit 0."""
    import shutil

    refs = (sample_dir / "referrals.csv").read_text().splitlines(keepends=True)
    refs[5] = refs[5].rstrip("\n") + ",Worcester\n"
    (tmp_path / "referrals.csv").write_text("".join(refs))
    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history)
    eps = (history / "2026" / "episodes.csv").read_text().splitlines(keepends=True)
    eps[9] = eps[9].rstrip("\n") + ",see notes\n"
    (history / "2026" / "episodes.csv").write_text("".join(eps))
    cfg = _config(tmp_path, sample_dir, jobs=("match", "forecast"),
                  referrals=tmp_path / "referrals.csv")  # fmt: skip
    cfg.write_text(cfg.read_text() + f'history = "{history}"\n[forecast]\nnum_paths = 20\n')
    report = run_nightly(cfg, DAY)
    assert report.exit_code == EXIT_OK, report.messages
    out = tmp_path / "out" / "2026-04-01"
    summary = json.loads((out / "match" / "summary.json").read_text())
    assert [(a["row"], a["id"]) for a in summary["set_aside"]] == [(6, "R005")]
    assert summary["num_children"] == 44
    quality = pd.read_csv(out / "forecast" / "data_quality.csv")
    aside = quality[quality["code"] == "extra_cells"]
    assert aside[["row", "action"]].values.tolist() == [[10, "row set aside"]]


@pytest.mark.parametrize("fault", ["store", "key"])
def test_a_night_that_ends_before_its_jobs_says_why_in_its_log(tmp_path, sample_dir, fault,
                                                               monkeypatch):  # fmt: skip
    """A run store that cannot be used, or a pseudonym key that is not set, ends the night
    before any job runs: the scheduler's log file says so with the reason, not only the
    console (the log held nothing for that night)."""
    monkeypatch.delenv("SUFFICIENCY_PSEUDONYM_KEY", raising=False)
    if fault == "store":
        bad = tmp_path / "store" / "runs.sqlite"
        bad.parent.mkdir()
        bad.write_text("not a database at all\n" * 100)
    report = run_nightly(_config(tmp_path, sample_dir), DAY, pseudonymise=fault == "key")
    assert report.exit_code != EXIT_OK
    lines = [json.loads(x) for x in (tmp_path / "logs" / "nightly.log").read_text().splitlines()]
    (failed,) = [x for x in lines if x["level"] == "error"]
    assert failed["message"] == f"nightly run failed: {report.messages[0]}"


def test_an_input_still_being_written_fails_its_job_not_the_night(tmp_path, sample_dir,
                                                                  monkeypatch):  # fmt: skip
    """The register export still writing referrals.csv while the match reads it: the
    match had read a file cut short (22 of 45 children, exit 0, a note only about the
    cut row). The job fails with exit 1 naming the file, the earlier outputs stay."""
    import sufficiency.nightly as nightly

    refs = tmp_path / "referrals.csv"
    whole = (sample_dir / "referrals.csv").read_bytes()
    refs.write_bytes(whole[:2700])  # cut part-way through a row, as a slow export leaves it
    match, _ = nightly.JOBS["match"]

    def match_while_the_export_writes(ctx):
        outcome = match(ctx)
        refs.write_bytes(whole)  # the export finishes while the job runs
        return outcome

    monkeypatch.setitem(nightly.JOBS, "match", (match_while_the_export_writes, ("referrals",
                        "placements", "decisions")))  # fmt: skip
    report = run_nightly(_config(tmp_path, sample_dir, jobs=("match",), referrals=refs), DAY)
    assert report.exit_code == EXIT_INPUT
    assert f"{refs}: 1 error" in report.messages[0]
    assert "changed while the night was reading it" in report.messages[0]
    assert not (tmp_path / "out" / "2026-04-01").exists()
    (run,) = _store(tmp_path).list_runs()
    assert run["status"] == "failed" and "changed while" in run["failure_reason"]


def test_a_failed_jobs_log_line_says_why(tmp_path, sample_dir):
    """A job's failure in the scheduler's log gives its reason in one line (a network
    drive gone: the file that does not exist; a job without its input in the
    configuration): the log said only 'job failed: input errors' and 'job failed'."""
    gone = tmp_path / "drive" / "referrals.csv"
    report = run_nightly(_config(tmp_path, sample_dir, jobs=("validate", "spend"),
                                 referrals=gone), DAY)  # fmt: skip
    assert report.exit_code == EXIT_INPUT
    lines = [json.loads(x) for x in (tmp_path / "logs" / "nightly.log").read_text().splitlines()]
    failed = {x["job"]: x["message"] for x in lines if x["level"] == "error" and "job" in x}
    assert failed == {
        "validate": f"job failed: input errors: {gone}: 1 error, 0 warnings ERROR: "
        "referrals.csv does not exist",
        "spend": "job failed: the spend job needs nightly.history in the configuration",
    }
    # every job failed: the night's end is still logged (a log watcher waits for it)
    assert lines[-1]["message"] == "nightly run finished: every job failed"
    assert lines[-1]["failed_jobs"] == ["validate", "spend"]
    assert lines[-1]["run_date"] == "2026-04-01" and lines[-1]["level"] == "error"


def test_a_folder_without_the_date_never_keeps_another_nights_outputs(tmp_path, sample_dir):
    """``output_dir = "out/latest"`` (the same folder every night): a night whose validate
    job fails publishes no validate folder rather than the night before's, which the
    placement team would read as tonight's (it was kept, said to be 'from the earlier run
    for this date'). A re-run for the same date still keeps them."""
    cfg = _config(tmp_path, sample_dir, jobs=("validate", "match"))
    cfg.write_text(cfg.read_text().replace("out/{date}", "out/latest"))
    assert run_nightly(cfg, DAY).exit_code == EXIT_OK
    out = tmp_path / "out" / "latest"
    cfg.write_text(cfg.read_text() + f'history = "{tmp_path / "no-such-history"}"\n')
    report = run_nightly(cfg, DAY)
    assert (out / "validate").is_dir() and any("validate: failed tonight" in m
                                               for m in report.messages)  # fmt: skip
    report = run_nightly(cfg, DAY + dt.timedelta(days=1))
    assert report.exit_code == EXIT_INPUT
    assert sorted(p.name for p in out.iterdir()) == ["match"]
    assert not any("earlier run" in m for m in report.messages)


def test_the_nights_last_log_line_has_its_date_and_what_the_console_said(tmp_path, sample_dir):
    """The morning's reader of the log sees the night's run date and its notes (the
    inputs unchanged since an earlier night's, a stale export perhaps), which only the
    console had."""
    cfg = _config(tmp_path, sample_dir)
    assert run_nightly(cfg, DAY).exit_code == EXIT_OK
    report = run_nightly(cfg, DAY + dt.timedelta(days=1))
    last = json.loads((tmp_path / "logs" / "nightly.log").read_text().splitlines()[-1])
    assert last["message"] == "nightly run finished" and last["run_date"] == "2026-04-02"
    assert last["notes"] == list(report.messages[1:])
    assert "had the same inputs and configuration as run 1" in last["notes"][0]


def test_the_log_says_what_tonights_matching_did(tmp_path, sample_dir):
    """The log has the night's matching as the console of ``match`` has it: a referrals
    export with its header row and nobody in it (a failed export looks so) is a warning,
    on the console too, and a plan the solver stopped before proving best is said; the
    log had only 'match: run N recorded' on the console."""
    refs = tmp_path / "referrals.csv"
    refs.write_text((sample_dir / "referrals.csv").read_text().splitlines()[0] + "\n")
    with pytest.warns(UserWarning, match="no child referred tonight"):
        report = run_nightly(_config(tmp_path, sample_dir, jobs=("match",), referrals=refs), DAY)
    assert report.exit_code == EXIT_OK
    lines = [json.loads(x) for x in (tmp_path / "logs" / "nightly.log").read_text().splitlines()]
    said = [(x["level"], x["message"]) for x in lines if x.get("job") == "match"
            and not x["message"].startswith(("stage", "job started"))]  # fmt: skip
    assert said == [
        ("info", "match: optimal: placed 0 of 0 children referred"),
        ("warning", "no child referred tonight: matching proposed nothing (right only if no "
         "child needs a home; an export that failed looks the same)")]  # fmt: skip


def _drop_after_validate(monkeypatch, tmp_path, table: str) -> None:
    """The night's validate job runs, then the store's ``table`` is dropped (a database
    restarted, its tables gone)."""
    import sqlite3

    import sufficiency.nightly as nightly

    validate, wanted = nightly.JOBS["validate"]

    def validate_then_lose_the_table(ctx):
        outcome = validate(ctx)
        with sqlite3.connect(tmp_path / "store" / "runs.sqlite") as db:
            db.execute(f"DROP TABLE {table}")
        return outcome

    monkeypatch.setitem(nightly.JOBS, "validate", (validate_then_lose_the_table, wanted))


def test_a_run_store_lost_part_way_is_a_sentence_and_exit_2(tmp_path, sample_dir, monkeypatch):
    """The run store failing part-way through the night (a database restarted, its
    tables gone): exit 2 and a sentence, on the console and in the log, not a traceback
    and exit 1 (an input error) with nothing in the log."""
    _drop_after_validate(monkeypatch, tmp_path, "run_files")
    report = run_nightly(_config(tmp_path, sample_dir), DAY)
    assert report.exit_code == EXIT_FAILURE
    (message,) = report.messages
    assert message.startswith("Error: the run store failed part-way through the night ("
                              "OperationalError: no such table: run_files)")  # fmt: skip
    lines = [json.loads(x) for x in (tmp_path / "logs" / "nightly.log").read_text().splitlines()]
    assert lines[-1]["message"] == f"nightly run failed: {message}"


def test_each_jobs_first_log_line_says_when_its_inputs_were_last_written(tmp_path, sample_dir):
    """A stale export (the register not written since last week) shows in the log: each
    job's 'job started' line gives its input files' last-modified times (a folder's
    newest file's), in UTC."""
    refs = tmp_path / "referrals.csv"
    refs.write_bytes((sample_dir / "referrals.csv").read_bytes())
    when = dt.datetime(2026, 3, 24, 22, 10, tzinfo=dt.UTC)
    os.utime(refs, (when.timestamp(), when.timestamp()))
    cfg = _config(tmp_path, sample_dir, jobs=("validate",), referrals=refs, history=True)
    assert run_nightly(cfg, DAY).exit_code == EXIT_OK
    lines = [json.loads(x) for x in (tmp_path / "logs" / "nightly.log").read_text().splitlines()]
    (started,) = [x for x in lines if x["message"] == "job started"]
    newest = max(p.stat().st_mtime for p in (sample_dir / "ssda903").rglob("*") if p.is_file())

    def utc(seconds: float) -> str:
        return f"{dt.datetime.fromtimestamp(seconds, dt.UTC):%Y-%m-%dT%H:%M:%SZ}"

    assert started["inputs_modified"] == {
        "referrals": "2026-03-24T22:10:00Z",
        "placements": utc((sample_dir / "placements.csv").stat().st_mtime),
        "history": utc(newest),
    }


def test_the_forecast_job_says_a_history_over_a_year_before_the_night(tmp_path, sample_dir):
    """A nightly forecast on 1 June 2027 left on the 903 history to 31/03/2026: the job
    forecast from today's date, not the night's, so its output never said the history
    was over a year old; it says so under Read with care, dated by the night."""
    cfg = _config(tmp_path, sample_dir, jobs=("forecast",), history=True)
    cfg.write_text(cfg.read_text() + "[forecast]\nnum_paths = 20\nhorizon_months = 12\n")
    report = run_nightly(cfg, dt.date(2027, 6, 1))
    assert report.exit_code == EXIT_OK, report.messages
    table = pd.read_csv(tmp_path / "out" / "2027-06-01" / "forecast" / "assumptions.csv")
    said = table.loc[table["item"] == "Read with care", "value"]
    assert said.str.contains("more than a year before the run date 1 June 2027").sum() == 1


def test_the_night_applies_the_retention_periods_once_its_runs_are_recorded(tmp_path, sample_dir):
    """A council that scheduled only the night kept every run for ever: with [retention]
    the night deletes what is older (here the nights of months ago) after publishing,
    keeps tonight's and says what it deleted on the console and in its log."""
    cfg = _config(tmp_path, sample_dir)
    assert run_nightly(cfg, DAY).exit_code == EXIT_OK
    store = _store(tmp_path)
    months_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=200)
    for _ in range(3):  # three nights of long ago, recorded as the night records them
        old = store.start("validate", {}, now=months_ago)
        store.finish(old, succeeded=True, now=months_ago)
    store.close()
    without = run_nightly(cfg, DAY + dt.timedelta(days=1))  # no [retention]: nothing goes
    assert without.exit_code == EXIT_OK and len(_store(tmp_path).list_runs()) == 5
    assert not any("[retention]" in m for m in without.messages)
    cfg.write_text(cfg.read_text() + '[retention]\nruns = "90d"\naudit = "1y"\n')
    report = run_nightly(cfg, DAY + dt.timedelta(days=2))
    assert report.exit_code == EXIT_OK, report.messages
    said = [m for m in report.messages if m.startswith("[retention]")]
    assert said == ["[retention]: Deleted 3 runs older than 90d and 0 audit trail events "
                    "older than 1y from the run store. Kept however old: the latest successful "
                    "run of each kind, any run still running, and the forecast runs the "
                    "scenario runs kept were run on."]  # fmt: skip
    assert [r["id"] for r in _store(tmp_path).list_runs()] == [6, 5, 1]
    lines = [json.loads(x) for x in (tmp_path / "logs" / "nightly.log").read_text().splitlines()]
    applied = [x for x in lines if x["message"] == "retention applied"]
    assert applied[-1]["runs_deleted"] == 3 and applied[-1]["retention_runs"] == "90d"
    assert lines[-1]["message"] == "nightly run finished" and said[0] in lines[-1]["notes"]


def test_a_store_that_fails_as_the_night_prunes_it_is_said_with_the_night_recorded(
    tmp_path, sample_dir, monkeypatch
):
    """The store failing as [retention] is applied: exit 2 and a sentence saying the
    periods were not applied, while the night's outputs are published and its run
    recorded (not "runs left unfinished", as a store lost part-way through the jobs)."""
    _drop_after_validate(monkeypatch, tmp_path, "audit_events")
    cfg = _config(tmp_path, sample_dir)
    cfg.write_text(cfg.read_text() + '[retention]\naudit = "1y"\n')
    report = run_nightly(cfg, DAY)
    assert report.exit_code == EXIT_FAILURE
    assert report.messages[-1].startswith(
        "Error: the retention periods ([retention]) were not applied: the run store failed "
        "(OperationalError: no such table: audit_events); tonight's outputs are published"
    )
    assert (tmp_path / "out" / "2026-04-01" / "validate" / "validation.json").is_file()
    assert [r["status"] for r in _store(tmp_path).list_runs()] == ["succeeded"]


def _nights_in(path: Path) -> list[str]:
    """The run dates of the nights a log file holds, from their last lines."""
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    return [x["run_date"] for x in lines if x["message"] == "nightly run finished"]


def test_each_night_starts_a_new_log_and_keeps_the_last_log_keep(tmp_path, sample_dir):
    """The log file grew by every night for ever (2 KB a night for the sample; a year of
    a council's nights, each child's warnings by ID, is kept past any retention period).
    Each night that holds the lock starts a new file, the earlier moved to nightly.log.1
    and up, those past log_keep deleted, each owner-only; a night refused while another
    runs adds its line to that night's file; log_keep = 0 appends to one file."""
    cfg = _config(tmp_path, sample_dir)
    cfg.write_text(cfg.read_text() + "log_keep = 2\n")
    logs = tmp_path / "logs"
    days = [DAY + dt.timedelta(days=i) for i in range(4)]
    for day in days:
        assert run_nightly(cfg, day).exit_code == EXIT_OK
    assert sorted(p.name for p in logs.iterdir()) == ["nightly.log", "nightly.log.1",
                                                      "nightly.log.2"]  # fmt: skip
    assert _nights_in(logs / "nightly.log") == [days[3].isoformat()]
    assert _nights_in(logs / "nightly.log.1") == [days[2].isoformat()]
    assert _nights_in(logs / "nightly.log.2") == [days[1].isoformat()]
    assert {stat.S_IMODE(p.stat().st_mode) for p in logs.iterdir()} == {0o600}
    with exclusive_lock(tmp_path / "out" / ".sufficiency-nightly.lock"):
        assert run_nightly(cfg, days[3]).exit_code == EXIT_BUSY
    assert len(list(logs.iterdir())) == 3
    last = json.loads((logs / "nightly.log").read_text().splitlines()[-1])
    assert last["message"] == "nightly run skipped: lock held"
    assert _nights_in(logs / "nightly.log") == [days[3].isoformat()]
    cfg.write_text(cfg.read_text().replace("log_keep = 2", "log_keep = 0"))
    for day in days[:2]:
        assert run_nightly(cfg, day).exit_code == EXIT_OK
    assert len(list(logs.iterdir())) == 3
    assert _nights_in(logs / "nightly.log") == [d.isoformat() for d in (days[3], *days[:2])]
    cfg.write_text(cfg.read_text().replace("log_keep = 0", "log_keep = 1"))
    assert run_nightly(cfg, days[2]).exit_code == EXIT_OK  # a lower log_keep deletes the rest
    assert sorted(p.name for p in logs.iterdir()) == ["nightly.log", "nightly.log.1"]
    assert _nights_in(logs / "nightly.log.1") == [d.isoformat() for d in (days[3], *days[:2])]
