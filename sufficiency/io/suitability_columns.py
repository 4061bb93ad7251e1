"""A referral column that may hold a suitability the file does not name as one.

A referrals file whose suitability columns are headed "Foster", "Residential" and
"Supported" (under a group title "Suitability" the reader does not see) had each column
warned of as unknown and ignored, and every child read as suitable for every setting,
without a word that the suitability was lost: a child assessed unsuitable for foster care
could be proposed a foster home. Where a suitability field has no column and an unknown
column's name names its setting, the warning says what was read and how to name it.
"""

from __future__ import annotations

from collections.abc import Callable

from sufficiency.errors import Problem
from sufficiency.io.tables import RawTable

#: Each suitability field, the word in a column's name that names its setting, and the
#: setting in words.
SETTINGS = (
    ("foster_suitability", "foster", "foster care"),
    ("residential_suitability", "residential", "residential care"),
    ("supported_suitability", "supported", "supported accommodation"),
)


def suitability_columns_unread(
    raw: RawTable, field_of: Callable[[str], str | None]
) -> list[Problem]:
    """A warning at each column the file's reading ignores (``field_of`` gives it no field)
    whose name holds the word of a suitability field the file has no column for."""
    columns = list(raw.data.columns)
    out = []
    for field, word, setting in SETTINGS:
        if any(field_of(c) == field for c in columns):
            continue
        for c in columns:
            label = raw.column_label(c)
            if field_of(c) is None and word in str(label).lower():
                out.append(Problem(
                    raw.source, None, label, None,
                    f"the file has no {field} column, so every child is read as suitable "
                    f"for {setting}; if this column gives that suitability (preferred, "
                    f"suitable or unsuitable), name it {field}",
                    severity="warning", code="suitability_column_unread",
                ))  # fmt: skip
    return out
