"""Ctrl-C held over a publish: pressed there, it stops the run once the publish is whole.

A run publishes its folders and then writes the report of them; stopped between the two,
its folders would stand with no report (or an earlier run's). :func:`held` holds Ctrl-C
over a publish: pressed there, it is noted, and :class:`KeyboardInterrupt` is raised when
the hold ends. Inside :func:`outlasting`, a hold begun lasts until the ``outlasting``
block ends, so a command can hold Ctrl-C from its library's publish to its own report.

Only the main thread can hold (Python runs signal handlers there); elsewhere these do
nothing.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any


class _Hold:
    """Whether Ctrl-C is held now, whether it was pressed meanwhile, and the handler to
    restore."""

    active = False
    pressed = False
    gates = 0
    previous: Any = None


def _note(_signum: int, _frame: FrameType | None) -> None:
    _Hold.pressed = True


def _begin() -> None:
    if _Hold.active or threading.current_thread() is not threading.main_thread():
        return
    _Hold.previous = signal.getsignal(signal.SIGINT)
    _Hold.pressed = False
    signal.signal(signal.SIGINT, _note)
    _Hold.active = True


def _release(*, raising: bool) -> None:
    if not _Hold.active:
        return
    signal.signal(signal.SIGINT, _Hold.previous)
    _Hold.active = False
    pressed, _Hold.pressed = _Hold.pressed, False
    if pressed and raising:
        raise KeyboardInterrupt


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Hold Ctrl-C over the block (and, inside :func:`outlasting`, until it ends)."""
    _begin()
    try:
        yield
    except BaseException:
        if _Hold.gates == 0:
            _release(raising=False)  # the block's own error is the one to see
        raise
    if _Hold.gates == 0:
        _release(raising=True)


@contextlib.contextmanager
def outlasting() -> Iterator[None]:
    """A hold begun in the block (by :func:`held`) lasts until the block ends."""
    _Hold.gates += 1
    try:
        yield
    except BaseException:
        _Hold.gates -= 1
        if _Hold.gates == 0:
            _release(raising=False)
        raise
    _Hold.gates -= 1
    if _Hold.gates == 0:
        _release(raising=True)
