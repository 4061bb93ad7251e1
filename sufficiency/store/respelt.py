"""Children whose ID two matching nights wrote in another case or spacing, for ``runs diff``.

Matching takes ``r007``, ``R 007`` and ``R007`` as one child (IDs compared by
:func:`~sufficiency.store.types.fold_id`). What changed between two nights compared the
IDs as written, so a child referred the next night as ``r 007`` read "no longer referred"
as ``R007`` and "new referral" as ``r 007``, though the same child at the same home.
:func:`respelt` finds such children; the diff takes the earlier night's records under the
later night's spelling (shown as written) and says how the earlier one wrote it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from sufficiency import clock
from sufficiency.io.ids import KnownIds, fold_id
from sufficiency.store.models import Run, TeamDecision
from sufficiency.store.types import DecisionKey

V = TypeVar("V")


def respelt(before: Iterable[str], after: Iterable[str]) -> dict[str, str]:
    """``{earlier ID: later ID}`` for each child the two nights wrote differently but the
    same ignoring case and spaces, where each night has one ID of that reading (two
    children ``R007`` and ``r007`` on one night are left as written, as matching does)."""
    a, b = KnownIds(before), KnownIds(after)
    out = {}
    for old in sorted(a.ids):  # each the one of its reading on both nights, as matching finds
        new = b.same_as(old)
        if new not in (None, old) and a.same_as(new) == old:
            out[old] = new
    return out


def renamed(values: Mapping[str, V], spelt: Mapping[str, str]) -> dict[str, V]:
    """``values`` keyed by child ID, with the IDs of ``spelt`` written its later way."""
    return {spelt.get(k, k): v for k, v in values.items()}


def spelt_note(earlier: str, run_id: int) -> str:
    """What a changed child's line adds when the earlier night wrote their ID otherwise."""
    return (f"; the same child, whose ID run {run_id} wrote {earlier} (IDs are compared "
            "ignoring case and spaces, as matching does)")  # fmt: skip


def _utc(value: dt.datetime) -> dt.datetime:
    """A recorded time as UTC (SQLite gives naive UTC times back)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def lifted(s: Session, key: DecisionKey, run_b: int) -> str:
    """Why a decision applied with an earlier run is missing from ``run_b``'s, as the web
    application's record has it: withdrawn (by whom, when) or expired; else ``""``. The
    decision may be recorded for the child's ID in another case or spacing."""
    q = (select(TeamDecision)
         .where(TeamDecision.decision == key.decision)
         .order_by(TeamDecision.decided_at.desc(), TeamDecision.id.desc()))  # fmt: skip
    pair = (fold_id(key.child_id), fold_id(key.placement_id))
    d = next((d for d in s.scalars(q)
              if (fold_id(d.child_id), fold_id(d.placement_id)) == pair), None)  # fmt: skip
    run = s.get(Run, run_b)
    if d is None or run is None:
        return ""
    if d.withdrawn_at is not None:
        return f" (withdrawn by {d.withdrawn_by} on {clock.today(_utc(d.withdrawn_at)):%d/%m/%Y})"
    day = (run.summary or {}).get("run_date") or clock.today(_utc(run.started_at))
    if d.until is not None and d.until.isoformat() < str(day):
        return f" (it expired on {d.until:%d/%m/%Y})"
    return ""
