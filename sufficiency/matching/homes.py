"""One home's places across its rows of the register, on every path.

Rows of one home (the same Ofsted URN and postcode, or one team's ``home_id``:
``prob.place_home``) are one home for who may live together, and for how many children
it may take: at most ``prob.place_home_room`` across all its rows (its places, the most
``vacancies`` any one row gives unless the register's ``home_places`` says otherwise,
less the usual fostering limit of three for a foster household, its current children
counted), or ``prob.place_home_places`` for one sibling group in an empty foster
household (the exemption). Each row's own capacity still holds as well. A home on one
row is held by its row's capacity alone, so nothing here applies to it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sufficiency.matching.problem import MatchProblem
from sufficiency.vocabulary import counted, listed


def shared(prob: MatchProblem, place: np.ndarray) -> np.ndarray:
    """Per placement given, whether its home is given on more than one row."""
    return np.asarray(prob.home_rows[place] > 1, bool)


def housemates(prob: MatchProblem, where: np.ndarray, c: int, p: int) -> list[int]:
    """The children ``where`` places on any row of ``p``'s home, child ``c`` aside."""
    home = prob.place_home
    on = (where >= 0) & (home[np.maximum(where, 0)] == home[p])
    return [int(o) for o in np.nonzero(on)[0] if o != c]


def room_with(prob: MatchProblem, c: int, p: int, others: list[int]) -> int:
    """The children ``p``'s home may take across its rows with ``others`` there and child
    ``c`` joining: its room, or its places for one sibling group under the exemption."""
    grp = prob.child_group
    room = int(prob.place_home_room[p])
    exempt = (
        bool(prob.place_foster_empty[p]) and grp[c] >= 0 and all(grp[o] == grp[c] for o in others)
    )
    return max(room, int(prob.place_home_places[p])) if exempt else room


def home_full(prob: MatchProblem, c: int, p: int, where: np.ndarray) -> bool:
    """Whether child ``c`` joining ``p`` would give its home (on several rows) more
    children across its rows than it may take, with the children ``where`` places."""
    if prob.home_rows[p] <= 1:
        return False
    others = housemates(prob, where, c, p)
    return len(others) + 1 > room_with(prob, c, p, others)


def over_limit(prob: MatchProblem, where: np.ndarray) -> np.ndarray:
    """The homes (first rows) on several rows that ``where`` gives more children across
    their rows than they may take."""
    placed = np.nonzero(where >= 0)[0]
    at = where[placed]
    multi = shared(prob, at)
    placed, at = placed[multi], at[multi]
    if not len(at):
        return np.zeros(0, np.int64)
    home = prob.place_home[at]
    out = []
    for h in np.unique(home).tolist():
        kids = placed[home == h]
        first = int(at[home == h][0])
        if len(kids) > room_with(prob, int(kids[0]), first, [int(k) for k in kids[1:]]):
            out.append(h)
    return np.asarray(out, np.int64)


def trim(prob: MatchProblem, where: np.ndarray, unplaced: np.ndarray) -> np.ndarray:
    """The plan with children left unplaced (the lowest unplaced penalty first, then the
    highest child index) until no home on several rows holds more than it may take.
    Leaving a child unplaced breaks no rule."""
    where = where.copy()
    while len(over := over_limit(prob, where)):
        for h in over.tolist():
            kids = np.nonzero((where >= 0) & (prob.place_home[np.maximum(where, 0)] == h))[0]
            drop = kids[np.lexsort((-kids, unplaced[kids]))[0]]
            where[drop] = -1
    return where


def kept_to_homes(
    prob: MatchProblem, where: np.ndarray, unplaced: np.ndarray
) -> tuple[np.ndarray, str]:
    """The plan a solver path gives, checked (never assumed) to hold every home on several
    rows to its room across them, and trimmed where it does not (:func:`trim`), with a
    sentence saying so (empty when it holds, as it should on every path)."""
    over = over_limit(prob, where)
    if not len(over):
        return where, ""
    return trim(prob, where, unplaced), (
        f"NOT proven optimal: the plan gave {counted(len(over), 'home')} on several rows of "
        "the register more children than it may take across its rows; children were left "
        "unplaced to keep to it."
    )


def full_per_pair(
    prob: MatchProblem, where: np.ndarray, c: np.ndarray, p: np.ndarray
) -> np.ndarray:  # fmt: skip
    """Per pair, whether ``p``'s home, on several rows, is full across them for ``c``."""
    out = np.zeros(len(c), bool)
    for i in np.nonzero(prob.home_rows[p] > 1)[0].tolist():
        out[i] = home_full(prob, int(c[i]), int(p[i]), where)
    return out


def model_rows(
    prob: MatchProblem, place: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Rows of a model holding each home on several rows to its room across its rows:
    per incidence (a column placing a child at ``place``), its row (-1 for a home on one
    row), then each row's home (its first row) and right-hand side."""
    multi = shared(prob, place)
    homes, row = np.unique(prob.place_home[place[multi]], return_inverse=True)
    out = np.full(len(place), -1, np.int64)
    out[multi] = row
    return out, homes, prob.place_home_room[homes].astype(float)


def column_uses(
    prob: MatchProblem, col: np.ndarray, place: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """The room each column of the pattern master uses in each home on several rows, from
    every child it places (``col``, ``place``): one entry per (column, home) as its column,
    a row of the home and the children it places there; the home's whole room where a
    column (one sibling group) places more of its members there than the usual fostering
    limit allows, in an empty foster household with the places for them (the exemption:
    nobody else may join them, whichever of its rows they take)."""
    multi = shared(prob, place)
    frame = pd.DataFrame({"c": col[multi], "h": prob.place_home[place[multi]]})
    per = frame.value_counts(sort=False).reset_index(name="n")
    c, h, n = (per[k].to_numpy(np.int64) for k in ("c", "h", "n"))
    room = prob.place_home_room[h]
    exempt = prob.place_foster_empty[h] & (n > room) & (n <= prob.place_home_places[h])
    return c, h, np.where(exempt, room, n).astype(float)


def home_reason(prob: MatchProblem, where: np.ndarray, c: int, p: int) -> str | None:
    """Why child ``c`` cannot join ``p`` for its home's places across its rows, naming
    the other rows and the children there; ``None`` when the home has room."""
    if not home_full(prob, c, p, where):
        return None
    kid = prob.referrals["child_id"].astype(str).to_numpy(object)
    pid = prob.placements["placement_id"].astype(str).to_numpy(object)
    others = housemates(prob, where, c, p)
    rows = [int(q) for q in np.nonzero(prob.place_home == prob.place_home[p])[0]]
    at = sorted({f"{kid[o]} at {pid[where[o]]}" for o in others})
    room = room_with(prob, c, p, others)
    named = f"rows {listed([str(pid[q]) for q in rows])} of the register are one home"
    current = int(prob.place_current[p])
    if prob.place_home_room[p] < prob.place_home_places[p] and room == prob.place_home_room[p]:
        now = (
            f"{current} child{'' if current == 1 else 'ren'} living there now and "
            if current
            else ""
        )
        why = (f"the household is at the usual fostering limit of three ({now}"
               f"{listed(at)} proposed in the plan)")  # fmt: skip
    else:
        why = (f"it has {room} place{'' if room == 1 else 's'} across its rows, "
               f"{'its only place going' if room == 1 else 'all going'} to {listed(at)} in "
               "the plan")  # fmt: skip
    return f"Its home is full: {named}, and {why}."
