"""A child whose ID the next night's referrals write in another case or spacing (``R007``
one night, ``r 007`` the next) is one child, as matching takes them: what changed listed
``R007`` as "no longer referred" and ``r 007`` as a "new referral", at the same home."""

from __future__ import annotations

import datetime as dt

from sufficiency.store import RunStore
from sufficiency.store.types import ChildOutcome, InputRow

T0 = dt.datetime(2026, 4, 1, 2, 0, tzinfo=dt.UTC)


def _night(store, day, outcomes, decisions=()):
    when = T0 + dt.timedelta(days=day)
    rows = [InputRow("referral", c, f"{c}-row", None) for c in outcomes]
    rows += [InputRow("placement", p, "same", 1) for p in ("P1", "P2", "P3")]
    rid = store.start("match", {}, rows=rows, now=when)
    store.finish(rid, succeeded=True, objective=1.0, solver_status="optimal",
                 summary={"run_date": f"{when.date():%Y-%m-%d}"},
                 outcomes=[ChildOutcome(c, p, None if p else "no option", None)
                           for c, p in outcomes.items()],
                 decisions=list(decisions), now=when)  # fmt: skip
    return rid


def test_a_child_whose_id_is_written_otherwise_at_the_same_home_has_not_changed(store_url):
    store = RunStore(store_url)
    a = _night(store, 0, {"R007": "P1", "C2": "P2"})
    b = _night(store, 1, {"r 007": "P1", "C2": "P3"})
    rows = store.diff(a, b)
    assert [(r.child_id, r.before, r.after) for r in rows] == [("C2", "P2", "P3")]
    store.close()


def test_a_child_whose_id_is_written_otherwise_who_moved_is_one_row_saying_so(store_url):
    store = RunStore(store_url)
    pin = {"child_id": "R007", "placement_id": "P2", "decision": "pin", "status": "applied",
           "note": "", "reason": "near school", "decided_by": "ann"}  # fmt: skip
    a = _night(store, 0, {"R007": "P1", "C2": "P2"})
    b = _night(store, 1, {"r007": "P2", "C2": "P1"}, [{**pin, "child_id": "r007"}])
    rows = {r.child_id: r for r in store.diff(a, b)}
    assert set(rows) == {"r007", "C2"}, rows
    assert (rows["r007"].before, rows["r007"].after) == ("P1", "P2")
    assert rows["r007"].reason.startswith("pinned by ann: near school"), rows["r007"].reason
    assert f"run {a} wrote R007" in rows["r007"].reason
    assert rows["C2"].reason == "placement P2 went to r007, pinned by ann: near school"
    store.close()


def test_two_children_one_night_are_not_taken_as_one(store_url):
    """On a night with both ``R007`` and ``r007`` referred, matching keeps them apart."""
    store = RunStore(store_url)
    a = _night(store, 0, {"R007": "P1", "r007": "P2"})
    b = _night(store, 1, {"r 007": "P1"})
    rows = {r.child_id: (r.before, r.after) for r in store.diff(a, b)}
    assert rows == {"R007": ("P1", "not referred"), "r007": ("P2", "not referred"),
                    "r 007": ("not referred", "P1")}  # fmt: skip
    store.close()
