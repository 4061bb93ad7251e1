"""The returns' uasc tables, as the history carries them: who was unaccompanied, until when.

Each return's uasc table lists the unaccompanied asylum-seeking children (UASC) it
holds, with ``DUC``, the date the child ceased or will cease to be UASC (usually the
18th birthday). The reader checked its dates of birth (:mod:`.uasc_dob`) and dropped it,
so the forecast, which has no UASC marker, could not even say how many there were.

A row's ``CHILD`` is matched to the header's as the header's numeric forms are read
(``00123`` and ``123.0`` are child 123, :func:`~.reconcile.numeric_key`); a row naming no
child in the history is left out (a child renumbered between returns is found under the
latest return's identifier only when that return's uasc table names it). One row a
child: the latest return's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from sufficiency.io.dates import read_dates
from sufficiency.io.ssda903_scan import Return
from sufficiency.io.ssda903_xml import DFE_TABLES

COLUMNS = (*DFE_TABLES["uasc"], "collection_year")


def uasc_table(
    returns: Sequence[Return],
    header: pd.DataFrame,
    numeric_key: Callable[[pd.Series], pd.Series],
) -> pd.DataFrame:
    """The children of ``header`` (the history's, reconciled) in ``returns``' uasc
    tables: ``CHILD`` as the header has it, ``SEX`` and ``DOB`` from the header, ``DUC``
    parsed (``NaT`` when blank or unreadable) and the return's ``collection_year``;
    ``numeric_key`` reads an identifier's numeric form (the reconciler's)."""
    ids = header["CHILD"].astype("string")
    by_key = pd.Series(ids.to_numpy(), index=numeric_key(ids).fillna(ids).to_numpy())
    by_key = by_key[~by_key.index.duplicated()]
    parts = []
    for r in returns:
        for t in r.tables.get("uasc", ()):
            data = t.raw.data
            if "child" not in data.columns:
                continue
            child = data["child"].astype("string").str.strip()
            key = numeric_key(child).fillna(child)
            found = pd.Series(by_key.reindex(key.to_numpy()).to_numpy(), index=data.index)
            duc = (
                read_dates(data["duc"])
                if "duc" in data.columns
                else pd.Series(pd.NaT, index=data.index)
            )
            part = pd.DataFrame({"CHILD": found, "DUC": duc, "collection_year": r.year})
            parts.append(part[found.notna()])
    if not parts:
        return pd.DataFrame(columns=list(COLUMNS))
    rows = pd.concat(parts, ignore_index=True).drop_duplicates("CHILD", keep="last")
    head = header.drop_duplicates("CHILD").set_index("CHILD")
    rows["SEX"] = head["SEX"].reindex(rows["CHILD"]).to_numpy()
    rows["DOB"] = head["DOB"].reindex(rows["CHILD"]).to_numpy()
    rows["CHILD"] = rows["CHILD"].astype("string")
    return rows[list(COLUMNS)].sort_values("CHILD").reset_index(drop=True)
