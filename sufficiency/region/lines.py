"""Where a members file's tables and keys are, by line, so each problem can name its line.

The places are found by :class:`sufficiency.io.toml_places.Places`, which every TOML
file the tool reads (configuration, levers, scenario, supply) shares.
"""

from __future__ import annotations

from pathlib import Path

from sufficiency.io.toml_places import Places, at
from sufficiency.io.tomlfile import toml_text

__all__ = ["Places", "at", "history_line"]


def history_line(source: Path | None, number: int) -> int | None:
    """The line of member ``number``'s history in the members file at ``source`` (for a
    problem found once the run has read the histories); ``None`` if it cannot be told."""
    try:
        return Places(toml_text(source)).member(number, "history") if source else None
    except (OSError, UnicodeError):
        return None
