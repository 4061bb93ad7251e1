"""The nights a referrals file referred a child, from the outcomes the run store keeps.

A child ID that was absent from a night's referrals and comes back may be the same child
referred again or another child given the ID: ``runs diff`` says the child came back,
after how many nights away, rather than calling them a new referral
(:func:`nights_away`). Every child a matching night read has an outcome there (placed, or
unplaced, a row set aside for an error included), under their real ID.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sufficiency.store.models import Outcome, Run, RunFile
from sufficiency.store.types import fold_id


def as_day(value: object) -> dt.date | None:
    """A recorded date (``2026-04-02``) as a date; ``None`` when blank or not a date."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return None
    try:
        return pd.Timestamp(value).date()
    except (ValueError, TypeError):
        return None


def _night(run: Run) -> dt.date:
    """The night a run matched for: its run date, else the day it started."""
    return as_day((run.summary or {}).get("run_date")) or run.started_at.date()


def nights_away(
    s: Session, run_a: int, run_b: int, children: set[str]
) -> dict[str, tuple[dt.date, ...]]:
    """For each of ``children``, not referred in matching run ``run_a`` but in ``run_b``,
    who the same referrals file (its path as recorded; runs that recorded none count as
    one file) referred before: the nights they were away, the unbroken run of nights of
    that file before ``run_b``'s on which they were not referred, around ``run_a``'s
    night. A child the file never referred before is left out (a new referral). A
    night's children are those with an outcome (placed or unplaced, a row set aside for
    an error included); a night with no outcomes says nothing and is skipped."""
    a, b = s.get(Run, run_a), s.get(Run, run_b)
    if a is None or b is None or not children:
        return {}
    at, night = _night(a), _night(b)

    def referrals(rid: Any) -> Any:
        return (select(RunFile.path)
                .where(RunFile.run_id == rid, RunFile.role == "input",
                       RunFile.label == "referrals").scalar_subquery())  # fmt: skip

    same_file = func.coalesce(referrals(Run.id), "") == func.coalesce(referrals(run_b), "")
    q = select(Run).where(Run.kind == "match", Run.status == "succeeded", same_file)
    days = {r.id: _night(r) for r in s.scalars(q) if _night(r) < night}
    nights = Outcome.run_id.in_(days)
    referred = {
        days[r]: set[str]() for r in s.scalars(select(Outcome.run_id).where(nights).distinct())
    }
    # only the children asked about (a night holds thousands), IDs folded in SQL
    folded = func.upper(func.replace(Outcome.child_id, " ", ""))
    wanted = {fold_id(c) for c in children}
    for rid, child in s.execute(
        select(Outcome.run_id, Outcome.child_id).where(nights, folded.in_(wanted))
    ):
        referred[days[rid]].add(fold_id(child))
    order = sorted(referred)
    away: dict[str, tuple[dt.date, ...]] = {}
    for child in children:
        c, gap = fold_id(child), list[dt.date]()
        for day in reversed([d for d in order if d <= at]):
            if c in referred[day]:
                break
            gap.insert(0, day)
        else:
            continue  # never referred before by this file
        for day in (d for d in order if d > at):
            if c in referred[day]:
                break
            gap.append(day)
        if gap:
            away[child] = tuple(gap)
    return away
