"""A register row that repeats another in every cell but its ``placement_id``.

A register typed by hand, or merged from lists, can give one home twice: a row copied
and given a new ID, or one offer pasted from two lists. Before December 7, 2026 such a
pair of foster rows (no ``home_id``, so only "may be one home", warned of) was matched as
two homes: a 13-year-old who is a risk of sexual harm to younger children was proposed on
one row and a 5-year-old on the other, the same home, in a plan called optimal, and
neither proposal said so. Two households do not share every fact (postcode, provider,
fee, ages taken, the children living there and their ages, the risks excluded, pets):
such rows, as the register is read, are now one home (given one ``home_id``, so
:func:`sufficiency.io.same_home.home_of` joins them), held to who may live alongside whom
across them and offered no more children across them than the most ``vacancies`` any one
of them gives, and the register's warning says so and how to say they are two homes
(different ``home_id``s).
"""

from __future__ import annotations

import pandas as pd

#: What a repeated row's ``home_id`` starts with, before its first row's placement ID.
REPEAT_MARK = "\u27f2repeats:"

#: Columns that do not say which home a row is: its own ID, and the team's ``home_id``
#: (rows the team names are read by it; a repeat is only looked for where none is given).
NOT_THE_HOME = ("placement_id", "home_id")

#: Plain cells two rows must share to repeat each other, compared first (as text).
CHEAP = ("setting", "provider", "postcode", "weekly_cost", "age_min", "age_max")


def _cell(value: object) -> str:
    """A typed cell as comparable text: a list of codes or ages sorted, a blank as ``""``."""
    if isinstance(value, tuple | list):
        return ";".join(sorted(str(v) for v in value))
    return "" if pd.isna(value) else str(value).strip().upper()  # type: ignore[call-overload]


def repeated_key(table: pd.DataFrame) -> pd.Series:
    """Per row, its cells but the ID as one key, where another row with a place to offer
    and no ``home_id`` repeats it exactly; missing elsewhere (a row unlike any other, a row
    with no place, which is never proposed, or one the team gives a ``home_id``)."""
    if len(table) < 2 or "vacancies" not in table.columns:
        return pd.Series(pd.NA, index=table.index, dtype=object)
    eligible = pd.to_numeric(table["vacancies"], errors="coerce").fillna(0) > 0
    if "home_id" in table.columns:
        given = table["home_id"].astype("string").str.strip().fillna("")
        eligible &= given == ""
    # only rows alike in a few plain cells can repeat each other: the whole row's key, a
    # Python call per cell, is made for those alone (100,000 rows took about 3 s)
    cheap = [c for c in CHEAP if c in table.columns]
    plain = table[cheap].astype("string").apply(lambda c: c.str.strip().str.upper())
    alike = plain[eligible.to_numpy(bool)].duplicated(keep=False)
    rows = alike.index[alike.to_numpy(bool)]
    key = pd.Series(pd.NA, index=table.index, dtype=object)
    if len(rows):
        cols = [c for c in table.columns if c not in NOT_THE_HOME]
        key.loc[rows] = table.loc[rows, cols].apply(
            lambda row: "\x1f".join(_cell(v) for v in row), axis=1
        )
    many = key.map(key.value_counts()).fillna(0) > 1
    return key.where(many.to_numpy(bool)).astype(object)


def mark_repeats(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (the register as read) with the rows that repeat one another given one
    ``home_id``: :data:`REPEAT_MARK` and the first such row's ``placement_id``."""
    key = repeated_key(table)
    if key.isna().all():
        return table
    out = table.copy()
    first = out["placement_id"].astype(str).groupby(key.to_numpy(object)).transform("first")
    ids = out["home_id"] if "home_id" in out.columns else pd.Series(pd.NA, index=out.index)
    out["home_id"] = ids.astype(object).where(key.isna(), REPEAT_MARK + first)
    return out


def is_repeat(home_ids: pd.Series) -> bool:
    """Whether every one of ``home_ids`` (one home's rows) was given by :func:`mark_repeats`."""
    return bool(home_ids.astype("string").str.startswith(REPEAT_MARK).fillna(False).all())
