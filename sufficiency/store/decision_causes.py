"""Which team decision explains a child's move between two runs (``runs diff``).

Moved here from :mod:`.store`, with one addition: an exclusion from one row of a home on
several rows (one Ofsted URN and postcode, or one ``home_id``) covers every row of the
home (:mod:`sufficiency.matching.decision_homes`), so a child proposed on the home's
*other* row in run A and moved in run B was moved by it; before, ``runs diff`` did not
name it (*"the team's decisions changed, so the best overall plan changed"*). The store
keeps the rows an exclusion covered in its note (*"..., nor to RB, the same home
(...)"*), so the cause is read from there: *"excluded from RA by ann: ...; RB is a row of
the same home, so the exclusion holds there too"*, and an exclusion lifted likewise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sufficiency.figures import day as said_day
from sufficiency.store.types import DecisionKey

#: What an applied exclusion's note says of the home's other rows it covers.
_SAME_HOME = re.compile(r"nor to (.+?), the same home \(")


def home_rows(d: Mapping[str, Any]) -> list[str]:
    """The other rows of its home an applied exclusion ``d`` covers, as its note names
    them (none for a home on one row, a pin, or a decision not applied)."""
    found = _SAME_HOME.search(str(d.get("note") or ""))
    if d["decision"] != "exclude" or d["status"] != "applied" or found is None:
        return []
    return [r for r in re.split(r", | and ", found.group(1)) if r]


def _home_wide(
    ds: Mapping[DecisionKey, dict[str, Any]], child: str, place: str
) -> dict[str, Any] | None:
    """The first exclusion in ``ds`` of ``child`` from another row of ``place``'s home."""
    return next((d for k, d in sorted(ds.items())
                 if k.child_id == child and place in home_rows(d)), None)  # fmt: skip


def _held_at(place: str) -> str:
    return f"; {place} is a row of the same home, so the exclusion holds there too"


def decision_key(d: Mapping[str, Any]) -> DecisionKey:
    return DecisionKey(d["child_id"], d["placement_id"], d["decision"])


def applied_keys(ds: list[dict[str, Any]]) -> set[DecisionKey]:
    return {decision_key(d) for d in ds if d["status"] == "applied"}


def _as_cause(d: Mapping[str, Any]) -> str:
    """``pinned by J Smith on 27 February 2026: reason`` / ``excluded from P1 by ...``."""
    verb = "pinned" if d["decision"] == "pin" else f"excluded from {d['placement_id']}"
    on = f" on {said_day(d['decided_on'])}" if d.get("decided_on") else ""
    return f"{verb} by {d['decided_by']}{on}: {d['reason']}"


def decision_cause(
    child: str,
    before: str,
    after: str,
    da: list[dict[str, Any]],
    db: list[dict[str, Any]],
    lifted: Mapping[DecisionKey, str],
    referral_changed: bool = False,
) -> str | None:
    """The team decision recorded with run B (or lifted since run A) that explains why
    ``child`` moved from ``before`` to ``after``, if any. A decision of run A that no
    longer applies while ``referral_changed`` (the child's referral row differs between
    the runs) says so too: a pin refused for a new risk is refused for the change in the
    referral. The store keeps a fingerprint of each row, not its fields, so which field
    changed is not said."""

    def applied(ds: list[dict[str, Any]]) -> dict[DecisionKey, dict[str, Any]]:
        return {decision_key(d): d for d in ds if d["status"] == "applied"}

    now, then = applied(db), applied(da)
    new = {k: d for k, d in now.items() if k not in then}
    if (k := DecisionKey(child, after, "pin")) in new:
        return _as_cause(new[k])
    if (k := DecisionKey(child, before, "exclude")) in new:
        return _as_cause(new[k])
    if (d := _home_wide(new, child, before)) is not None:
        return _as_cause(d) + _held_at(before)
    taken = [d for k, d in sorted(new.items()) if k.placement_id == before and k.decision == "pin"]
    if taken:
        d = taken[0]
        return f"placement {before} went to {d['child_id']}, {_as_cause(d)}"
    for key, verb in ((DecisionKey(child, before, "pin"), "pin to"),
                      (DecisionKey(child, after, "exclude"), "exclusion from")):  # fmt: skip
        if key in then and key not in now:
            read = next((d for d in db if decision_key(d) == key), None)
            said = read and f" ({read['status']}: {read['note'].rstrip('.')})"  # not ".))"
            why = said or lifted.get(key, "")
            redone = "; the child's referral changed since the earlier run" * referral_changed
            return (f"the {verb} {key.placement_id} recorded with the earlier run no longer "
                    f"applies{why}{redone}")  # fmt: skip
    d = _home_wide(then, child, after)
    if d is not None and decision_key(d) not in now:
        read = next((e for e in db if decision_key(e) == decision_key(d)), None)
        why = (read and f" ({read['status']}: {read['note'].rstrip('.')})") or lifted.get(
            decision_key(d), ""
        )
        return (f"the exclusion from {d['placement_id']} recorded with the earlier run, which "
                f"held at {after} (a row of the same home), no longer applies{why}")  # fmt: skip
    return None
