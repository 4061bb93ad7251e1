"""A regional night's figures per council: the children each responsible authority
referred, how many are placed, out of area (outside that council's own area) and over 20
miles from home, and the weekly fees of their proposed homes.

A regional placement team matches several councils' children against one register in
one night; each council pays for, and its nominated officer approves, its own children's
placements, so the night's totals alone do not tell a council what it has to do. The
figures add up to the plan's (``summary.json``'s ``children_placed``, ``placed_out_of_area``,
``placed_over_20_miles``, ``weekly_cost_gbp``); referrals set aside for errors are not in
them (their council may be what is wrong), and are counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from sufficiency import vocabulary
from sufficiency.geo import council_name
from sufficiency.matching.gates import OUT_OF_AREA
from sufficiency.matching.problem import MatchProblem


@dataclass(frozen=True)
class CouncilFigures:
    """One responsible authority's children in a plan."""

    code: str
    name: str
    children: int
    placed: int
    out_of_area: int
    over_20_miles: int
    distance_not_known: int
    weekly_cost_gbp: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "name": self.name, "children": self.children,
            "children_placed": self.placed, "children_unplaced": self.children - self.placed,
            "placed_out_of_area": self.out_of_area, "placed_over_20_miles": self.over_20_miles,
            "placed_distance_not_known": self.distance_not_known,
            "weekly_cost_gbp": self.weekly_cost_gbp,
        }  # fmt: skip

    def line(self) -> str:
        """The council's figures in a sentence, for the console."""
        return (
            f"{self.name} ({self.code}): placed {self.placed} of {self.children}, "
            f"{self.out_of_area} out of its area, {self.over_20_miles} over 20 miles from home, "
            f"£{self.weekly_cost_gbp:,.2f} a week"
        )


def council_figures(prob: MatchProblem, plan: pd.DataFrame) -> tuple[CouncilFigures, ...]:
    """Each responsible authority's figures in ``plan`` (:func:`.plan.evaluate_plan`'s
    table, one row per child of ``prob`` in its order), by code."""
    placed = plan["placement_id"].notna().to_numpy(bool)
    frame = pd.DataFrame({
        "code": prob.referrals["responsible_la"].astype("string").fillna("").to_numpy(object),
        "placed": placed,
        "out_of_area": plan["flags"].fillna("").astype(str)
        .str.contains(OUT_OF_AREA, regex=False).to_numpy(bool),
        "over_20": (plan["miles_from_home"].fillna(0) > 20).to_numpy(bool),
        "not_known": placed & plan["miles_from_home"].isna().to_numpy(bool),
        "fee": plan["weekly_cost"].fillna(0).to_numpy(float),
    })  # fmt: skip
    sums = frame.groupby("code", sort=True).agg(
        children=("placed", "size"), placed=("placed", "sum"), out=("out_of_area", "sum"),
        over=("over_20", "sum"), not_known=("not_known", "sum"), fee=("fee", "sum"),
    )  # fmt: skip
    return tuple(
        CouncilFigures(str(code), council_name(str(code)), int(r.children), int(r.placed),
                       int(r.out), int(r.over), int(r.not_known), round(float(r.fee), 2))
        for code, r in zip(sums.index, sums.itertuples(index=False), strict=True)
    )  # fmt: skip


def council_table(figures: tuple[CouncilFigures, ...]) -> pd.DataFrame:
    """The report's "By council" table: one row per council, empty for a night of one
    council's children (page 1 then says it all)."""
    if len(figures) < 2:
        return pd.DataFrame()
    return pd.DataFrame({
        "council": [f"{f.name} ({f.code})" for f in figures],
        "children": [f.children for f in figures],
        "placed": [f.placed for f in figures],
        "not_placed": [f.children - f.placed for f in figures],
        "out_of_area": [f.out_of_area for f in figures],
        "over_20_miles": [f.over_20_miles for f in figures],
        "distance_not_known": [f.distance_not_known for f in figures],
        "weekly_cost": [f.weekly_cost_gbp for f in figures],
    })  # fmt: skip


#: The "By council" table's headers in plain words.
COUNCIL_HEADERS: dict[str, str] = {
    "council": "Council (responsible authority)",
    "children": "Children matched",
    "not_placed": "Not placed",
    "out_of_area": "Placed out of the council's own area",
    "over_20_miles": "Placed over 20 miles from home",
    "distance_not_known": "Placed at a distance from home not known",
}


def provider_words(homes: pd.DataFrame, placements: pd.DataFrame) -> list[str]:
    """Who runs each of ``homes`` (rows naming a ``placement_id`` and its ``provider``), in
    plain words for the report. An in-house or another council's home whose council the
    register gives (its ``council`` column) says whose it is: on a register several
    councils share, "The council (in-house)" did not say which council's home it was."""
    given = placements.set_index("placement_id")["council"].dropna() if (
        "council" in placements.columns) else pd.Series(dtype=object)  # fmt: skip
    out = []
    for pid, provider in zip(homes["placement_id"], homes["provider"], strict=True):
        code = given.get(pid)
        if code is None or provider not in _WHOSE:
            out.append(vocabulary.provider(str(provider)))
        else:
            out.append(_WHOSE[str(provider)].format(council_name(str(code))))
    return out


#: How an in-house or another council's home of a named council is said.
_WHOSE = {"in_house": "{} (in-house)", "other_la": "Another council ({})"}
