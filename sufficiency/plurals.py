"""Counts said in words: ``1 error``, ``3 errors``, never ``3 error(s)``.

Messages and report phrases are written with their nouns hedged, ``episode(s) starting
and ending on the same day``, so that one phrase serves every count; :func:`numbered`
says the count and the phrase with each hedge resolved for it: singular for one, plural
otherwise (``status(es)`` to ``statuses``). The lowest layer, so that the errors module,
the readers and the reports all use it.
"""

from __future__ import annotations

import re

_HEDGE = re.compile(r"\((e?s)\)")


def for_count(n: int, phrase: str) -> str:
    """``phrase`` with each ``(s)`` or ``(es)`` made right for ``n`` things."""
    return _HEDGE.sub("" if n == 1 else r"\1", phrase)


def numbered(n: int, phrase: str) -> str:
    """``n`` (with thousands separators) and ``phrase`` made right for it:
    ``numbered(1, "error(s)")`` is ``1 error``, ``numbered(1200, "row(s)")`` ``1,200 rows``."""
    return f"{n:,} {for_count(n, phrase)}"


__all__ = ["for_count", "numbered"]
