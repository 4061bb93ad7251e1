"""Back to the page a person was on when their session ended, once they sign in again.

A session ends after 30 minutes without use ([web] session_idle_minutes): the browser
drops its cookie, and the next page opened (a link to the next child, Refresh on
tonight's matches) went to the sign-in page, then, signed in, to the home page, so a
placement worker back from a meeting had to find the child again. The page asked for is
kept in the session (sealed: it can hold a child's ID, as the address does) and signing
in goes there. Only this site's own paths are kept, never another site's address
(``//host``) nor the sign-in pages themselves.

The page kept is the browser's, not the person's: when one person's session ends (or
they sign out, and Back or a tab left open asks for a page again) and a colleague of
another role signs in on the same computer, they went to the first person's page and
were told "Not open to your role". A kept page the person signing in may not open is
forgotten, and they go to their own start page, the home page.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any
from urllib.parse import quote, unquote

from starlette.requests import Request
from starlette.routing import Match

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


def opens(request: Request, target: str, role: str) -> bool:
    """Whether a person of ``role`` may open the page at ``target`` (a path this site
    has for GET, whose route is open to the role)."""
    path = unquote(target.split("?", 1)[0])
    scope = {"type": "http", "method": "GET", "path": path, "root_path": ""}
    for route in request.app.router.routes:
        found, _ = route.matches(scope)
        if found == Match.FULL:
            roles = getattr(route, "roles", None)  # a frozenset, or PUBLIC
            return not isinstance(roles, frozenset) or role in roles
    return False


def take(session: MutableMapping[str, Any], request: Request | None = None,
         role: str = "") -> str:  # fmt: skip
    """The page to go to on signing in (the home page when none was kept, or when one of
    ``role`` may not open it, given ``request``); forgets it."""
    target = session.pop(KEY, None)
    if not _ours(target):
        return "/"
    if request is not None and not opens(request, target, role):
        return "/"
    return str(target)
