"""The command line: documented commands, examples in help, clean errors."""

from __future__ import annotations

import re
import shutil

import click
from click.testing import CliRunner

from sufficiency.cli import main


def _commands() -> dict[str, click.Command]:
    ctx = click.Context(main)
    found = {name: main.get_command(ctx, name) for name in main.list_commands(ctx)}
    return {name: cmd for name, cmd in found.items() if cmd is not None}


def test_every_command_is_documented_in_readme(root):
    """Each CLI command appears in the README's command table."""
    readme = (root / "README.md").read_text()
    names = _commands()
    assert {"match", "forecast", "backtest", "spend", "commission", "runs"} <= set(names)
    for name in names:
        assert f"`sufficiency {name}" in readme, name


def test_every_command_help_ends_with_an_example():
    """Each command's help text gives an example invocation."""
    for name, cmd in _commands().items():
        assert re.search(r"Example: sufficiency " + name, cmd.help or ""), name


def _every_command(
    cmd: click.Command, path: tuple[str, ...] = ("sufficiency",)
) -> list[tuple[str, click.Command]]:
    """The group and every command under it, subgroups' commands included, by full name."""
    found = [(" ".join(path), cmd)]
    if isinstance(cmd, click.Group):
        ctx = click.Context(cmd)
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            assert sub is not None, name
            found += _every_command(sub, (*path, name))
    return found


def test_every_command_and_subcommand_help_ends_with_an_example():
    """Every command, group and subcommand (runs list/show/diff/prune too) ends its help
    with an ``Example:`` paragraph invoking that very command."""
    commands = dict(_every_command(main))
    runs = {f"sufficiency runs {sub}" for sub in ("list", "show", "diff", "prune")}
    assert runs | {"sufficiency spend", "sufficiency commission"} <= set(commands)
    for name, cmd in commands.items():
        paragraphs = [p.strip() for p in (cmd.help or "").strip().split("\n\n")]
        last = " ".join(paragraphs[-1].split())
        assert last.startswith("Example: sufficiency "), name
        if name != "sufficiency":
            assert last.startswith(f"Example: {name}"), name


def test_validate_missing_file_is_a_clean_error(tmp_path):
    """A path that does not exist gives exit 1 and a message, not a traceback."""
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nope.csv")])
    assert result.exit_code == 1
    assert "does not exist" in result.output and "Traceback" not in result.output


def test_match_without_date_is_refused_by_click(sample_dir, tmp_path):
    """``match --date`` is required: from click 8.3 an explicit ``default=None`` satisfied
    ``required=True``, and ``match`` without ``--date`` reached the command as None (an
    AttributeError traceback) instead of click's usage error."""
    args = ["match", "--referrals", str(sample_dir / "referrals.csv"), "--placements",
            str(sample_dir / "placements.csv"), "--out", str(tmp_path / "m")]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "Missing option '--date'" in result.output
    assert not (tmp_path / "m").exists()


def test_validate_bad_config_is_a_clean_error(tmp_path):
    """A broken config file gives 'Error:' and exit 1."""
    cfg = tmp_path / "c.toml"
    cfg.write_text("[matching]\nsolver='nope'\n")
    result = CliRunner().invoke(main, ["validate", "--config", str(cfg), str(tmp_path)])
    assert result.exit_code == 1 and result.output.startswith("Error:")


def test_contract_doc_is_current(root):
    """docs/data-contract.md is what the schemas render (regenerate it if this fails)."""
    from sufficiency.io.contract_doc import render

    assert (root / "docs" / "data-contract.md").read_text() == render()


