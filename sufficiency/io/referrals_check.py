"""Referrals as ``validate`` checks them: every problem :func:`load_referrals` finds, and
the warning tonight's run gives at a referral set aside for errors whose sibling group is
matched without it (:mod:`sufficiency.io.siblings_aside`). Before, ``validate`` listed the
set-aside row for its error alone, and the team fixing the file the evening before did
not read that the row's brothers and sisters would be matched without the child.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from sufficiency.errors import InputDataError, Problem
from sufficiency.io.inputs import REFERRALS, _load_referrals, mapping_key_for
from sufficiency.io.siblings_aside import sibling_warnings
from sufficiency.io.tables import split_rows


def check_referrals(
    path: Path | str,
    *,
    default_responsible_la: str,
    run_date: dt.date | None = None,
    harm_animals_excludes_pets: bool = True,
) -> tuple[pd.DataFrame, list[Problem]]:
    """:func:`sufficiency.io.inputs.load_referrals`, with a warning per referral row that
    tonight's run would set aside while its siblings are matched (none where the whole
    file would be refused: then no child is matched)."""
    raw, table, problems = _load_referrals(
        path, default_responsible_la, run_date, harm_animals_excludes_pets
    )
    try:
        night = split_rows(raw, table, problems, "child_id", strict=False)
    except InputDataError:
        return table.reset_index(drop=True), problems
    label = raw.column_label(mapping_key_for(raw, REFERRALS, "sibling_group"))
    found = sibling_warnings(raw, table, night, label)
    return table.reset_index(drop=True), [*problems, *found]
