"""Sibling groups a team decision split, for what changed between two matching nights.

A matching run records each child's sibling group with its outcome (``details``), and,
for a child placed on a row of a home on several rows of the register, that home (its
first row's placement ID, ``home``: siblings on rows of one home live together). A
group all placed in one home on the earlier night and apart on the later one, where the
later run applied a team decision new to it about one of the group (a pin elsewhere, an
exclusion from the home they shared) or a pin of another child to that home, was split
by the team's own decision. The page said of the sibling who moved "the team's decisions
changed, so the best overall plan changed", and of the child pinned only the pin: neither
said the group was split, nor by which decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from sufficiency.figures import day as said_day
from sufficiency.io.same_home import home_of
from sufficiency.store.models import Outcome
from sufficiency.vocabulary import listed

_APART = ("unplaced", "not referred")


def sibling_groups(referrals: pd.DataFrame) -> dict[str, dict[str, str]]:
    """``{child: {"sibling_group": group}}`` for each referred child in a sibling group."""
    if referrals.empty or "sibling_group" not in referrals or "child_id" not in referrals:
        return {}
    out = {}
    for child, group in zip(referrals["child_id"], referrals["sibling_group"], strict=True):
        if not pd.isna(group) and str(group).strip():
            out[str(child)] = {"sibling_group": str(group)}
    return out


def homes(placements: pd.DataFrame) -> dict[str, str]:
    """``{placement: home}`` for each row of a home on several rows of the register (its
    first row's placement ID); a home on one row is its placement, and not listed."""
    if placements.empty or "placement_id" not in placements:
        return {}
    ids = placements["placement_id"].astype(str).to_numpy(object)
    first = home_of(placements.reset_index(drop=True))
    shared = pd.Series(first).duplicated(keep=False).to_numpy(bool)
    return {str(ids[i]): str(ids[first[i]]) for i in range(len(ids)) if shared[i]}


def sibling_details(
    session: Session, run_a: int, run_b: int
) -> tuple[dict[str, str], dict[str, str]]:
    """Each child's sibling group on run ``run_b``, and each child's home on either run
    where it is on several rows (``"<run>:<child>"``: the placement is run ``b``'s or
    ``a``'s), as the store recorded them."""
    groups: dict[str, str] = {}
    home: dict[str, str] = {}
    q = select(Outcome.run_id, Outcome.child_id, Outcome.details)
    for run, child, d in session.execute(q.where(Outcome.run_id.in_((run_a, run_b)))):
        if run == run_b and (d or {}).get("sibling_group"):
            groups[child] = d["sibling_group"]
        if (d or {}).get("home"):
            home[f"{'b' if run == run_b else 'a'}:{child}"] = d["home"]
    return groups, home


def _decision(d: Mapping[str, Any]) -> str:
    """``R001 pinned to PL0013 by ann on 01/04/2026: nearer school``."""
    verb = "pinned to" if d["decision"] == "pin" else "excluded from"
    on = f" on {said_day(d['decided_on'])}" if d.get("decided_on") else ""
    return f"{d['child_id']} {verb} {d['placement_id']} by {d['decided_by']}{on}: {d['reason']}"


def _where(child: str, place: str) -> str:
    """``R002 at PL0017``, ``R002 not placed``, ``R002 no longer referred``."""
    return {"unplaced": f"{child} not placed", "not referred": f"{child} no longer referred"}.get(
        place, f"{child} at {place}"
    )


def split_causes(
    causes: Mapping[str, str | None],
    before: Mapping[str, str],
    after: Mapping[str, str],
    groups: Mapping[str, str],
    new_decisions: Sequence[Mapping[str, Any]],
    home: Mapping[str, str] | None = None,
) -> dict[str, str | None]:
    """``causes`` (each changed child's, ``None`` for one its own inputs do not explain,
    a knock-on found later) with the sibling groups split by a team decision
    named: ``before`` and ``after`` are each child's placement on the two nights,
    ``groups`` each child's sibling group on the later night, ``new_decisions`` the team
    decisions the later run applied that the earlier did not. The child a decision is
    about reads that it split the group (and where the others are); a sibling who moved
    as a knock-on reads the decision instead of "the team's decisions changed", and so
    do the children whose places it took (:func:`~.causes.knock_on_causes`). ``home``
    gives the home of a child on a row of a home on several rows on each night (as
    :func:`sibling_details`): siblings on rows of one home are together."""
    out = dict(causes)
    home = home or {}
    members: dict[str, list[str]] = {}
    for child, group in sorted(groups.items()):
        members.setdefault(group, []).append(child)
    for kids in members.values():
        was = {home.get(f"a:{k}", before.get(k, "not referred")) for k in kids}
        now = {home.get(f"b:{k}", after.get(k, "not referred")) for k in kids}
        if len(kids) < 2 or len(was) != 1 or was & set(_APART) or len(now) < 2:
            continue  # not together in one home before, or not apart now
        rows = {before.get(k, "") for k in kids}  # the rows of the home they shared
        decided = [d for d in new_decisions if d["child_id"] in kids
                   or (d["decision"] == "pin" and d["placement_id"] in rows)]  # fmt: skip
        if not decided:
            continue
        said = listed([_decision(d) for d in decided])
        subjects = {d["child_id"] for d in decided}
        for k in kids:
            if k not in out:
                continue  # not changed: the others' lines say where it is
            if k in subjects:
                rest = listed([_where(o, after.get(o, "not referred")) for o in kids if o != k])
                out[k] = f"{out[k]}; this split its sibling group ({rest})"
            elif out[k] is None:
                out[k] = f"its sibling group was split by the team's decision: {said}"
            else:
                out[k] = f"{out[k]}; its sibling group was split by the team's decision: {said}"
    return out
