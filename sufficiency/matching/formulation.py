"""Solver-neutral mixed-integer model of the matching problem, as sparse arrays.

Variables, in this order:

* ``x[k]`` (binary): candidate pair ``k`` is used;
* ``u[c]`` (continuous, 0-1): child ``c`` is unplaced;
* ``y[g,h]`` (binary): sibling group ``g`` uses home ``h`` (its first row,
  ``prob.place_home``: rows of one home are one home, so siblings on two of them live
  together);
* ``s[g]`` (continuous): homes group ``g`` uses beyond the first;
* ``e[g,h]`` (binary): foster household ``h`` (on one row or several) takes group ``g``
  alone under the sibling exemption to the usual fostering limit.

Rows: each child is placed once or unplaced; capacity (with the fostering limit
and its exemption), per placement and across the rows of one home
(:mod:`.homes`); ``x <= y`` linking, and a group's children at a row (or on the rows of
one home) at most its room there times ``y``; ``sum_h y - s <= 1`` (``s`` fixed at 0 when
siblings must stay together); exemption exclusivity; who-lives-alongside conflicts as clique rows
``sum_{c in C} x[c,p] <= 1`` over sets ``C`` of children at placement ``p`` who may not
live alongside each other, any two of them (:func:`conflict_cliques`: every
conflicting pair is in one, so the plans allowed are exactly those of the pairwise rows
``x[a,p] + x[b,p] <= 1``, in far fewer rows).
The module never imports a solver.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sufficiency.config import MatchingParams
from sufficiency.matching.costs import unplaced_cost
from sufficiency.matching.homes import model_rows
from sufficiency.matching.problem import MatchProblem
from sufficiency.matching.rules import children_conflict


@dataclass(frozen=True, eq=False)
class LinearModel:
    """``min obj @ v`` subject to ``row_lb <= A v <= row_ub``, ``lb <= v <= ub``.

    ``A`` is given in coordinate form (``a_row``, ``a_col``, ``a_val``).
    """

    obj: np.ndarray
    lb: np.ndarray
    ub: np.ndarray
    integer: np.ndarray
    a_row: np.ndarray
    a_col: np.ndarray
    a_val: np.ndarray
    row_lb: np.ndarray
    row_ub: np.ndarray
    num_pairs: int
    num_children: int
    capacity_row_place: np.ndarray  # placement index of each capacity row, rows after the children

    @property
    def num_vars(self) -> int:
        """Number of variables."""
        return len(self.obj)

    @property
    def num_rows(self) -> int:
        """Number of constraints."""
        return len(self.row_lb)

    def csr(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Row starts, column indices and values of ``A`` sorted by row."""
        order = np.lexsort((self.a_col, self.a_row))
        starts = np.searchsorted(self.a_row[order], np.arange(self.num_rows + 1))
        return starts, self.a_col[order], self.a_val[order]

    def relaxation(self) -> LinearModel:
        """The LP relaxation; upper bounds implied by the rows are dropped so every
        optimal reduced cost is non-negative."""
        ub = np.where(np.isfinite(self.ub) & (self.ub == 0), 0.0, np.inf)
        return LinearModel(
            self.obj, self.lb, ub, np.zeros_like(self.integer), self.a_row, self.a_col,
            self.a_val, self.row_lb, self.row_ub, self.num_pairs, self.num_children,
            self.capacity_row_place,
        )  # fmt: skip


class _Builder:
    def __init__(self) -> None:
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.vals: list[np.ndarray] = []
        self.lo: list[np.ndarray] = []
        self.hi: list[np.ndarray] = []
        self.num_rows = 0

    def add(self, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n: int, lo, hi) -> None:
        self.rows.append(np.asarray(rows, np.int64) + self.num_rows)
        self.cols.append(np.asarray(cols, np.int64))
        self.vals.append(np.asarray(vals, float))
        self.lo.append(np.broadcast_to(np.asarray(lo, float), (n,)))
        self.hi.append(np.broadcast_to(np.asarray(hi, float), (n,)))
        self.num_rows += n

    def cat(self, parts: list[np.ndarray], dtype: type) -> np.ndarray:
        return np.concatenate(parts).astype(dtype) if parts else np.empty(0, dtype)


