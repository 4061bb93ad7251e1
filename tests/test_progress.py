"""Long commands say where they are: one ``[m:ss] stage`` line per stage on standard error
when it is not a terminal (schedulers, pipes), a transient display when it is; never on
standard output, which keeps each command's results."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import time

import pytest
from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.commands.progress import Progress

STAGE = re.compile(r"^\[\d+:\d\d\] \S")


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _stages(stderr: str) -> list[str]:
    """The stage names on standard error, in order, without their times."""
    return [line.split("] ", 1)[1] for line in stderr.splitlines() if STAGE.match(line)]


def test_not_a_terminal_one_line_per_stage_and_no_counts():
    """Each stage is one timed line; simulated months print nothing."""
    stream = io.StringIO()
    with Progress(stream) as progress:
        progress("Fitting the model")
        tick = progress.months(3)
        progress("Simulating 1,000 futures (base)")
        for month in (1, 2, 3):
            tick(month)
        progress("Writing outputs")
    assert stream.getvalue() == (
        "[0:00] Fitting the model\n[0:00] Simulating 1,000 futures (base)\n[0:00] Writing outputs\n"
    )


def test_lines_show_minutes_and_seconds_since_the_start(monkeypatch):
    """The time is minutes and two-digit seconds since the reporter started."""
    clock = iter([90.0, 100.0, 100.0 + 75.4])  # made, entered, the stage
    monkeypatch.setattr(time, "perf_counter", lambda: next(clock))
    stream = io.StringIO()
    with Progress(stream) as progress:
        progress("Backtesting at 2024-03-31")
    assert stream.getvalue() == "[1:15] Backtesting at 2024-03-31\n"


def test_terminal_shows_a_transient_display_and_nothing_on_stdout(capsys):
    """On a terminal the stages and the month count go to a rich display on that stream,
    not as stage lines; standard output and the real standard error stay empty."""
    stream = FakeTerminal()
    with Progress(stream) as progress:
        progress("Fitting the model")
        tick = progress.months(12)
        progress("Simulating 1,000 futures (base)")
        for month in range(1, 13):
            tick(month)
        progress("Writing outputs")
    shown = stream.getvalue()
    assert shown  # the display drew (and, being transient, cleared itself)
    assert "\x1b[" in shown  # terminal control sequences, not plain lines
    assert not any(STAGE.match(line) for line in shown.splitlines())
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_terminal_display_ends_cleanly_on_an_error():
    """An error part-way stops the display and propagates."""
    stream = FakeTerminal()
    with pytest.raises(RuntimeError), Progress(stream) as progress:
        progress("Fitting the model")
        raise RuntimeError("boom")
    progress("After")  # stopped: a plain line again
    assert stream.getvalue().endswith("] After\n")


# --- each long command, run as a scheduler would (CliRunner: stderr is not a terminal)


def _check(result, expected: list[str]) -> None:
    assert result.exit_code == 0, result.output
    assert _stages(result.stderr) == expected
    assert not any(STAGE.match(line) for line in result.stdout.splitlines())
    for name in expected:
        assert name not in result.stdout


def test_forecast_stages(sample_dir, tmp_path):
    result = CliRunner().invoke(main, [
        "forecast", "--history", str(sample_dir / "ssda903"), "--out", str(tmp_path),
        "--paths", "40", "--horizon-months", "12",
        "--scenario", str(sample_dir / "scenarios" / "step_down_and_in_house.toml"),
        "--backtest-cutoff", "2024-03-31",
    ])  # fmt: skip
    _check(result, [
        "Reading the 903 history", "Fitting the model", "Simulating 40 futures (base)",
        "Simulating 40 futures (Step-downs and in-house shift)", "Backtesting at 31 March 2024",
        "Writing outputs",
    ])  # fmt: skip
    assert re.search(rf"^Wrote \d+ files to {re.escape(str(tmp_path))}$", result.stdout, re.M)


def test_spend_stages(sample_dir, tmp_path):
    result = CliRunner().invoke(main, [
        "spend", "--history", str(sample_dir / "ssda903"), "--out", str(tmp_path),
        "--budget", str(sample_dir / "budget.csv"), "--paths", "40", "--horizon-months", "24",
        "--date", "2026-04-01",
    ])  # fmt: skip
    _check(result, [
        "Reading the 903 history", "Fitting the model", "Simulating 40 futures (base)",
        "Pricing the forecast against the budget", "Writing outputs",
    ])  # fmt: skip
    assert f"Outputs in {tmp_path}" in result.stdout


def test_backtest_stages(sample_dir, tmp_path):
    result = CliRunner().invoke(main, [
        "backtest", "--history", str(sample_dir / "ssda903"), "--out", str(tmp_path),
        "--cutoff", "2025-03-31", "--cutoff", "2024-03-31", "--paths", "20",
    ])  # fmt: skip
    _check(result, ["Reading the 903 history", "Backtesting at 31 March 2024",
                    "Backtesting at 31 March 2025", "Writing outputs"])  # fmt: skip
    assert "Wrote 5 files" in result.stdout  # backtest_starts.csv too


def test_commission_stages(sample_dir, tmp_path):
    # CBC runs as its own program, keeping OR-Tools out of this test process
    result = CliRunner().invoke(main, [
        "commission", "--history", str(sample_dir / "ssda903"),
        "--levers", str(sample_dir / "levers.toml"), "--out", str(tmp_path),
        "--paths", "20", "--eval-paths", "20", "--horizon-months", "12", "--no-sensitivity",
        "--solver", "cbc",
    ])  # fmt: skip
    stages = _stages(result.stderr)
    _check(result, stages)
    assert [s.split(" ")[0] for s in stages] == ["Forecasting", "Optimising", "Scoring",
                                                 "Writing"]  # fmt: skip
    assert stages[-1] == "Writing outputs"
    assert f"Wrote {tmp_path / 'plan.csv'}" in result.stdout


def test_match_stages(sample_dir, tmp_path):
    result = CliRunner().invoke(main, [
        "match", "--referrals", str(sample_dir / "referrals.csv"),
        "--placements", str(sample_dir / "placements.csv"), "--date", "2026-04-01",
        "--out", str(tmp_path),
    ])  # fmt: skip
    _check(result, [
        "Reading the referrals and the placement register",
        "Building the candidate placements for each child", "Finding the best matches",
        "Explaining the matches and the children unplaced", "Writing outputs",
    ])  # fmt: skip
    assert "placed 44 of 45 children" in result.stdout


def test_library_is_quiet_by_default(sample_dir, tmp_path, capsys):
    """The API prints nothing unless given a callback; given one, it hears each stage."""
    from sufficiency import api

    run = api.match(sample_dir / "referrals.csv", sample_dir / "placements.csv",
                    run_date=dt.date(2026, 4, 1))  # fmt: skip
    assert run.summary.num_children == 45
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    heard: list[str] = []
    api.match(sample_dir / "referrals.csv", sample_dir / "placements.csv",
              run_date=dt.date(2026, 4, 1), progress=heard.append)  # fmt: skip
    assert heard[0] == "Reading the referrals and the placement register"
    assert heard[-1] == "Explaining the matches and the children unplaced"


def test_nightly_logs_each_stage(sample_dir, tmp_path):
    """The scheduled job logs one line per stage of each job, not to standard output."""

    from sufficiency.nightly import EXIT_OK, run_nightly

    cfg = tmp_path / "nightly.toml"
    cfg.write_text("\n".join([
        "[nightly]", 'jobs = ["match"]', 'output_dir = "out/{date}"',
        f'referrals = "{sample_dir / "referrals.csv"}"',
        f'placements = "{sample_dir / "placements.csv"}"',
        f'store = "sqlite:///{tmp_path / "runs.sqlite"}"',
        'log_format = "json"', 'log_file = "logs/nightly.log"',
    ]) + "\n")  # fmt: skip
    assert run_nightly(cfg, dt.date(2026, 4, 1)).exit_code == EXIT_OK
    records = [json.loads(line) for line in (tmp_path / "logs" / "nightly.log").open()]
    stages = [r["message"] for r in records if r["message"].startswith("stage: ")]
    assert stages == [
        "stage: Reading the referrals and the placement register",
        "stage: Building the candidate placements for each child",
        "stage: Finding the best matches",
        "stage: Explaining the matches and the children unplaced",
        "stage: Writing outputs",
    ]
    assert all(r["job"] == "match" for r in records if r["message"].startswith("stage: "))
