"""The placement team's decisions made in the web application, kept in the run store.

A decision pins a child to a placement or excludes a pair, with a reason, who and when.
The next matching run reads the decisions in force (``sufficiency match
--decisions-from-store`` writes them as a decisions file, the contract of
:mod:`sufficiency.io.decisions`, and matches with it). A decision is withdrawn, never
deleted, so the trail stays whole.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sufficiency import clock
from sufficiency.errors import StoreError
from sufficiency.io.atomic import atomic_path
from sufficiency.io.csv_text import safe_cell
from sufficiency.io.dates import LAST_DAY
from sufficiency.store.models import TeamDecision
from sufficiency.store.store import RunStore, utc

KINDS = ("pin", "exclude")
#: Columns of the exported decisions file (the input contract's names).
COLUMNS = ("child_id", "placement_id", "decision", "reason", "decided_by", "until", "decided_on")


@dataclass(frozen=True)
class Decision:
    id: int
    child_id: str
    placement_id: str
    decision: str
    reason: str
    decided_by: str
    decided_at: dt.datetime
    until: dt.date | None
    withdrawn_at: dt.datetime | None
    withdrawn_by: str | None

    @property
    def sentence(self) -> str:
        verb = "Pinned to" if self.decision == "pin" else "Excluded from"
        return f"{verb} {self.placement_id} by {self.decided_by}: {self.reason}"


def _decision(d: TeamDecision) -> Decision:
    return Decision(
        d.id,
        d.child_id,
        d.placement_id,
        d.decision,
        d.reason,
        d.decided_by,
        utc(d.decided_at) or d.decided_at,
        d.until,
        utc(d.withdrawn_at),
        d.withdrawn_by,
    )


def add_decision(
    store: RunStore,
    child_id: str,
    placement_id: str,
    decision: str,
    reason: str,
    decided_by: str,
    until: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Decision:
    """Record a decision; one in force for the same pair is withdrawn (replaced)."""
    if decision not in KINDS:
        raise StoreError(f"unknown decision {decision!r}: use pin or exclude")
    if not reason.strip():
        raise StoreError("a decision needs a reason")
    if until is not None and until > LAST_DAY.date():
        # matching reads no date after 2099 (31/12/9999 for "no end" is a placeholder)
        raise StoreError(
            f"the last day must be no later than {LAST_DAY:%d/%m/%Y}; leave it blank for a "
            "decision with no end date"
        )
    now = now or dt.datetime.now(dt.UTC)
    with Session(store.engine) as s, s.begin():
        if decision == "pin":
            # two pins for one child are both refused by matching: say so now, not then
            other = s.scalars(
                select(TeamDecision).where(
                    TeamDecision.child_id == child_id,
                    TeamDecision.placement_id != placement_id,
                    TeamDecision.decision == "pin",
                    TeamDecision.withdrawn_at.is_(None),
                    # in force through its last day in England, as matching reads it
                    or_(TeamDecision.until.is_(None), TeamDecision.until >= clock.today(utc(now))),
                )
            ).first()
            if other is not None:
                raise StoreError(
                    f"{child_id} is already pinned to {other.placement_id} (decision "
                    f"{other.id}, by {other.decided_by}): withdraw that pin first, since a "
                    "child can be pinned to one home at a time."
                )
        for old in s.scalars(
            select(TeamDecision).where(
                TeamDecision.child_id == child_id,
                TeamDecision.placement_id == placement_id,
                TeamDecision.withdrawn_at.is_(None),
            )
        ):
            old.withdrawn_at, old.withdrawn_by = now, decided_by
        row = TeamDecision(
            child_id=child_id,
            placement_id=placement_id,
            decision=decision,
            reason=reason.strip(),
            decided_by=decided_by,
            decided_at=now,
            until=until,
        )
        s.add(row)
        s.flush()
        return _decision(row)


def withdraw_decision(
    store: RunStore, decision_id: int, by: str, now: dt.datetime | None = None
) -> Decision:
    with Session(store.engine) as s, s.begin():
        row = s.get(TeamDecision, decision_id)
        if row is None or row.withdrawn_at is not None:
            raise StoreError(f"there is no decision {decision_id} in force")
        row.withdrawn_at, row.withdrawn_by = now or dt.datetime.now(dt.UTC), by
        return _decision(row)


def decisions_in_force(
    store: RunStore, on: dt.date | None = None, child_id: str | None = None
) -> list[Decision]:
    """Decisions not withdrawn whose ``until`` is not before ``on`` (default: today)."""
    on = on or clock.today()
    q = (
        select(TeamDecision)
        .where(
            TeamDecision.withdrawn_at.is_(None),
            or_(TeamDecision.until.is_(None), TeamDecision.until >= on),
        )
        .order_by(TeamDecision.child_id, TeamDecision.placement_id)
    )
    if child_id is not None:
        q = q.where(TeamDecision.child_id == child_id)
    with Session(store.engine) as s:
        return [_decision(d) for d in s.scalars(q)]


def write_decisions_file(store: RunStore, path: Path | str, on: dt.date | None = None) -> int:
    """Write the decisions in force on ``on`` as a decisions CSV; return how many."""
    rows = decisions_in_force(store, on)
    with atomic_path(Path(path)) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for d in rows:
            cells = [d.child_id, d.placement_id, d.decision, d.reason, d.decided_by]
            w.writerow(
                [
                    *(safe_cell(c) for c in cells),
                    d.until.isoformat() if d.until else "",
                    clock.today(d.decided_at).isoformat(),
                ]
            )
    return len(rows)
