"""Rows of a placement register that are one home, and rows that may be.

A register merged from several lists (the in-house list, framework returns, spot offers)
can give one home on two rows: one bed offered through two frameworks, or two beds
listed as two offers. Matching then must not put a child who may live with no younger
child on one row and a younger child on the other.

- **The same home** (:func:`home_of`): children's homes and supported accommodation
  (never foster care, whose URN is the agency's) with the same Ofsted URN and the same
  postcode. Matching treats them as one home for every who-lives-alongside rule (rules
  10, 11 and 14, the current children of every row), and the register is warned of.
  Rows the team gives one ``home_id`` (a foster household on two rows, say) are one home
  the same way, in any setting; a home_id whose rows give different postcodes or settings
  is warned of. Matching also proposes the home at most its places across its rows (the
  most vacancies of any one row, or its ``home_places``), three in all for a foster
  household (:mod:`sufficiency.matching.homes`).
- **A row repeated** (:mod:`sufficiency.io.repeated_rows`): rows with no ``home_id`` that
  repeat one another in every cell but the ID are given one ``home_id`` as the register
  is read, so they are one home as above, and the warning says why.
- **Perhaps the same home** (warned of only): rows with no ``home_id`` of the same
  setting, provider and postcode with the same URN or none (a foster agency's carers, a
  home with no URN given). A postcode holds several addresses, so two carers of one
  agency may share one: each row is matched as its own home, and the team checks before
  placing children on two (or says which they are with ``home_id``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.repeated_rows import is_repeat
from sufficiency.io.tables import RawTable
from sufficiency.vocabulary import listed


def _text(column: pd.Series) -> pd.Series:
    """Each value upper-cased with no spaces, blank as missing."""
    out = column.astype("string").str.upper().str.replace(r"\s+", "", regex=True)
    return out.mask(out == "")


def _urns(table: pd.DataFrame) -> pd.Series:
    if "urn" not in table.columns:
        return pd.Series(pd.NA, index=table.index, dtype="string")
    return _text(table["urn"])


def _home_ids(table: pd.DataFrame) -> pd.Series:
    """The team's ``home_id`` per row (case and spaces aside), missing where not given."""
    if "home_id" not in table.columns:
        return pd.Series(pd.NA, index=table.index, dtype="string")
    return _text(table["home_id"])


def _by_urn(table: pd.DataFrame) -> pd.Series:
    """Per row, its home's Ofsted URN and postcode as one key, missing for a foster row or
    a row without both (a fostering agency's URN is the agency's)."""
    urn, postcode = _urns(table), _text(table["postcode"])
    proven = (table["setting"] != "foster").fillna(False) & urn.notna() & postcode.notna()
    return (urn + "|" + postcode).where(proven.to_numpy(bool))


def home_of(table: pd.DataFrame) -> np.ndarray:
    """Per row (in ``table``'s order), the position of the first row of its home: rows of
    a children's home or supported accommodation with the same Ofsted URN and the same
    postcode are one home, and so are rows the team gives one ``home_id`` (with the rows
    either links them to); every other row is its own."""
    out = np.arange(len(table), dtype=np.int64)
    keys = [k.to_numpy(object) for k in (_by_urn(table), _home_ids(table))]
    while True:  # each row takes the first row of any row it shares a key with, until none moves
        before = out.copy()
        for key in keys:
            at = np.nonzero(pd.notna(key))[0]
            out[at] = pd.Series(out[at]).groupby(key[at]).transform("min").to_numpy(np.int64)
        if (out == before).all():
            return out


