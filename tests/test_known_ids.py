"""The one rule for "the same ID but for case and spaces" (:mod:`sufficiency.io.ids`),
which matching's decisions, the run store's nights and the web's decisions all use."""

from __future__ import annotations

from sufficiency.io.ids import KnownIds, fold_id
from sufficiency.store.respelt import respelt


def test_an_id_is_itself_else_the_one_id_the_same_but_for_case_and_spaces() -> None:
    ids = KnownIds(["R007", "C1", "c1", "PL0056"])
    assert ids.same_as("R007") == "R007"
    assert ids.same_as("r 007") == "R007"
    assert ids.same_as(" pl0056 ") == "PL0056"
    assert ids.same_as("c1") == "c1"  # written so: itself, though another is C1
    assert ids.same_as("C 1") is None  # two children read so: neither
    assert ids.same_as("R008") is None
    assert fold_id(" r\u00a0007 ") == "R007"


def test_two_nights_respelt_by_the_same_rule() -> None:
    """``respelt`` pairs an ID only where each night has the one ID of its reading."""
    assert respelt(["R007", "C1", "c1", "P1"], ["r 007", "C 1", "P1"]) == {"R007": "r 007"}
    assert respelt(["R007"], ["R007", "r007"]) == {}
