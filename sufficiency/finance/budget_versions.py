"""A budget with more than one version of its figure: ``Original budget`` beside ``Revised
budget`` (or ``Current budget``, ``Working budget``), as a council's budget monitoring keeps it.

Such a sheet was refused with generic sentences ("unknown column for a budget file; it
is ignored" for each, then "required column is missing"), though the budget was there.
The budget finance reports against in year is the revised one (called current, working,
latest or amended budget by other councils): that column is now read as the budget, and
a warning names it and the columns not read (the original budget, as set in February).
Only one of them given (``Original budget`` alone, ``Approved budget``) is read as the
budget, said alike. A plain ``Budget`` column is read as before, the others left as
columns not read.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sufficiency.errors import Problem
from sufficiency.io.schema import column_key
from sufficiency.io.tables import RawTable

#: The versions, most current first: finance monitors against the first one given.
ORDER = ("revised", "current", "working", "latest", "amended", "approved", "original", "base")
_WORDS = "|".join(ORDER)
#: ``Revised budget``, ``Budget (revised)``, ``Current net budget £k``, ``Original budget £``:
#: the version, then what the budget's heading may say besides (``_gbp``, ``_k``, ``_000``).
VERSION = re.compile(
    rf"(?:(?P<pre>{_WORDS})_(?:net_)?budget|(?:net_)?budget_(?P<post>{_WORDS}))"
    r"(?P<rest>(?:_gbp)?(?:_(?:k|000s?|0_000s?|thousands?))?(?:_gbp)?)"
)
#: A budget's own heading, any version aside: read as the budget, the versions left alone.
_PLAIN = re.compile(r"budget(?:_gbp)?(?:_(?:k|000s?|0_000s?|thousands?))?(?:_gbp)?")


def revised_budget(raw: RawTable) -> tuple[RawTable, list[Problem]]:
    """``raw`` with its most current budget version's column read as the budget (renamed
    ``budget`` or ``budget_k``, keeping its heading as the file writes it) and the other
    versions' columns left out, and a warning naming each; ``raw`` as it is when it has a
    plain budget column or no version of one."""
    keys = {c: column_key(str(c)) for c in raw.data.columns}
    if any(_PLAIN.fullmatch(k) for k in keys.values()):
        return raw, []
    found = {c: VERSION.fullmatch(k) for c, k in keys.items()}
    versions = {c: m for c, m in found.items() if m is not None}
    if not versions:
        return raw, []
    rank = {c: ORDER.index(m["pre"] or m["post"]) for c, m in versions.items()}
    chosen = min(versions, key=lambda c: (rank[c], list(raw.data.columns).index(c)))
    label = raw.column_label(str(chosen))
    others = [c for c in versions if c != chosen]
    named = " and ".join(repr(raw.column_label(str(c))) for c in others)
    name = "budget" + versions[chosen]["rest"]
    data = raw.data.drop(columns=others).rename(columns={chosen: name})
    columns = {k: v for k, v in raw.original_columns.items() if k not in others and k != chosen}
    raw = replace(raw, data=data, original_columns={**columns, name: label})
    if others:
        why = (
            "the one finance reports against in year"
            if rank[chosen] < ORDER.index("approved")
            else "the latest it gives"
        )
        said = f"gives more than one budget: read {label!r} as the budget, {why}; {named} not read"
    else:
        said = f"gives one budget, {label!r}: read as the budget"
    return raw, [Problem(raw.source, None, None, None, said, severity="warning",
                         code="budget_versions")]  # fmt: skip


def budget_heading(key: str) -> bool:
    """Whether ``key`` (a :func:`column_key`) heads the budget's figure: ``budget``,
    ``budget_gbp`` or a version of it (``revised_budget``, ``current_budget_k``)."""
    return key in ("budget_gbp", "budget") or VERSION.fullmatch(key) is not None
