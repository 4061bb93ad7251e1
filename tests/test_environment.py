"""The commands on a server that is not the developer's laptop: its locale, its pipes."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-c", "from sufficiency.cli import main; main()"]


def _env(**extra: str) -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": root, **extra}


def test_a_path_the_locale_cannot_show_is_escaped_not_a_traceback(sample_dir, tmp_path):
    """On a server whose locale is ISO-8859-1 (``LANG=en_GB``), standard output cannot
    encode a folder's Ł: validate did its work then died with a UnicodeEncodeError
    traceback (exit 1, as if the file had errors); it is written as \\u0141 instead, as
    Python writes it on standard error."""
    folder = tmp_path / "Łódź"
    folder.mkdir()
    shutil.copy(sample_dir / "referrals.csv", folder / "referrals.csv")
    args = ["validate", "--date", "2026-04-01", str(folder / "referrals.csv")]
    env = _env(PYTHONIOENCODING="latin-1")
    result = subprocess.run([*CLI, *args], capture_output=True, env=env, check=False)
    assert result.returncode == 0, result.stderr.decode("latin-1")
    assert b"Traceback" not in result.stderr
    out = result.stdout.decode("latin-1")
    assert "\\u0141\xf3d\\u017a" in out and "0 errors" in out


def _linked_history(sample_dir: Path, tmp_path: Path) -> Path:
    """The sample's returns with the 2023-24 year a link to a folder elsewhere (a share)."""
    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history)
    shutil.move(history / "2024", tmp_path / "share-2024")
    (history / "2024").symlink_to(tmp_path / "share-2024", target_is_directory=True)
    return history


def test_a_year_folder_that_is_a_link_is_read(sample_dir, tmp_path):
    """IT links a year's returns in from a share: the 903 reader left the linked folder out
    (pathlib's rglob does not follow links), so the forecast said "No return for 2023-24"
    and projected 867 children for 31/03/2029 instead of 851, validate finding nothing
    wrong; the run store did not record the linked files either."""
    from sufficiency.forecast.run import read_903
    from sufficiency.store.record import input_files

    history = _linked_history(sample_dir, tmp_path)
    got, want = read_903(history), read_903(sample_dir / "ssda903")
    assert got.missing_years == want.missing_years == ()
    assert got.years == want.years and len(got.episodes) == len(want.episodes)
    recorded = input_files({"history": history})
    assert "history/2024/episodes.csv" in recorded and len(recorded) == 18


def test_a_link_to_nothing_in_the_history_is_an_error_not_a_missing_year(sample_dir, tmp_path):
    """A year linked from a network drive that is not connected is named as an error
    (it was a year silently missing)."""
    from sufficiency.validate import validate_paths

    history = _linked_history(sample_dir, tmp_path)
    shutil.rmtree(tmp_path / "share-2024")
    report = validate_paths([history], run_date=dt.date(2026, 4, 1), default_responsible_la="")
    errors = [p for p in report.problems if p.severity == "error"]
    assert [p.file for p in errors] == [str(history / "2024")]
    assert "which is not there" in errors[0].message


def test_a_history_file_or_folder_that_cannot_be_read_is_an_error(sample_dir, tmp_path):
    """A return this account may not read was a PermissionError traceback (a file) or a
    year silently missing (a folder)."""
    from sufficiency.validate import validate_paths

    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history)
    (history / "2023" / "episodes.csv").chmod(0)
    (history / "2024").chmod(0)
    if os.access(history / "2024", os.R_OK):  # root (with its capabilities) reads anything
        pytest.skip("this account reads files whatever their permissions")
    report = validate_paths([history], run_date=dt.date(2026, 4, 1), default_responsible_la="")
    errors = {p.file: p.message for p in report.problems if p.severity == "error"}
    assert set(errors) == {str(history / "2023" / "episodes.csv"), str(history / "2024")}
    assert all(m.startswith("cannot be read (Permission denied)") for m in errors.values())


