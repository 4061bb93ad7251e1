"""Expected shortfall ``E[max(0, D - c)]`` of integer demand on every integer capacity ``c``.

For integer demand ``D`` the function is linear between consecutive integers, so its
values at the integers define it exactly for any real capacity: the sample average
approximation becomes a convex piecewise-linear term whose size does not depend on
the number of paths.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class ShortfallTable:
    """Exact shortfall statistics of ``demand[path, month, group]``.

    Attributes
    ----------
    expected
        ``expected[t, g, c]`` = mean over paths of ``max(0, D - c)``, ``c = 0..max + 1``.
    tail_count
        ``tail_count[t, g, c]`` = number of paths with ``D > c``.
    num_paths
        Paths averaged.
    min_demand, max_demand
        Smallest and largest demand per month and group.
    """

    expected: np.ndarray
    tail_count: np.ndarray
    num_paths: int
    min_demand: np.ndarray
    max_demand: np.ndarray

    def required_capacity(self, t: int, g: int, max_probability: float) -> int:
        """Least integer capacity with ``P(D > capacity) <= max_probability``."""
        ok = self.tail_count[t, g] <= max_probability * self.num_paths + 1e-9
        return int(np.argmax(ok))


def shortfall_table(demand: np.ndarray) -> ShortfallTable:
    """Build the table from integer ``demand[path, month, group]``."""
    d = np.asarray(demand, dtype=np.int64)
    if (d < 0).any():
        raise ValueError("demand must be non-negative")
    num_paths, months, groups = d.shape
    top = int(d.max()) + 2
    flat = d.transpose(1, 2, 0).reshape(months * groups, num_paths)
    counts = np.zeros((months * groups, top), dtype=np.int64)
    rows = np.repeat(np.arange(months * groups), num_paths)
    np.add.at(counts, (rows, flat.ravel()), 1)
    values = np.arange(top, dtype=np.int64)
    le_count = np.cumsum(counts, axis=1)
    tail = num_paths - le_count
    tail_sum = (counts * values).sum(axis=1, keepdims=True) - np.cumsum(counts * values, axis=1)
    expected = (tail_sum - values * tail) / num_paths
    shape = (months, groups, top)
    return ShortfallTable(
        expected=expected.reshape(shape),
        tail_count=tail.reshape(shape),
        num_paths=num_paths,
        min_demand=d.min(axis=0),
        max_demand=d.max(axis=0),
    )
