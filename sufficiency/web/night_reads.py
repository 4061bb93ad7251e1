"""Whether the nightly run can read an upload, and whether it would read any row of it.

An upload whose errors are all in rows is offered "Accept and use it": the night sets
those rows aside and reads the rest. A referrals file with every row in error (each date
of birth saved by Excel in a form the night does not read, say) was offered the same,
"set aside the 12000 row(s) ... and read the rest", though there was no rest: accepted,
the night would have matched no child. Such a file is refused, saying so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path


def night_reads(
    kind: str, target: Path, run_date: dt.date, responsible_la: str
) -> tuple[bool, str]:
    """Whether the nightly run's reader of ``kind`` reads ``target``, setting aside the
    rows with errors (a file missing a required column, or not well formed, cannot be
    read at all), and, when it would read no row because every row has an error, the
    sentence saying so ("" otherwise)."""
    from sufficiency.errors import SufficiencyError
    from sufficiency.io.inputs import read_placements_for_night, read_referrals_for_night
    from sufficiency.io.ssda903 import read_history

    try:
        if kind == "history":
            read_history(target)
            return True, ""
        if kind == "referrals":
            night = read_referrals_for_night(target, default_responsible_la=responsible_la,
                                             run_date=run_date)  # fmt: skip
        else:
            night = read_placements_for_night(target)
    except SufficiencyError:
        return False, ""
    if len(night.table) == 0 and len(night.set_aside) > 0:
        rows = len(night.set_aside)
        return False, (f"every one of its {rows:,} rows has an error (listed by row and "
                       "column), so the nightly run would read none of them: correct them "
                       "and upload it again")  # fmt: skip
    return True, ""
