"""The members file: which authorities make up a region, and where each one's inputs are.

A TOML file with one ``[[member]]`` table per authority and an optional ``[region]``
table::

    [region]
    name = "West Midlands co-operative"
    levers = "levers.toml"        # block contract terms for the pooled plan (optional)

    [[member]]
    code = "E10000034"            # ONS code of the authority
    name = "Worcestershire"
    history = "worcestershire/ssda903"   # 903 folder, or one XML return
    levers = "levers.toml"        # optional: commissioning levers (own plan, pooling)
    budget = "worcestershire/budget.csv" # optional: the spend command's --budget
    supply = "worcestershire/supply.toml"  # optional: the forecast command's --supply

Paths are relative to the members file. Every problem in the file is reported at once,
each naming the file, the member and the field. A code in lower case is read in capitals
(``e10000034`` is ``E10000034``: ONS codes are written in capitals); a path written the
Windows way (``'worcestershire\\ssda903'``, in single quotes) is read with its backslashes
as folder separators on a machine whose paths use ``/``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path
from typing import Any, Protocol

from sufficiency.council_names import name_key, outside_england
from sufficiency.errors import ConfigError
from sufficiency.io.atomic import user_path
from sufficiency.io.tomlfile import read_toml, toml_text
from sufficiency.plurals import numbered
from sufficiency.region.lines import Places, at
from sufficiency.region.member_code import code_problem

#: ONS (GSS) codes of English, Welsh, Scottish and Northern Irish areas: a letter, 8 digits.
ONS_CODE = re.compile(r"^[ENSW]\d{8}$")
MEMBER_FIELDS = ("code", "name", "history", "levers", "budget", "supply")
REGION_FIELDS = ("name", "levers")
#: Optional file fields and whether each must be a file (True) or may be a folder.
_OPTIONAL_FILES = {"levers": True, "budget": True, "supply": True}
#: What TOML makes of a backslash and a letter in double quotes (``"folder\budget.csv"``
#: holds a backspace, ``"folder\new"`` a new line): the letter each stands for.
_ESCAPED = {"\b": "b", "\t": "t", "\n": "n", "\f": "f", "\r": "r"}
#: A Windows drive path (``C:\Users\...``, ``D:/data``).
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


class _Say(Protocol):
    """Adds a problem at a key (``None``: the table's heading), with its line."""

    def __call__(self, key: str | None, text: str) -> None: ...


@dataclass(frozen=True)
class Member:
    """One member authority: its ONS code, name and input paths (absolute)."""

    code: str
    name: str
    history: Path
    levers: Path | None = None
    budget: Path | None = None
    supply: Path | None = None
    #: The members file's folder, which its paths are relative to (``None`` when built
    #: in code): a member's files are named from it in what the region says.
    folder: Path | None = None

    def shown(self, path: Path) -> str:
        """``path`` as the members file names it (relative to its folder when inside it)."""
        if self.folder is not None and path.is_relative_to(self.folder):
            return path.relative_to(self.folder).as_posix()
        return str(path)


@dataclass(frozen=True)
class Region:
    """A region's members (in file order), its name and its pooled levers (if any)."""

    name: str
    members: tuple[Member, ...]
    levers: Path | None = None
    source: Path | None = None

    @property
    def pooled_levers(self) -> Path | None:
        """Block contract terms for the pooled plan: the region's, else the first member's."""
        if self.levers is not None:
            return self.levers
        first = self.pooled_levers_of
        return first.levers if first is not None else None

    @property
    def pooled_levers_of(self) -> Member | None:
        """The member whose levers file gives the pooled plan's block contract terms: the
        first in the file with one, when the members file has no ``[region] levers``."""
        if self.levers is not None:
            return None
        return next((m for m in self.members if m.levers is not None), None)


def load_members(path: Path | str) -> Region:
    """Read and check a members file; every problem at once in one :class:`ConfigError`.

    Raises
    ------
    ConfigError
        The file is missing or not TOML, or any member has a missing, unknown or bad
        field, a duplicate code, or an input path that does not exist.
    """
    source = user_path(path)
    data = read_toml(source, "members")
    places = Places(toml_text(source))
    base = source.resolve().parent
    found: list[tuple[int, str]] = []  # (line, problem): said in the file's order

    def said(line: int | None, text: str) -> None:
        found.append((line or 0, at(line) + text))

    region = data.get("region", {})
    if not isinstance(region, dict):
        said(places.top("region"), "[region] must be a table")
        region = {}
    for key in sorted(set(data) - {"region", "member"}):
        hint = "; did you mean [[member]]?" if _unknown(key, ("member",)).endswith("?)") else ""
        said(
            places.top(key),
            f"unknown top-level key '{key}' (expected [region] and [[member]]{hint})",
        )
    for key in sorted(set(region) - set(REGION_FIELDS)):
        said(places.region(key), f"[region]: {_unknown(key, REGION_FIELDS)}")

    def say_region(key: str | None, text: str) -> None:
        said(places.region(key), f"[region]: {text}")

    region_levers = _path(region, "levers", base, say_region, must_be_file=True)
    rows = data.get("member", [])
    if isinstance(rows, dict):  # [member], one table: TOML's [[member]] is a list of them
        said(
            places.top("member"),
            "[member] is written with single brackets: write each member's heading as "
            "[[member]] (two brackets), one a member",
        )
        rows = []
    elif not isinstance(rows, list) or not rows:
        said(None, "no [[member]] tables: name each member authority in one")
        rows = []
    members: list[Member] = []
    seen: dict[str, str] = {}
    names: dict[str, str] = {}
    histories: dict[Path, int] = {}
    for i, row in enumerate(rows, start=1):
        label = _label(row, i) if isinstance(row, dict) else f"member {i}"

        def say(key: str | None, text: str, i: int = i, label: str = label) -> None:
            said(places.member(i, key), f"{label}: {text}")

        member = _member(row, i, base, (seen, names), say, histories)
        if member is not None:
            members.append(member)
    if found:
        problems = [text for _, text in sorted(found, key=lambda p: p[0])]
        lines = "\n".join(f"  - {p}" for p in problems)
        counted = numbered(len(problems), "problem(s)")
        raise ConfigError(f"{source}: {counted} in the members file:\n{lines}")
    name = str(region.get("name") or source.stem)
    return Region(name, tuple(members), region_levers, source)


def _member(
    row: Any,
    i: int,
    base: Path,
    labels: tuple[dict[str, str], dict[str, str]],
    say: _Say,
    histories: dict[Path, int],
) -> Member | None:
    if not isinstance(row, dict):
        say(None, "must be a [[member]] table")
        return None
    label = _label(row, i)
    seen, names = labels  # each code's and name's member, by the code and the name's key
    problems: list[str] = []

    def said(key: str | None, text: str) -> None:
        problems.append(text)
        say(key, text)

    for key in sorted(set(row) - set(MEMBER_FIELDS)):
        said(key, _unknown(key, MEMBER_FIELDS))
    code = row.get("code")
    if isinstance(code, str):  # ONS codes are in capitals: e10000034 is E10000034
        code = code.strip().upper()
    if code is None or code == "":
        said(
            "code" if "code" in row else None,
            "code: missing (the authority's ONS code, such as E10000034)",
        )
    elif not isinstance(code, str):
        said(
            "code",
            f'code: {code!r} must be in quotes, as text (such as "E10000034"): '
            "an ONS code begins with a letter",
        )
    elif not ONS_CODE.match(code):
        said(
            "code", f"code: '{code}' is not an ONS code (a letter and 8 digits, such as E10000034)"
        )
    elif (country := outside_england(code)) is not None:
        said(
            "code",
            f"code: '{code}' is an authority in {country}: the 903 return and the "
            "region's forecasts are of England's authorities (codes beginning with E)",
        )
    elif (wrong := code_problem(code, row.get("name"))) is not None:
        said("code", f"code: {wrong}")
    elif code in seen:
        said("code", f"code: '{code}' is also {seen[code]}'s")
    else:
        seen[code] = label
    name = row.get("name")
    if name is not None and not isinstance(name, str):
        said("name", f"name: {name!r} must be in quotes, as text")
    elif not isinstance(name, str) or not name.strip():
        said("name" if "name" in row else None, "name: missing (the authority's name)")
    elif (twice := names.setdefault(name_key(name), f"member {i}")) != f"member {i}":
        said(
            "name",
            f"name: '{name.strip()}' is also {twice}'s (a row copied for the next member, its "
            "name not changed?): the region's report would show two members by one name",
        )
    history = _path(row, "history", base, said, must_be_file=False, required=True)
    if history is not None:
        # one authority's children: a second member on them would count each child twice
        other = next((j for h, j in histories.items() if _overlap(h, history)), None)
        if other is not None:
            said(
                "history",
                f"history: '{row['history']}' is also member {other}'s history (or "
                "holds it): the same children would be counted twice in the region's totals",
            )
        histories.setdefault(history, i)
    files = {k: _path(row, k, base, said, must_be_file=f) for k, f in _OPTIONAL_FILES.items()}
    if problems or history is None:
        return None
    return Member(str(code), str(name).strip(), history, **files, folder=base)


def _unknown(key: str, fields: tuple[str, ...]) -> str:
    """An unknown field, and the field it may be a misspelling of (``histroy``)."""
    near = get_close_matches(key, fields, n=1, cutoff=0.6)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    return f"unknown field '{key}' (expected {', '.join(fields)}{hint})"


def _label(row: dict[str, Any], i: int) -> str:
    """``member 3 (Ceeton)``: the member's number in the file, and its name if given."""
    return f"member {i}" + (f" ({row['name'].strip()})" if isinstance(row.get("name"), str) else "")


def _path(
    row: dict[str, Any],
    key: str,
    base: Path,
    say: _Say,
    *,
    must_be_file: bool,
    required: bool = False,
) -> Path | None:
    value = row.get(key)
    if value is None:
        if required:
            say(None, f"{key}: missing (a 903 folder or XML return)")
        return None
    if isinstance(value, str) and not value.strip():
        say(key, f'{key}: "" is empty: give its path, or leave the line out')
        return None
    if not isinstance(value, str):
        say(key, f"{key}: must be a path in quotes")
        return None
    if windows := _windows_path(value):
        say(key, f"{key}: {windows}")
        return None
    if os.sep == "/":  # a path written on Windows ('aville\ssda903'): its folders
        value = value.replace("\\", "/")
    path = (base / user_path(value)).resolve()  # ~ the home, as the shell reads it
    if not path.exists():
        say(key, f"{key}: '{value}' not found (looked for {path})")
        return None
    if must_be_file and not path.is_file():
        say(key, f"{key}: '{value}' is a folder, not a file")
        return None
    return path


def _overlap(a: Path, b: Path) -> bool:
    """Whether two (resolved) histories share files: the same, or one inside the other."""
    return a == b or a in b.parents or b in a.parents


def _windows_path(value: str) -> str | None:
    """Why a path written the Windows way cannot be read, or ``None``: one in double
    quotes whose backslashes TOML read as escapes (``"aville\\budget.csv"`` holds a
    backspace), or, on a machine without drive letters, one on a drive (``C:\\...``) or a
    Windows share (``\\\\server\\share``)."""
    escaped = [c for c in _ESCAPED if c in value]
    if escaped:
        meant = "".join("\\" + _ESCAPED[c] if c in _ESCAPED else c for c in value)
        return (
            f'"{meant}" is in double quotes, where a backslash begins an escape '
            f"(\\{_ESCAPED[escaped[0]]} is read as a control character): write the path with "
            f'forward slashes ("{meant.replace(chr(92), "/")}") or in single quotes '
            f"('{meant}')"
        )
    if os.sep == "/" and value.startswith("\\\\"):  # \\server\share: a Windows share
        return (
            f"'{value}' is a Windows network path (a shared folder), which this machine does "
            "not reach by that name; give the folder as this machine reaches it (where the "
            "share is mounted), or copy the returns beside the members file"
        )
    if os.sep == "/" and _DRIVE.match(value):
        return (
            f"'{value}' is a Windows drive path, and this machine has no drive {value[0]}:; "
            "give the path relative to the members file, or as this machine reaches it"
        )
    return None
