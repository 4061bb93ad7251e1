"""Whether a member's ONS code is an English council that looks after children, and the one
its name says.

A members file written by hand takes its codes from a list, and the list may be the wrong
one: a district council's code (Bromsgrove's ``E07000234`` for Worcestershire's
``E10000034``: districts have no children looked after, their county does), a region's
(``E12000005``, the West Midlands), or a code from before April 2023 (North Yorkshire's
``E10000023``, now ``E06000065``). A row copied for the next member with its name changed
and not its code gives a code of one council under another's name. Each is refused with
the code to give, from the authorities lookup the package installs
(:mod:`sufficiency.geo`).

Codes the lookup does not know are not refused when they are of a council's kind (``E06``,
``E08``, ``E09``, ``E10``): a council created since the lookup's year has one. Nor is
``E99``, which ONS gives no area and the package's synthetic regions use for fictional
authorities.
"""

from __future__ import annotations

import pandas as pd

from sufficiency.geo import (
    SUPERSEDED_CODES,
    authority_name,
    code_for_name,
    council_name,
    known_upper_tier_codes,
    upper_tier_authority,
)

#: The kinds of English ONS code a council with children's services has (unitary,
#: metropolitan district, London borough, county), and the fictional ``E99``.
COUNCIL_KINDS = ("E06", "E08", "E09", "E10", "E99")


def upper_tier_of(code: str) -> str | None:
    """The county or unitary council responsible for ``code``'s area, if the lookup knows."""
    upper = upper_tier_authority(pd.Series([code], dtype="string")).iloc[0]
    return None if pd.isna(upper) else str(upper)


def _named(code: str) -> str:
    return f"{code} ({council_name(code)})"


def code_problem(code: str, name: object) -> str | None:
    """Why ``code`` (an English ONS code, in capitals) cannot be the member ``name``'s, in
    words saying what to give; ``None`` when it can."""
    if code in SUPERSEDED_CODES:
        now = " or ".join(_named(c) for c in SUPERSEDED_CODES[code])
        return (
            f"'{code}' is {authority_name(code)}'s code before April 2023, which no council "
            f"has now: give {now}"
        )
    upper = upper_tier_of(code)
    if upper is not None and upper != code:
        now = " or ".join(_named(c) for c in SUPERSEDED_CODES.get(upper, (upper,)))
        return (
            f"'{code}' is the code of {authority_name(code)}, a district council: children "
            f"there are looked after by {now}; give that code"
        )
    if not code.startswith(COUNCIL_KINDS):
        return (
            f"'{code}' is not the code of an English council that looks after children (their "
            "codes begin E06, E08, E09 or E10, such as E10000034 for Worcestershire)"
        )
    if code not in known_upper_tier_codes() or not isinstance(name, str):
        return None
    other = code_for_name(name)
    if other is None:
        return None
    tier = upper_tier_of(other) or other
    if code == tier or code in SUPERSEDED_CODES.get(tier, ()):
        return None
    now = " or ".join(_named(c) for c in SUPERSEDED_CODES.get(tier, (tier,)))
    return (
        f"'{code}' is {council_name(code)}'s, but the member is named '{name}', whose code is "
        f"{now} (a row copied for the next member, its code not changed?): give the code "
        "and name of one council"
    )
