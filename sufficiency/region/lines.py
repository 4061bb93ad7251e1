"""Where a members file's tables and keys are, by line, so each problem can name its line.

``tomllib`` gives a file's values but not where they were written, so the text is read
again here, line by line: each table heading (``[region]``, ``[[member]]``, a misspelt
``[[members]]``) and each ``key =`` under it. A key is found at the start of its line,
bare (``history``) or quoted (``"history"``), with any spaces; lines inside a multi-line
string are skipped. Nothing here decides whether the file is right: a place not found
gives no line, and the problem is said without one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sufficiency.io.tomlfile import toml_text

#: A table heading: ``[name]`` or ``[[name]]``, spaces and a comment allowed.
_HEADING = re.compile(r"^\s*(\[\[?)\s*([^\[\]#]*?)\s*(\]\]?)\s*(?:#.*)?$")
#: A key at the start of a line: bare, in double or in single quotes; dotted keys by their
#: first part.
_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_\-]+))\s*[.=]""")


@dataclass
class _Table:
    name: str
    array: bool  # [[name]]
    line: int  # of its heading (0 for the keys before any heading)
    keys: dict[str, int] = field(default_factory=dict)


class Places:
    """The line of each table and key of a TOML file's text (1-based)."""

    def __init__(self, text: str) -> None:
        self.tables: list[_Table] = [_Table("", False, 0)]
        quotes: str | None = None  # inside a multi-line string opened with these
        for number, line in enumerate(text.splitlines(), start=1):
            if quotes is not None:
                if line.count(quotes) % 2:
                    quotes = None
                continue
            heading = _HEADING.match(line)
            if heading and (heading.group(1) == "[[") == (heading.group(3) == "]]"):
                name = heading.group(2).strip().strip("\"'")
                self.tables.append(_Table(name, heading.group(1) == "[[", number))
                continue
            key = _KEY.match(line)
            if key:
                name = next(g for g in key.groups() if g is not None)
                self.tables[-1].keys.setdefault(name, number)
            for opener in ('"""', "'''"):
                if line.count(opener) % 2:
                    quotes = opener
                    break

    def member(self, i: int, key: str | None = None) -> int | None:
        """The line of member ``i``'s (1-based) ``key``, else of its ``[[member]]`` heading."""
        members = [t for t in self.tables if t.name == "member" and t.array]
        if not 0 < i <= len(members):
            return self.top("member")
        return self._in(members[i - 1], key)

    def region(self, key: str | None = None) -> int | None:
        """The line of ``[region]``'s ``key``, else of its heading."""
        region = next((t for t in self.tables if t.name == "region"), None)
        return self._in(region, key) if region is not None else self.top("region")

    def top(self, key: str) -> int | None:
        """The line of a key before any heading, else of the first table named ``key``."""
        if key in self.tables[0].keys:
            return self.tables[0].keys[key]
        return next((t.line for t in self.tables[1:] if t.name == key), None)

    @staticmethod
    def _in(table: _Table, key: str | None) -> int:
        return table.keys.get(key, table.line) if key is not None else table.line


def at(line: int | None) -> str:
    """``"line 9: "``, the start of a problem at ``line``; ``""`` when its place is unknown."""
    return f"line {line}: " if line else ""


def history_line(source: Path | None, number: int) -> int | None:
    """The line of member ``number``'s history in the members file at ``source`` (for a
    problem found once the run has read the histories); ``None`` if it cannot be told."""
    try:
        return Places(toml_text(source)).member(number, "history") if source else None
    except (OSError, UnicodeError):
        return None
