"""A run's date is the date in England, not the server's (a UTC server at 00:30 BST
would take yesterday's: the ages, vacancies and decisions of the wrong day, and a night's
outputs published into the day before's folder)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sufficiency.clock import today

ROOT = Path(__file__).resolve().parent.parent


def test_the_date_is_englands_in_summer_and_winter():
    # 23:30 UTC on 30 June is 00:30 BST on 1 July
    assert today(dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)) == dt.date(2026, 7, 1)
    # in winter England keeps UTC's date
    assert today(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)) == dt.date(2026, 12, 31)
    # a time in another zone: 18:30 in New York on 30 June is 23:30 BST, still 30 June
    new_york = dt.timezone(dt.timedelta(hours=-4))
    assert today(dt.datetime(2026, 6, 30, 18, 30, tzinfo=new_york)) == dt.date(2026, 6, 30)


def test_no_code_takes_the_servers_own_date():
    """Every default run date comes from sufficiency.clock."""
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "sufficiency").rglob("*.py"))
        if path.name != "clock.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\bdate\.today\(\)|Timestamp\.(today|now)\(\)|datetime\.today\(\)", line)
    ]
    assert found == []
