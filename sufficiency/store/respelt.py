"""Children and placements whose ID two matching nights wrote in another case or spacing,
for ``runs diff``.

Matching takes ``r007``, ``R 007`` and ``R007`` as one child (IDs compared by
:class:`~sufficiency.io.ids.KnownIds`), and ``pl1`` in the team's decisions as the
register's ``PL1``. What changed between two nights compared the IDs as written, so a
child referred the next night as ``r 007`` read "no longer referred" as ``R007`` and "new
referral" as ``r 007``, though the same child at the same home; and children at a home
the next night's register wrote ``pl1`` read as moved there from ``PL1``, "no longer on
the register". :func:`respelt` finds such IDs; :class:`Respelt` takes the earlier night's
records under the later night's spelling (shown as written), and a changed child's line
says how the earlier night wrote their ID and their home's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from sufficiency import clock
from sufficiency.figures import day as said_day
from sufficiency.io.ids import KnownIds, fold_id
from sufficiency.store.models import Run, TeamDecision
from sufficiency.store.types import DecisionKey

V = TypeVar("V")


def respelt(before: Iterable[str], after: Iterable[str]) -> dict[str, str]:
    """``{earlier ID: later ID}`` for each child (or placement) the two nights wrote
    differently but the same ignoring case and spaces, where each night has one ID of that
    reading (two children ``R007`` and ``r007`` on one night are left as written, as
    matching does)."""
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


@dataclass(frozen=True)
class Respelt:
    """The IDs of children (``children``) and placements (``places``) the earlier night
    wrote otherwise, ``{earlier: later}`` (:func:`respelt`), to read its records by."""

    children: Mapping[str, str]
    places: Mapping[str, str]

    def outcomes(self, outcomes: Mapping[str, str]) -> dict[str, str]:
        """Each child's placement (or ``unplaced``), both in the later night's spelling."""
        return {self.children.get(c, c): self.places.get(p, p) for c, p in outcomes.items()}

    def homes(self, homes: Mapping[str, str]) -> dict[str, str]:
        """The homes of :func:`~sufficiency.store.splits.sibling_details`, the earlier
        night's (``a:<child>``) in the later night's spelling."""
        return {(f"a:{self.children.get(k[2:], k[2:])}" if k[:2] == "a:" else k):
                (self.places.get(h, h) if k[:2] == "a:" else h)
                for k, h in homes.items()}  # fmt: skip

    def decisions(self, decisions: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """The earlier run's decisions, child and placement in the later night's spelling."""
        return [{**d, "child_id": self.children.get(d["child_id"], d["child_id"]),
                 "placement_id": self.places.get(d["placement_id"], d["placement_id"])}
                for d in decisions]  # fmt: skip

    def note(self, child: str, before: str, run_id: int) -> str:
        """What a changed child's line adds when the earlier night wrote their ID, or the ID
        of the home they were at then, otherwise (``""`` when it wrote both alike)."""
        was = {v: k for k, v in self.children.items()}
        home = {v: k for k, v in self.places.items()}
        said = [f"the same child, whose ID run {run_id} wrote {was[child]}"] if child in was else []
        if before in home:
            said.append(f"placement {before}, which run {run_id} wrote {home[before]}")
        return (f"; {'; '.join(said)} (IDs are compared ignoring case and spaces, as matching "
                "does)") if said else ""  # fmt: skip


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
        return f" (withdrawn by {d.withdrawn_by} on {said_day(clock.today(_utc(d.withdrawn_at)))})"
    day = (run.summary or {}).get("run_date") or clock.today(_utc(run.started_at))
    if d.until is not None and d.until.isoformat() < str(day):
        return f" (it expired on {said_day(d.until)})"
    return ""
