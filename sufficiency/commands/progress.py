"""One progress reporter for every long command, on standard error only.

When standard error is a terminal, a transient rich display shows the current stage
with a spinner and its elapsed time, and, where a count is known (simulated months),
a bar with the count. Otherwise (a scheduler, a pipe, a log file) each stage is one
line, ``[m:ss] <stage>``, with the time since the command started, and counts print
nothing. Standard output is never touched: it keeps the command's results.

The library reports through plain callbacks (see :mod:`sufficiency.api`): a
:class:`Progress` is the ``Callable[[str], None]`` told each stage as it starts, and
:meth:`Progress.months` gives the ``Callable[[int], None]`` told each simulated month.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID


class Progress:
    """Stage lines (or a terminal display) on ``stream`` (default: standard error).

    Use as a context manager around the work; call it with each stage's name as the
    stage starts. Outside the ``with`` block, stages still print as lines.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._started = time.perf_counter()
        self._lock = threading.Lock()
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None

    @property
    def stream(self) -> TextIO | None:
        """Where the progress goes (standard error as it is now, unless given); ``None``
        when the command was started with standard error closed (``2>&-``)."""
        return self._stream if self._stream is not None else sys.stderr

    def __enter__(self) -> Progress:
        self._started = time.perf_counter()
        if self.stream is not None and _isatty(self.stream):
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import Progress as RichProgress

            console = Console(file=self.stream, force_terminal=True)
            self._bar = RichProgress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                TextColumn("{task.fields[count]}"), TimeElapsedColumn(),
                console=console, transient=True,
            )  # fmt: skip
            self._bar.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        with self._lock:
            if self._bar is not None:
                self._bar.stop()
            self._bar = self._task = None

    def __call__(self, stage: str) -> None:
        """A stage starts: a new line, or the display's current stage."""
        with self._lock:
            if self._bar is None:
                if (stream := self.stream) is None:
                    return  # no standard error: was an AttributeError, the run failing
                minutes, seconds = divmod(int(time.perf_counter() - self._started), 60)
                stream.write(f"[{minutes}:{seconds:02d}] {stage}\n")
                stream.flush()
                return
            if self._task is not None:
                self._bar.remove_task(self._task)
            self._task = self._bar.add_task(stage, total=None, count="")

    def months(self, total: int) -> Callable[[int], None]:
        """The callback told each simulated month (1 to ``total``) of the current stage:
        a bar with the count on a terminal, nothing otherwise."""

        def tick(month: int) -> None:
            with self._lock:
                if self._bar is not None and self._task is not None:
                    self._bar.update(self._task, total=total, completed=month,
                                     count=f"{month}/{total} months")  # fmt: skip

        return tick


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or not a real stream
        return False
