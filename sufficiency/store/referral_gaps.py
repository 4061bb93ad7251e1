"""Nights a child with a team decision was not referred, from the run store.

A decision names a child by ID only. A child who leaves the referrals (placed, or the
referral closed) and is referred again later, or a new child given an ID used before,
would otherwise meet the old decision as if nothing had happened: a pin agreed for the
child who left would place the one referred now. The store knows which children each
earlier night of the same referrals file referred; :func:`referral_gaps` gives, for each
child a decision names, the nights since the decision was made on which they were not
referred, and matching reads a decision so interrupted as made for a referral that has
ended (:func:`sufficiency.matching.decisions.apply_decisions`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sufficiency.pseudonymise import pseudonym
from sufficiency.store.models import Run, RunDecision, RunFile, RunRow
from sufficiency.store.referred import as_day as _day
from sufficiency.store.store import RunStore, _where
from sufficiency.store.types import ReferralGaps, fold_id


def _referrals_set_aside(summary: dict[str, Any]) -> set[str]:
    """The children (folded IDs) whose referral rows a night's summary lists as set aside."""
    rows = summary.get("set_aside") or []
    return {fold_id(a["id"]) for a in rows if a.get("file_kind") == "referrals" and a.get("id")}


def referral_gaps(
    store: RunStore,
    referrals: Path | str,
    run_date: dt.date,
    decisions: pd.DataFrame | None,
    pseudonym_key: bytes | None = None,
) -> ReferralGaps:
    """The nights before ``run_date`` on which a child named in ``decisions`` was not
    referred, among the successful matching runs of the same referrals file (its path as
    recorded) since the earliest decision was made; and when each decision was first read
    by such a run (its date, where ``decided_on`` is blank).

    A child whose row a night set aside for an error was referred that night (a
    pseudonymised night's summary names them by pseudonym: ``pseudonym_key`` reads it).
    Runs that recorded no referral rows are left out: they say nothing about who was
    referred."""
    if decisions is None or decisions.empty:
        return ReferralGaps()
    wanted = {fold_id(c) for c in decisions["child_id"]}
    named = {} if pseudonym_key is None else {
        fold_id(pseudonym(str(c).strip(), pseudonym_key)): fold_id(c) for c in decisions["child_id"]
    }  # fmt: skip
    path = _where(referrals)
    with Session(store.engine) as s:
        q = (select(Run.id, Run.summary)
             .join(RunFile, RunFile.run_id == Run.id)
             .where(Run.kind == "match", Run.status == "succeeded", RunFile.role == "input",
                    RunFile.label == "referrals", RunFile.path == path))  # fmt: skip
        nights: dict[int, dt.date] = {}
        aside: dict[int, set[str]] = {}  # referred, but the row was set aside for an error
        for rid, summary in s.execute(q):
            day = _day((summary or {}).get("run_date"))
            if day is not None and day < run_date:
                nights[int(rid)] = day
                aside[int(rid)] = {named.get(c, c) for c in _referrals_set_aside(summary or {})}
        if not nights:
            return ReferralGaps()
        first: dict[tuple[str, str, str], dt.date] = {}
        q2 = select(RunDecision.run_id, RunDecision.child_id, RunDecision.placement_id,
                    RunDecision.decision).where(RunDecision.run_id.in_(nights))  # fmt: skip
        for rid, c, p, kind in s.execute(q2):
            key = (fold_id(c), fold_id(p), str(kind))
            if fold_id(c) in wanted and (key not in first or nights[rid] < first[key]):
                first[key] = nights[rid]
        made = [d for d in map(_day, decisions.get("decided_on", pd.Series(dtype=object))) if d]
        since = min([*made, *first.values()], default=None)
        if since is None:
            return ReferralGaps()
        looked = {rid: day for rid, day in nights.items() if day > since}
        present: dict[int, set[str]] = {rid: set(aside[rid]) for rid in looked}
        # only the children the decisions name (a night holds thousands), IDs folded in SQL
        folded = func.upper(func.replace(RunRow.key, " ", ""))
        rows = RunRow.run_id.in_(looked) & (RunRow.table == "referral")
        for rid, child in s.execute(
            select(RunRow.run_id, RunRow.key).where(rows, folded.in_(wanted))
        ):
            present[rid].add(fold_id(child))
        recorded = set(s.scalars(select(RunRow.run_id).where(rows).distinct()))
    away: dict[str, list[dt.date]] = {}
    for rid, day in sorted(looked.items(), key=lambda kv: kv[1]):
        if rid in recorded or present[rid]:
            for c in wanted - present[rid]:
                away.setdefault(c, []).append(day)
    return ReferralGaps({c: tuple(sorted(set(d))) for c, d in away.items()}, first)


def gaps_in(
    store: RunStore | None,
    referrals: Path | str,
    run_date: dt.date,
    pseudonym_key: bytes | None = None,
) -> Callable[[pd.DataFrame], ReferralGaps] | None:
    """:func:`referral_gaps` for tonight's decisions, as matching asks for it
    (``match(..., gaps=gaps_in(store, referrals, run_date))``); ``None`` without a store."""
    if store is None:
        return None
    return partial(referral_gaps, store, referrals, run_date, pseudonym_key=pseudonym_key)
