"""Why a child's proposal changed between two matching nights, from what the store kept.

:func:`input_cause` reads the child's own referral and the two placements concerned (the
one left and the one proposed now). A child none of these explains moved as a knock-on:
:func:`knock_on_causes` then looks for the child who took the place left (or left the
place taken) and names that child's cause; failing that it names what changed between
the nights (referrals or vacancies, the team's decisions), never a change that did not
happen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sufficiency.figures import day as said_day
from sufficiency.store.types import RowFingerprint
from sufficiency.vocabulary import listed

#: The cause of a knock-on change when referrals or the register changed.
KNOCK_ON = "other children's referrals or vacancies changed, so the best overall plan changed"
#: ... when only the team's decisions changed.
KNOCK_ON_DECISIONS = "the team's decisions changed, so the best overall plan changed"
#: ... when both changed.
KNOCK_ON_BOTH = (
    "other children's referrals or vacancies and the team's decisions changed, so the best "
    "overall plan changed"
)
#: ... when neither changed.
KNOCK_ON_NEITHER = (
    "the referrals, the register and the team's decisions are the same: the plan changed "
    "with the settings or the version of the software, or between equally good plans"
)
_NO_ROW = RowFingerprint("", None)
_SETTLED = ("unplaced", "not referred")
#: What the register says of the placement a child left, and of the one proposed now, as
#: :func:`_register_cause` finds it: gone from (new to) the register, full (with a vacancy),
#: fewer (more) vacancies now; ``{at}`` and ``{off}`` are its vacancies on the night the
#: child was there and on the other night.
_LEFT = (
    "placement {place} is no longer on the register",
    "placement {place} has no vacancy now (filled)",
    "placement {place} has fewer vacancies now: {off}, was {at}",
)
_TAKEN = (
    "new vacancy on the register: {place}",
    "placement {place} has a vacancy now",
    "placement {place} has more vacancies now: {at}, was {off}",
)


def input_cause(
    child: str,
    before: str,
    after: str,
    ra: Mapping[str, RowFingerprint],
    rb: Mapping[str, RowFingerprint],
    pa: Mapping[str, RowFingerprint],
    pb: Mapping[str, RowFingerprint],
    away: Mapping[str, tuple[dt.date, ...]] | None = None,
) -> str | None:
    """The change in the child's referral, or in the placement left or proposed now, that
    explains the move; ``None`` when none of them changed. ``away`` holds the nights a
    child referred before was not (:func:`~sufficiency.store.referral_gaps.nights_away`):
    such a child is referred again, not a new referral."""
    # a child with an outcome but no referral row was referred with a row set aside for
    # an error (reported unplaced with the problem), not new or gone
    if child not in ra:
        if before == "not referred" and (gap := (away or {}).get(child)):
            return returned(gap)
        return "new referral" if before == "not referred" else (
            "the child's referral was set aside for an error in the earlier run")  # fmt: skip
    if child not in rb:
        return "no longer referred" if after == "not referred" else (
            "the child's referral was set aside for an error (its reason for not being placed "
            "says which)")  # fmt: skip
    if ra[child].row_sha256 != rb[child].row_sha256:
        return "the child's referral changed"
    return _register_cause(before, pa, pb, _LEFT) or _register_cause(after, pb, pa, _TAKEN)


def returned(nights: tuple[dt.date, ...]) -> str:
    """``referred again after 2 nights away (not referred from 02/04/2026 to 03/04/2026)``:
    the ID may be the same child's or another's, which the team should check."""
    n = len(nights)
    when = (f"on {said_day(nights[0])}" if n == 1
            else f"from {said_day(nights[0])} to {said_day(nights[-1])}")  # fmt: skip
    return f"referred again after {n} night{'s' * (n > 1)} away (not referred {when})"


def _register_cause(
    place: str,
    at: Mapping[str, RowFingerprint],
    off: Mapping[str, RowFingerprint],
    said: tuple[str, str, str],
) -> str | None:
    """The change on the register that explains a child moving to or from ``place``:
    ``at`` is the register of the night the child was (or is proposed) there, ``off`` of
    the other night, on which the placement is gone, full, has fewer vacancies or another
    entry (``said`` words the first three); ``None`` when its entry is the same, or
    ``place`` is no placement (unplaced, not referred)."""
    if place in _SETTLED:
        return None
    there, other = at.get(place, _NO_ROW), off.get(place)
    if other is None:
        return said[0].format(place=place)
    if other.vacancies == 0:
        return said[1].format(place=place)
    if (there.vacancies or 0) > (other.vacancies or 0):
        return said[2].format(place=place, at=there.vacancies, off=other.vacancies)
    if there.row_sha256 != other.row_sha256:
        return f"placement {place}'s register entry changed"
    return None


def knock_on_causes(
    moves: Mapping[str, tuple[str, str]],
    causes: Mapping[str, str | None],
    inputs_changed: bool,
    decisions_changed: bool,
    full_before: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """A cause for each moved child whose own inputs do not explain the move.

    ``moves`` holds each changed child's (before, after); ``causes`` the direct causes
    found so far (``None`` for a knock-on). A child who moved from one home to another
    with a child with a cause (a sibling group) is said to have moved with it. A child
    whose place went to a child with a cause (or whose new place, one of
    ``full_before``, the placements with no vacancy left in the earlier plan, was left by
    one) is said so, with that child's cause, round by round so that a chain of moves is
    followed; the rest get what changed between the nights.
    """
    found = {c: why for c, why in causes.items() if why is not None}
    direct = set(found)

    def who(children: list[str]) -> str:
        """``R1 and R2 (their cause)``, children with one cause named together."""
        by_cause: dict[str, list[str]] = {}
        for o in children:
            by_cause.setdefault(found[o] if o in direct else "", []).append(o)
        see = {True: "see their lines", False: "see its line"}
        return "; ".join(
            f"{listed(ids)} ({why})" if why
            else f"{listed(ids)}, who moved too ({see[len(ids) > 1]})"
            for why, ids in by_cause.items()
        )  # fmt: skip

    todo = [c for c in moves if c not in found]
    while todo:
        named: dict[str, str] = {}
        for child in todo:
            before, after = moves[child]
            # a child who moved from one home to another together with a child with a
            # cause (a sibling group, say) moved with it: the children who took the home
            # it left came after, not before (it read 'its place at P1 went to C3')
            together = sorted(o for o, m in moves.items()
                              if o != child and o in found and m == (before, after)
                              and before not in _SETTLED and after not in _SETTLED)  # fmt: skip
            took = sorted(o for o, (b, a) in moves.items()
                          if o != child and o in found and before not in _SETTLED
                          and a == before)  # fmt: skip
            left = sorted(o for o, (b, a) in moves.items()
                          if o != child and o in found and after in full_before
                          and b == after)  # fmt: skip
            if together:
                named[child] = f"moved from {before} together with {who(together)}"
            elif took:
                named[child] = f"its place at {before} went to {who(took)}"
            elif left:
                named[child] = f"{after} was left free by {who(left)}"
        if not named:
            break
        found |= named
        todo = [c for c in todo if c not in named]
    generic = {(True, True): KNOCK_ON_BOTH, (True, False): KNOCK_ON,
               (False, True): KNOCK_ON_DECISIONS, (False, False): KNOCK_ON_NEITHER}[
        (inputs_changed, decisions_changed)]  # fmt: skip
    return {c: found.get(c, generic) for c in moves if causes.get(c) is None}