def test_an_output_folder_that_cannot_be_made_is_a_sentence_not_a_traceback(sample_dir, tmp_path):
    """``--out`` under a file (or in a folder this account may not write, or with a name
    too long) was a NotADirectoryError / PermissionError / OSError traceback once the run
    was done; it is one sentence naming the folder (never the hidden temporary file)."""
    from click.testing import CliRunner

    from sufficiency.cli import main

    (tmp_path / "a file").write_text("x")
    out = tmp_path / "a file" / "match"
    args = ["match", "--referrals", str(sample_dir / "referrals.csv"), "--placements",
            str(sample_dir / "placements.csv"), "--date", "2026-04-01", "--out", str(out),
            "--store", f"sqlite:///{tmp_path / 'runs.sqlite'}"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert f"Error: cannot write the outputs to {out} (Not a directory)" in result.output


def test_a_run_store_that_cannot_be_created_is_a_sentence(tmp_path, monkeypatch):
    """A service account with no home folder (``/nonexistent``) cannot hold the default
    run store: every command and the nightly job gave a FileNotFoundError or
    PermissionError traceback; it is a StoreError saying what to set."""
    from sufficiency.errors import StoreError
    from sufficiency.store import RunStore

    (tmp_path / "home").write_text("not a folder")
    monkeypatch.delenv("SUFFICIENCY_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "share"))
    with pytest.raises(StoreError, match=r"cannot create the run store .*SUFFICIENCY_STORE"):
        RunStore()


def _match_args(sample_dir: Path, tmp_path: Path, out: Path) -> list[str]:
    return ["match", "--referrals", str(sample_dir / "referrals.csv"), "--placements",
            str(sample_dir / "placements.csv"), "--date", "2026-04-01", "--out", str(out),
            "--store", f"sqlite:///{tmp_path / 'runs.sqlite'}"]  # fmt: skip


def test_a_second_run_into_the_same_folder_is_refused(sample_dir, tmp_path):
    """Two runs at once into one --out folder (a scheduled run and a hand re-run): each
    file was written atomically, but the folder ended with one run's forecast.html beside
    the other's CSVs and workbook, both exiting 0. The second is refused while the first
    holds the folder (its lock, held here as the first run's process holds it)."""
    import fcntl

    from click.testing import CliRunner

    from sufficiency.cli import main

    out, lock = tmp_path / "match", ".sufficiency-writing.lock"
    out.mkdir()
    with open(out / lock, "w") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        result = CliRunner().invoke(main, _match_args(sample_dir, tmp_path, out))
    assert result.exit_code == 1, result.output
    assert f"Error: another run is writing into {out}; this run did nothing" in result.output
    assert sorted(p.name for p in out.iterdir()) == [lock]
    (out / lock).unlink()
    result = CliRunner().invoke(main, _match_args(sample_dir, tmp_path, out))
    assert result.exit_code == 0, result.output
    assert (out / "matches.csv").is_file() and not (out / lock).exists()


def test_a_relative_store_in_the_nightly_configuration_is_beside_it(
    sample_dir, tmp_path, monkeypatch
):
    """``store = "sqlite:///runs.sqlite"`` in the nightly configuration was taken from
    the folder the job started in, unlike every other path in the file: cron (started in
    the home folder) and a person re-running the night from another folder each recorded
    into a store of their own, and the web application showed neither's nights."""
    from sufficiency.nightly import run_nightly

    etc = tmp_path / "etc"
    etc.mkdir()
    config = etc / "nightly.toml"
    config.write_text(
        f'[nightly]\njobs = ["validate"]\noutput_dir = "out/{{date}}"\n'
        f'referrals = "{sample_dir / "referrals.csv"}"\nstore = "sqlite:///runs.sqlite"\n'
    )
    for started_in in ("cron", "shell"):
        (tmp_path / started_in).mkdir()
        monkeypatch.chdir(tmp_path / started_in)
        assert run_nightly(config, dt.date(2026, 4, 1)).exit_code == 0
    assert (etc / "runs.sqlite").is_file()
    assert not (tmp_path / "cron" / "runs.sqlite").exists()
    assert not (tmp_path / "shell" / "runs.sqlite").exists()


def test_runs_list_names_the_store_it_read(tmp_path, monkeypatch):
    """Run by another account than the nightly job's (root, say) or without its --store,
    ``runs list`` reads (and creates) another, empty store and said only "0 run(s) shown
    of 0.", as if the nights were not recorded; it names the store it read."""
    from click.testing import CliRunner

    from sufficiency.cli import main

    monkeypatch.delenv("SUFFICIENCY_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    result = CliRunner().invoke(main, ["runs", "list"])
    assert result.exit_code == 0, result.output
    store = tmp_path / "share" / "sufficiency" / "runs.sqlite"
    assert f"0 runs shown of 0 in the run store sqlite:///{store}." in result.output


def test_a_command_started_with_standard_error_closed_runs(sample_dir, tmp_path):
    """A launcher that closes standard error (``2>&-``): every long command died at its
    first progress line (AttributeError, printed nowhere), exit 1 with no outputs and no
    word; it runs, its result on standard output."""
    out = tmp_path / "match"
    args = [*CLI, *_match_args(sample_dir, tmp_path, out)]
    close_stderr = functools.partial(os.close, 2)  # in the child, before it starts
    result = subprocess.run(args, env=_env(), stdout=subprocess.PIPE, check=False,
                            preexec_fn=close_stderr)  # fmt: skip
    assert result.returncode == 0
    assert b"placed 44 of 45 children referred" in result.stdout
    assert (out / "matches.csv").is_file()


def test_a_full_disk_names_the_output_folder(tmp_path):
    """A disk full part-way through the outputs (a write's OSError names no file) said
    only "a file could not be read or written (No space left on device)", the folder left
    with some of the run's files; the sentence names the folder and says so. (Measured
    on a 300 KB tmpfs: forecast wrote 4 of its 6 files.)"""
    import errno

    from sufficiency.commands.common import os_problem

    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    message = os_problem(full, tmp_path / "out")
    assert message.startswith(f"cannot write the outputs to {tmp_path / 'out'} (No space")
    assert "only some of this run's files" in message


def test_a_pytest_session_leaves_no_store_folder_behind(tmp_path):
    """The session's throwaway run store folder is removed when the session ends."""
    root = Path(__file__).resolve().parents[1]
    env = _env(TMPDIR=str(tmp_path))
    subprocess.run([sys.executable, "-m", "pytest", "-q", "--co", "-p", "no:cacheprovider",
                    str(root / "tests" / "test_clock.py")],
                   cwd=root, env=env, check=True, capture_output=True)  # fmt: skip
    assert [p.name for p in tmp_path.iterdir()] == []


def _closed_stdout(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``args`` with standard output a pipe whose reader has already gone, as
    ``| head -1`` leaves it once it has its line."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(args, env=_env(**env), stdout=write, stderr=subprocess.PIPE,
                              text=True, check=False)  # fmt: skip
    finally:
        os.close(write)


def test_output_piped_into_head_ends_quietly(sample_dir, tmp_path):
    """``sufficiency runs list | head -1`` in a script: a closed standard output ended the
    command with exit code 1 (click's), which validate gives for a file with errors and
    match for a bad input; the benchmarks printed a BrokenPipeError traceback. They end
    quietly with 141 (128 + SIGPIPE, as a Unix tool so ended), nothing on standard error,
    in one place each: cli.py's group and benchmarks/bench_args.py's run."""
    from sufficiency.commands.common import EXIT_PIPE_CLOSED

    store = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    refs = str(sample_dir / "referrals.csv")
    for args in (["runs", "list", "--store", store], ["validate", refs]):
        done = _closed_stdout([*CLI, *args])
        assert (done.returncode, done.stderr) == (EXIT_PIPE_CLOSED, ""), (args, done.stderr)
    # the nightly job's code is the night's (done and logged), not the pipe's
    cfg = tmp_path / "nightly.toml"
    cfg.write_text(f'[nightly]\njobs = ["validate"]\nreferrals = "{refs}"\n'
                   f'store = "{store}"\n')  # fmt: skip
    done = _closed_stdout([*CLI, "nightly", "--config", str(cfg), "--date", "2026-04-01"])
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    # a script printing more than a pipe holds, and one whose last lines wait in the buffer
    script = tmp_path / "bench_lines.py"
    script.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parents[1] / 'benchmarks')!r})\n"
        "from bench_args import run\n"
        "def main():\n"
        "    for i in range(int(sys.argv[1])):\n"
        "        print(f'line {i}')\n"
        "run(main)\n"
    )
    for lines in ("100000", "3"):
        done = _closed_stdout([sys.executable, str(script), lines])
        assert (done.returncode, done.stderr) == (EXIT_PIPE_CLOSED, ""), done.stderr
    # an open standard output is untouched
    ran = subprocess.run([sys.executable, str(script), "3"], capture_output=True, text=True,
                         env=_env(), check=False)  # fmt: skip
    assert (ran.returncode, ran.stdout) == (0, "line 0\nline 1\nline 2\n")