def build_model(
    prob: MatchProblem,
    child: np.ndarray,
    place: np.ndarray,
    cost: np.ndarray,
    params: MatchingParams,
    *,
    conflicts: bool = True,
) -> LinearModel:
    """The matching MIP over the given candidate pairs (sorted by child, placement).

    ``conflicts=False`` leaves out the who-lives-alongside rows: still a
    relaxation of the full model, used for pricing because it solves much faster.
    """
    n_x, n_c = len(child), prob.num_children
    b = _Builder()
    k = np.arange(n_x)
    y_g, y_h, gp_g, gp_p, e_g, e_h = _group_columns(prob, child, place)
    # each child placed once or unplaced
    b.add(
        np.concatenate([child, np.arange(n_c)]),
        np.concatenate([k, n_x + np.arange(n_c)]),
        np.ones(n_x + n_c),
        n_c,
        1.0,
        1.0,
    )
    grp = prob.child_group[child]
    sib = grp >= 0
    n_y, n_g = len(y_g), prob.num_groups
    y0, s0 = n_x + n_c, n_x + n_c + n_y
    vac = prob.place_vacancies
    exempt_ok = prob.place_foster_empty & (vac > 3)
    gsize = np.bincount(prob.child_group[prob.child_group >= 0], minlength=n_g)
    e0, n_e = s0 + n_g, len(e_g)
    # capacity per placement used by any pair; the exemption lifts every row of its home
    # to the row's vacancies
    places = np.unique(place)
    row_of_place = np.full(prob.num_placements, -1, np.int64)
    row_of_place[places] = np.arange(len(places))
    e_cols_cap = e0 + np.arange(n_e)
    e_at, e_on = _exemption_rows(prob, e_h, places)
    b.add(
        np.concatenate([row_of_place[place], row_of_place[e_on]]),
        np.concatenate([k, e_cols_cap[e_at]]),
        np.concatenate([np.ones(n_x), -(vac[e_on] - prob.place_capacity[e_on]).astype(float)]),
        len(places),
        -np.inf,
        prob.place_capacity[places],
    )
    # each home on several rows: its room across its rows (its places under the exemption)
    h_row, homes, h_rhs = model_rows(prob, place)
    if len(homes):
        e_in = np.isin(e_h, homes)
        e_row = np.searchsorted(homes, e_h[e_in])
        lift = prob.place_home_places - prob.place_home_room
        b.add(
            np.concatenate([h_row[h_row >= 0], e_row]),
            np.concatenate([k[h_row >= 0], e_cols_cap[e_in]]),
            np.concatenate([np.ones(int((h_row >= 0).sum())), -lift[e_h[e_in]].astype(float)]),
            len(homes),
            -np.inf,
            h_rhs,
        )
    # x[k] <= y[g, h], h the home of the pair's placement
    width = prob.num_placements
    yk = np.searchsorted(y_g * width + y_h, grp[sib] * width + prob.place_home[place[sib]])
    n_link = int(sib.sum())
    r = np.arange(n_link)
    b.add(
        np.concatenate([r, r]),
        np.concatenate([k[sib], y0 + yk]),
        np.concatenate([np.ones(n_link), -np.ones(n_link)]),
        n_link,
        -np.inf,
        0.0,
    )
    # sum_k x[k] <= cap[g, p] * y[g, h] where p (a row of h) holds fewer of g than could
    # go there: without it the relaxation spreads a group fractionally and never pays for
    # a split
    gpk = np.searchsorted(gp_g * width + gp_p, grp[sib] * width + place[sib])
    members_at = np.bincount(gpk, minlength=len(gp_g))
    cap_gp = np.where(
        exempt_ok[gp_p] & (gsize[gp_g] > 3),
        np.maximum(vac[gp_p], prob.place_capacity[gp_p]),
        prob.place_capacity[gp_p],
    )
    tight = cap_gp < members_at
    if tight.any():
        row_of_gp = np.cumsum(tight) - 1
        at = tight[gpk]
        n_tight = int(tight.sum())
        gp_y = np.searchsorted(y_g * width + y_h, gp_g * width + prob.place_home[gp_p])
        b.add(
            np.concatenate([row_of_gp[gpk[at]], np.arange(n_tight)]),
            np.concatenate([k[sib][at], y0 + gp_y[tight]]),
            np.concatenate([np.ones(int(at.sum())), -cap_gp[tight].astype(float)]),
            n_tight,
            -np.inf,
            0.0,
        )
    # the same over the rows of a home on several rows: sum over its rows <= its room for
    # the group (the rows' together, and the home's across them) * y[g, h]
    multi = prob.home_rows[y_h] > 1
    if multi.any():
        gp_y = np.searchsorted(y_g * width + y_h, gp_g * width + prob.place_home[gp_p])
        members_h = np.bincount(yk, minlength=n_y)
        rows_cap = np.bincount(gp_y, weights=cap_gp, minlength=n_y)
        across = np.where(prob.place_foster_empty[y_h] & (gsize[y_g] > 3),
                          np.maximum(prob.place_home_room[y_h], prob.place_home_places[y_h]),
                          prob.place_home_room[y_h])  # fmt: skip
        cap_gh = np.minimum(rows_cap, across)
        tight_h = multi & (cap_gh < members_h)
        if tight_h.any():
            row_of_h = np.cumsum(tight_h) - 1
            at = tight_h[yk]
            n_th = int(tight_h.sum())
            b.add(
                np.concatenate([row_of_h[yk[at]], np.arange(n_th)]),
                np.concatenate([k[sib][at], y0 + np.nonzero(tight_h)[0]]),
                np.concatenate([np.ones(int(at.sum())), -cap_gh[tight_h].astype(float)]),
                n_th,
                -np.inf,
                0.0,
            )
    # sum_h y[g, h] - s[g] <= 1
    b.add(
        np.concatenate([y_g, np.arange(n_g)]),
        np.concatenate([y0 + np.arange(n_y), s0 + np.arange(n_g)]),
        np.concatenate([np.ones(n_y), -np.ones(n_g)]),
        n_g,
        -np.inf,
        1.0,
    )
    # exemption: one group per home, and nobody from another group alongside it (on any
    # of the home's rows)
    if n_e:
        ep_places, ep_row = np.unique(e_h, return_inverse=True)
        b.add(ep_row, e0 + np.arange(n_e), np.ones(n_e), len(ep_places), -np.inf, 1.0)
        pair_df = pd.DataFrame({"k": k, "p": prob.place_home[place], "g": grp})
        e_df = pd.DataFrame({"e": np.arange(n_e), "p": e_h, "eg": e_g})
        m = pair_df.merge(e_df, on="p")
        m = m[m["g"] != m["eg"]]
        at = np.unique(m["k"].to_numpy(np.int64))
        row = np.searchsorted(at, m["k"].to_numpy(np.int64))
        b.add(
            np.concatenate([np.arange(len(at)), row]),
            np.concatenate([at, e0 + m["e"].to_numpy(np.int64)]),
            np.ones(len(at) + len(m)),
            len(at),
            -np.inf,
            1.0,
        )
    # who-lives-alongside conflicts where two referred children could share a placement,
    # as clique rows: at most one of children who all conflict with each other
    if conflicts:
        clique, ck = conflict_cliques(prob.place_home[place], *conflict_pairs(prob, child, place))
    else:
        clique = ck = np.zeros(0, np.int64)
    n_clq = int(clique.max()) + 1 if len(clique) else 0
    b.add(clique, ck, np.ones(len(ck)), n_clq, -np.inf, 1.0)

    n_vars = e0 + n_e
    obj = np.concatenate(
        [cost, unplaced_cost(prob, params.weights), np.zeros(n_y),
         np.full(n_g, params.weights.sibling_split), np.zeros(n_e)]
    )  # fmt: skip
    s_ub = 0.0 if params.siblings == "together" else np.inf
    ub = np.concatenate(
        [np.ones(n_x), np.ones(n_c), np.ones(n_y), np.full(n_g, s_ub), np.ones(n_e)]
    )
    integer = np.zeros(n_vars, bool)
    integer[:n_x] = True
    integer[y0:s0] = True
    integer[e0:] = True
    return LinearModel(
        obj=obj.astype(float), lb=np.zeros(n_vars), ub=ub, integer=integer,
        a_row=b.cat(b.rows, np.int64), a_col=b.cat(b.cols, np.int64), a_val=b.cat(b.vals, float),
        row_lb=b.cat(b.lo, float), row_ub=b.cat(b.hi, float), num_pairs=n_x, num_children=n_c,
        capacity_row_place=places,
    )  # fmt: skip


