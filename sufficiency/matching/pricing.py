"""Pricing for column generation: the sibling groups' patterns and their reduced costs.

A sibling group takes one *pattern*: a partition of the members it places into
*blocks*, each block at a different placement, the rest unplaced (with ``siblings =
"together"`` a pattern has at most one block). Its cost is the members' pair costs, the
unplaced penalties and the split weight for each placement beyond the first. A block
uses as many places as it has members, or, when it is bigger than the usual fostering
limit allows and takes an empty foster home under the sibling exemption, the home's
whole usual capacity, so nobody else can join it.

With LP duals ``alpha`` (one per unit) and ``beta`` (capacity rows, <= 0), a pattern's
reduced cost is the sum over its blocks of ``block cost - places used * beta[p]``, plus
its unplaced penalties and splits, minus ``alpha[g]``. The cheapest pattern of a group is
exact: for each partition of a subset of the members into blocks, each block's few
cheapest placements are searched for the best distinct choice (:meth:`Group.price`);
:meth:`Group.enumerate` lists every pattern below a threshold for the proof, and
:meth:`Group.far_bound` bounds the patterns using pairs beyond a radius.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np

from sufficiency.config import MatchingParams
from sufficiency.matching.costs import unplaced_cost
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.pruning import TOLERANCE_GBP

#: Largest sibling group the pattern master takes (partitions of 6 members: 877);
#: :func:`.solve` uses the compact model for an instance with a bigger group.
MAX_GROUP_SIZE = 6
PATTERNS_PER_ROUND = 10
#: Patterns one group may list below a threshold before the run settles for its gap.
ENUMERATION_LIMIT = 100_000


class TooMany(Exception):
    """More columns than a limit allows (patterns below a threshold past
    :data:`ENUMERATION_LIMIT`, or pairs or columns past column generation's budgets)."""


@cache
def _partitions(k: int, together: bool) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """Every (placed members, blocks) for a group of ``k``: a subset of the members as
    a bit mask and a partition of it into blocks (bit masks), at most one block when
    siblings must stay together."""

    def split(mask: int) -> list[tuple[int, ...]]:
        if mask == 0:
            return [()]
        low = mask & -mask
        rest, sub, out = mask ^ low, mask ^ low, []
        while True:
            blk = low | sub
            out += [(blk, *tail) for tail in split(mask ^ blk)]
            if sub == 0:
                return out
            sub = (sub - 1) & rest

    return tuple(
        (placed, blocks)
        for placed in range(1 << k)
        for blocks in split(placed)
        if not (together and len(blocks) > 1)
    )


@dataclass(eq=False)
class Group:
    """One sibling group: for every subset of its members, the placements that can
    take the whole subset together, what that costs and how many places it uses.

    A round of pricing asks :meth:`price` and :meth:`far_bound` about the same duals:
    the block costs under the last ``beta`` array given (by identity: the duals' arrays
    are never changed in place) and the partitions' bounds under the last ``alpha`` are
    kept for the next call."""

    members: np.ndarray
    unplaced: np.ndarray  # penalty per member
    blocks: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]  # mask: places, cost, uses
    split: float
    together: bool
    _last_values: tuple | None = field(default=None, repr=False)
    _last_frames: tuple | None = field(default=None, repr=False)

    def _values(self, beta: np.ndarray) -> dict[int, tuple[np.ndarray, np.ndarray, float]]:
        """Per block mask: its placements, their reduced block costs, and the least."""
        if self._last_values is not None and self._last_values[0] is beta:
            return self._last_values[1]  # type: ignore[no-any-return]
        out = {}
        for mask, (places, cost, uses) in self.blocks.items():
            v = cost - uses * beta[places]
            out[mask] = (places, v, float(v.min()))
        self._last_values = (beta, out)
        return out

    def _frames(self, alpha: float, vals: dict) -> list[tuple[float, tuple[int, ...]]]:
        """(reduced cost with each block at its cheapest placement, blocks) per partition."""
        last = self._last_frames
        if last is not None and last[0] is vals and last[1] == alpha:
            return last[2]  # type: ignore[no-any-return]
        out = self._frames_of(alpha, vals)
        self._last_frames = (vals, alpha, out)
        return out

    def _frames_of(self, alpha: float, vals: dict) -> list[tuple[float, tuple[int, ...]]]:
        out = []
        full = (1 << len(self.members)) - 1
        for placed, blocks in _partitions(len(self.members), self.together):
            if any(b not in vals for b in blocks):
                continue
            left = full & ~placed
            lower = sum(vals[b][2] for b in blocks) + self.split * max(len(blocks) - 1, 0)
            lower += float(sum(self.unplaced[i] for i in range(len(self.members)) if left >> i & 1))
            out.append((lower - alpha, blocks))
        return out

    def price(
        self, beta: np.ndarray, alpha: float, floor: float | None = None
    ) -> tuple[float, list[tuple]]:
        """The least reduced cost of any pattern, and up to :data:`PATTERNS_PER_ROUND`
        patterns with negative reduced cost (the best of each partition).

        With ``floor`` (at most 0), partitions whose bound (each block at its cheapest
        placement) is at least ``floor`` are not searched: the least is then exact when
        it is below ``floor`` and otherwise a bound at least ``floor`` (the patterns
        returned are the same; column generation only needs the least below zero)."""
        vals = self._values(beta)
        found: list[tuple[float, tuple]] = []
        skipped = np.inf
        for lower, blocks in self._frames(alpha, vals):
            if floor is not None and lower >= floor:
                skipped = min(skipped, lower)
                continue
            best = _best_distinct(blocks, vals, lower)
            if best is not None:
                found.append(best)
        found.sort(key=lambda f: f[0])
        least = found[0][0] if found else np.inf
        if floor is not None and not least < floor:
            least = min(least, skipped)
        return least, [f for f in found if f[0] < -TOLERANCE_GBP][:PATTERNS_PER_ROUND]

    def cheapest(self, beta: np.ndarray) -> tuple[float, float, int]:
        """With capacity duals ``beta`` and no unit dual: the least reduced cost of a
        pattern placing every member at one placement, the least of any other pattern,
        and that one placement (-1 when none can take the whole group)."""
        vals = self._values(beta)
        full = (1 << len(self.members)) - 1
        whole, other, at = np.inf, np.inf, -1
        for lower, blocks in self._frames(0.0, vals):
            if blocks == (full,):
                places, v, _ = vals[full]
                whole, at = lower, int(places[int(np.argmin(v))])
            elif (best := _best_distinct(blocks, vals, lower)) is not None:
                other = min(other, best[0])
        return whole, other, at

    def far_bound(
        self, beta: np.ndarray, alpha: float, floor: np.ndarray, same_ring: bool
    ) -> float:
        """A lower bound on the reduced cost of any pattern placing some members beyond
        their radius, where each such member costs at least ``floor`` (``inf`` for a
        member whose pairs are all held). The far members ``F`` are left out of a frame of
        the others (which counted them unplaced) and priced at their floor. When every
        member has the same home and radius (``same_ring``), a placement beyond one
        member's radius is beyond every member's, so far members are in another block
        than the frame's and a split is paid; otherwise none is assumed."""
        vals = self._values(beta)
        delta = [float(floor[i] - self.unplaced[i]) for i in range(len(self.members))]
        least = np.inf
        for lower, blocks in self._frames(alpha, vals):
            placed = 0
            for b in blocks:
                placed |= b
            free = sorted(d for i, d in enumerate(delta) if not placed >> i & 1 and d < np.inf)
            if free:
                gain = sum(d for d in free if d < 0) if free[0] < 0 else free[0]
                split = self.split if same_ring and blocks else 0.0
                least = min(least, lower + gain + split)
        return least

    def enumerate(self, beta: np.ndarray, alpha: float, threshold: float) -> list[tuple]:
        """Every pattern with reduced cost below ``threshold``.

        Raises :class:`TooMany` past :data:`ENUMERATION_LIMIT`.
        """
        vals = self._values(beta)
        out: list[tuple[float, tuple]] = []
        for lower, blocks in self._frames(alpha, vals):
            if lower >= threshold:
                continue
            slack = threshold - lower
            lists = []
            for b in blocks:
                places, v, least = vals[b]
                near = np.nonzero(v < least + slack)[0]
                near = near[np.argsort(v[near], kind="stable")]
                lists.append((places[near], v[near] - least))

            _list_below(blocks, lists, lower, slack, out)
        return out


