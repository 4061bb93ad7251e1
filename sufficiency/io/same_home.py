"""Rows of a placement register that are one home, and rows that may be.

A register merged from several lists (the in-house list, framework returns, spot offers)
can give one home on two rows: one bed offered through two frameworks, or two beds
listed as two offers. Matching then must not put a child who may live with no younger
child on one row and a younger child on the other.

- **The same home** (:func:`home_of`): children's homes and supported accommodation
  (never foster care, whose URN is the agency's) with the same Ofsted URN and the same
  postcode. Matching treats them as one home for every who-lives-alongside rule (rules
  10, 11 and 14, the current children of every row), and the register is warned of.
- **Perhaps the same home** (warned of only): rows of the same setting, provider and
  postcode with the same URN or none (a foster agency's carers, a home with no URN
  given). A postcode holds several addresses, so two carers of one agency may share one:
  each row is matched as its own home, and the team checks before placing children on two.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sufficiency.errors import Problem
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


def home_of(table: pd.DataFrame) -> np.ndarray:
    """Per row (in ``table``'s order), the position of the first row of its home: rows of
    a children's home or supported accommodation with the same Ofsted URN and the same
    postcode are one home; every other row is its own."""
    urn, postcode = _urns(table), _text(table["postcode"])
    proven = (table["setting"] != "foster").fillna(False) & urn.notna() & postcode.notna()
    out = np.arange(len(table), dtype=np.int64)
    keys = pd.DataFrame({"u": urn, "p": postcode, "i": out})[proven.to_numpy(bool)]
    first = keys.groupby(["u", "p"], sort=False)["i"].transform("min")
    out[keys["i"].to_numpy(np.int64)] = first.to_numpy(np.int64)
    return out


def maybe_home_of(table: pd.DataFrame) -> np.ndarray:
    """Per row, the position of the first of the rows it may be one home with, -1 where
    none: rows with a place to offer (a full one is never proposed), not proven one home
    (:func:`home_of`), of the same setting, provider and postcode and the same URN or none."""
    home = home_of(table)
    alone = (np.bincount(home, minlength=len(home))[home] == 1) & (
        table["vacancies"].fillna(0).to_numpy() > 0)  # fmt: skip
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
_HOME_FACTS = (("sex", "sex"), ("risk exclusions", "risk_exclusions"), ("pets", "has_pets"))


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


def same_home_problems(raw: RawTable, table: pd.DataFrame, label: str) -> list[Problem]:
    """A warning per home given on more than one row, and per set of rows that may be one
    home (see the module's description), at the first row's ``label`` (the postcode column
    as the file names it); a home whose rows give different current children is said to
    be read with all of them."""
    home = home_of(table)
    out = []
    for h in np.unique(home[np.bincount(home, minlength=len(home))[home] > 1]):
        at = np.nonzero(home == h)[0]
        first = table.index[at[0]]
        current = table["current_children"].iloc[at].fillna(0).astype(int)
        ages = table["current_ages"].iloc[at].map(lambda a: tuple(sorted(a)) if a else ())
        differ = current.nunique() > 1 or ages.nunique() > 1
        household = (
            " Their current children differ: every row is read with the most current "
            "children any row gives, the youngest and the oldest of any row's ages, and ages "
            "not known if any row does not give them all."
            if differ else ""
        )  # fmt: skip
        cells = {c: table[c].iloc[at].map(_fact) for _, c in _HOME_FACTS}
        cells["sex"] = cells["sex"].replace("blank", "any")
        facts = [name for name, c in _HOME_FACTS if cells[c].nunique() > 1]
        if facts:
            household += (
                f" The rows differ in {listed(facts)}: every row is read the stricter way (a sex "
                "any row names, none where rows name both; every risk any row excludes; "
                "pets, or not known, if any row says so)."
            )
        out.append(Problem(
            raw.source, raw.row_number(int(first)), label, None,
            f"{_rows(raw, table, at)} are one home (the same Ofsted URN and postcode): "
            "matching applies who may live alongside whom (rules 10, 11 and 14) across its "
            "rows, as in one home. Check they are separate places, not one place offered "
            f"twice: each row's vacancies are counted.{household}",
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
            "agreeing proposals on more than one of them.",
            severity="warning", code="maybe_same_home",
        ))  # fmt: skip
    return out
