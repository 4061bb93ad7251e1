"""Loaded by every Python process started with this folder on PYTHONPATH (by
``scripts/test_later.sh``): sufficiency's today, in England, is ``$SUFFICIENCY_LATER_DAYS``
days later. Test-only: the product never puts this folder on its path."""

from __future__ import annotations

import datetime as dt
import os


def _later() -> None:
    try:
        from sufficiency import clock
    except ImportError:  # a process that does not use the package (a browser's helper, pip)
        return
    days = dt.timedelta(days=int(os.environ.get("SUFFICIENCY_LATER_DAYS", "0")))
    # the clock's own function, kept once: run again in one process (a second import of
    # this module), the days are not added twice
    real = clock.__dict__.setdefault("_real_today", clock.today)

    def today(now: dt.datetime | None = None) -> dt.date:
        return real(now) if now is not None else real() + days

    clock.today = today


_later()
