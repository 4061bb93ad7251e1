"""What every region task does around its library call on the worker: collect the
warnings it gives, and take its own copy of the member's history as read once."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sufficiency.errors import DataWarning, RepairWarning
from sufficiency.io.history import SSDA903History
from sufficiency.region.members import Member
from sufficiency.region.overlap import MemberRead
from sufficiency.region.told import once

T = TypeVar("T")


def quiet(func: Callable[[], T]) -> tuple[T, tuple[str, ...]]:
    """Run ``func``, collecting data warnings (printed by the client, once each). The
    Python API's note of a history's repairs (:class:`RepairWarning`, whose hint is a
    Python call) is left out: the region says each member's data quality itself. Any
    other warning (a library's FutureWarning, one of ours) is given again, as it was, for
    the task's :func:`~.told.told` to say on the client: it was dropped here, and a
    FutureWarning ignored."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataWarning)
        out = func()
    for w in once(caught):
        if not issubclass(w.category, DataWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    kept = [w for w in caught if not issubclass(w.category, RepairWarning)]
    seen = dict.fromkeys(str(w.message) for w in kept if issubclass(w.category, DataWarning))
    return out, tuple(seen)


def history_of(m: Member, read: MemberRead | None) -> tuple[SSDA903History | Path, tuple[str, ...]]:
    """The member's history as its read task read it (the worker's copy is every task's, so
    each task has its own), with what reading it said; else its path, to read again (a
    history that could not be read: the task says why)."""
    if read is None or read.history is None:
        return m.history, ()
    return copy.deepcopy(read.history), read.notes
