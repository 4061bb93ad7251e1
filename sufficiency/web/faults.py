"""A fault in the program during a background job (a re-run of matching, a scenario run):
said on its page in words, logged without the exception's message.

The pages said "unexpected failure (KeyError)" and "The run failed unexpectedly
(IndexError)": a name from the program's inside that tells a placement worker or a
commissioner nothing, not even whether their inputs or scenario were at fault. A scenario
run's fault was logged with ``log.exception``, whose message may quote an input's values
(a 903 row's date of birth); the re-run already logged where it failed, not the message.
"""

from __future__ import annotations

import logging
import traceback


def said(what: str) -> str:
    """The page's sentence for a fault while running ``what`` ("the scenario")."""
    return (f"it stopped on a fault in the program, not in {what}; the server's log has the "
            "details for your administrator")  # fmt: skip


def log_fault(log: logging.Logger, doing: str, exc: BaseException) -> None:
    """Log the fault's kind and where it happened, never its message (it may quote an
    input's values, about a child)."""
    where = "".join(traceback.format_tb(exc.__traceback__))
    log.error("%s: a fault in the program (%s) at\n%s", doing, type(exc).__name__, where)
