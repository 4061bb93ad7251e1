"""What the nightly job says in its own log beyond its jobs' lines (kept apart from
``nightly.py``, which is at the 500-line limit).

A scheduler keeps the log file, not the console: every way a night can end must be
there with its reason, and never a child's details beyond an ID.
"""

from __future__ import annotations

from sufficiency.logs import get_logger

log = get_logger("nightly")


def logged_failure(message: str) -> str:
    """Log ``message`` (a night ended before its jobs could run: the run store, the key)
    as the night's failure; return it for the console."""
    log.error("nightly run failed: %s", message)
    return message
