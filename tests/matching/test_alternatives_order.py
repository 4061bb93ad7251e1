"""The alternatives' top-k selection equals a full sort by (child, cost, placement)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sufficiency.matching.explain import cheapest_per_child


def _by_sorting(child: np.ndarray, place: np.ndarray, cost: np.ndarray, k: int) -> np.ndarray:
    idx = np.lexsort((place, cost, child))
    rank = np.arange(len(idx)) - np.searchsorted(child[idx], child[idx], side="left")
    return idx[rank < k]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 9), st.integers(0, 5)), max_size=60),
    st.integers(0, 4),
)
def test_top_k_per_child_matches_a_full_sort(pairs: list, k: int) -> None:
    """Same positions, same order, ties in cost broken by the lower placement, whether
    the pairs come sorted by child then placement (the fast path) or not."""
    uniq = sorted({(c, p): w for c, p, w in pairs}.items())
    child = np.array([c for (c, _), _ in uniq], np.int64)
    place = np.array([p for (_, p), _ in uniq], np.int64)
    cost = np.array([float(w) for _, w in uniq])
    assert np.array_equal(cheapest_per_child(child, place, cost, k),
                          _by_sorting(child, place, cost, k))  # fmt: skip
    rng = np.random.default_rng(len(pairs))
    shuffled = rng.permutation(len(child))
    c, p, w = child[shuffled], place[shuffled], cost[shuffled]
    assert np.array_equal(cheapest_per_child(c, p, w, k), _by_sorting(c, p, w, k))
