"""A register row set aside for errors whose home has other rows kept.

Rows of one home (the same Ofsted URN and postcode, or one ``home_id``) each say what is
the home's, not the offer's: its children now, its pets, the risks it cannot take, the sex
it takes. Matching reads them over every row the stricter way, but a row set aside for an
error (a weekly cost of "£800pw") is not read at all: a household whose set-aside row
gave pets and a 4- and a 6-year-old was proposed, on its other row (no pets, nobody
there), for a child who may not live with pets and is a risk to younger children. The
home's other rows are now set aside with it, each saying which row, and the team corrects
that row and runs again.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.same_home import home_of
from sufficiency.io.tables import NightTable, RawTable


def with_home_rows_set_aside(raw: RawTable, table: pd.DataFrame, night: NightTable) -> NightTable:
    """``night`` (the register ``table``, every row read, split into rows kept and set
    aside) with every kept row of a home one of whose rows is set aside set aside too."""
    number = np.array([raw.row_number(int(i)) for i in table.index], np.int64)
    aside = np.isin(number, night.set_aside["row"].to_numpy(np.int64))
    if not aside.any() or aside.all():
        return night
    home = home_of(table)
    records, problems, drop = [], [], []
    for k in np.nonzero(~aside)[0].tolist():
        with_it = np.nonzero(aside & (home == home[k]))[0].tolist()
        if not with_it:
            continue
        rows = [int(number[q]) for q in with_it]
        said = " and ".join(f"row {r}" for r in rows)
        message = (
            f"a row of the same home ({said}, the same Ofsted URN and postcode or home_id) is "
            "set aside for errors, so what that row says of the home (its children now, pets, "
            "the risks it cannot take, the sex it takes) is not known: the home is not "
            f"proposed tonight. Correct {said} and run again"
        )
        ident = table["placement_id"].iat[k]
        ident = None if pd.isna(ident) else str(ident)
        records.append({"file": raw.source, "row": int(number[k]), "id": ident,
                        "problem": message})  # fmt: skip
        problems.append(Problem(raw.source, int(number[k]), None, None, message,
                                code="home_row_set_aside"))  # fmt: skip
        drop.append(int((~aside[:k]).sum()))  # its position among the rows kept
    if not drop:
        return night
    kept = night.table.drop(index=night.table.index[drop]).reset_index(drop=True)
    more = pd.DataFrame(records, columns=list(night.set_aside.columns))
    listed_aside = pd.concat([night.set_aside, more], ignore_index=True).sort_values(
        "row", kind="stable").reset_index(drop=True)  # fmt: skip
    listed_aside["id"] = listed_aside["id"].astype(object).where(listed_aside["id"].notna(), None)
    found = tuple(sorted((*night.problems, *problems), key=Problem.sort_key))
    return replace(night, table=kept, set_aside=listed_aside, problems=found)
