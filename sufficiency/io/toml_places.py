"""Where a TOML file's tables and keys are, by line, so each problem can name its line.

``tomllib`` gives a file's values but not where they were written, so the text is read
again here, line by line: each table heading (``[forecast]``, ``[entries.change_pct_by_age_band]``,
``[[recruit]]``, ``[recruit.sources]`` under the last ``[[recruit]]``) and each ``key =``
under it, bare (``seed``), quoted (``"16-17"``) or dotted (``entries.change_pct = 20``),
with any spaces and comments. A place is a path of keys and list positions from 0, as
pydantic and the parsed dict give it: ``("step_down", 1, "to")``. Lines inside a
multi-line string or a multi-line array are not read as keys or headings; a key in an
inline table or array (``changes = [{ date = ..., places = 28 }]``) is placed at the line
of the key that holds it. Nothing here decides whether the file is right: a place not
found is given by the nearest place above it that is, or not at all (``None``).
"""

from __future__ import annotations

import re
from typing import Any

#: A table heading: ``[name]`` or ``[[name]]``, spaces and a comment allowed.
_HEADING = re.compile(r"^\s*(\[\[?)\s*([^\[\]#]*?)\s*(\]\]?)\s*(?:#.*)?$")
#: One part of a key: bare, in double or in single quotes.
_PART = re.compile(r"""\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_\-]+))\s*""")
#: Strings and comments on a line, removed before counting brackets.
_STRINGS = re.compile(r"""("(?:[^"\\]|\\.)*"|'[^']*'|#.*$)""")

Place = tuple[Any, ...]


def _dotted(text: str) -> tuple[tuple[str, ...], int] | None:
    """The parts of the dotted key at the start of ``text`` and where it ends (``None``
    if ``text`` does not begin with a key)."""
    parts: list[str] = []
    pos = 0
    while True:
        part = _PART.match(text, pos)
        if part is None or part.end() == pos:
            return None
        parts.append(next(g for g in part.groups() if g is not None))
        pos = part.end()
        if text[pos : pos + 1] != ".":
            return tuple(parts), pos
        pos += 1


class Places:
    """The line (1-based) of each table and key of a TOML file's text."""

    def __init__(self, text: str) -> None:
        self.lines: dict[Place, int] = {}
        self._arrays: dict[Place, int] = {}  # [[name]] tables seen, by their path
        table: Place = ()
        quotes: str | None = None  # inside a multi-line string opened with these
        depth = 0  # inside a multi-line array or inline table
        for number, line in enumerate(text.splitlines(), start=1):
            if quotes is not None:
                if line.count(quotes) % 2:
                    quotes = None
                continue
            if depth > 0:
                depth = max(depth + _brackets(line), 0)
                continue
            heading = _HEADING.match(line)
            if heading and (heading.group(1) == "[[") == (heading.group(3) == "]]"):
                found = _dotted(heading.group(2))
                if found is not None and found[1] == len(heading.group(2)):
                    table = self._heading(found[0], heading.group(1) == "[[", number)
                continue
            found = _dotted(line)
            if found is None or line[found[1] : found[1] + 1] != "=":
                continue
            path = table + found[0]
            for n in range(len(table) + 1, len(path) + 1):
                self.lines.setdefault(path[:n], number)
            value = line[found[1] + 1 :]
            for opener in ('"""', "'''"):
                if value.count(opener) % 2:
                    quotes = opener
                    break
            else:
                depth = max(_brackets(value), 0)

    def _heading(self, names: tuple[str, ...], array: bool, number: int) -> Place:
        path: Place = ()
        for n, name in enumerate(names, start=1):
            path = (*path, name)
            self.lines.setdefault(path, number)
            if array and n == len(names):
                count = self._arrays.get(path, 0)
                self._arrays[path] = count + 1
                path = (*path, count)
                self.lines[path] = number
            elif path in self._arrays:  # [recruit.sources]: of the last [[recruit]]
                path = (*path, self._arrays[path] - 1)
        return path

    def line(self, place: Place) -> int | None:
        """The line of ``place``, else of the nearest place above it found (``None``: no
        part of it was found)."""
        for n in range(len(place), 0, -1):
            if place[:n] in self.lines:
                return self.lines[place[:n]]
        return None

    def exact(self, place: Place) -> int | None:
        """The line of ``place`` itself (``None``: not written in the file)."""
        return self.lines.get(tuple(place))

    # -- the members file's places (sufficiency.region.members) --------------------

    def member(self, i: int, key: str | None = None) -> int | None:
        """The line of member ``i``'s (1-based) ``key``, else of its ``[[member]]`` heading."""
        if ("member", i - 1) not in self.lines or ("member",) not in self._arrays:
            return self.top("member")
        return self.line(("member", i - 1) if key is None else ("member", i - 1, key))

    def region(self, key: str | None = None) -> int | None:
        """The line of ``[region]``'s ``key``, else of its heading."""
        return self.line(("region",) if key is None else ("region", key))

    def top(self, key: str) -> int | None:
        """The line of a key or table at the top of the file."""
        return self.exact((key,))


def _brackets(text: str) -> int:
    """Brackets and braces opened less those closed on ``text`` (strings and comments
    left out)."""
    bare = _STRINGS.sub("", text)
    return bare.count("[") + bare.count("{") - bare.count("]") - bare.count("}")


def at(line: int | None) -> str:
    """``"line 9: "``, the start of a problem at ``line``; ``""`` when its place is unknown."""
    return f"line {line}: " if line else ""
