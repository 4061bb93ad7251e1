"""Today's date in England, whatever the server's own time zone.

A run's date (the ages, the vacancies open, the decisions in force, the folder a night
publishes into) is the date in England. ``datetime.date.today()`` is the server's
date: a container or cloud server on UTC, running a job at 00:30 in British Summer
Time, would take yesterday's.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

#: England's time zone (GMT, or BST in summer).
ENGLAND = ZoneInfo("Europe/London")


def today(now: dt.datetime | None = None) -> dt.date:
    """The date in England now (or at ``now``, a time with its zone)."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(ENGLAND).date()
