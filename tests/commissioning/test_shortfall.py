"""The expected-shortfall table is exact for every real capacity."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sufficiency.commissioning.shortfall import shortfall_table


@settings(max_examples=60, deadline=None)
@given(
    demand=arrays(np.int64, (7, 1, 1), elements=st.integers(0, 12)),
    capacity=st.floats(0, 14, allow_nan=False),
)
def test_interpolated_table_equals_path_average(demand, capacity):
    """Linear interpolation of the table at any capacity equals the mean shortfall."""
    table = shortfall_table(demand)
    f = table.expected[0, 0]
    c = min(capacity, len(f) - 1)
    lo = int(np.floor(c))
    hi = min(lo + 1, len(f) - 1)
    interpolated = f[lo] + (f[hi] - f[lo]) * (c - lo)
    direct = np.maximum(demand[:, 0, 0] - capacity, 0).mean()
    assert np.isclose(interpolated, direct, atol=1e-12)


def test_required_capacity_meets_probability():
    """The service-limit capacity is the least with P(demand > capacity) <= limit."""
    demand = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).reshape(10, 1, 1)
    table = shortfall_table(demand)
    assert table.required_capacity(0, 0, 0.1) == 8
    assert table.required_capacity(0, 0, 0.0) == 9
    assert table.required_capacity(0, 0, 1.0) == 0
