"""Whose children a member's history holds, by their home postcodes.

A members file written by hand can give a member another council's 903 folder (the
folders of two neighbours swapped, or a code copied from the row above). Nothing in the
903 return names its council, but the children's home postcodes (``HOME_POST``, where a
child lived before care) are nearly all in it: when most of the children whose postcode
the directory places live in one other council's area, and under half in the member's own,
the member is warned of, naming that council. It is a warning, not a refusal: a council made
since the postcode directory's lookup, or one whose children mostly came from elsewhere,
would be refused for nothing. Counts only are said, never a child's postcode.
"""

from __future__ import annotations

import pandas as pd

from sufficiency.geo import council_name, directory

#: Fewest children with a home postcode the directory places before anything is said.
FEWEST = 20
#: Share of those children, living in one other council's area, from which it is said.
MOST = 0.5


def home_area_note(code: str, episodes: pd.DataFrame) -> str | None:
    """The warning for a member of code ``code`` whose ``episodes``' children mostly live
    in another council's area (each child's last home postcode), or ``None``."""
    if "HOME_POST" not in episodes or "CHILD" not in episodes:
        return None
    posts = episodes[["CHILD", "HOME_POST"]].dropna().drop_duplicates("CHILD", keep="last")
    if len(posts) < FEWEST:
        return None
    upper = directory().lookup(posts["HOME_POST"]).upper_tier.dropna().astype(str)
    if len(upper) < FEWEST:
        return None
    counts = upper.value_counts()
    top, most = str(counts.index[0]), int(counts.iloc[0])
    own = int(counts.get(code, 0))
    if top == code or own >= MOST * len(upper) or most < MOST * len(upper):
        return None
    name, mine = council_name(top), council_name(code)
    return (
        f"{most:,} of the {len(upper):,} children in its history with a home postcode "
        f"(HOME_POST) the postcode directory places ({most / len(upper):.0%}) lived in "
        f"{name} ({top}), {own:,} in {mine if mine == code else f'{mine} ({code})'}: is its "
        f"history {name}'s 903 returns, or its code not its council's? Give each member its "
        "own council's code and returns"
    )
