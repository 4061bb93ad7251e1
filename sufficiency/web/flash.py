"""The message shown on the next page (the "flash"), kept small enough for its cookie.

The flash travels in the session cookie (:mod:`sufficiency.web.sealed_session`): the
session's JSON, base64-encoded, then sealed by Fernet, itself base64, so about 1.8 bytes
of cookie for each byte of JSON, and JSON writes each letter beyond ASCII ("ŵ", "ł") as
six characters (``\\u0175``). A browser keeps a cookie of at most 4,096 bytes and ignores
a larger one whole, so the message never reached the next page: a decision whose reason
was 500 characters of Welsh or Polish was recorded, and the page said nothing of it.

:func:`short` shortens one quoted text (a decision's sentence) to a share of the room;
:func:`fit` shortens the whole message as a last resort. What is cut is shown as "…";
the page the message leads to lists the decision in full.
"""

from __future__ import annotations

import json

#: The most the flash may take in the session's JSON (escaped as Starlette writes it).
#: The rest of the session (``sid``, user, session number, times) is about 200 bytes, so
#: the cookie stays near 3,100 bytes at most, under the browsers' 4,096.
MAX_JSON = 1500
#: The most one quoted text may take of it: two fit (a decision and the one it replaces),
#: with the message's own words.
MAX_QUOTED_JSON = 600
ELLIPSIS = "…"


def _size(text: str) -> int:
    return len(json.dumps(text))


def short(text: str, limit: int = MAX_QUOTED_JSON) -> str:
    """``text``, or its longest beginning that fits in ``limit`` bytes of JSON with "…"."""
    if _size(text) <= limit:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits
        mid = (low + high + 1) // 2
        if _size(text[:mid].rstrip() + ELLIPSIS) <= limit:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + ELLIPSIS


def fit(message: str) -> str:
    """The message as the session can carry it: whole when it fits, else shortened."""
    return short(message, MAX_JSON)
