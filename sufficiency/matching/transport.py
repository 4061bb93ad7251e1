"""The transportation relaxation: every child on their own, placements by capacity.

Leaving out the sibling groups (each member is matched on their own, no split weight)
and the rules between referred children sharing a home (rules 10, 11 and 14), the
matching is a transportation problem: each child takes one candidate pair, or the
unplaced arc at its penalty, each placement at most as many children as it can ever
hold. A min-cost flow (OR-Tools' ``SimpleMinCostFlow``) solves it exactly over millions
of pairs, where the pattern master's LP, degenerate on the same structure, needs many
slow rounds. It serves twice (:func:`transport`):

* **A bound for the full problem.** Every plan breaking no rule is a flow of at most
  the same cost: a sibling group's cost is its members' pair costs and unplaced
  penalties plus split weights (never negative), the rules between children only remove
  plans, and a placement never holds more children than its capacity (or its vacancies,
  for an empty foster home a sibling group may take whole). With pairs by distance
  (:mod:`.spatial`) only the pairs within each child's radius are held: every child also
  has an arc "somewhere beyond my radius" at :func:`.spatial.far_floor`, the least any
  such pair costs, with no capacity limit (a relaxation again). Costs are rounded
  *down* to whole pence, so the flow's optimum never exceeds the relaxation's, and the
  relaxation's never exceeds the optimum of the full problem.
* **A start.** Its plan may split siblings and put children together against the
  rules, so :func:`legal_plan` repairs it: children keep their flow placement where
  they may join those already there (in the greedy baseline's urgency order), the rest
  go to the cheapest pair held where they may.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sufficiency.config import MatchingParams
from sufficiency.matching.column_state import same_ring
from sufficiency.matching.greedy import can_join
from sufficiency.matching.pricing import Group
from sufficiency.matching.problem import NEEDED_BY_RANK, MatchProblem

#: Costs in the flow are whole pence (rounded down).
_PENCE = 100.0


@dataclass(frozen=True, eq=False)
class Transport:
    """The transportation relaxation's optimum.

    ``bound`` is a lower bound on every plan of the full problem (GBP); ``where`` the
    flow's placement per child (-1: unplaced, or somewhere beyond the child's radius);
    ``prices`` per placement (GBP, >= 0) the flow's capacity duals: what one place more
    there would save, the least over the ways of freeing one (:func:`_prices`).
    """

    bound: float
    where: np.ndarray
    prices: np.ndarray


def most_children(prob: MatchProblem) -> np.ndarray:
    """Per placement, the most referred children any plan breaking no rule puts there:
    its capacity, or its vacancies where a sibling group may take an empty foster home
    whole (see :func:`.pricing.groups`)."""
    cap = np.maximum(prob.place_capacity, 0).astype(np.int64)
    vac = np.maximum(prob.place_vacancies, 0).astype(np.int64)
    exempt = prob.place_foster_empty & (vac > 3)
    return np.where(exempt, np.maximum(cap, vac), cap)


def transport(
    prob: MatchProblem, child: np.ndarray, place: np.ndarray, cost: np.ndarray,
    unplaced: np.ndarray, far: np.ndarray | None = None, capacity: np.ndarray | None = None,
    prices: bool = True,
) -> Transport | None:  # fmt: skip
    """The least-cost transportation plan over the given pairs and its bound.

    ``unplaced`` is each child's penalty for staying unplaced; ``far`` (GBP per child,
    ``inf`` for none) the least cost of any pair left out of ``child``/``place``, when
    some are (pairs by distance). ``None`` if the flow could not be solved (it always
    can: every child has its unplaced arc). The flow is deterministic for the same arcs
    in the same order. ``capacity`` per placement replaces :func:`most_children` (for a
    plan of some children only: the places the others leave). ``prices=False`` leaves
    :attr:`Transport.prices` at zero (they take a few seconds over millions of pairs).
    """
    from ortools.graph.python import min_cost_flow

    n, n_p = prob.num_children, prob.num_placements
    if n == 0:
        return Transport(0.0, np.full(0, -1, np.int64), np.zeros(n_p))
    room = most_children(prob) if capacity is None else capacity.astype(np.int64)
    sink = n + n_p
    m = len(child)
    kids = np.arange(n)
    tails = [child, kids, n + np.arange(n_p)]
    heads = [n + place, np.full(n, sink), np.full(n_p, sink)]
    caps = [np.ones(m + n, np.int64), room]
    costs = [cost, unplaced, np.zeros(n_p)]
    if far is not None:
        beyond = np.nonzero(np.isfinite(far) & (far < unplaced))[0]
        tails.append(beyond)
        heads.append(np.full(len(beyond), sink))
        caps.append(np.ones(len(beyond), np.int64))
        costs.append(far[beyond])
    flow = min_cost_flow.SimpleMinCostFlow()
    pence = np.floor(np.maximum(np.concatenate(costs), 0.0) * _PENCE).astype(np.int64)
    outside = pence[m : m + n].copy()  # each child's unplaced arc, then the arc beyond
    if far is not None:
        outside[beyond] = np.minimum(outside[beyond], pence[m + n + n_p :])
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32), np.concatenate(heads).astype(np.int32),
        np.concatenate(caps), pence,
    )  # fmt: skip
    supply = np.zeros(n + n_p + 1, np.int64)
    supply[:n] = 1
    supply[sink] = -n
    flow.set_nodes_supplies(np.arange(n + n_p + 1, dtype=np.int32), supply)
    if flow.solve() != flow.OPTIMAL:
        return None
    where = np.full(n, -1, np.int64)
    used = np.nonzero(flow.flows(np.arange(m, dtype=np.int32)) > 0)[0]
    where[child[used]] = place[used]
    duals = _prices(child, place, pence[:m], used, outside, room, n) if prices else np.zeros(n_p)
    # every cost was rounded down to whole pence (and never below zero: all are >= 0)
    return Transport(flow.optimal_cost() / _PENCE, where, duals / _PENCE)


#: Rounds of :func:`_prices` at most (5,000 x 100,000 from one county: 40 to converge).
PRICE_ROUNDS = 200


def _prices(
    child: np.ndarray, place: np.ndarray, pence: np.ndarray, used: np.ndarray,
    outside: np.ndarray, room: np.ndarray, n: int,
) -> np.ndarray:  # fmt: skip
    """The flow's capacity duals (pence per placement): for a full placement, the least
    a plan pays to free one of its places (a child there moves to another pair, freeing
    that one in turn, or to its unplaced or beyond-the-radius arc); zero where a place
    is free. These are shortest paths in the optimal flow's residual graph (Bellman-Ford,
    one vectorised pass a round), so with them every pair's reduced cost is >= 0 and the
    dual objective is the flow's optimum. Any prices >= 0 give a valid bound
    (:func:`sibling_bound`); after :data:`PRICE_ROUNDS` the prices reached are used."""
    n_p = len(room)
    pairs = _Pairs.of(child, place, pence, n)
    first, p, k = pairs.first, pairs.place, pairs.cost
    has = first[1:] > first[:-1]
    at = np.full(n, -1, np.int64)
    paid = np.zeros(n, np.int64)
    at[child[used]] = place[used]
    paid[child[used]] = pence[used]
    taken = np.bincount(at[at >= 0], minlength=n_p)
    full = taken >= room
    big = np.iinfo(np.int64).max // 4
    price = np.where(full, big, 0).astype(np.int64)
    placed = np.nonzero(at >= 0)[0]
    for _ in range(PRICE_ROUNDS):
        alt = outside.copy()
        if has.any():
            alt[has] = np.minimum(alt[has], np.minimum.reduceat(k + price[p], first[:-1][has]))
        new = np.where(full, big, 0).astype(np.int64)
        np.minimum.at(new, at[placed], alt[placed] - paid[placed])
        new = np.maximum(new, 0)
        if np.array_equal(new, price):
            break
        price = new
    return np.where(price >= big, 0, price).astype(float)


def legal_plan(
    prob: MatchProblem, params: MatchingParams, hint: np.ndarray, child: np.ndarray,
    place: np.ndarray, cost: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """A plan breaking no rule, close to ``hint`` (placement per child, -1 none).

    The given pairs must break no single-pair rule (candidate pairs do). Children are taken
    in the greedy baseline's urgency order; each keeps its hinted placement, if that pair is
    given, where it may join the children already there (capacity, the sibling exemption,
    siblings together, rules 10, 11 and 14), and the others then go to their cheapest pair
    where they may, or stay unplaced. Then each sibling group split over several placements
    (or partly unplaced) moves whole to one placement where that is cheaper, split weight
    included (:func:`_bring_together`)."""
    n = prob.num_children
    rank = prob.referrals["needed_by"].map(NEEDED_BY_RANK).fillna(3).to_numpy()
    if prob.decision_pin is not None:
        rank = np.where(prob.decision_pin >= 0, -1, rank)
    together = params.siblings == "together"
    where = np.full(n, -1, np.int64)
    members: dict[int, list[int]] = {}
    order = np.lexsort((np.arange(n), rank))
    left = []
    pairs = _Pairs.of(child, place, cost, n)
    for c in order.tolist():
        p = int(hint[c])
        # a hinted pair not given (the greedy plan's, beyond the pairs dominance kept) is
        # left: the child moves onto the given pairs like any other
        if (p >= 0 and pairs.has(c, p)
                and can_join(prob, c, p, members.setdefault(p, []), together, where)):  # fmt: skip
            members[p].append(c)
            where[c] = p
        else:
            left.append(c)
    taken = np.zeros(prob.num_placements, np.int64)
    np.add.at(taken, where[where >= 0], 1)
    for c in left:
        places, costs = pairs.of_child(c)
        by_cost = np.lexsort((places, costs))
        places = places[by_cost]
        # an empty placement with a place always takes the child (unless its siblings
        # must stay together elsewhere): only those before the first need a look
        # (a row of a home on several rows may be full across them: not sure to take it)
        free = np.nonzero((taken[places] == 0) & (prob.place_capacity[places] >= 1)
                          & (prob.home_rows[places] == 1))[0]  # fmt: skip
        if len(free) and not together:
            places = places[: free[0] + 1]
        for p in places.tolist():
            if can_join(prob, c, p, members.setdefault(p, []), together, where):
                members[p].append(c)
                where[c] = p
                taken[p] += 1
                break
    _bring_together(prob, params, where, members, pairs)
    return where


@dataclass(frozen=True, eq=False)
class _Pairs:
    """Candidate pairs sorted by child then placement, with each child's slice."""

    place: np.ndarray
    cost: np.ndarray
    first: np.ndarray

    @staticmethod
    def of(child: np.ndarray, place: np.ndarray, cost: np.ndarray, n: int) -> _Pairs:
        key = child.astype(np.int64) * (int(place.max(initial=0)) + 1) + place
        if len(child) > 1 and not bool((key[1:] > key[:-1]).all()):
            order = np.lexsort((place, child))
            child, place, cost = child[order], place[order], cost[order]
        first = np.searchsorted(child, np.arange(n + 1), side="left")
        return _Pairs(place, cost, first)

    def of_child(self, c: int) -> tuple[np.ndarray, np.ndarray]:
        at = slice(self.first[c], self.first[c + 1])
        return self.place[at], self.cost[at]

    def has(self, c: int, p: int) -> bool:
        """Whether the pair (``c``, ``p``) is held."""
        places, _ = self.of_child(c)
        i = int(np.searchsorted(places, p))
        return i < len(places) and int(places[i]) == p

    def cost_at(self, c: int, p: int) -> float:
        """The cost of the pair (``c``, ``p``), which must be held."""
        places, costs = self.of_child(c)
        return float(costs[np.searchsorted(places, p)])

    def common(self, kids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The placements every one of ``kids`` has a pair at, and their summed cost."""
        common, total = self.of_child(int(kids[0]))
        for k in kids[1:].tolist():
            places, costs = self.of_child(k)
            common, i, j = np.intersect1d(common, places, assume_unique=True,
                                          return_indices=True)  # fmt: skip
            total = total[i] + costs[j]
        return common, total


#: Placements (the cheapest for the whole group) a split group is tried at.
_TOGETHER_TRIES = 20


def _bring_together(
    prob: MatchProblem, params: MatchingParams, where: np.ndarray,
    members: dict[int, list[int]], pairs: _Pairs,
) -> None:  # fmt: skip
    """Move each sibling group that is split over homes (or partly unplaced) whole to one
    placement every member may go to, where the plan's cost falls (in place). A group on
    several rows of one home is together."""
    from sufficiency.matching.costs import unplaced_cost

    grp = prob.child_group
    unplaced = unplaced_cost(prob, params.weights)
    split = params.weights.sibling_split
    together = params.siblings == "together"
    for g in range(prob.num_groups):
        kids = np.nonzero(grp == g)[0]
        at = where[kids]
        used = np.unique(prob.place_home[at[at >= 0]])  # rows of one home are one home
        if len(used) <= 1 and (at >= 0).all():
            continue
        # the placements every member may go to, and the group's cost there
        common, total = pairs.common(kids)
        if len(common) == 0:
            continue
        now = split * max(len(used) - 1, 0) + float(unplaced[kids[at < 0]].sum())
        for k, p in zip(kids[at >= 0].tolist(), at[at >= 0].tolist(), strict=True):
            now += pairs.cost_at(k, p)
        cheap = np.argsort(total, kind="stable")[:_TOGETHER_TRIES]
        for j in cheap.tolist():
            if total[j] >= now - 1e-6:
                break
            p = int(common[j])
            others = [m for m in members.get(p, []) if grp[m] != g]
            trial = where.copy()
            trial[kids] = -1
            ok, joined = True, list(others)
            for k in kids.tolist():
                if not can_join(prob, k, p, joined, together, trial):
                    ok = False
                    break
                joined.append(k)
                trial[k] = p
            if not ok:
                continue
            for k, q in zip(kids.tolist(), at.tolist(), strict=True):
                if q >= 0:
                    members[q].remove(k)
            members[p] = joined
            where[kids] = p
            break


def sibling_bound(
    prob: MatchProblem, units: list[Group], child: np.ndarray, place: np.ndarray,
    cost: np.ndarray, unplaced: np.ndarray, far: np.ndarray | None, prices: np.ndarray,
    radius: np.ndarray | None = None,
) -> float:  # fmt: skip
    """A lower bound on every plan that sees the sibling groups: the Lagrangian of the
    pattern master (capacity rows priced at ``prices`` >= 0, GBP per place).

    Each single child takes its cheapest pair at ``cost + price`` (or its unplaced or
    beyond-the-radius arc), each sibling group its cheapest pattern at those prices
    (split weights included, :meth:`.pricing.Group.price`, or its bound beyond the
    radius, :meth:`.pricing.Group.far_bound`), less every placement's price times its
    capacity. Every plan breaking no rule is a choice of one pair or pattern per unit
    within the capacities, so it costs at least this, whatever the prices; at the
    flow's prices (:attr:`Transport.prices`) it is at least the flow's own bound, by as
    much as the groups' cheapest patterns cost above their members' cheapest pairs.
    ``units`` are the groups over the same pairs (:func:`.pricing.groups`); ``far``
    and ``radius`` as for :func:`transport` and :mod:`.spatial`."""
    n = prob.num_children
    lam = np.asarray(prices, float)
    best = unplaced.astype(float) if far is None else np.minimum(unplaced, far)
    singles = prob.child_group < 0
    pairs = _Pairs.of(child, place, cost, n)
    has = pairs.first[1:] > pairs.first[:-1]
    if has.any():
        at = pairs.first[:-1][has]
        cheapest = np.minimum.reduceat(pairs.cost + lam[pairs.place], at)
        best[has] = np.minimum(best[has], cheapest)
    total = float(best[singles].sum())
    beta = -lam
    for gr in units:
        least, _ = gr.price(beta, 0.0)
        m = gr.members
        if far is not None and np.isfinite(far[m]).any():
            same = radius is not None and same_ring(prob, radius, m)
            least = min(least, gr.far_bound(beta, 0.0, far[m], same))
        total += least
    return total - float(lam @ prob.place_capacity.astype(float))


#: Placements (the cheapest for the whole group at the flow's prices) a group is tried at
#: by :func:`groups_first` (one county, 5,000 x 100,000: 20 kept 540 groups together, 50
#: kept 577, 200 kept 603 and 2,000 kept 605).
_GROUP_TRIES = 200


def _take_rows(
    prob: MatchProblem, gr: Group, blocks: tuple, together: bool, where: np.ndarray,
    members: dict[int, list[int]],
) -> None:  # fmt: skip
    """Group ``gr`` at its blocks (member mask, placement) on the rows of one home, where
    every member may join (in place); left for the flow otherwise."""
    trial = where.copy()
    joined = {p: list(members.get(p, [])) for _, p in blocks}
    for mask, p in blocks:
        for i, k in enumerate(gr.members.tolist()):
            if mask >> i & 1:
                if not can_join(prob, k, p, joined[p], together, trial):
                    return
                joined[p].append(k)
                trial[k] = p
    members.update(joined)
    where[:] = trial


def groups_first(
    prob: MatchProblem, params: MatchingParams, units: list[Group], child: np.ndarray,
    place: np.ndarray, cost: np.ndarray, unplaced: np.ndarray, far: np.ndarray | None,
    prices: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """A hint that keeps sibling groups together where the flow's prices say it pays.

    The transportation relaxation does not see siblings, so its plan splits most groups
    where few homes near them take two or more children. Priced at the flow's capacity
    duals, each group whose cheapest pattern keeps everyone in one home takes its
    cheapest such placement still free for it (or, on several rows of one home, those
    rows, if every member may still join them) (groups with most to lose by a split
    first, ties by group); then everyone else is matched by the flow over the places
    left. Like the flow's own plan, the hint may put children together against the
    rules: :func:`legal_plan` repairs it."""
    together = params.siblings == "together"
    n = prob.num_children
    beta = -np.asarray(prices, float)
    where = np.full(n, -1, np.int64)
    members: dict[int, list[int]] = {}
    gain = np.full(len(units), -np.inf)
    on_rows: dict[int, tuple] = {}  # a group whose cheapest is on several rows of one home
    for g, gr in enumerate(units):
        whole, other, at = gr.cheapest(beta)
        if at is not None and whole < other:
            gain[g] = other - whole
            if isinstance(at, tuple):
                on_rows[g] = at
    for g in np.lexsort((np.arange(len(units)), -gain)).tolist():
        if not np.isfinite(gain[g]):
            break
        gr = units[g]
        if g in on_rows:
            _take_rows(prob, gr, on_rows[g], together, where, members)
            continue
        places, total, uses = gr.blocks[(1 << len(gr.members)) - 1]
        value = total + uses * prices[places]
        for j in np.lexsort((places, value))[:_GROUP_TRIES].tolist():
            if value[j] - value.min() > gain[g]:
                break
            p = int(places[j])
            joined = list(members.get(p, []))
            for k in gr.members.tolist():
                if not can_join(prob, k, p, joined, together, where):
                    break
                joined.append(k)
            else:
                members[p] = joined
                where[gr.members] = p
                break
    left = where < 0
    # a home a group has taken is closed to the others (it was seen to leave better plans
    # than filling its places left: 12.1 against 12.3 million, one county 5,000 x 100,000)
    room = np.where(np.bincount(where[~left], minlength=prob.num_placements) > 0, 0,
                    most_children(prob))  # fmt: skip
    keep = left[child]
    rest = transport(prob, child[keep], place[keep], cost[keep], np.where(left, unplaced, 0.0),
                     None if far is None else np.where(left, far, np.inf), room,
                     prices=False)  # fmt: skip
    if rest is not None:
        where[left] = rest.where[left]
    return where