def _list_below(
    blocks: tuple[int, ...], lists: list[tuple[np.ndarray, np.ndarray]], lower: float,
    slack: float, out: list[tuple[float, tuple]],
) -> None:  # fmt: skip
    """Append every choice of distinct placements for ``blocks`` whose extra cost over
    ``lower`` stays below ``slack`` (``lists``: each block's placements by extra cost)."""
    options = [(p.tolist(), e.tolist()) for p, e in lists]

    def walk(i: int, acc: float, chosen: tuple) -> None:
        if i == len(blocks):
            out.append((lower + acc, chosen))
            if len(out) > ENUMERATION_LIMIT:
                raise TooMany
            return
        used = {p for _, p in chosen}
        for p, e in zip(*options[i], strict=True):
            if acc + e >= slack:
                break
            if p not in used:
                walk(i + 1, acc + e, (*chosen, (blocks[i], p)))

    walk(0, 0.0, ())


def _best_distinct(blocks: tuple[int, ...], vals: dict, lower: float) -> tuple | None:
    """Cheapest choice of one placement per block, all different (branch and bound over
    each block's ``len(blocks)`` cheapest placements, which always hold the best choice:
    at most ``len(blocks) - 1`` of them are taken by the other blocks)."""
    k = len(blocks)
    if k == 0:
        return lower, ()
    tops = []
    for b in blocks:
        places, v, least = vals[b]
        first = np.argpartition(v, k - 1)[:k] if len(v) > k else np.arange(len(v))
        first = first[np.lexsort((places[first], v[first]))]
        tops.append((places[first].tolist(), (v[first] - least).tolist()))
    best: list = [np.inf, None]

    def walk(i: int, acc: float, chosen: tuple) -> None:
        if acc >= best[0]:
            return
        if i == k:
            best[0], best[1] = acc, chosen
            return
        used = {p for _, p in chosen}
        for p, e in zip(*tops[i], strict=True):
            if p not in used:
                walk(i + 1, acc + e, (*chosen, (blocks[i], p)))

    walk(0, 0.0, ())
    return None if best[1] is None else (lower + best[0], best[1])


