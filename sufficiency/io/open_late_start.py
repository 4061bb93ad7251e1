"""``validate``'s sentence for an episode "ending before it starts" whose end the forecast
reads as an open episode's, as an extract writes it.

An extract taken on 31/12/2025 writes every open episode's ``DEC`` as that day; an
episode whose start is typed a year late (``DECOM`` 15/01/2026 for 15/01/2025) then ends
before it starts. ``validate`` said "the forecast sets it aside, reading the child as
not in care ...; correct DEC", but the forecast reads that ``DEC`` as open
(:data:`~sufficiency.io.year_end_open.YEAR_END_OPEN`, or
:data:`~sufficiency.io.year_end_open.AFTER_EXTRACT`, named on the same row), and then
reads the episode as open from ``DECOM``: left out where that is after the last day its
return's data cover (the extract's day, or 31 March), counted in care from then where
it is not. Each such row is now said as read; the dates are not quoted.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.figures import day as said_day
from sufficiency.io.dates import read_dates
from sufficiency.io.ssda903_scan import Return
from sufficiency.io.year_end_open import AFTER_EXTRACT, YEAR_END_OPEN

_SAID = (
    "episode starts (DECOM) after its end (DEC), an end the forecast reads as an open "
    "episode's as an extract writes it (the warning on this row): it reads the episode as "
    "open from DECOM, "
)
#: Read as open from a start after the return's data end: left out.
LEFT_OUT = (
    _SAID + "after the last day the return's data cover ({end}), so leaves it out (the "
    "child not counted in care through it); is DECOM's year typed a year late?"
)
#: Read as open from a start within the data: the child counted in care from then.
COUNTED = (
    _SAID + "so counts the child in care from then to the end of the data; is DECOM's "
    "year typed a year late, or DEC the day the episode really ended?"
)


def said_as_read(
    problems: list[Problem], returns: list[Return], end: pd.Timestamp
) -> list[Problem]:
    """``problems`` with each "ends before it starts" on a row whose end is read as open
    said as the forecast reads it; ``returns`` are those read, ``end`` the data's end."""
    opened = {(p.file, p.row) for p in problems if p.code in (YEAR_END_OPEN, AFTER_EXTRACT)}
    hits = [p for p in problems if p.code == "dec_before_decom" and (p.file, p.row) in opened]
    if not hits:
        return problems
    starts: dict[tuple[str, int], tuple[pd.Timestamp, pd.Timestamp]] = {}
    for ret in returns:
        last = min(ret.end, end)
        for t in ret.tables.get("episodes", ()):
            raw = t.raw
            if "decom" not in raw.data.columns:
                continue
            decom = read_dates(raw.data["decom"])
            for idx, when in decom.dropna().items():
                starts[(raw.source, raw.row_number(int(idx)))] = (pd.Timestamp(when), last)
    out = []
    for p in problems:
        if p in hits and p.row is not None and (p.file, p.row) in starts:
            when, last = starts[(p.file, p.row)]
            said = LEFT_OUT.format(end=said_day(last)) if when > last else COUNTED
            p = replace(p, message=said)
        out.append(p)
    return out


__all__ = ["COUNTED", "LEFT_OUT", "said_as_read"]
