"""``DEC`` and ``REC`` read together: an open episode given the return's last day as its end,
and an episode with a reason for ending but no end date.

DfE leaves ``DEC`` blank for an episode open at 31 March. An extract whose query writes
an open episode's end as the end of the period it reports on (``COALESCE(end_date,
@period_end)``) gives every open episode ``DEC`` 31/03/2026, and no ``REC``: read as
written, every child left care on the last day, and the sample's 2025-26 return so
written forecast from no child looked after on 31/03/2026 (869) with nothing said
(``zero_length`` named only the two episodes that also started that day). An episode
that did end on its return's last day has a reason (``REC``: X1 or an E code). So an
episode ending on the return's last day with no ``REC`` is read as open, in a return
whose other ended episodes give a reason (at least half of them: a return without
``REC`` written says nothing either way), or in one with no open episode at all (no
council has no child in care at 31 March); each row is named. An in-year extract's
open episodes so written end on the day it was taken, its latest date: the sample's
2025-26 return taken on 31/12/2025 so written counted no child on 31/12/2025 (867); at
least :data:`IN_YEAR_MIN` episodes ending on such a date with no ``REC`` are read so, or
any number in a return with no open episode (a blank ``DEC``) at all: a small authority's
extract so written, 7 children in care on 31/12/2025, counted none, and its quiet spell
read it as the whole year, so nothing said it. A real return leaves its open episodes'
``DEC`` blank, so this never reads one of its endings as open.

An episode with a ``REC`` (the child moved or left) but no ``DEC`` is read as open, as
written, since its end is unknown: the child counts as looked after at the end of the
return unless a later return says otherwise. The sample's 2025-26 return with 20 end
dates so lost counted 877 children on 31/03/2026, not 869, with one of the 20 named (as
overlapping its child's next episode). Each such row is now named, so the count can be
checked and the date given.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd

from sufficiency.errors import Problem
from sufficiency.figures import day as said_day
from sufficiency.io.ssda903_scan import Return, year_label

#: Findings' codes (``validate`` lists them too, as warnings).
YEAR_END_OPEN = "year_end_open"
REC_WITHOUT_DEC = "rec_without_dec"
AFTER_EXTRACT = "after_extract"
#: The phrases the data-quality summary says them in, after a count.
PHRASES = {
    YEAR_END_OPEN: "episode(s) ending on their return's last day with no reason for ending "
    "(REC), as an extract writes an open episode's end: read as open",
    REC_WITHOUT_DEC: "episode(s) with a reason for ending (REC) but no end date (DEC): read as "
    "open (the child counted in care at the end of the return)",
    AFTER_EXTRACT: "episode(s) ending after the day their in-year extract was taken: read as "
    "open at that day",
}
#: Share of a return's other ended episodes that must give a ``REC`` for a blank one to
#: say an episode on the last day did not end.
_REC_WRITTEN = 0.5
#: Episodes that must end on an in-year extract's latest date with no ``REC`` for that
#: date to be the day it was taken, written as their end (one or two are a slip).
IN_YEAR_MIN = 10


class _Rows(Protocol):
    def rows(self, df: pd.DataFrame, mask: pd.Series | np.ndarray, column: str | None,
             code: str, message: str, action: str, severity: str = ...) -> None: ...  # fmt: skip


def last_day(dec: pd.Series, decom: pd.Series, ret: Return) -> pd.Timestamp:
    """The last day ``ret`` covers as its dates show: 31 March, or an in-year extract's
    latest date (its open episodes written as ending on the day it was taken)."""
    latest = pd.concat([dec, decom]).max()
    return ret.end if pd.isna(latest) or latest >= ret.end else pd.Timestamp(latest)


def extract_day(dec: pd.Series, rec: pd.Series, ret: Return, end: pd.Timestamp) -> pd.Timestamp:
    """In a return with no blank ``DEC``, the day its open episodes' ends were written as:
    ``end`` (its latest date, or 31 March), unless at least :data:`IN_YEAR_MIN` more
    episodes with no ``REC`` end on one earlier day (an extract taken then, a date or two
    after it a planned end or a slip: one such end on 02/02/2026 in the sample's 2025-26
    extract taken on 31/12/2025 left 3 of its 867 children looked after)."""
    ends = dec[dec.notna() & ~rec & (dec <= ret.end)]
    counts = ends.value_counts()
    if counts.empty:
        return end
    top = pd.Timestamp(counts[counts == counts.max()].index.max())
    if top < end and int(counts.max()) >= IN_YEAR_MIN + int(counts.get(end, 0)):
        return top
    return end


def read_ends(
    ep: pd.DataFrame, dec: pd.Series, decom: pd.Series, ret: Return, found: _Rows
) -> tuple[pd.DataFrame, pd.Series]:
    """``ep`` and ``dec`` (its ``DEC`` read as dates; ``decom`` its ``DECOM``) with each
    open episode written as ending on the return's last day made blank; both findings
    added to ``found``."""
    rec = ep["REC"].astype("string").str.strip().fillna("") != ""
    written = ep["DEC"].notna()
    none_open = not bool((~written).any())
    end = last_day(dec, decom, ret)
    if none_open:  # every open end written: the day most of them share, a stray date past it
        end = extract_day(dec, rec, ret, end)
    on_end = (dec == end).fillna(False) & ~rec
    # fewer than IN_YEAR_MIN: a quirk, not an extract's date, unless no episode is open
    if end < ret.end and int(on_end.sum()) < IN_YEAR_MIN and not none_open:
        on_end &= False
    others = dec.notna() & ~on_end
    evidence = bool(others.any()) and float(rec[others].mean()) >= _REC_WRITTEN
    if on_end.any() and (evidence or none_open):
        found.rows(ep, on_end, "DEC", YEAR_END_OPEN,
                   f"episode ends on the last day of the {year_label(ret.year)} return "
                   f"({said_day(end)}) with no reason for ending (REC), as an extract "
                   "writes an open episode's end as the report's last day",
                   "read as open (looked after at the end of the return)",
                   "warning")  # fmt: skip
        later = (dec > end).fillna(False) if end < ret.end else on_end & False
        found.rows(ep, later, "DEC", AFTER_EXTRACT,
                   f"episode ends after the day the {year_label(ret.year)} extract was taken "
                   f"({said_day(end)}, the end written on its open episodes)",
                   "read as open at that day (an end to come: planned, or a mistyped date)",
                   "warning")  # fmt: skip
        dec = dec.mask(on_end | later)
        ep = ep.assign(DEC=ep["DEC"].mask(on_end | later))
    lost = rec & ~written
    found.rows(ep, lost, "DEC", REC_WITHOUT_DEC,
               "episode has a reason for ending (REC) but no end date (DEC)",
               "read as open: the child counts as looked after at the end of the return "
               "unless a later return says otherwise; give its end date", "warning")  # fmt: skip
    return ep, dec


def as_read(problems: list[Problem]) -> list[Problem]:
    """``validate``'s ``problems`` with no "starts and ends on the same day" error on an
    episode it reads as open (:data:`YEAR_END_OPEN`, named on the same row): one starting
    on its return's last day, its open end written as that day, is no zero-length episode,
    and the forecast reads it as open."""
    opened = {(p.file, p.row) for p in problems if p.code == YEAR_END_OPEN}
    return [p for p in problems if p.code != "zero_length" or (p.file, p.row) not in opened]


__all__ = ["AFTER_EXTRACT", "PHRASES", "REC_WITHOUT_DEC", "YEAR_END_OPEN", "as_read", "read_ends"]
