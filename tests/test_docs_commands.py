"""README.md and docs/*.md: every command line names real commands and options, every
file of the repository they name exists, so a user following them to the letter is not
sent to something renamed or removed."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from sufficiency.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: A command line, as a fenced block or an inline code span (not Python).
_CODE = re.compile(r"```(?!python)\w*\n(.*?)```|(?<!`)`([^`\n]+)`(?!`)", re.S)
_COMMAND = re.compile(r"(?:^|[\s/(])sufficiency((?:\s+[a-z][a-z-]*)+.*)")


def _code(path: Path) -> list[tuple[int, str]]:
    """Each code span or block of ``path``, by line, continuation lines joined."""
    text = path.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 1, (m.group(1) or m.group(2)).replace("\\\n", " "))
            for m in _CODE.finditer(text)]  # fmt: skip


def _options(cmd: click.Command) -> set[str]:
    return {o for p in cmd.params for o in (*p.opts, *p.secondary_opts) if o.startswith("-")}


def command_lines(path: Path) -> list[tuple[int, str]]:
    """Every ``sufficiency ...`` command line in ``path`` (help examples' form too)."""
    found = []
    for line_no, code in _code(path):
        for line in code.split("\n"):
            found += [(line_no, m.group(1).split("#")[0]) for m in _COMMAND.finditer(line)]
    return found


def problems(words: str) -> list[str]:
    """What in the command line ``sufficiency WORDS`` click does not know; [] if all.

    Alternatives in a table cell (``list \\| show RUN \\| prune --older-than 90d``) are
    each read against the group of the first; ``[...]`` marks options as optional.
    """
    found: list[str] = []
    group: click.Group = main
    cmd: click.Command = main
    for alternative in re.split(r"\s+\\?\|\s+", words.replace("[", " ").replace("]", " ")):
        tokens = alternative.split()
        if not tokens or not tokens[0].startswith("--"):  # else: options of the same command
            cmd = group
        while tokens and isinstance(cmd, click.Group) and tokens[0] in cmd.commands:
            group = cmd
            cmd = cmd.commands[tokens.pop(0)]
        if cmd is main:
            found.append(f"no command {tokens[0] if tokens else ''!r}")
            continue
        known = _options(cmd) | {"--help"}
        found += [f"{cmd.name} has no {t}" for t in tokens
                  if re.fullmatch(r"--[a-z][a-z0-9-]*", t) and t not in known]  # fmt: skip
    return found


def test_the_checker_finds_an_unknown_command_or_option():
    """The check itself can fail (as a renamed option would make it)."""
    assert problems("forecast --history D --out D --paths 10") == []
    assert problems("runs list \\| show RUN \\| prune --older-than 90d") == []
    assert problems("forecast --histories D") == ["forecast has no --histories"]
    assert problems("runs list --older-than 90d") == ["list has no --older-than"]
    assert problems("forcast --out D") == ["no command 'forcast'"]
    assert problems("region --members F [--workers N | --scheduler A] [--paths N]") == []
    assert problems("region --members F [--workers N | --schedule A]") == [
        "region has no --schedule"
    ]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_documented_command_line_is_known_to_the_cli(doc):
    """Each ``sufficiency`` command in the page names a command and its own options."""
    bad = [f"{doc.name}:{n}: sufficiency{words}: {p}"
           for n, words in command_lines(doc) for p in problems(words)]  # fmt: skip
    assert not bad, "\n".join(bad)


def _examples(cmd: click.Command) -> list[str]:
    found = re.findall(r"Example: sufficiency(.*?)(?:\n\n|$)", cmd.help or "", flags=re.S)
    if isinstance(cmd, click.Group):
        for sub in cmd.commands.values():
            found += _examples(sub)
    return [" ".join(e.split()) for e in found]


def test_every_help_example_is_known_to_the_cli():
    """The ``Example:`` of every command's help runs options that command has."""
    examples = _examples(main)
    assert len(examples) > 10
    bad = [f"sufficiency {e}: {p}" for e in examples for p in problems(e)]
    assert not bad, "\n".join(bad)


#: A file of the repository named in a page: code, configuration, script, test or doc.
_REPO_PATH = re.compile(
    r"(?<![\w/.-])((?:sufficiency|benchmarks|scripts|tests|configs|docs|data/sample)/"
    r"[\w./-]*\w\.(?:py|toml|csv|md|sh|html))\b"
)


def test_every_repository_file_a_page_names_exists():
    """``sufficiency/commissioning/_worker.py`` and the like: each file named is there."""
    missing = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for m in _REPO_PATH.finditer(text):
            if not (ROOT / m.group(1)).exists():
                missing.append(f"{doc.name}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(1)}")
    assert not missing, "\n".join(missing)


def test_every_example_on_the_sample_uses_its_date():
    """A ``--date`` on the bundled sample is the sample's own (the Makefile's RUN_DATE):
    ``match --help``'s example said 2026-03-01, where 30 of 45 children were placed
    against 44 on 2026-04-01, the date README.md and the docs give."""
    run_date = re.search(r"^RUN_DATE \?= (\S+)", (ROOT / "Makefile").read_text(), re.M)
    assert run_date is not None
    lines = [f"{d.name}:{n}: {w}" for d in DOCS for n, w in command_lines(d)]
    lines += _examples(main)
    dated = [line for line in lines if "data/sample" in line and re.search(r"--date \d", line)]
    assert len(dated) >= 3
    wrong = [line for line in dated if f"--date {run_date.group(1)}" not in line]
    assert not wrong, "\n".join(wrong)


def _toml_blocks() -> list[tuple[str, str]]:
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for m in re.finditer(r"```toml\n(.*?)```", text, flags=re.S):
            found.append((f"{doc.name}:{text.count(chr(10), 0, m.start()) + 1}", m.group(1)))
    return found


def test_every_toml_example_is_read_as_the_page_says(tmp_path):
    """Each TOML example is valid TOML and is accepted by the reader it is written for:
    a configuration section by load_params, a scenario and a supply file by their
    loaders, a members file's fields by the members file's own check."""
    import textwrap
    import tomllib

    from sufficiency.config import Params, load_params
    from sufficiency.forecast.scenario import load_scenario
    from sufficiency.forecast.supply import load_supply
    from sufficiency.region import load_members

    blocks = _toml_blocks()
    assert len(blocks) >= 6
    sections = set(Params.model_fields)
    for i, (where, block) in enumerate(blocks):
        path = tmp_path / f"example{i}.toml"
        path.write_text(textwrap.dedent(block), encoding="utf-8")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if set(data) <= sections:
            load_params(path)
        elif "name" in data and "description" in data:
            load_scenario(path)
        elif "block_contracts" in data:
            load_supply(path)
        else:
            assert set(data) == {"region", "member"}, where
            for member in data["member"]:  # the files it names, empty, beside it
                (tmp_path / member["history"]).mkdir(parents=True, exist_ok=True)
                (tmp_path / member["history"] / "header.csv").touch()  # an empty one is refused
                for key in ("levers", "budget", "supply"):
                    (tmp_path / member[key]).touch()
            (tmp_path / data["region"]["levers"]).touch()
            load_members(path)


def test_the_council_set_up_page_names_settings_that_exist():
    """docs/council-setup.md, the steps before a council's first run (linked from the
    README), names each setting as ``[section] key``: each is one the configuration has."""
    from sufficiency.config import Params

    page = (ROOT / "docs" / "council-setup.md").read_text(encoding="utf-8")
    assert "docs/council-setup.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    named = re.findall(r"`\[([a-z_.]+)\] ([a-z_]+)", page)
    assert ("general", "responsible_la") in named
    defaults = Params().model_dump()
    for section, key in named:
        table = defaults
        for part in section.split("."):
            table = table[part]
        assert key in table, f"[{section}] {key}"
