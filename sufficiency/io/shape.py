"""A value as a problem may show it: whole, or only its shape.

A child's details beyond their ID are never quoted in a message, a log, a page or an
output (docs/data-protection.md): a date of birth, a UPN, a home or school postcode, a
name, and any text typed about a child into a column of codes. A problem about such a
value shows its shape instead (``13/07/2011`` -> ``99/99/9999``, ``WR1 1AA`` ->
``AA9 9AA``), which with the file, row and column is enough to find and mend it.
"""

from __future__ import annotations

import re

import pandas as pd


def mask_value(value: str) -> str:
    """The shape of a sensitive value: digits become 9, letters A (``WR1 1AA`` -> ``AA9 9AA``),
    accented ones too (``Siân`` -> ``AAAA``: a letter kept would show part of a name)."""
    return re.sub(r"[^\W\d_]", "A", re.sub(r"\d", "9", value))


def quoted(value: object, personal: bool) -> str:
    """``value`` as a problem quotes it: its shape when it is a child's ``personal``
    detail, otherwise the text itself."""
    return mask_value(str(value)) if personal else str(value)


#: Longest ID accepted: twice the 10 characters DfE's specification allows.
MAX_ID_LENGTH = 20
#: Two words of letters (``Zebedee Quaxworth``, ``Siân Jones``, ``Notes: moved``).
_TWO_WORDS = r"[^\W\d_]{2,}[:;,.]?\s+[^\W\d_]{2,}"
#: One word of letters and no digit (``Bethan``, ``Siân``, ``O'Neil``, ``Mary-Jane``,
#: ``TBC``): a first name or a note, as no case system's ID is letters alone.
_ONE_WORD = r"(?=..)[^\W\d_]+(?:['’-][^\W\d_]+)*"


#: What a sheet writes for an ID not known yet, or a lookup that failed: never an ID,
#: whether or not it has letters (``N/A`` passed where ``NA`` was refused).
PLACEHOLDERS = frozenset({
    "n/a", "na", "n.a.", "n.a", "#n/a", "n/k", "nk", "n.k.", "null", "(null)", "none", "nil",
    "nan", "<na>", "tbc", "tba", "tbd", "unknown", "not known", "not applicable", "missing",
})  # fmt: skip
#: A value of no letter or digit (``-``, ``?``, ``--``, ``.``): a placeholder too.
_NO_ALNUM = r"[\W_]+"


def placeholder(ids: pd.Series) -> pd.Series:
    """Where a value of ``ids`` is a placeholder (:data:`PLACEHOLDERS`, in any case, or
    punctuation alone), not an ID."""
    text = ids.astype("string").str.strip()
    words = text.str.lower().str.replace(r"\s+", " ", regex=True).isin(PLACEHOLDERS)
    return (words | text.str.fullmatch(_NO_ALNUM)).fillna(False).astype(bool)


def not_an_id(ids: pd.Series) -> pd.Series:
    """Where a (stripped, non-blank) value of ``ids`` cannot be a child's ID, a name, a
    note or a placeholder typed there (the rule: :mod:`sufficiency.io.id_shape`)."""
    text = ids.astype("string").str.strip()
    # any character an ID system may write is allowed (R#7, Zoë-9, 123/45, =1+2 as an
    # export writes it: tests/web/test_hostile.py, tests/test_csv_text.py)
    bad = (
        placeholder(text)
        | text.str.contains(_TWO_WORDS, regex=True)
        | text.str.fullmatch(_ONE_WORD)
        | (text.str.len() > MAX_ID_LENGTH)
    )
    return bad.fillna(False).astype(bool) & text.fillna("").ne("")