def maybe_home_of(table: pd.DataFrame) -> np.ndarray:
    """Per row, the position of the first of the rows it may be one home with, -1 where
    none: rows with a place to offer (a full one is never proposed), not proven one home
    (:func:`home_of`) nor given a ``home_id`` by the team, of the same setting, provider
    and postcode and the same URN or none."""
    home = home_of(table)
    alone = (np.bincount(home, minlength=len(home))[home] == 1) & (
        table["vacancies"].fillna(0).to_numpy() > 0)  # fmt: skip
    alone &= _home_ids(table).isna().to_numpy(bool)  # the team has said which home it is
    keys = pd.DataFrame({
        "s": table["setting"].astype("string"), "v": table["provider"].astype("string"),
        "p": _text(table["postcode"]), "u": _urns(table).fillna(""), "i": np.arange(len(table)),
    })[alone].dropna(subset=["s", "v", "p"])  # fmt: skip
    out = np.full(len(table), -1, np.int64)
    rows = keys.groupby(["s", "v", "p", "u"], sort=False)["i"]
    many = rows.transform("size").to_numpy() > 1
    out[keys["i"].to_numpy(np.int64)[many]] = rows.transform("min").to_numpy(np.int64)[many]
    return out


#: Facts of a home rather than of an offer, read across its rows, as the warning names them.
_HOME_FACTS = (("sex", "sex"), ("risk exclusions", "risk_exclusions"), ("pets", "has_pets"),
               ("Ofsted rating", "ofsted_rating"), ("adapted", "adapted"),
               ("communication", "communication"))  # fmt: skip


def _fact(value: object) -> str:
    """A cell of :data:`_HOME_FACTS` as comparable text (a blank as the word blank)."""
    if isinstance(value, tuple | list):
        return ";".join(sorted(str(v) for v in value))
    return "blank" if pd.isna(value) else str(value)  # type: ignore[call-overload]


def _rows(raw: RawTable, table: pd.DataFrame, positions: np.ndarray) -> str:
    """``rows 3 and 7 (RH-A, RH-B)``: row numbers and placement IDs."""
    idx = table.index[positions]
    numbers = listed([str(raw.row_number(int(i))) for i in idx])
    ids = ", ".join(str(table.at[i, "placement_id"]) for i in idx)
    return f"rows {numbers} ({ids})"


def _why_one(table: pd.DataFrame, at: np.ndarray, home_label: str) -> str:
    """Why the rows at ``at`` are one home: ``the same Ofsted URN and postcode``, ``the
    same home_id`` (``home_label``, the column as the file names it), or both; rows that
    repeat one another (:mod:`sufficiency.io.repeated_rows`) say so."""
    if "home_id" in table.columns and is_repeat(table["home_id"].iloc[at]):
        return (
            f"every cell but the placement ID the same: one home given twice, read as one; "
            f"if they are different homes, give them different {home_label}s"
        )
    said = [
        why for why, key in (("the same Ofsted URN and postcode", _by_urn(table)),
                             (f"the same {home_label}", _home_ids(table)))
        if key.iloc[at].notna().all() and key.iloc[at].nunique() == 1
    ]  # fmt: skip
    return " and ".join(said) or f"the same Ofsted URN and postcode or {home_label}, row to row"


def _home_id_differs(raw: RawTable, table: pd.DataFrame, home_label: str) -> list[Problem]:
    """A warning per ``home_id`` whose rows give different postcodes or settings (the
    rows by number and placement ID; the home_id itself is not repeated)."""
    ids, out = _home_ids(table), []
    facts = {"postcodes": _text(table["postcode"]), "settings": table["setting"]}
    for _, rows in pd.Series(np.arange(len(table))).groupby(ids.to_numpy(object)):
        at = rows.to_numpy(np.int64)
        differ = [name for name, col in facts.items() if col.iloc[at].nunique() > 1]
        settings = set(table["setting"].iloc[at].dropna().astype(str))
        limit = (
            " A foster household is held to the usual fostering limit of three and a "
            "children's home to its registered places: with a foster row among them, every "
            "row is held to the limit of three across its rows (children there now and "
            "proposed, siblings alone excepted), the stricter reading."
            if "foster" in settings and len(settings) > 1
            else ""
        )
        if len(at) > 1 and differ:
            out.append(Problem(
                raw.source, raw.row_number(int(table.index[at[0]])), home_label, None,
                f"{_rows(raw, table, at)} have one {home_label} but give different "
                f"{listed(differ)}: they are matched as one home (who may live alongside "
                f"whom across its rows).{limit} Check the {home_label} or the "
                f"{listed(differ)}.",
                severity="warning", code="home_id_differs",
            ))  # fmt: skip
    return out


