"""CI's property tests draw the same examples each run (tests/conftest.py)."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st


@pytest.mark.skipif(
    os.environ.get("HYPOTHESIS_PROFILE", "repeatable") != "repeatable",
    reason="another hypothesis profile was asked for",
)
def test_property_tests_draw_the_same_examples_each_run() -> None:
    assert settings.default.derandomize is True
    assert settings.default.database is None

    def draws() -> list[int]:
        seen: list[int] = []

        @settings(max_examples=20)
        @given(st.integers(min_value=0, max_value=10**9))
        def prop(n: int) -> None:
            seen.append(n)

        prop()
        return seen

    first, second = draws(), draws()
    assert len(first) == 20
    assert first == second
