"""Run one solve in a fresh interpreter: pickled ``(model, solver, limit, gap)`` in, outcome out.

Used by :func:`sufficiency.commissioning.backends.solve_mip` when OR-Tools and
``highspy`` would otherwise share a process.
"""

from __future__ import annotations

import os
import pickle
import sys


def main() -> None:
    """Read the solve from stdin; write the pickled ``(ok, outcome or exception)``."""
    args = pickle.loads(sys.stdin.buffer.read())
    # Solvers print banners on file descriptor 1: keep it for the answer alone.
    answer = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    from sufficiency.commissioning.backends import _solve_here

    result: tuple[bool, object]
    try:
        result = (True, _solve_here(*args))
    except Exception as exc:  # handed back to the parent, which re-raises it
        result = (False, exc)
    answer.write(pickle.dumps(result))
    answer.close()


if __name__ == "__main__":
    main()
