"""A tick or a cross in a yes/no column, as hand-kept spreadsheets mark one.

A commissioner's register or a placement team's tracker marks a yes with a tick and a
no with a cross: typed from Excel's Insert Symbol (``✓ ✔ ☑ ✅``, ``✗ ✘ ☒ ✖ ❌ ×``) or,
most often, in the Wingdings font, whose tick and cross are the letters ``ü`` and ``û``
(its ticked and crossed boxes ``þ`` and ``ý``): the font is lost on export, and the file
holds the letter. A tick is read as the column's yes, a cross as its no, in every
yes/no column (``adaptations``, ``dolo``, ``has_pets``, ``adapted``: Y or N; ``pets``:
yes or no; the suitabilities: suitable or unsuitable; the Placements Data Standard's
wide risk columns: Risk Present or No known risk), and said in one warning per column
naming its rows (not which row holds which: a child's DoLO is not shown). The plain
letter ``x``, which marks a chosen box as often as a no, stays an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.schema import Field
from sufficiency.io.tables import RawTable
from sufficiency.io.unnamed import some_rows

#: A tick, and a cross, as symbols.
TICKS = "\u2713\u2714\u2611\u2705"
CROSSES = "\u2717\u2718\u2612\u2716\u274c\u00d7"
#: Wingdings' tick and ticked box, and its cross and crossed box, as the letters a file
#: holds once the font is lost.
WINGDINGS_TICKS = "\u00fc\u00fe"
WINGDINGS_CROSSES = "\u00fb\u00fd"


def yes_and_no(f: Field | None) -> tuple[str, str] | None:
    """The words a tick and a cross mean in field ``f``'s column: Y and N in a flag, the
    choices ``yes`` and ``no`` (or ``suitable`` and ``unsuitable``) of a code; ``None`` in
    a column that is no yes/no."""
    if f is not None and f.kind == "flag":
        return ("Y", "N")
    keys = set(f.choices or ()) if f is not None and f.kind == "code" else set()
    return next((p for p in (("yes", "no"), ("suitable", "unsuitable")) if set(p) <= keys), None)


def read_ticks(
    raw: RawTable, words: Callable[[str], tuple[str, str] | None]
) -> tuple[RawTable, list[Problem]]:
    """``raw`` with each tick or cross (alone in its cell) of a column for which
    ``words`` (given the column's name) gives its yes and no rewritten as that word, and
    one warning per such column naming its rows."""
    data = raw.data
    changed: dict[str, pd.Series] = {}
    notes: list[Problem] = []
    for col in data.columns:
        said = words(str(col))
        if said is None:
            continue
        text = data[col].astype("string").str.strip()
        tick = text.str.len().eq(1) & text.isin(list(TICKS + WINGDINGS_TICKS))
        cross = text.str.len().eq(1) & text.isin(list(CROSSES + WINGDINGS_CROSSES))
        marked = (tick | cross).fillna(False).to_numpy(bool)
        if not marked.any():
            continue
        changed[col] = (
            data[col].mask(tick.fillna(False), said[0]).mask(cross.fillna(False), said[1])
        )
        rows = [raw.row_number(int(i)) for i in data.index[marked]]
        wingdings = text[marked].isin(list(WINGDINGS_TICKS + WINGDINGS_CROSSES)).any()
        notes.append(
            raw.problem(
                None, str(col), None,
                "marks yes and no with a tick and a cross"
                + (" (ü and û, þ and ý: Wingdings' tick and cross, as the file holds them "
                   "without the font)" if wingdings else "")
                + f"; each tick read as {said[0]}, each cross as {said[1]} "
                f"(row{'s' if len(rows) > 1 else ''} {some_rows(rows)}): check them",
                severity="warning", code="ticks",
            )
        )  # fmt: skip
    if not changed:
        return raw, []
    return replace(raw, data=data.assign(**changed)), notes
