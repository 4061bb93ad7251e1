"""The rules a child's nearest option breaks, in words for the report's "Not placed" sheet.

``unplaced.csv`` holds them as codes (``age; risks``) or as what in the plan stops the
nearest home (``taken``, ``conflict``...). The age rule is said of the home named: its
age range, and supported accommodation's 16-17 only where the home is supported
accommodation (the rule's general words spoke of supported accommodation for a foster
or residential home too).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from sufficiency.matching.rules import RULE_CODES, RULE_TEXT

#: The nearest option's columns, in ``unplaced.csv`` and the "Not placed" sheet: its ID,
#: its miles from the child's home, and the rules it breaks.
NEAREST_COLUMNS = ("nearest_placement_id", "nearest_miles_from_home", "nearest_breaks")
#: What stops a nearest home that breaks no rule, by its code in ``unplaced.csv``.
PLAN_STOPS: dict[str, str] = {
    # the home may be proposed for one child or several: the reason names them
    "taken": "None: it meets every rule, but the plan needs its places for other children "
    "(the reason names them)",
    "conflict": (
        "None on its own: it has a place left, but a child proposed there may not live "
        "with this child"
    ),
    "siblings_together": "None: it meets every rule but would split the sibling group",
    "not_proven": "None: it meets every rule and is free, but the plan is not proven exactly "
    "optimal",
    "cost": "None: it is free, but the weights score it above leaving the child unplaced",
}


def _blank(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def age_words(home: Mapping[str, Any] | None) -> str:
    """Rule 3's words for ``home`` (a register row; ``None``: not known): its age range,
    and for supported accommodation that it is for 16-17 year olds."""
    if home is None:
        return "does not take the child's age (its age range)"
    ages = ""
    if not _blank(home.get("age_min")) and not _blank(home.get("age_max")):
        ages = f"{int(float(home['age_min']))} to {int(float(home['age_max']))}"
    if str(home.get("setting", "")) == "supported":
        return "does not take the child's age (supported accommodation, for 16-17 year olds" + (
            f"; this one takes ages {ages})" if ages else ")"
        )
    return f"does not take the child's age (it takes ages {ages})" if ages else (
        "does not take the child's age (its age range)"
    )  # fmt: skip


def breaks_words(text: Any, home: Mapping[str, Any] | None = None) -> str:
    """``unplaced.csv``'s ``nearest_breaks`` in words: ``rule 3: does not take the
    child's age (it takes ages 0 to 10); rule 6: excludes one of the child's risks``, or
    what in the plan stops a home breaking no rule; ``home`` is the nearest option's row
    of the register (its rule 3 words fit it)."""
    if _blank(text) or not str(text):
        return ""
    if str(text) in PLAN_STOPS:
        return PLAN_STOPS[str(text)]
    codes = [c.strip() for c in str(text).split(";") if c.strip()]
    return "; ".join(
        f"rule {RULE_CODES.index(c) + 1}: {age_words(home) if c == 'age' else RULE_TEXT[c]}"
        if c in RULE_TEXT else c
        for c in codes
    )  # fmt: skip


def nearest_homes(placements: pd.DataFrame, ids: pd.Series) -> list[Mapping[str, Any] | None]:
    """The register row of each nearest option in ``ids`` (``None``: none named, or not on
    the register)."""
    by_id: dict[str, Mapping[str, Any]] = {}
    for row in placements.to_dict("records") if "placement_id" in placements else []:
        by_id.setdefault(str(row["placement_id"]), row)
    return [None if _blank(p) else by_id.get(str(p)) for p in ids]
