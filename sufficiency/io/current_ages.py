"""A register's ``current_ages`` giving an age no one living in a placement can be.

Matching reads each age as a child living there now, older or younger than the child
proposed (who may live alongside whom, harm to younger children). A young person may
stay on with former foster carers until 21 (Staying Put, Children Act 1989 s23CZA), and
supported accommodation may house care leavers up to 25 beside 16-17 year olds, so an age
over 20 (over 25 in supported accommodation) is no one living there: most likely two ages
run together ("25" for 2;5) or a carer's own age. Read as written, a 25 in a children's
home let a child who is a risk of sexual harm be proposed where a 2-year-old and a
5-year-old may live; the row is now set aside with a sentence, as a negative age is.
"""

from __future__ import annotations

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.tables import RawTable
from sufficiency.vocabulary import counted

#: The oldest age of a young person living in a placement (Staying Put ends at 21),
#: and in supported accommodation (care leavers up to 25).
OLDEST, OLDEST_SUPPORTED = 20, 25


def too_old(
    raw: RawTable, index: object, text: str, ages: tuple[int, ...], setting: object
) -> Problem | None:  # fmt: skip
    """The error of a ``current_ages`` cell (``text``, read as ``ages``) at row ``index``
    of a placement of ``setting`` giving an age over :data:`OLDEST` (over
    :data:`OLDEST_SUPPORTED` in supported accommodation); ``None`` when none is."""
    supported = setting == "supported"
    oldest = OLDEST_SUPPORTED if supported else OLDEST
    over = [a for a in ages if a > oldest]
    if not over:
        return None
    where = "supported accommodation" if supported else "a foster home or children's home"
    return raw.problem(
        index, "current_ages", str(text),
        f"gives an age of {over[0]}: no one living in {where} is over {oldest}. Two ages "
        "run together (25 for 2;5)? Give each child's whole-year age, separated by ;",
    )  # fmt: skip


def fewer_ages(
    raw: RawTable, index: object, text: str, ages: tuple[int, ...], current: object
) -> Problem | None:  # fmt: skip
    """A warning where a ``current_ages`` cell lists some but fewer ages than the row's
    ``current_children``: matching reads the home's children's ages as not known (the
    safer reading), which keeps children with rules 10, 11 or 14 from it, and says so."""
    if not ages or pd.isna(current) or len(ages) >= int(current):  # type: ignore[call-overload]
        return None
    return raw.problem(
        index, "current_ages", str(text),
        f"lists {counted(len(ages), 'age')} for {int(current)} "  # type: ignore[call-overload]
        "current children: the others' ages are not known, so matching reads the home's "
        "children's ages as not known and proposes there no child who may live only with "
        "older or younger children or is a risk to younger ones (rules 10, 11 and 14). Give "
        "every child's age.",
        severity="warning", code="ages_not_all_given",
    )  # fmt: skip


def age_problems(
    raw: RawTable, index: object, text: str, ages: tuple[int, ...], row: pd.Series
) -> list[Problem]:  # fmt: skip
    """:func:`too_old` and :func:`fewer_ages` of register row ``row`` at ``index``."""
    found = (too_old(raw, index, text, ages, row["setting"]),
             fewer_ages(raw, index, text, ages, row["current_children"]))  # fmt: skip
    return [p for p in found if p is not None]