def groups(
    prob: MatchProblem, child: np.ndarray, place: np.ndarray, cost: np.ndarray,
    params: MatchingParams,
) -> list[Group]:  # fmt: skip
    vac = prob.place_vacancies
    cap = prob.place_capacity
    exempt_ok = prob.place_foster_empty & (vac > 3)
    unplaced = unplaced_cost(prob, params.weights)
    grp = prob.child_group
    of_pair = grp[child]
    order = np.argsort(of_pair, kind="stable")
    starts = np.searchsorted(of_pair[order], np.arange(prob.num_groups + 1))
    out = []
    for g in range(prob.num_groups):
        idx = order[starts[g] : starts[g + 1]]
        members = np.nonzero(grp == g)[0]
        k = len(members)
        places, col = np.unique(place[idx], return_inverse=True)
        row = np.searchsorted(members, child[idx])
        each = np.full((k, len(places)), np.inf)
        each[row, col] = cost[idx]
        total = np.zeros((1 << k, len(places)))
        blocks = {}
        for mask in range(1, 1 << k):
            low = (mask & -mask).bit_length() - 1
            total[mask] = total[mask & (mask - 1)] + each[low]
            n = mask.bit_count()
            ok = np.isfinite(total[mask]) & (
                (n <= cap[places]) | (exempt_ok[places] & (n <= vac[places]))
            )
            if ok.any():
                at = places[ok]
                blocks[mask] = (at, total[mask][ok], np.minimum(n, cap[at]).astype(float))
        out.append(Group(members, unplaced[members], blocks, params.weights.sibling_split,
                          params.siblings == "together"))  # fmt: skip
    return out


def pattern_sizes_ok(prob: MatchProblem) -> bool:
    """Whether every sibling group is small enough for the pattern master."""
    grp = prob.child_group
    sizes = np.bincount(grp[grp >= 0], minlength=max(prob.num_groups, 1))
    return bool(sizes.max(initial=0) <= MAX_GROUP_SIZE)
