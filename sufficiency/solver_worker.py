"""Run one solver call in a fresh interpreter.

OR-Tools and ``highspy`` ship clashing copies of HiGHS, so the two native
libraries cannot share a process. A backend whose library would clash with one
already loaded calls :func:`run_isolated`: the pickled ``(fn, args)`` go to
``python -m sufficiency.solver_worker`` and the pickled result (or exception)
comes back.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from sufficiency.errors import SolverError


def run_isolated(name: str, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` in a worker process; its exception is re-raised here."""
    done = subprocess.run(
        [sys.executable, "-m", "sufficiency.solver_worker"],
        input=pickle.dumps((fn, args)),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0 or not done.stdout:
        raise SolverError(f"The {name} solver's worker process failed (exit {done.returncode}).")
    ok, value = pickle.loads(done.stdout)
    if not ok:
        raise value
    return value


def main() -> None:
    """Read the call from stdin, write the pickled ``(ok, result or exception)``."""
    fn, args = pickle.loads(sys.stdin.buffer.read())
    # Solvers print banners on file descriptor 1: keep it for the answer alone.
    answer = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    result: tuple[bool, object]
    try:
        result = (True, fn(*args))
    except Exception as exc:  # handed back to the parent, which re-raises it
        result = (False, exc)
    answer.write(pickle.dumps(result))
    answer.close()


if __name__ == "__main__":
    main()
