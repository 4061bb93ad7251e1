"""No command quotes a child's details beyond their ID, however malformed its input.

tests/test_privacy.py checks named columns of the validator; here every personal field
of a 903 return (as CSV and as DfE XML) and of the referrals holds a canary, malformed
in each way a validator reports (tests/privacy_canaries.py), and every command is run on
them: everything it says (standard output and error) and every file it writes (CSVs,
workbooks, HTML, JSON, logs, the run store) is searched for the canaries. A free-text
RNE or PLACE, a school year, a needed_by, a sibling group or a responsible authority
typed as text about a child was quoted whole ('column RNE: must be one of: B, L, P, S,
T, U (value 'moved to Nan Quaxworth')') in validate, the strict refusals, match's
set-aside list (unplaced.csv, the report, summary.json, the run store) and the night's
validation.json and log; now its shape.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from privacy_canaries import RUN_DATE, SAMPLE, history, leaks, referrals, texts, xml_history

from sufficiency.cli import main

DATE = ["--date", RUN_DATE.isoformat()]


@pytest.fixture(scope="module")
def canary(tmp_path_factory) -> Path:
    """The canary inputs: ``ssda903``, ``ssda903_xml``, ``referrals.csv``, a members file
    and a nightly configuration."""
    w = tmp_path_factory.mktemp("canary")
    xml_history(w / "ssda903_xml", history(w / "ssda903"))
    referrals(w / "referrals.csv")
    # the region's second member is another authority: the sample's children under other
    # IDs (the same children twice is refused before the region runs), as DfE XML, with
    # the canary children in its latest return too
    xml_history(w / "other_xml", history(w / "other", source=_renumbered(w / "renumbered")))
    (w / "members.toml").write_text(
        '[[member]]\ncode = "E10000034"\nname = "Worcestershire"\nhistory = "ssda903"\n'
        f'budget = "{SAMPLE / "budget.csv"}"\n'
        '[[member]]\ncode = "E08000025"\nname = "Birmingham"\nhistory = "other_xml"\n'
    )
    return w


def _renumbered(dest: Path) -> Path:
    """The sample's 903 folder with every child ID given a leading 9."""
    for src in (SAMPLE / "ssda903").rglob("*.csv"):
        table = pd.read_csv(src, dtype=str, keep_default_na=False)
        table["CHILD"] = "9" + table["CHILD"]
        (dest / src.parent.name).mkdir(parents=True, exist_ok=True)
        table.to_csv(dest / src.parent.name / src.name, index=False)
    return dest


def _commands(w: Path, out: Path) -> dict[str, list[str]]:
    store = ["--store", f"sqlite:///{out / 'runs.sqlite'}"]
    register = str(SAMPLE / "placements.csv")
    hist, xml, refs = str(w / "ssda903"), str(w / "ssda903_xml"), str(w / "referrals.csv")
    small = ["--paths", "10"]
    return {
        "validate": ["validate", refs, register, hist, xml, *DATE],
        "validate-json": ["validate", "--format", "json", refs, hist, xml, *DATE],
        "match": ["match", "--referrals", refs, "--placements", register, *DATE, *store],
        "match-strict": ["match", "--strict", "--referrals", refs, "--placements", register,
                         *DATE],
        "forecast-xml": ["forecast", "--history", xml, *small, "--horizon-months", "12",
                         *DATE, *store],
        "forecast-strict": ["forecast", "--strict", "--history", hist, *small, *DATE],
        "backtest": ["backtest", "--history", hist, "--cutoff", "2025-03-31",
                     "--horizon-months", "6", *small],
        "spend": ["spend", "--history", hist, "--budget", str(SAMPLE / "budget.csv"), *small,
                  "--horizon-months", "12", *DATE, *store],
        "commission": ["commission", "--history", hist, "--levers", str(SAMPLE / "levers.toml"),
                       *small, "--eval-paths", "10", "--horizon-months", "12",
                       "--no-sensitivity", *DATE, *store],
        "region": ["region", "--members", str(w / "members.toml"), *small, "--horizon-months",
                   "12", "--workers", "1", "--no-commissioning", *DATE],
    }  # fmt: skip


COMMANDS = list(_commands(Path(), Path()))


@pytest.mark.parametrize("name", COMMANDS)
def test_no_command_quotes_a_childs_details(canary, tmp_path, name):
    out = tmp_path / "out"
    args = _commands(canary, tmp_path)[name]
    if name not in ("validate", "validate-json"):
        args += ["--out", str(out)]
    result = CliRunner().invoke(main, args)
    # the canaries are errors: validate and the strict runs refuse, the others run on
    assert result.exit_code == (1 if name.startswith("validate") or "strict" in name else 0), (
        result.output
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    said = {f"{name} output": result.output, f"{name} stderr": result.stderr}
    found = leaks(said | texts([tmp_path]))
    assert found == []
    # the problems are still said where they are, by shape
    if name == "validate":
        assert "column RNE: must be one of: B, L, P, S, T, U (value 'AAAAA AA AAA AAAAAAAAA')" in (
            result.output
        )
        assert "column dob: is not a date in the form DD/MM/YYYY or YYYY-MM-DD (value " \
            "'99/99/9999')" in result.output  # fmt: skip


def test_the_nightly_job_quotes_no_childs_details(canary, tmp_path):
    """The night's validate, match, forecast and spend over the canaries: its console,
    log, every output and its run store."""
    cfg = tmp_path / "nightly.toml"
    cfg.write_text(
        '[nightly]\njobs = ["validate", "match", "forecast", "spend"]\n'
        f'output_dir = "{tmp_path / "out" / "{date}"}"\n'
        f'referrals = "{canary / "referrals.csv"}"\n'
        f'placements = "{SAMPLE / "placements.csv"}"\n'
        f'history = "{canary / "ssda903"}"\nbudget = "{SAMPLE / "budget.csv"}"\n'
        f'store = "sqlite:///{tmp_path / "runs.sqlite"}"\n'
        f'log_format = "json"\nlog_file = "{tmp_path / "nightly.log"}"\n'
        "[forecast]\nnum_paths = 10\n"
    )
    result = CliRunner().invoke(main, ["nightly", "--config", str(cfg), *DATE])
    assert result.exit_code == 0, result.output
    said = {"console": result.output, "stderr": result.stderr}
    store = ["--store", f"sqlite:///{tmp_path / 'runs.sqlite'}"]
    for run in (1, 2, 3, 4):  # what the run store says of each of the night's runs
        shown = CliRunner().invoke(main, ["runs", "show", str(run), *store])
        assert shown.exit_code == 0, shown.output
        said[f"runs show {run}"] = shown.output
    assert "Set aside for errors" in "".join(said.values())
    found = leaks(said | texts([tmp_path]))
    assert found == []
    log = (tmp_path / "nightly.log").read_text()
    assert "column RNE" in log and "AAAAA AA AAA AAAAAAAAA" in log  # said, by its shape
