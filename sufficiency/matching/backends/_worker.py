"""Run one backend call in a fresh interpreter: pickled ``(fn, args)`` in, result out."""

from __future__ import annotations

import pickle
import sys


def main() -> None:
    """Read the call from stdin, write the pickled result (or exception) to stdout."""
    fn, args = pickle.loads(sys.stdin.buffer.read())
    try:
        result = (True, fn(*args))
    except Exception as exc:  # handed back to the parent, which re-raises it
        result = (False, exc)
    sys.stdout.buffer.write(pickle.dumps(result))


if __name__ == "__main__":
    main()