def test_bundled_sample_validates_clean(sample_dir):
    """Every bundled sample file passes validation with no errors (exit 0)."""
    result = CliRunner().invoke(
        main,
        ["validate", "--date", "2026-04-01", str(sample_dir / "ssda903"),
         str(sample_dir / "referrals.csv"), str(sample_dir / "placements.csv")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


def test_match_command_records_its_run(sample_dir, tmp_path):
    """A standalone match run is recorded with its solver status and every child's outcome."""
    from sufficiency.store import RunStore

    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    result = CliRunner().invoke(
        main,
        ["match", "--referrals", str(sample_dir / "referrals.csv"), "--placements",
         str(sample_dir / "placements.csv"), "--date", "2026-04-01", "--out",
         str(tmp_path / "out"), "--store", url],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (run,) = RunStore(url).list_runs()
    detail = RunStore(url).get(run["id"])
    assert run["kind"] == "match" and run["status"] == "succeeded"
    children = {o["child_id"] for o in detail["outcomes"]}
    referred = (sample_dir / "referrals.csv").read_text().splitlines()[1:]
    assert detail["solver_status"] == "optimal" and len(detail["outcomes"]) == len(referred)
    assert children == {line.split(",")[0] for line in referred}
    assert any(f["label"] == "referrals" and f["role"] == "input" for f in detail["files"])


def _workbook_unpacking_to(path, megabytes: int) -> None:
    """A workbook whose sheet unpacks to ``megabytes`` MB of rows (a zip bomb's shape:
    the file is a few hundred KB)."""
    from tests.xlsx_bombs import workbook_unpacking_to

    row = b"<row><c><v>1</v></c><c><v>2</v></c></row>"
    chunk = row * (1024 * 1024 // len(row))
    workbook_unpacking_to(path, ["Child ID", "Date of birth"], [chunk] * megabytes)


def test_a_workbook_unpacking_to_hundreds_of_mb_is_refused_by_every_command(tmp_path, root):
    """The web's uploads refused a workbook unpacking to far more than it holds, but the
    commands read it: referrals.xlsx of 3 MB unpacking to 726 MB kept `match` busy for
    over four minutes at 870 MB of memory, saying nothing. The io layer's reader refuses
    it now, for every command, before opening it: a sentence naming the file, exit 1."""
    import time

    sample = root / "data" / "sample"
    book = tmp_path / "referrals.xlsx"
    _workbook_unpacking_to(book, 210)
    assert book.stat().st_size < 2_000_000
    history = tmp_path / "ssda903"
    shutil.copytree(sample / "ssda903", history)
    (history / "2026" / "episodes.csv").unlink()
    shutil.copy(book, history / "2026" / "episodes.xlsx")
    commands = {
        "match": ["match", "--referrals", str(book), "--placements",
                  str(sample / "placements.csv"), "--date", "2026-04-01", "--out",
                  str(tmp_path / "m")],
        "validate": ["validate", str(book)],
        "forecast": ["forecast", "--history", str(history), "--out", str(tmp_path / "f"),
                     "--paths", "10"],
    }  # fmt: skip
    for name, args in commands.items():
        started = time.monotonic()
        result = CliRunner().invoke(main, args)
        assert time.monotonic() - started < 30, name
        assert result.exit_code == 1, (name, result.output)
        assert "unpacks to 210 MB, more than the 200 MB an input workbook may unpack to" in (
            result.output
        ), (name, result.output)
        assert "Traceback" not in result.output, name
        assert result.exception is None or isinstance(result.exception, SystemExit), name


def test_runs_list_columns_line_up_for_every_kind(tmp_path):
    """A commission run's kind (10 letters) no longer pushes its row's columns right."""
    from sufficiency.store import RunStore

    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    store = RunStore(url)
    for kind in ("match", "commission", "forecast"):
        store.start(kind, {})
    store.close()
    result = CliRunner().invoke(main, ["runs", "list", "--store", url])
    assert result.exit_code == 0, result.output
    header, *rows = result.output.splitlines()[:4]
    column = header.index("started (UTC)")
    assert all(row[column - 1] == " " and row[column].isdigit() for row in rows), rows


def test_runs_prune_names_the_store_it_pruned(tmp_path):
    """A scheduled prune without the nightly configuration's store prunes another one
    (the default): the sentence names the store, so the log shows which was pruned."""
    url = f"sqlite:///{tmp_path / 'night.sqlite'}"
    result = CliRunner().invoke(main, ["runs", "prune", "--older-than", "90d", "--store", url])
    assert result.exit_code == 0, result.output
    assert f"from the run store {url}" in result.output
    hidden = "postgresql+psycopg://user:secret@127.0.0.1:1/none"
    from sufficiency.commands.runs import store_words

    assert store_words(hidden) == "postgresql+psycopg://user:***@127.0.0.1:1/none"


def test_python_m_sufficiency_runs_the_command_line(sample_dir):
    """`python -m sufficiency validate ...`, as an analyst without the script on the PATH
    types it, said "No module named sufficiency.__main__"."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-m", "sufficiency", "validate",
                           str(sample_dir / "referrals.csv"), "--date", "2026-04-01"],
                          capture_output=True, text=True, env=env, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Checked 1 input: 0 errors" in done.stdout


def test_python_m_sufficiency_names_itself_as_typed():
    """Its usage line said 'python -m sufficiency.sufficiency' and a mistyped option
    'Try 'python -m sufficiency.sufficiency backtest --help'', a module that does not
    exist; both now name it as the analyst typed it."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-m", "sufficiency", "backtest", "--no-such"],
                          capture_output=True, text=True, env=env, timeout=300)  # fmt: skip
    assert done.returncode == 2
    assert "Usage: python -m sufficiency backtest [OPTIONS]" in done.stderr
    assert "Try 'python -m sufficiency backtest --help' for help." in done.stderr
    assert "sufficiency.sufficiency" not in done.stderr
