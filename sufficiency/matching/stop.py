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
