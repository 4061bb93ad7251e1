"""Which authorities a pooled plan can hold: those whose histories end on one date.

Pooled demand adds the members' paths month by month, so every member's forecast must
start on the same day. In a region (``sufficiency region``) a member whose history ends
elsewhere (an in-year extract to 30/09/2026 beside others' full years to 31/03/2026) is
left out of the pool, with a sentence saying why and what to give instead; its own
forecast, spend and plan still run. ``sufficiency commission --pool-with``, whose pool the
user names, refuses such a pool with the same advice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import pandas as pd

from sufficiency.figures import day as said_day


def pool_date(ends: Sequence[str]) -> str:
    """The date most members' histories end on (``YYYY-MM-DD``); of equally many, the latest."""
    counts = Counter(ends)
    return max(counts, key=lambda d: (counts[d], pd.Timestamp(d)))


def _day(value: str) -> str:
    return said_day(pd.Timestamp(value))


def remedy(own: str, pool: str, who: str = "it") -> str:
    """What to give so a history ending on ``own`` can join a pool ending on ``pool``."""
    if pd.Timestamp(own) > pd.Timestamp(pool):
        return (f"to pool {who}, give its history to {_day(pool)} (its full-year returns, "
                "without the later extract), or run the pool when the others' histories "
                f"end on {_day(own)} too")  # fmt: skip
    return (f"to pool {who}, give its returns to {_day(pool)} (the others' end), or run the "
            f"pool on histories that all end on {_day(own)}")  # fmt: skip


def left_out_reason(own: str, pool: str, pooled: Sequence[str]) -> str:
    """Why a member whose history ends on ``own`` is not in a pool of ``pooled`` ending on
    ``pool``, and what to give instead."""
    return (
        f"Left out of the pooled plan: its history ends on {_day(own)}, the pooled members' "
        f"({', '.join(pooled)}) on {_day(pool)}. Pooled demand adds the members' months "
        "together, so every pooled history must end on the same day; "
        f"{remedy(own, pool)}. Its own forecast, spend and plan are not affected."
    )


def too_few_reason(ends: Mapping[str, str]) -> str:
    """Why no pool runs when no two members with levers end on the same day."""
    dates = "; ".join(f"{name}: {_day(d)}" for name, d in ends.items())
    return (
        "Pooling needs two or more members with levers whose histories end on the same day, "
        f"and these end on different days ({dates}). Give returns that end on one date (the "
        "full-year returns to 31 March) to pool them."
    )
