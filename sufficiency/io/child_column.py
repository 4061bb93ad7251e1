"""A 903 table whose CHILD column is headed as a case-management system exports it.

DfE names the child's identifier ``CHILD``. Systems' exports head it ``Child ID``,
``ChildID``, ``CHILD_ID``, ``Child Identifier``, ``LA Child ID`` or ``Child Ref``. Such
a table was skipped as "not a 903 table": a year whose episodes table was so headed
dropped out of the history with one warning line, the forecast running on the years
before it, and a history headed so throughout was refused with "no 903 header or
episodes table found", nothing saying which column was missing.

A table whose other columns are a 903 table's is named instead, with the heading that
looks like ``CHILD``. It is not read as ``CHILD`` by itself: as the contracts treat a
column whose name is close to a field's (an error naming the field), a near name is
the user's to confirm. A system's ``Child ID`` may be its own person number, not the
identifier the council's 903 returns of other years give, and read as ``CHILD`` every
child of that year would be taken for a new one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable

from sufficiency.io.aliases903 import field_key
from sufficiency.io.schema import column_key
from sufficiency.io.ssda903_xml import DFE_TABLES

#: What the rest of a heading holding "child" says when it names an identifier.
_ID_WORD = re.compile(
    r"(?:^|_)(?:id|ids|ref|reference|identifier|no|num|number|code|key|uid)(?:_|$)"
)
#: Other words systems use for the person a row is about.
_PERSON = ("child", "person", "client")


def child_lookalikes(columns: Iterable[str]) -> list[str]:
    """The headings, as written, that look like ``CHILD``: a heading naming a child's (or
    person's) identifier (``Child ID``, ``ChildID``, ``LA Child ID``, ``Person Ref``), or
    a misspelling of CHILD (``Chlid``)."""
    dfe = {c.lower() for table in DFE_TABLES.values() for c in table}
    out = []
    for col in columns:
        key = column_key(str(col))
        if not key or key in dfe:
            continue
        word = next((w for w in _PERSON if w in key), None)
        named = word is not None and _ID_WORD.search(key.replace(word, "_")) is not None
        if named or difflib.get_close_matches(key, ["child"], n=1, cutoff=0.8):
            out.append(str(col))
    return out


def near_table(
    columns: Iterable[str], detect: Callable[[list[str]], str | None]
) -> tuple[str, list[str]] | None:
    """The DfE table (``header``, ``episodes``...) a table with no ``CHILD`` column would be
    with one, and its headings that look like CHILD; ``None`` for any other table.

    It needs the columns that mark the table out, at least half of its other columns
    the table's own, and one of them other than DOB and SEX (a referrals file's
    ``child_id``, ``dob`` and ``sex`` are not a 903 header). ``detect`` is the scan's
    ``detect_table``."""
    labels = [str(c) for c in columns]
    keys = {column_key(c).upper() for c in labels}
    if "CHILD" in keys:
        return None
    like = child_lookalikes(labels)
    kind = detect([*labels, "CHILD"])
    if kind is None:
        return None
    rest = {field_key(c) for c in labels if c not in like}
    own = rest & set(DFE_TABLES[kind])
    if 2 * len(own) < len(rest) or not own - {"DOB", "SEX"}:
        return None
    return kind, like


def message(kind: str, columns: Iterable[str], like: list[str]) -> str:
    """What is said of such a table: the table it would be, its 903 columns, and the
    heading to rename."""
    dfe = [c for c in DFE_TABLES[kind] if c != "CHILD"]
    keys = {field_key(str(c)) for c in columns}
    have = [c for c in dfe if c in keys]
    shown = ", ".join(have[:5]) + (", ..." if len(have) > 5 else "")
    head = f"has the 903 {kind} table's columns ({shown}) but no CHILD column, so it is not read"
    if not like:
        return (f"{head}: add the child's identifier as in the council's 903 return, headed "
                "CHILD")  # fmt: skip
    quoted = " and ".join(f"'{c}'" for c in like)
    if len(like) == 1:
        return f"{head}; {quoted} looks like CHILD: rename it CHILD"
    return (f"{head}; {quoted} look like CHILD: rename CHILD the one holding the child's "
            "identifier as in the council's 903 return")  # fmt: skip
