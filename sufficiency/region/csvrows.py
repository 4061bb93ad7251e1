"""``region.csv`` rows beside the figures: each run of a member that failed, and shares
written as percentages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from sufficiency.region.tasks import MemberFailure


def failed_rows(failures: Iterable[MemberFailure]) -> list[tuple[str, str, str, str, int]]:
    """``failed`` 1 for each member x run that failed: a member whose every run failed has
    no figures in ``region.csv``, so without it a dashboard would not see it at all."""
    return [(f.code, f.name, f.scenario, "failed", 1) for f in failures]


def percent(share: Any) -> float | None:
    """A share of one (0.0075) as the percentage the CSV files write (0.75)."""
    return None if share is None or pd.isna(share) else 100 * float(share)
