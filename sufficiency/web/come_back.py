"""Back to the page a person was on when their session ended, once they sign in again.

A session ends after 30 minutes without use ([web] session_idle_minutes): the browser
drops its cookie, and the next page opened (a link to the next child, Refresh on
tonight's matches) went to the sign-in page, then, signed in, to the home page, so a
placement worker back from a meeting had to find the child again. The page asked for is
kept in the session (sealed: it can hold a child's ID, as the address does) and signing
in goes there. Only this site's own paths are kept, never another site's address
(``//host``) nor the sign-in pages themselves.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any
from urllib.parse import quote

from starlette.requests import Request

KEY = "next"
#: The longest address kept (a child's ID is at most 100 characters, encoded at most 300).
MAX_CHARS = 600


def _ours(target: object) -> bool:
    return (
        isinstance(target, str)
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not target.startswith("/sign-")
        and len(target) <= MAX_CHARS
        and target.isprintable()
    )


def remember(request: Request) -> None:
    """Keep the address of ``request`` (a GET refused for want of a session)."""
    raw = request.scope.get("raw_path")
    path = raw.decode("latin-1") if isinstance(raw, bytes) else quote(request.url.path)
    query = request.url.query
    target = path + (f"?{query}" if query else "")
    if _ours(target):
        request.session[KEY] = target


def take(session: MutableMapping[str, Any]) -> str:
    """The page to go to on signing in (the home page when none was kept); forgets it."""
    target = session.pop(KEY, None)
    return target if _ours(target) else "/"
