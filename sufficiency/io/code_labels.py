"""A 903 code written with its description, as case systems' reports write them.

Reports from case-management systems (and the spreadsheets made from them) often give a
code column with the code's description beside it in the cell: ``U6 - Foster placement
with other foster carer``, ``PR4: Private provision``, ``C2 Full care order``, or the
description first, ``Private provision (PR4)``. Read as written, none was a 903 code: an
export so written had every placement counted as ``other`` (11,145 episodes of the
sample, the forecast by placement type meaningless), every provider as none given
(IFA foster carers counted in-house), every legal status as a care order (short breaks,
V3 and V4, counted as looked after), and ``validate`` refused every row. The code in
such a cell is read, where it is one of that column's codes; a warning names the column,
its first such row and how many rows, never the description. ``SEX`` written as a word
(``Male``, ``Female``) is read as its code too.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sufficiency import codes
from sufficiency.errors import Problem
from sufficiency.io.tables import RawTable

_SEX = frozenset({"1", "2", "M", "F", "U"})
#: The code columns of each 903 table this package reads, and their codes.
CODE_COLUMNS: dict[str, dict[str, frozenset[str]]] = {
    "episodes": {
        "rne": codes.RNE_CODES,
        "ls": codes.LEGAL_STATUS_CODES,
        "cin": codes.CIN_CODES,
        "place": codes.ALL_PLACE_CODES,
        "place_provider": codes.PROVIDER_CODES,
        "rec": codes.REC_CODES,
        "reason_place_change": codes.REASON_PLACE_CHANGE_CODES,
    },
    "header": {"sex": _SEX, "ethnic": codes.ETHNIC_CODES},
    "uasc": {"sex": _SEX},
}
#: A code then its description (``U6 - Foster...``, ``(PR4) Private``, ``C2 Full care``).
_CODE_FIRST = re.compile(
    r"^[(\[]?(?P<code>[A-Za-z0-9]{1,6})[)\]]?(?:\s*[-\u2013\u2014:|=]\s*|\s+)(?P<text>.*[^\W\d_].*)$"
)
#: A description then its code in brackets (``Private provision (PR4)``).
_CODE_LAST = re.compile(r"^(?P<text>.*[^\W\d_].*?)\s*[(\[](?P<code>[A-Za-z0-9]{1,6})[)\]]$")
#: How a report writes an empty code cell.
_EMPTY = frozenset({"-", "\u2013", "\u2014", "n/a"})
#: ``SEX`` written as a word.
_SEX_WORDS = {"male": "1", "female": "2", "boy": "1", "girl": "2"}


def _code_of(value: str, allowed: frozenset[str], sex: bool) -> str | None:
    """The code ``value`` writes with its description, or ``None``."""
    text = value.strip()
    if sex and text.casefold() in _SEX_WORDS:
        return _SEX_WORDS[text.casefold()]
    for form in (_CODE_FIRST, _CODE_LAST):
        m = form.match(text)
        if m and m["code"].upper() in allowed:
            return m["code"].upper()
    return None


def _blank_dashes(raw: RawTable, columns: list[str]) -> tuple[RawTable, list[Problem]]:
    """``raw`` with a code cell written as a dash or ``N/A`` (a report's empty cell) made
    blank, and a warning naming the columns: read as written, an episode's REC or
    REASON_PLACE_CHANGE so written (open episodes in most reports) was an error of every
    such row in ``validate``."""
    cols = [c for c in columns if c in raw.data.columns]
    if not cols:
        return raw, []
    text = raw.data[cols].astype("string")
    hit = text.apply(lambda s: s.str.strip().str.lower().isin(_EMPTY)).fillna(False)
    if not hit.to_numpy(bool).any():
        return raw, []
    said = [raw.column_label(c) for c in cols if hit[c].any()]
    word = str(raw.data[cols].to_numpy(object)[hit.to_numpy(bool)][0])
    note = Problem(raw.source, None, None, None,
                   f"writes empty cells as {word} (in {', '.join(said)}), as reports do; read "
                   "as blank", severity="warning", code="null_blanks")  # fmt: skip
    data = raw.data.copy()
    data[cols] = data[cols].mask(hit)
    return replace(raw, data=data), [note]


def read_code_labels(raw: RawTable, kind: str) -> tuple[RawTable, list[Problem]]:
    """``raw`` with each code written with its description read as the code, and a
    warning for each column so read (its first row and how many rows)."""
    columns = CODE_COLUMNS.get(kind, {})
    raw, notes = _blank_dashes(raw, list(columns))
    data = raw.data
    for column, allowed in columns.items():
        if column not in data.columns:
            continue
        values = data[column].astype("string")
        upper = values.str.strip().str.upper()
        candidates = values.notna() & ~upper.isin(list(allowed)).fillna(False)
        if not candidates.any():
            continue
        sex = column == "sex"
        read = {v: _code_of(v, allowed, sex) for v in values[candidates].unique()}
        new = values[candidates].map(read)
        hit = new.notna()
        if not hit.any():
            continue
        if data is raw.data:
            data = data.copy()
        rows = new.index[hit.to_numpy(bool)]
        data.loc[rows, column] = new[hit]
        first = str(new[hit].iloc[0])
        said = (
            "SEX written as a word (Male, Female), read as its code (1, 2)"
            if sex
            else f"a code with its description in the cell ({first} - ...), as a case "
            "system's report writes it, read as the code"
        )
        notes.append(
            raw.problem(rows[0], column, None,
                        f"{len(rows):,} row(s) from this one give {said}",
                        severity="warning", code="code_labels", action="read as the code")
        )  # fmt: skip
    if not notes:
        return raw, []
    return replace(raw, data=data), notes
