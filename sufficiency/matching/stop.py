"""When a stage of the matching solve must stop: a :class:`Deadline` passed down.

As PyVRP hands its search a stopping criterion (``pyvrp/stop/``), :func:`.solve` builds
one deadline from the run's start and time limit and hands each stage its part of it:
the solver's part of the whole limit, column generation's share of what remains, and
pricing's and the proof's shares of column generation's part.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

#: Seconds a solver call is always given, however late: a MIP stopped at once returns no
#: plan, while half a second lets it return the one it has.
MIN_SOLVER_SECONDS = 0.5


@dataclass(frozen=True)
class Deadline:
    """A span of ``seconds`` from ``start`` (a ``time.perf_counter()`` reading).

    Attributes
    ----------
    start
        When the span began.
    seconds
        How long it lasts (never negative).
    """

    start: float
    seconds: float

    @classmethod
    def from_now(cls, seconds: float) -> Deadline:
        """The span of ``seconds`` starting now."""
        return cls(time.perf_counter(), max(seconds, 0.0))

    @property
    def end(self) -> float:
        """The ``time.perf_counter()`` reading at which the span is over."""
        return self.start + self.seconds

    def elapsed(self) -> float:
        """Seconds since the span began."""
        return time.perf_counter() - self.start

    def remaining(self) -> float:
        """Seconds left (zero once the span is over)."""
        return max(self.end - time.perf_counter(), 0.0)

    def solver_seconds(self) -> float:
        """Seconds to give a solver call: what remains, but at least
        :data:`MIN_SOLVER_SECONDS`, so a late MIP still returns the plan it has."""
        return max(self.end - time.perf_counter(), MIN_SOLVER_SECONDS)

    def expired(self) -> bool:
        """Whether the whole span has gone."""
        return self.elapsed() > self.seconds

    def share(self, fraction: float) -> Deadline:
        """The first ``fraction`` of this span, from the same start (a stage that may use,
        say, half of the time its caller has)."""
        return Deadline(self.start, fraction * self.seconds)

    def share_of_rest(self, fraction: float) -> Deadline:
        """``fraction`` of the time that remains, starting now."""
        now = time.perf_counter()
        return Deadline(now, fraction * max(self.end - now, 0.0))


class Stages:
    """Seconds spent in each stage of a run, in the order the stages first ran.

    :meth:`lap` charges the time since the previous lap (or since ``start``) to a stage;
    :meth:`add` charges a measured span; a stage charged twice accumulates, and
    :meth:`record` keeps a list (one entry per MIP round, say). :meth:`as_dict` gives the
    figures rounded to hundredths of a second, for ``summary.json``'s ``stage_seconds``.
    """

    def __init__(self, start: float | None = None) -> None:
        self.last = time.perf_counter() if start is None else start
        self.seconds: dict[str, float] = {}
        self.lists: dict[str, list[float]] = {}

    def lap(self, stage: str) -> float:
        """Charge the time since the last lap to ``stage``; returns those seconds."""
        spent = self.take()
        self.add(stage, spent)
        return spent

    def take(self) -> float:
        """Seconds since the last lap, charged to nothing (for :meth:`record`); the next
        lap starts now."""
        now = time.perf_counter()
        spent, self.last = now - self.last, now
        return spent

    def add(self, stage: str, seconds: float) -> None:
        """Charge ``seconds`` to ``stage``."""
        self.seconds[stage] = self.seconds.get(stage, 0.0) + max(seconds, 0.0)

    def record(self, stage: str, seconds: float) -> None:
        """Append ``seconds`` to the list kept for ``stage`` (one entry per round)."""
        self.lists.setdefault(stage, []).append(max(seconds, 0.0))

    def as_dict(self) -> dict[str, float | list[float]]:
        """Every stage's seconds (lists for the stages kept per round), rounded."""
        out: dict[str, float | list[float]] = {k: round(v, 2) for k, v in self.seconds.items()}
        out.update({k: [round(v, 2) for v in vs] for k, vs in self.lists.items()})
        return out
