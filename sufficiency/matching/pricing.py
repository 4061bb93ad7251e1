"""Pricing for column generation: the sibling groups' patterns and their reduced costs.

A sibling group takes one *pattern*: a partition of the members it places into
*blocks*, each block at a different placement, the rest unplaced. Rows of one home
(``prob.place_home``: one home or household on several rows of the register) are one
home, where siblings live together: with ``siblings = "together"`` a pattern's blocks
are all on the rows of one home (one block where no home has several rows). Its cost is
the members' pair costs, the unplaced penalties and the split weight for each home
beyond the first. A block
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
    #: Per placement, its home (its first row), or ``None`` where each of the group's
    #: placements is its own home (the blocks then cost a split each beyond the first).
    home: np.ndarray | None = None
    #: The most of the group's placements on the rows of one home (1: none shares one).
    reach: int = 1
    #: Whether a placement beyond a radius is surely another home than one within it
    #: (no home of the register is on several rows): :meth:`far_bound` may count a split.
    far_split: bool = True
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
        # blocks on the rows of one home are together: at least ceil(blocks / reach) homes
        one_block = self.together and self.reach == 1
        for placed, blocks in _partitions(len(self.members), one_block):
            if any(b not in vals for b in blocks):
                continue
            homes = -(-len(blocks) // self.reach)
            if self.together and homes > 1:
                continue
            left = full & ~placed
            lower = sum(vals[b][2] for b in blocks) + self.split * max(homes - 1, 0)
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
            best = self._best(blocks, vals, lower)
            if best is not None:
                found.append(best)
        found.sort(key=lambda f: f[0])
        least = found[0][0] if found else np.inf
        if floor is not None and not least < floor:
            least = min(least, skipped)
        return least, [f for f in found if f[0] < -TOLERANCE_GBP][:PATTERNS_PER_ROUND]

    def cheapest(self, beta: np.ndarray) -> tuple[float, float, int | tuple | None]:
        """With capacity duals ``beta`` and no unit dual: the least reduced cost of a
        pattern placing every member in one home, the least of any other pattern, and
        where: the one placement, or the blocks (member mask, placement) on the rows of
        one home where that is cheaper (``None`` when no home can take the whole group)."""
        vals = self._values(beta)
        full = (1 << len(self.members)) - 1
        whole, other = np.inf, np.inf
        at: int | tuple | None = None
        rows: list[tuple[float, tuple]] = []  # the whole group on several rows of one home
        for lower, blocks in self._frames(0.0, vals):
            if blocks == (full,):
                places, v, _ = vals[full]
                whole, at = lower, int(places[int(np.argmin(v))])
            elif (best := self._best(blocks, vals, lower)) is not None:
                one = sum(blocks) == full and self.homes_of([p for _, p in best[1]]) == 1
                if one:
                    rows.append(best)
                else:
                    other = min(other, best[0])
        if rows and (least := min(rows, key=lambda r: r[0]))[0] < whole:
            whole, at = least[0], least[1]
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
                # (rows of one home may lie at different distances: no split assumed)
                split = self.split if same_ring and blocks and self.far_split else 0.0
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

            _list_below(blocks, lists, lower, slack, out, self._extra())
        return out

    def homes_of(self, places: list[int]) -> int:
        """How many homes the placements are on (rows of one home counted once)."""
        return len(set(places if self.home is None else self.home[places].tolist()))

    def split_cost(self, places: list[int]) -> float:
        """The split weight a pattern at ``places`` (one per block) pays: per home beyond
        the first (infinite beyond the first when siblings must stay together)."""
        extra = max(self.homes_of(places) - 1, 0)
        return 0.0 if not extra else (np.inf if self.together else self.split * extra)

    def _extra(self) -> _Homes | None:
        """How a choice's split is counted beyond its frame's (``None`` where no two of
        the group's placements share a home, and the frame's is exact)."""
        if self.home is None:
            return None
        return _Homes(self.home, self.split, self.reach, self.together)

    def _best(self, blocks: tuple[int, ...], vals: dict, lower: float) -> tuple | None:
        """The cheapest choice of distinct placements for ``blocks``, splits counted by
        home (:func:`_best_distinct`, or :func:`_best_by_home` where homes are shared)."""
        homes = self._extra()
        if homes is None or len(blocks) < 2:
            return _best_distinct(blocks, vals, lower)
        return _best_by_home(blocks, vals, lower, homes)


@dataclass(frozen=True, eq=False)
class _Homes:
    """A group's placements' homes, for splits counted by home: ``extra`` is the split a
    choice of placements pays beyond its frame's (``split`` per home beyond
    ``ceil(blocks / reach)``; beyond one, a choice siblings who must stay together cannot
    take), as a lower bound for a partial choice."""

    home: np.ndarray
    split: float
    reach: int
    together: bool

    def extra(self, num_blocks: int, places: list[int]) -> float:
        num_homes = len({int(self.home[p]) for p in places})
        if self.together:
            return 0.0 if num_homes <= 1 else np.inf
        return self.split * (num_homes - max(-(-num_blocks // self.reach), 1))


def _list_below(
    blocks: tuple[int, ...], lists: list[tuple[np.ndarray, np.ndarray]], lower: float,
    slack: float, out: list[tuple[float, tuple]], homes: _Homes | None = None,
) -> None:  # fmt: skip
    """Append every choice of distinct placements for ``blocks`` whose extra cost over
    ``lower`` stays below ``slack`` (``lists``: each block's placements by extra cost;
    with ``homes``, the split a choice pays beyond its frame's counted too, which only
    grows as blocks are chosen)."""
    options = [(p.tolist(), e.tolist()) for p, e in lists]
    k = len(blocks)

    def walk(i: int, acc: float, chosen: tuple) -> None:
        if i == k:
            more = 0.0 if homes is None else homes.extra(k, [p for _, p in chosen])
            if acc + more < slack:
                out.append((lower + acc + more, chosen))
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


def _best_by_home(blocks: tuple[int, ...], vals: dict, lower: float, homes: _Homes) -> tuple | None:
    """:func:`_best_distinct` where some of the group's placements are rows of one home,
    whose blocks are together (no split between them). Each block's candidates are its
    ``len(blocks)`` cheapest placements and every placement of a home on several rows
    within ``split`` of the last of those (any placement of a home it shares with no
    other block, or dearer than that, can be swapped for a free one of the cheapest at no
    more cost, counted with the split); with siblings together, every placement of a home
    on several rows. Branch and bound, the split counted by home as it goes."""
    k = len(blocks)
    multi = np.bincount(homes.home)[homes.home] > 1
    tops = []
    for b in blocks:
        places, v, least = vals[b]
        order = np.lexsort((places, v))
        kth = v[order[min(k, len(order)) - 1]]
        near = order[: min(k, len(order))]
        wide = np.inf if homes.together else kth + homes.split
        shared = order[k:][multi[places[order[k:]]] & (v[order[k:]] < wide)]
        pick = np.concatenate([near, shared])
        tops.append((places[pick].tolist(), (v[pick] - least).tolist()))
    best: list = [np.inf, None]

    def walk(i: int, acc: float, chosen: tuple) -> None:
        # the split beyond the frame's only grows as blocks are chosen: a lower bound
        paid = homes.extra(k, [p for _, p in chosen])
        if acc + paid >= best[0]:
            return
        if i == k:
            best[0], best[1] = acc + paid, chosen
            return
        used = {p for _, p in chosen}
        for p, e in zip(*tops[i], strict=True):
            if acc + e + paid >= best[0]:
                break
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
    far_split = not bool((prob.home_rows > 1).any())
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
        held = np.unique(np.concatenate([at for at, _, _ in blocks.values()] or [places[:0]]))
        reach = int(np.bincount(prob.place_home[held]).max(initial=1)) if len(held) else 1
        out.append(Group(members, unplaced[members], blocks, params.weights.sibling_split,
                         params.siblings == "together", prob.place_home if reach > 1 else None,
                         reach, far_split))  # fmt: skip
    return out


def pattern_sizes_ok(prob: MatchProblem) -> bool:
    """Whether every sibling group is small enough for the pattern master."""
    grp = prob.child_group
    sizes = np.bincount(grp[grp >= 0], minlength=max(prob.num_groups, 1))
    return bool(sizes.max(initial=0) <= MAX_GROUP_SIZE)