#: 00:30 BST on 1 July, on a server kept on UTC and on one kept on New York's time.
ZONES = [("UTC", "2026-06-30 23:30:00"), ("America/New_York", "2026-06-30 19:30:00")]


@pytest.mark.skipif(shutil.which("faketime") is None, reason="needs faketime (libfaketime)")
@pytest.mark.parametrize(("zone", "clock"), ZONES)
def test_the_scheduled_night_takes_englands_date_on_any_server(sample_dir, tmp_path, zone, clock):
    """``sufficiency nightly`` as cron starts it, without ``--date``, at 00:30 BST on
    1 July (23:30 UTC on 30 June) on a server kept on UTC or on New York's time, with
    ``LANG=C``/``LC_ALL=C``, no ``HOME``, a read-only current folder and non-ASCII names
    in the paths: the night is 1 July's (its folder, its log line), names are written
    whole, nothing lands in the current folder."""
    folder = tmp_path / "Brontë House"
    folder.mkdir()
    shutil.copy(sample_dir / "referrals.csv", folder / "référrals Ł.csv")
    cfg = folder / "nightly ë.toml"
    lines = ['[nightly]', 'jobs = ["validate"]', 'output_dir = "sorties/{date}"',
             'referrals = "référrals Ł.csv"', 'store = "sqlite:///runs ë.sqlite"',
             'log_format = "json"', 'log_file = "journal ë.log"']  # fmt: skip
    cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cwd = tmp_path / "cwd"
    cwd.mkdir(mode=0o555)
    env = {k: v for k, v in _env(TZ=zone, LANG="C", LC_ALL="C").items() if k != "HOME"}
    done = subprocess.run(["faketime", clock, *CLI, "nightly", "--config", str(cfg)], cwd=cwd,
                          env=env, capture_output=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert f"Outputs in {folder / 'sorties' / '2026-07-01'}" in done.stdout.decode("utf-8")
    validation = json.loads((folder / "sorties" / "2026-07-01" / "validate" /
                             "validation.json").read_text(encoding="utf-8"))  # fmt: skip
    assert str(folder / "référrals Ł.csv") in json.dumps(validation, ensure_ascii=False)
    last = json.loads((folder / "journal ë.log").read_text(encoding="utf-8").splitlines()[-1])
    assert (last["message"], last["run_date"]) == ("nightly run finished", "2026-07-01")
    assert list(cwd.iterdir()) == []
