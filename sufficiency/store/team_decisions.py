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
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from sufficiency import clock
from sufficiency.errors import StoreError
from sufficiency.figures import day as said_day
from sufficiency.io.atomic import atomic_path
from sufficiency.io.csv_text import safe_cell
from sufficiency.io.dates import LAST_DAY
from sufficiency.pages.render import uk_time
from sufficiency.store.models import RunRow, TeamDecision
from sufficiency.store.store import RunStore, utc
from sufficiency.store.types import fold_id

KINDS = ("pin", "exclude")
#: Columns of the exported decisions file (the input contract's names).
COLUMNS = ("child_id", "placement_id", "decision", "reason", "decided_by", "until", "decided_on")
#: The PostgreSQL advisory lock decisions are written under, one transaction at a time.
_PG_LOCK = 0x5D1E_C1DE


class DecisionsChanged(StoreError):
    """The child's decisions changed after the page the decision was made on was shown
    (another user's decision or withdrawal): nothing was recorded; the sentence says what
    changed."""


class Busy(StoreError):
    """The store could not be written in time; nothing was recorded."""


class Withdrawn(StoreError):
    """The decision to withdraw was withdrawn or replaced already; the sentence says by
    whom and when."""


class AlreadyRecorded(StoreError):
    """The same decision was recorded by the same user after the page was shown: the form
    was sent twice (a double click, or back and send again); nothing was recorded twice."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(
            f"Already recorded: {decision.sentence} (decision {decision.id}, "
            f"{uk_time(decision.decided_at, '%H:%M:%S')}); it was not recorded twice."
        )
        self.decision = decision


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


def _one_writer(s: Session) -> None:
    """Take the store's lock for writing decisions before reading what the write depends
    on, so two users deciding at the same moment are taken one after the other and the
    second sees the first's decision. Before, both read, neither saw the other, and both
    were recorded: two pins of one child, or an exclusion and a pin of one pair, both in
    force, each user told theirs was recorded."""
    conn = s.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
    elif conn.dialect.name == "sqlite":
        # the driver begins a transaction only at the first write; take the write lock now
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def _writing(store: RunStore) -> Iterator[Session]:
    """A transaction writing decisions, under the lock (:func:`_one_writer`); a store that
    stays locked past its wait (SQLite's busy timeout, another job writing) or cannot be
    reached is :class:`Busy`, a sentence, not a fault page."""
    try:
        with Session(store.engine) as s, s.begin():
            _one_writer(s)
            yield s
    except OperationalError:
        raise Busy(
            "The run store could not be written just now (another job is writing to it, or "
            "it cannot be reached), so nothing was recorded; try again in a moment."
        ) from None


def _live(today: dt.date) -> tuple[Any, ...]:
    """Where a decision is in force on ``today``: not withdrawn, and through its last day
    in England, as matching reads it."""
    return (
        TeamDecision.withdrawn_at.is_(None),
        or_(TeamDecision.until.is_(None), TeamDecision.until >= today),
    )


def _pins(today: dt.date) -> tuple[Any, ...]:
    return (*_live(today), TeamDecision.decision == "pin")


def _of_child(rows: Iterable[TeamDecision], child_id: str) -> list[TeamDecision]:
    """The decisions of ``rows`` about ``child_id``, its ID compared as matching compares
    it (:func:`~sufficiency.store.types.fold_id`): one recorded for ``r007`` is about
    ``R007``. Compared exactly, a pin recorded on R007's page was not checked against an
    exclusion or pin recorded for r007, and matching refused the two every night."""
    key = fold_id(child_id)
    return [d for d in rows if fold_id(d.child_id) == key]


def _in_force(s: Session, child_id: str, today: dt.date) -> list[TeamDecision]:
    q = select(TeamDecision).where(*_live(today)).order_by(TeamDecision.id)
    return _of_child(s.scalars(q), child_id)


def _check_seen(
    s: Session, child_id: str, now_in_force: list[TeamDecision], seen: Collection[int],
    same: tuple[str, str, str, str, dt.date | None],
) -> None:  # fmt: skip
    """Refuse a decision made on a page showing other decisions than those in force now,
    where one changed since bears on it (:func:`_bears_on`); a decision identical to one
    recorded since (same pair, kind, reason, last day and user) is the same form sent
    twice. Another user's exclusion of another home meanwhile refused the decision too,
    though nothing in it conflicts."""
    ids = {d.id for d in now_in_force}
    if ids == set(seen):
        return
    new = [d for d in now_in_force if d.id not in seen]
    for d in new:
        if (d.placement_id, d.decision, d.reason, d.decided_by, d.until) == same:
            raise AlreadyRecorded(_decision(d))
    home, kind = same[0], same[1]
    said = [f"{d.decided_by} recorded \"{_decision(d).sentence}\" at "
            f"{uk_time(utc(d.decided_at), '%H:%M:%S')}" for d in new
            if _bears_on(d, home, kind)]  # fmt: skip
    for gone_id in sorted(set(seen) - ids):
        gone = s.get(TeamDecision, gone_id)
        if gone is None or not _of_child([gone], child_id) or not _bears_on(gone, home, kind):
            continue
        what = _decision(gone).sentence
        if gone.withdrawn_at is not None:
            said.append(f"{gone.withdrawn_by} withdrew \"{what}\" (or replaced it) at "
                        f"{uk_time(utc(gone.withdrawn_at), '%H:%M:%S')}")  # fmt: skip
        else:
            said.append(f'"{what}" reached its last day')
    if not said:
        return  # changes to other homes' decisions only: nothing to weigh this one against
    raise DecisionsChanged(
        f"The decisions about {child_id} changed after this page was shown: "
        f"{'; '.join(said)}. Nothing was recorded. They are listed below as they stand "
        "now, with your decision filled in again: send it if it still holds."
    )


def _bears_on(d: TeamDecision, placement_id: str, decision: str) -> bool:
    """Whether decision ``d``, recorded or withdrawn since a page was shown, bears on a
    ``decision`` about ``placement_id`` made on it: one about the same home (a pin would
    replace an exclusion unseen), or another pin (a child is pinned to one home at a
    time)."""
    return fold_id(d.placement_id) == fold_id(placement_id) or d.decision == decision == "pin"


def _check_room(
    s: Session, child_id: str, placement_id: str, vacancies: int, run_id: int, today: dt.date
) -> None:
    """Refuse a pin that takes a home past its vacancies in the register ``run_id`` read:
    matching refuses every pin of a home with more pins than room, so the pin would undo
    another user's pins to it without telling them."""
    pins = s.scalars(select(TeamDecision).where(*_pins(today)).order_by(TeamDecision.child_id))
    others = [d for d in pins if fold_id(d.placement_id) == fold_id(placement_id)
              and fold_id(d.child_id) != fold_id(child_id)]  # fmt: skip
    if len(others) + 1 <= vacancies:
        return
    room = f"{vacancies} vacanc{'y' if vacancies == 1 else 'ies'}"
    if not others:
        raise StoreError(
            f"{placement_id} had no vacancy in the placement register matching run {run_id} "
            "read, so matching would refuse this pin (capacity). Choose another home."
        )
    who = ", ".join(f"{d.child_id} (decision {d.id}, by {d.decided_by})" for d in others)
    raise StoreError(
        f"{placement_id} had {room} in the placement register matching run {run_id} read, "
        f"and {who} {'is' if len(others) == 1 else 'are'} pinned there already: matching "
        "would refuse every pin to it (capacity) until the team chooses. Withdraw a pin "
        "there first, or choose another home."
    )


def register_vacancies(store: RunStore, run_id: int, placement_id: str) -> int | None:
    """The vacancies of ``placement_id`` in the placement register matching run ``run_id``
    read (``None``: the run recorded no such row)."""
    with Session(store.engine) as s:
        return s.scalar(
            select(RunRow.vacancies).where(
                RunRow.run_id == run_id, RunRow.table == "placement", RunRow.key == placement_id
            )
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
    seen: Collection[int] | None = None,
    room: tuple[int, int] | None = None,
) -> Decision:
    """Record a decision; one in force for the same pair is withdrawn (replaced).

    ``seen``: the IDs of the child's decisions in force on the page it was made on; if
    they are not those in force now, :class:`DecisionsChanged` (or :class:`AlreadyRecorded`
    for the same decision sent twice) and nothing is recorded. ``room``: the matching run
    whose register the page showed and the home's vacancies there; a pin past them is
    refused. Decisions are written one at a time (:func:`_one_writer`).
    """
    if decision not in KINDS:
        raise StoreError(f"unknown decision {decision!r}: use pin or exclude")
    if not reason.strip():
        raise StoreError("a decision needs a reason")
    if until is not None and until > LAST_DAY.date():
        # matching reads no date after 2099 (31/12/9999 for "no end" is a placeholder)
        raise StoreError(
            f"the last day must be no later than {said_day(LAST_DAY)}; leave it blank for a "
            "decision with no end date"
        )
    now = now or dt.datetime.now(dt.UTC)
    today = clock.today(utc(now))
    with _writing(store) as s:
        if seen is not None:
            same = (placement_id, decision, reason.strip(), decided_by, until)
            _check_seen(s, child_id, _in_force(s, child_id, today), seen, same)
        if decision == "pin":
            # two pins for one child are both refused by matching: say so now, not then
            pins = _of_child(s.scalars(select(TeamDecision).where(*_pins(today))), child_id)
            other = next(
                (d for d in pins if fold_id(d.placement_id) != fold_id(placement_id)), None
            )
            if other is not None:
                raise StoreError(
                    f"{child_id} is already pinned to {other.placement_id} (decision "
                    f"{other.id}, by {other.decided_by}): withdraw that pin first, since a "
                    "child can be pinned to one home at a time."
                )
            if room is not None:
                _check_room(s, child_id, placement_id, room[1], room[0], today)
        standing = s.scalars(select(TeamDecision).where(TeamDecision.withdrawn_at.is_(None)))
        for old in _of_child(standing, child_id):
            if fold_id(old.placement_id) == fold_id(placement_id):
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


def replaced_by(store: RunStore, d: Decision) -> list[Decision]:
    """The decisions on the same pair that ``d`` replaced as it was recorded."""
    with Session(store.engine) as s:
        rows = s.scalars(
            select(TeamDecision)
            .where(
                TeamDecision.id < d.id,
                TeamDecision.withdrawn_at == d.decided_at,
                TeamDecision.withdrawn_by == d.decided_by,
            )
            .order_by(TeamDecision.id)
        )
        home = fold_id(d.placement_id)
        return [_decision(r) for r in _of_child(rows, d.child_id)
                if fold_id(r.placement_id) == home]  # fmt: skip


def withdraw_decision(
    store: RunStore, decision_id: int, by: str, now: dt.datetime | None = None
) -> Decision:
    with _writing(store) as s:  # two withdrawals at once: the second is told
        row = s.get(TeamDecision, decision_id)
        if row is None:
            raise StoreError(f"there is no decision {decision_id} in force")
        if row.withdrawn_at is not None:  # by another user meanwhile, or the form sent twice
            raise Withdrawn(
                f"There is no decision {decision_id} in force: {row.withdrawn_by} withdrew "
                f'"{_decision(row).sentence}" (or replaced it) at '
                f"{uk_time(utc(row.withdrawn_at), '%H:%M:%S')}. Nothing was changed."
            )
        row.withdrawn_at, row.withdrawn_by = now or dt.datetime.now(dt.UTC), by
        return _decision(row)


def decisions_in_force(
    store: RunStore, on: dt.date | None = None, child_id: str | None = None
) -> list[Decision]:
    """Decisions not withdrawn whose ``until`` is not before ``on`` (default: today); of
    ``child_id``, those recorded for its ID in any case or spacing (as matching reads them)."""
    on = on or clock.today()
    q = (
        select(TeamDecision)
        .where(
            TeamDecision.withdrawn_at.is_(None),
            or_(TeamDecision.until.is_(None), TeamDecision.until >= on),
        )
        .order_by(TeamDecision.child_id, TeamDecision.placement_id)
    )
    with Session(store.engine) as s:
        rows = list(s.scalars(q))
        return [_decision(d) for d in (rows if child_id is None else _of_child(rows, child_id))]


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
