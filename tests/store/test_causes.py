"""input_cause: each change on the register that explains a move, for the placement the
child left and for the one proposed now, in the words the diff prints."""

from __future__ import annotations

import pytest

from sufficiency.store.causes import input_cause
from sufficiency.store.types import RowFingerprint

_REFERRAL = {"C1": RowFingerprint("r", None)}
_P = RowFingerprint("p", 2)


@pytest.mark.parametrize(
    ("earlier", "later", "cause"),
    [
        ({"P1": _P}, {}, "placement P1 is no longer on the register"),
        ({"P1": _P}, {"P1": RowFingerprint("p", 0)}, "placement P1 has no vacancy now (filled)"),
        ({"P1": _P}, {"P1": RowFingerprint("p", 1)},
         "placement P1 has fewer vacancies now: 1, was 2"),
        ({"P1": _P}, {"P1": RowFingerprint("q", 2)}, "placement P1's register entry changed"),
        ({"P1": _P}, {"P1": RowFingerprint("q", 3)}, "placement P1's register entry changed"),
        ({}, {"P1": _P}, "placement P1's register entry changed"),
        ({"P1": _P}, {"P1": _P}, None),
    ],
)  # fmt: skip
def test_the_placement_left(earlier, later, cause) -> None:
    assert input_cause("C1", "P1", "unplaced", _REFERRAL, _REFERRAL, earlier, later) == cause


@pytest.mark.parametrize(
    ("earlier", "later", "cause"),
    [
        ({}, {"P2": _P}, "new vacancy on the register: P2"),
        ({"P2": RowFingerprint("p", 0)}, {"P2": _P}, "placement P2 has a vacancy now"),
        ({"P2": RowFingerprint("p", 1)}, {"P2": _P},
         "placement P2 has more vacancies now: 2, was 1"),
        ({"P2": _P}, {"P2": RowFingerprint("q", 2)}, "placement P2's register entry changed"),
        ({"P2": _P}, {"P2": RowFingerprint("q", 1)}, "placement P2's register entry changed"),
        ({"P2": _P}, {}, "placement P2's register entry changed"),
        ({"P2": _P}, {"P2": _P}, None),
    ],
)  # fmt: skip
def test_the_placement_proposed_now(earlier, later, cause) -> None:
    assert input_cause("C1", "unplaced", "P2", _REFERRAL, _REFERRAL, earlier, later) == cause


def test_the_placement_left_is_said_before_the_one_proposed_now() -> None:
    earlier, later = {"P1": _P}, {"P2": _P}
    assert input_cause("C1", "P1", "P2", _REFERRAL, _REFERRAL, earlier, later) == (
        "placement P1 is no longer on the register"
    )


def test_the_placement_proposed_now_is_said_when_the_one_left_is_unchanged() -> None:
    earlier, later = {"P1": _P}, {"P1": _P, "P2": _P}
    assert input_cause("C1", "P1", "P2", _REFERRAL, _REFERRAL, earlier, later) == (
        "new vacancy on the register: P2"
    )
