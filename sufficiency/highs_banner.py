"""HiGHS without its banner.

The first ``highspy.Highs()`` in a process prints a two-line copyright banner on
standard output, whatever ``output_flag`` says afterwards, so it appeared in every
command's output and every scheduler log. :func:`silence` creates that first instance
with standard output pointed at ``/dev/null``; later instances, PuLP's included, print
nothing. Call it before the first HiGHS model of a process.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading

_lock = threading.Lock()
_done = False


def silence() -> None:
    """Create the process's first HiGHS instance with standard output discarded (once)."""
    global _done
    if _done:
        return
    with _lock:
        if _done:
            return
        import highspy

        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 1)
                try:
                    highspy.Highs()
                finally:
                    ctypes.CDLL(None).fflush(None)  # HiGHS writes through C stdio
                    os.dup2(saved, 1)
        finally:
            os.close(saved)
        _done = True
