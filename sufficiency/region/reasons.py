"""Why a member's run failed, in the words the region's report says it.

A member's failure is said once with the runs it stopped (its forecast and spend under
each scenario, its own plan): the reason is worded here, once, from the error, so every
run that failed on the same input gives the same sentence. An input that could not be
read is named (its 903 history, its levers, its budget, its supply file) as the members
file names it, with what was found in words: "Its 903 history (E99000003/ssda903) could
not be read: no 903 header table found. Also found: 2024/header.csv, 2025/header.csv and
2026/header.csv: is not a 903 table; skipped." It was the error's text as the command
line prints it, the temporary folder's full path and "1 error(s), 0 warning(s)" counters
before each file's lines, which read as a log, not a sentence.
"""

from __future__ import annotations

from pathlib import Path

from sufficiency.errors import InputDataError, Problem, SufficiencyError
from sufficiency.region.members import Member
from sufficiency.vocabulary import counted

#: A member's inputs as the reason names them, by the member's field.
INPUTS = {
    "history": "its 903 history",
    "levers": "its levers file",
    "budget": "its budget",
    "supply": "its supply file",
}
#: Problems listed in a reason, then "and N more" (the Failed table's data quality and
#: ``sufficiency validate`` list them all).
MAX_LISTED = 8
MAX_CHARS = 2000


def sentence(text: str) -> str:
    """``text`` on one line (runs of spaces and line breaks as one space), at most 2,000
    characters."""
    return " ".join(text.split())[:MAX_CHARS]


def failure_reason(member: Member, exc: SufficiencyError) -> str:
    """Why ``member``'s run failed on ``exc``: each of its inputs with problems, named, and
    its problems in words (errors, then what else was found), its paths as the members
    file names them; any other error's text, its paths so named."""
    if not isinstance(exc, InputDataError) or not exc.problems:
        return sentence(named(member, str(exc)))
    by_input: dict[str, list[Problem]] = {}
    for p in exc.problems:
        by_input.setdefault(_input_of(member, Path(p.file)), []).append(p)
    return sentence(" ".join(_said(member, key, ps) for key, ps in by_input.items()))


def _input_of(member: Member, path: Path) -> str:
    for key in INPUTS:
        given = getattr(member, key)
        if given is not None and (path == given or path.is_relative_to(given)):
            return key
    return str(path)


def _said(member: Member, key: str, problems: list[Problem]) -> str:
    given: Path | None = getattr(member, key, None) if key in INPUTS else None
    what = INPUTS.get(key, member.shown(Path(key)))
    where = f"{what} ({member.shown(given)})" if given is not None else what
    errors = [p for p in problems if p.severity == "error"]
    others = [p for p in problems if p.severity != "error"]
    if not errors:  # (refused under --strict for what it found)
        return f"{where[0].upper()}{where[1:]} was refused: {_listed(others, given)}."
    out = f"{where[0].upper()}{where[1:]} could not be read: {_listed(errors, given)}."
    return out + (f" Also found: {_listed(others, given)}." if others else "")


def _listed(problems: list[Problem], given: Path | None) -> str:
    """Problems in words, those saying the same of several files said once, naming each."""
    said: dict[str, list[str]] = {}
    for p in problems:
        path = Path(p.file)
        inside = given is not None and path != given and path.is_relative_to(given)
        name = path.relative_to(given).as_posix() if given is not None and inside else ""
        said.setdefault(p.describe(file_named=bool(name)), []).append(name)
    words = []
    for text, files in list(said.items())[:MAX_LISTED]:
        named = [f for f in files if f]
        words.append(f"{', '.join(named)}: {text}" if named else text)
    more = len(said) - MAX_LISTED
    tail = f"; and {counted(more, 'other problem')} (see Data quality)" if more > 0 else ""
    return "; ".join(words) + tail


def named(member: Member, text: str) -> str:
    """``text`` with the member's folder (the members file's) left out of its paths."""
    if member.folder is None:
        return text
    return text.replace(f"{member.folder}/", "")
