"""Blank cells a matching rule reads the permissive way: one warning per column, naming
the rows, so the team knows an answer was not given.

A home whose ``sex`` is blank is read as taking any child (the contract's "blank =
any"), and a referral whose ``alongside`` is blank as ``no_preference`` (rule 10 then
keeps the child from no home): a children's home for girls only whose cell was left
blank, or a child who must live alone whose form's question was not answered, was
matched with nothing said. The readings stay (a blank is most often the usual answer);
the warning says what was read and what to write. A file without the column says nothing
of it, as before.
"""

from __future__ import annotations

from collections.abc import Callable

from sufficiency.errors import Problem
from sufficiency.io.plain_answers import rows_warning
from sufficiency.io.tables import RawTable

#: The contract's descriptions of the two columns (docs/data-contract.md).
ALONGSIDE_SAID = (
    "Who the child can live alongside: solo, with_others, only_older, only_younger or "
    "no_preference (blank = no_preference, warned of)."
)
SEX_SAID = "any, M or F (blank = any, warned of)."
#: Per table, each column read so: what its blank is read as, and what to write.
READS = {
    "referrals": {
        "alongside": (
            "read as no_preference, so the child may be proposed to a home with other "
            "children (rule 10)",
            "write solo, only_older, only_younger, with_others or no_preference",
        ),
    },
    "placements": {
        "sex": (
            "read as any, so a boy or a girl may be proposed there (rule 5)",
            "write M, F or any",
        ),
    },
}


def blank_read(raw: RawTable, table: str, column_of: Callable[[str], str]) -> list[Problem]:
    """One warning per column of :data:`READS` with blank cells in ``raw`` (of ``table``:
    ``referrals`` or ``placements``; ``column_of``: the file's own column of a field)."""
    found: list[Problem] = []
    for name, (read, write) in READS.get(table, {}).items():
        column = column_of(name)
        if column not in raw.data.columns:
            continue
        blank = raw.data[column].astype("string").str.strip().fillna("").eq("")
        if not blank.any():
            continue
        found.append(
            rows_warning(
                raw,
                column,
                blank,
                "blank_read",
                lambda rows: f"is blank ({rows}): {read}; {write} to say",  # noqa: B023 (called at once)
            )
        )
    return found
