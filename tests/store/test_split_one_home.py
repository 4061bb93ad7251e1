"""What changed does not call a sibling group split when a team decision moves one of
them to another row of the home they share (one household given on two rows of the
register): they still live together. The store records the home of each sibling placed
on a row of a home on several rows, and reads it on both nights."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd

from sufficiency.store import RunStore
from sufficiency.store.record import match_records
from sufficiency.store.splits import homes
from sufficiency.store.types import ChildOutcome, InputRow

T0 = dt.datetime(2026, 4, 1, 2, 0, tzinfo=dt.UTC)
#: F-A and F-B are rows of one household; P3 is another home.
HOME = {"F-A": "F-A", "F-B": "F-A"}


def _register() -> pd.DataFrame:
    return pd.DataFrame({
        "placement_id": ["F-A", "F-B", "P3"], "setting": ["foster"] * 3,
        "provider": ["ifa"] * 3, "postcode": ["WR5 1AA", "WR5 1AA", "WR14 1AA"],
        "vacancies": [1, 1, 1], "urn": [pd.NA] * 3, "home_id": ["Smith-1", "smith-1", pd.NA],
    })  # fmt: skip


def test_the_rows_of_one_home_are_recorded_with_its_first_row() -> None:
    assert homes(_register()) == HOME
    run = SimpleNamespace(
        referrals=pd.DataFrame({"child_id": ["S1", "S2", "C3"],
                                "sibling_group": ["G1", "G1", pd.NA]}),
        placements=_register(),
        matches=pd.DataFrame({"child_id": ["S1", "S2", "C3"], "placement_id": ["F-A", "F-B", "F-A"],
                              "weekly_cost": [900.0, 950.0, 900.0]}),
        unplaced=pd.DataFrame({"child_id": [], "reason": []}),
    )  # fmt: skip
    details = {o.child_id: o.details for o in match_records(run).outcomes}
    assert details == {
        "S1": {"weekly_cost": 900.0, "sibling_group": "G1", "home": "F-A"},
        "S2": {"weekly_cost": 950.0, "sibling_group": "G1", "home": "F-A"},
        "C3": {"weekly_cost": 900.0},  # no sibling: nothing more recorded
    }


def _night(store, when, at, decisions=()):  # type: ignore[no-untyped-def]
    rows = [InputRow("referral", c, c, None) for c in ("S1", "S2")]
    rows += [InputRow("placement", p, p, 1) for p in ("F-A", "F-B", "P3")]
    rid = store.start("match", {}, rows=rows, now=when)
    outcomes = [ChildOutcome(c, p, None, {"sibling_group": "G1",
                                          **({"home": HOME[p]} if p in HOME else {})})
                for c, p in at.items()]  # fmt: skip
    store.finish(rid, succeeded=True, objective=1.0, solver_status="optimal",
                 outcomes=outcomes, decisions=decisions,
                 now=when + dt.timedelta(seconds=5))  # fmt: skip
    return rid


def _pin(child: str, home: str) -> dict:
    return {"child_id": child, "placement_id": home, "decision": "pin", "status": "applied",
            "note": "", "reason": "nearer school", "decided_by": "ann",
            "decided_on": dt.date(2026, 4, 2), "until": None}  # fmt: skip


def test_a_pin_to_the_households_other_row_does_not_split_the_group(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = RunStore(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    a = _night(store, T0, {"S1": "F-A", "S2": "F-B"})
    b = _night(store, T0 + dt.timedelta(days=1), {"S1": "F-B", "S2": "F-A"}, [_pin("S1", "F-B")])
    said = " ".join(r.reason for r in store.diff(a, b))
    assert "split" not in said
    # a pin to another home still splits them, and says so
    c = _night(store, T0 + dt.timedelta(days=2), {"S1": "P3", "S2": "F-A"}, [_pin("S1", "P3")])
    why = {r.child_id: r.reason for r in store.diff(a, c)}
    assert why["S1"].endswith("this split its sibling group (S2 at F-A)")
    store.close()


def test_a_sibling_whose_id_the_earlier_night_spelt_otherwise_was_at_home(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Night A wrote S1 as 's 1' (one child to matching and to runs diff), on the
    household's other row from S2: the home the store recorded for them on night A is
    read under night B's spelling, so a pin moving S1 to another home is named as what
    split the group (before, night A's home was not found, the two read as apart
    already, and the split went unsaid)."""
    store = RunStore(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    a = _night(store, T0, {"s 1": "F-B", "S2": "F-A"})
    b = _night(store, T0 + dt.timedelta(days=1), {"S1": "P3", "S2": "F-A"}, [_pin("S1", "P3")])
    why = {r.child_id: r.reason for r in store.diff(a, b)}
    assert list(why) == ["S1"]
    assert "; this split its sibling group (S2 at F-A); the same child" in why["S1"]
    store.close()