def same_home_problems(
    raw: RawTable, table: pd.DataFrame, label: str, home_label: str = "home_id"
) -> list[Problem]:
    """A warning per home given on more than one row, and per set of rows that may be one
    home (see the module's description), at the first row's ``label`` (the postcode column
    as the file names it); a home whose rows give different current children is said to
    be read with all of them. ``home_label`` is the home_id column as the file names it."""
    home = home_of(table)
    out = _home_id_differs(raw, table, home_label)
    for h in np.unique(home[np.bincount(home, minlength=len(home))[home] > 1]):
        at = np.nonzero(home == h)[0]
        first = table.index[at[0]]
        current = table["current_children"].iloc[at].fillna(0).astype(int)
        ages = table["current_ages"].iloc[at].map(lambda a: tuple(sorted(a)) if a else ())
        differ = current.nunique() > 1 or ages.nunique() > 1
        household = (
            " Their current children differ: every row is read with the most current "
            "children any row gives, or the more children their ages show together (a 4 on "
            "one row and a 15 on another are two children), the youngest and the oldest of "
            "any row's ages, and ages not known if any row does not give them all."
            if differ else ""
        )  # fmt: skip
        cells = {c: table[c].iloc[at].map(_fact).str.lower() for _, c in _HOME_FACTS
                 if c in table}  # fmt: skip
        cells["sex"] = cells["sex"].replace("blank", "any")
        facts = [name for name, c in _HOME_FACTS if c in cells and cells[c].nunique() > 1]
        if facts:
            household += (
                f" The rows differ in {listed(facts)}: every row is read the stricter way (a sex "
                "any row names, none where rows name both; every risk any row excludes; "
                "pets, or not known, if any row says so; inadequate if any row's Ofsted "
                "rating says so; adapted only if every row says so; a communication need "
                "supported only if every row supports it)."
            )
        household += _places_differ(table, at)
        why = _why_one(table, at, home_label)
        by_urn = why.startswith(("the same Ofsted URN and postcode", "every cell"))
        out.append(Problem(
            raw.source, raw.row_number(int(first)), label if by_urn else home_label, None,
            f"{_rows(raw, table, at)} are one home ({why}): "
            "matching applies who may live alongside whom (rules 10, 11 and 14) across its "
            "rows, as in one home, and proposes it no more children across its rows than the "
            "most vacancies any one row gives (one place offered twice), or its home_places "
            f"where given: give home_places if its rows are separate beds.{household}",
            severity="warning", code="same_home",
        ))  # fmt: skip
    maybe = maybe_home_of(table)
    for m in np.unique(maybe[maybe >= 0]):
        at = np.nonzero(maybe == m)[0]
        foster = str(table["setting"].iloc[at[0]]) == "foster"
        why = (
            "foster carers of one provider at one postcode (a fostering agency's URN is the "
            "agency's, so it does not tell households apart)"
            if foster
            else "the same setting, provider and postcode with no Ofsted URN to tell them apart"
        )
        out.append(Problem(
            raw.source, raw.row_number(int(table.index[at[0]])), label, None,
            f"{_rows(raw, table, at)} may be one home: {why}. Each row is matched as its own "
            "home, so children proposed on different rows may in fact live together against "
            "the who-lives-alongside rules, and one place may be offered twice: check before "
            f"agreeing proposals on more than one of them, or give them a {home_label} (the "
            "same on rows of one home or household, different on different ones) to have "
            "them matched as they are.",
            severity="warning", code="maybe_same_home",
        ))  # fmt: skip
    return out


def _places_differ(table: pd.DataFrame, at: np.ndarray) -> str:
    """A sentence when the rows of one home give different ``home_places``: matching takes
    the least of them (never proposing more children than any row says the home takes)."""
    if "home_places" not in table.columns:
        return ""
    given = pd.to_numeric(table["home_places"].iloc[at], errors="coerce").dropna()
    figures = sorted({int(v) for v in given})
    if len(figures) < 2:
        return ""
    return (
        f" Its rows give different home_places ({listed([str(f) for f in figures])}): the "
        f"least, {figures[0]}, is used; give one figure on every row."
    )
