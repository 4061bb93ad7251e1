"""Communication needs and adaptations written as "none" in words.

A team's tracker fills a child's ``communication`` cell ("Specific communication and
language requirements") and ``adaptations`` cell ("Adaptation to the home") with ``N/A``,
``Nil``, ``None`` or ``No`` where the child has none, as it does a risks cell
(:mod:`.plain_answers`); a register fills a home's ``communication`` and ``adapted`` the
same way. Read as written, ``communication`` took only ``none`` (``N/A``, ``Nil`` and
``No`` were "not one of: bsl, esol, ...") and the flags only Y or N (``N/A``, ``None`` and
``Nil`` were "must be Y or N"): each such child, or home, was set aside and not matched.

A cell saying "none" as a whole (:data:`NONE_WORDS`) is now read as a blank cell, which
the contract reads as none (no need; no adaptation needed; the home supports none, is not
adapted): the reading is never less safe than the blank the column allows. One warning
per column names the rows. A cell saying the answer is not known (``Unknown``, ``TBC``)
is still set aside, as before: matching cannot meet a need nobody has written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.blank_read import blank_read
from sufficiency.io.plain_answers import _said, _words, rows_warning
from sufficiency.io.tables import RawTable

#: A cell saying, as a whole, that there is nothing to say (lower case, a final full
#: stop dropped): ``none`` itself is already a communication code, and ``no`` and ``n``
#: already a flag's N, so each is read only where the column does not take it already.
NONE_WORDS = frozenset({
    "none", "nil", "n/a", "na", "n.a", "no", "-", "--", "\u2014", "not applicable",
    "none known", "none identified", "no needs", "no known needs", "not required",
    "none required", "no adaptations", "no adaptations needed",
})  # fmt: skip
#: Each table's columns read so, with what a blank means there (for the warning).
COLUMNS = {
    "referrals": {"communication": "no communication need", "adaptations": "no adaptation needed"},
    "placements": {"communication": "supports no communication need", "adapted": "not adapted"},
}
#: The contract's descriptions of those columns (docs/data-contract.md).
COMMUNICATION_SAID = (
    "Semicolon list: esol, bsl, makaton, other (blank, none, N/A, Nil or No: none)."
)
ADAPTATIONS_SAID = "Y if the home needs adaptations (blank, N/A, None or Nil: N)."
HOME_COMMUNICATION_SAID = "Communication needs it supports (blank, none, N/A, Nil or No: none)."
ADAPTED_SAID = "Y if the home is adapted (blank, N/A, None or Nil: N)."
#: What each column already reads itself (not warned of).
_TAKEN = {"communication": {"none"}, "adaptations": {"no", "n"}, "adapted": {"no", "n"}}


def plain_none(
    raw: RawTable, table: str, column_of: Callable[[str], str]
) -> tuple[RawTable, list[Problem]]:
    """``raw`` (of ``table``: ``referrals`` or ``placements``) with each "none" in words of
    its communication and adaptations (or adapted) columns read as a blank cell (see the
    module), and one warning per column saying so (``column_of``: the file's own column
    holding a field); then :func:`.blank_read.blank_read`'s warnings."""
    changed: dict[str, pd.Series] = {}
    found: list[Problem] = []
    for name, blank in COLUMNS.get(table, {}).items():
        column = column_of(name)
        if column not in raw.data.columns:
            continue
        cells = raw.data[column]
        said = _said(cells)
        hit = (said.isin(NONE_WORDS) & ~said.isin(_TAKEN[name])).fillna(False).astype(bool)
        if not hit.any():
            continue
        words = _words(cells, hit)
        found.append(rows_warning(raw, column, hit, "none_words", lambda rows: (
            f"says none in words ({words}, {rows}): read as a blank cell, {blank}; leave "  # noqa: B023
            "such cells blank"
        )))  # fmt: skip
        changed[column] = cells.mask(hit)
    found += blank_read(raw, table, column_of)  # blanks read the permissive way, said
    if not changed:
        return raw, found
    return replace(raw, data=raw.data.assign(**changed)), found
