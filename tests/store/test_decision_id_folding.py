"""The team's decisions about one child are checked against each other whatever case or
spacing their ID was recorded in (``r007`` one night, ``R007`` the next), as matching
takes them: a pin on R007's page stood beside an exclusion or pin recorded for r007, and
matching refused the two every night."""

from __future__ import annotations

import datetime as dt

import pytest

from sufficiency.errors import StoreError
from sufficiency.store import RunStore
from sufficiency.store.team_decisions import (
    DecisionsChanged,
    add_decision,
    decisions_in_force,
    replaced_by,
)

NOW = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=1)


def test_a_pin_on_r007_is_refused_beside_a_pin_recorded_for_r_007(store_url):
    store = RunStore(store_url)
    first = add_decision(store, "r 007", "PL0013", "pin", "agreed at panel", "jo", now=NOW)
    with pytest.raises(StoreError, match=f"R007 is already pinned to PL0013 .decision {first.id}"):
        add_decision(store, "R007", "PL0032", "pin", "nearer school", "al", now=LATER)
    assert [d.id for d in decisions_in_force(store, NOW.date())] == [first.id]
    store.close()


def test_a_pin_on_r007_replaces_the_exclusion_of_the_pair_recorded_for_r007(store_url):
    store = RunStore(store_url)
    ex = add_decision(store, "r007", "PL0013", "exclude", "contact plan", "jo", now=NOW)
    pin = add_decision(store, "R007", "pl0013", "pin", "contact plan changed", "al",
                       now=LATER, seen={ex.id})  # fmt: skip
    assert [d.id for d in decisions_in_force(store, NOW.date())] == [pin.id]
    assert [d.id for d in replaced_by(store, pin)] == [ex.id]
    assert [d.id for d in decisions_in_force(store, NOW.date(), child_id="R007")] == [pin.id]
    store.close()


def test_a_page_not_showing_the_r007_exclusion_is_told_it_changed(store_url):
    store = RunStore(store_url)
    add_decision(store, "r007", "PL0013", "exclude", "contact plan", "jo", now=NOW)
    with pytest.raises(DecisionsChanged, match=r"jo recorded \"Excluded from PL0013"):
        add_decision(store, "R007", "PL0013", "pin", "agreed", "al", now=LATER, seen=set())
    store.close()


def test_a_pin_of_r007_does_not_count_against_the_room_of_its_own_home(store_url):
    """Re-pinning a child to the home it is pinned to under another spelling leaves the
    home's room as it was (it counted as a second child pinned there)."""
    store = RunStore(store_url)
    add_decision(store, "r007", "PL0013", "pin", "agreed", "jo", now=NOW)
    again = add_decision(store, "R007", "PL0013", "pin", "agreed again", "al", now=LATER,
                         room=(1, 1))  # fmt: skip
    assert [d.id for d in decisions_in_force(store, NOW.date())] == [again.id]
    store.close()


def test_a_childs_audit_trail_is_found_under_every_spelling_matching_reads_as_theirs(store_url):
    """A subject-access search for R007 must find the views of r007's and R 007's pages
    (one child to matching), and not R0070's."""
    from sufficiency.store.accounts import audit, audit_trail

    store = RunStore(store_url)
    for i, cid in enumerate(["r007", "R 007", "R007", "R0070"]):
        audit(store, "jo", "view_child", child_id=cid, run_id=i, now=NOW)
    assert sorted(r.run_id for r in audit_trail(store, child_id="R007")) == [0, 1, 2]
    assert sorted(r.run_id for r in audit_trail(store, child_id=" r007 ")) == [0, 1, 2]
    assert [r.run_id for r in audit_trail(store, child_id="R0070")] == [3]
    store.close()