def _group_columns(
    prob: MatchProblem, child: np.ndarray, place: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The sibling-group variables, ``y`` by (group, home) then ``e`` by (group, home),
    with the (group, placement)s among the pairs between them: ``y[g, h]`` for each
    (group, home) among the pairs (``h`` the first row of its home, ``prob.place_home``:
    one variable for every row of one home, where siblings live together), sorted; the
    (group, placement)s, sorted; ``e[g, h]`` where
    home ``h`` (its first row, ``prob.place_home``) is a foster household with nobody there
    now and room for more than 3 (a row's vacancies, or its places across its rows) and
    the group has more than 3 members: the exemption to the usual fostering limit, which
    is the household's, whichever of its rows the members take."""
    grp = prob.child_group[child]
    sib = grp >= 0
    gp = pd.DataFrame({"g": grp[sib], "p": place[sib]}).drop_duplicates().sort_values(["g", "p"])
    y_g, y_p = gp["g"].to_numpy(np.int64), gp["p"].to_numpy(np.int64)
    gh = pd.DataFrame({"g": y_g, "h": prob.place_home[y_p]}).drop_duplicates()
    gh = gh.sort_values(["g", "h"])
    gsize = np.bincount(prob.child_group[prob.child_group >= 0], minlength=prob.num_groups)
    room = np.where(prob.home_rows > 1, prob.place_home_places, prob.place_vacancies)
    e_mask = (prob.place_foster_empty & (room > 3))[y_p] & (gsize[y_g] > 3)
    eh = pd.DataFrame({"g": y_g[e_mask], "h": prob.place_home[y_p[e_mask]]}).drop_duplicates()
    eh = eh.sort_values(["g", "h"])
    return (gh["g"].to_numpy(np.int64), gh["h"].to_numpy(np.int64), y_g, y_p,
            eh["g"].to_numpy(np.int64), eh["h"].to_numpy(np.int64))  # fmt: skip


def _exemption_rows(
    prob: MatchProblem, e_h: np.ndarray, places: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Per row of a home an exemption ``e[g, h]`` lifts (among ``places``, and only where
    its vacancies are more than its usual capacity): the exemption's index and the row."""
    lifted = places[prob.place_vacancies[places] > prob.place_capacity[places]]
    if not len(e_h) or not len(lifted):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    m = pd.DataFrame({"e": np.arange(len(e_h)), "h": e_h}).merge(
        pd.DataFrame({"q": lifted, "h": prob.place_home[lifted]}), on="h"
    )
    return m["e"].to_numpy(np.int64), m["q"].to_numpy(np.int64)


def plan_values(
    prob: MatchProblem, child: np.ndarray, place: np.ndarray, model: LinearModel,
    where: np.ndarray,
) -> np.ndarray | None:  # fmt: skip
    """A plan (placement per child, -1 unplaced) as values of :func:`build_model`'s
    variables over the same pairs, to start the MIP from; ``None`` when the plan uses a
    pair not among them or breaks one of the model's rows (it is then no start)."""
    n_c = prob.num_children
    placed = where >= 0
    x = (where[child] == place).astype(float)
    if int(x.sum()) != int(placed.sum()):
        return None  # a child placed on a pair the model does not hold
    y_g, y_h, _, _, e_g, e_h = _group_columns(prob, child, place)
    n_g = prob.num_groups
    members = placed & (prob.child_group >= 0)
    gp = pd.DataFrame({"g": prob.child_group[members], "p": where[members]})
    used = gp.drop_duplicates()
    width = max(prob.num_placements, 1)  # (group, placement) as one key

    def keys(frame: pd.DataFrame) -> np.ndarray:
        return frame["g"].to_numpy(np.int64) * width + frame["p"].to_numpy(np.int64)

    used = used.assign(p=prob.place_home[used["p"].to_numpy(np.int64)]).drop_duplicates()
    y = np.isin(y_g * width + y_h, keys(used)).astype(float)
    s = np.maximum(np.bincount(used["g"].to_numpy(np.int64), minlength=n_g) - 1, 0)
    # the exemption where a group is more at a row than its usual capacity, or more on
    # the rows of its home than the home's usual room
    counts = gp.value_counts().reset_index(name="n")
    at = counts["p"].to_numpy(np.int64)
    over = counts[counts["n"].to_numpy() > prob.place_capacity[at]]
    homes = gp.assign(p=prob.place_home[gp["p"].to_numpy(np.int64)]).value_counts()
    homes = homes.reset_index(name="n")
    h = homes["p"].to_numpy(np.int64)
    over_home = homes[(homes["n"].to_numpy() > prob.place_home_room[h]) & (prob.home_rows[h] > 1)]
    over = pd.concat([over.assign(p=prob.place_home[at[over.index]]), over_home])
    e = np.isin(e_g * width + e_h, keys(over)).astype(float)
    v = np.concatenate([x, (~placed).astype(float)[:n_c], y, s.astype(float), e])
    if len(v) != model.num_vars:
        return None
    tol = 1e-6
    if (v < model.lb - tol).any() or (v > model.ub + tol).any():
        return None
    lhs = np.bincount(model.a_row, weights=model.a_val * v[model.a_col],
                      minlength=model.num_rows)  # fmt: skip
    if (lhs < model.row_lb - tol).any() or (lhs > model.row_ub + tol).any():
        return None
    return v


def conflict_pairs(
    prob: MatchProblem, child: np.ndarray, place: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of pair indices ``(ka, kb)`` of two children at the same home (placement, or
    rows of one home: ``prob.place_home``) that conflict.

    Only homes able to take two or more children need the rows.
    """
    cap = prob.place_capacity
    vac = prob.placements["vacancies"].to_numpy(np.int64)
    roomy = prob.over_home(np.maximum(cap, vac))[place] >= 2
    df = pd.DataFrame({"k": np.arange(len(child))[roomy], "c": child[roomy],
                       "p": prob.place_home[place[roomy]]})  # fmt: skip
    m = df.merge(df, on="p", suffixes=("a", "b"))
    m = m[(m["ka"] < m["kb"]) & (m["ca"] != m["cb"])]
    ca, cb = m["ca"].to_numpy(np.int64), m["cb"].to_numpy(np.int64)
    bad = children_conflict(prob, ca, cb)
    return m["ka"].to_numpy(np.int64)[bad], m["kb"].to_numpy(np.int64)[bad]


#: Most cells (placements x children x children) of the adjacency :func:`conflict_cliques`
#: holds at once; placements are covered in batches below it.
_CLIQUE_BATCH_CELLS = 4_000_000


def conflict_cliques(
    place: np.ndarray, ka: np.ndarray, kb: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A clique cover of the conflicts ``(ka, kb)`` (pair indices, as from
    :func:`conflict_pairs`): ``(row, k)``, pair ``k`` in clique ``row``.

    Each clique is pairs at one placement that conflict two by two, and every
    conflicting pair shares at least one clique, so ``sum_{k in clique} x[k] <= 1`` over
    the cliques allows exactly the plans the pairwise rows ``x[a] + x[b] <= 1`` allow.
    Greedy, at each placement: start at the pair with the most conflicts not yet in a
    clique, add the candidate that brings the most of them (then the one with the most
    conflicts), until none conflicts with every member; again until all are covered.
    The placements are covered side by side (one step of each at once, as arrays).
    Deterministic: ties go to the lowest index.
    """
    if not len(ka):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    by_place = np.argsort(place[ka], kind="stable")
    ka, kb = ka[by_place], kb[by_place]
    places, first, n_edges = np.unique(place[ka], return_index=True, return_counts=True)
    # each placement's pairs in a conflict, numbered 0.. at that placement
    stride = int(max(ka.max(), kb.max())) + 1
    key = np.concatenate([place[ka], place[kb]]) * stride + np.concatenate([ka, kb])
    node_key, local = np.unique(key, return_inverse=True)
    node_start = np.searchsorted(node_key, places * stride)
    size = np.diff(np.append(node_start, len(node_key)))
    local -= np.repeat(np.concatenate([node_start, node_start]), np.tile(n_edges, 2))
    la, lb = local[: len(ka)], local[len(ka) :]
    rows: list[np.ndarray] = []
    ks: list[np.ndarray] = []
    n_rows = 0
    order = np.argsort(size, kind="stable")  # batches of placements of similar size
    i = 0
    while i < len(order):
        j = i + 1
        while j < len(order) and (j - i + 1) * int(size[order[j]]) ** 2 <= _CLIQUE_BATCH_CELLS:
            j += 1
        batch = order[i:j]
        width = int(size[batch].max())
        adj = np.zeros((len(batch), width, width), bool)
        e_batch = np.repeat(np.arange(len(batch)), n_edges[batch])
        e_idx = np.concatenate([np.arange(first[q], first[q] + n_edges[q]) for q in batch])
        adj[e_batch, la[e_idx], lb[e_idx]] = True
        adj[e_batch, lb[e_idx], la[e_idx]] = True
        members = _cover(adj)
        for clique in members:  # one clique per placement still uncovered, per round
            q, v = np.nonzero(clique)
            at = batch[q]
            row = np.unique(q, return_inverse=True)[1] + n_rows
            rows.append(row)
            ks.append(node_key[node_start[at] + v] % stride)
            n_rows = int(row.max()) + 1 if len(row) else n_rows
        i = j
    return np.concatenate(rows), np.concatenate(ks)


def _cover(adj: np.ndarray) -> list[np.ndarray]:
    """Greedy clique covers of a batch of graphs (``adj``: graphs x nodes x nodes), as
    one ``graphs x nodes`` membership array per round (see :func:`conflict_cliques`).
    A round costs about nodes x (graphs + clique sizes), never nodes squared per graph."""
    n_g, n = adj.shape[:2]
    uncovered = adj.copy()
    degree = adj.sum(axis=2)
    left = degree.copy()  # conflicts of each node not yet in a clique
    out = []
    while len(at := np.flatnonzero(left.any(axis=1))):
        u = np.argmax(left[at], axis=1)
        member = np.zeros((n_g, n), bool)
        member[at, u] = True
        cand = adj[at, u]
        gain = uncovered[at, u].astype(np.int64)
        g = np.arange(len(at))
        while len(g := g[cand[g].any(axis=1)]):
            v = np.argmax(np.where(cand[g], gain[g] * (n + 1) + degree[at[g]], -1), axis=1)
            member[at[g], v] = True
            cand[g] &= adj[at[g], v]
            gain[g] += uncovered[at[g], v]
        gi, vi = np.nonzero(member)
        uncovered[gi, vi] &= ~member[gi]
        left[gi, vi] = uncovered[gi, vi].sum(axis=1)
        out.append(member)
    return out
