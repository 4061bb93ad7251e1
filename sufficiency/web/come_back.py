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

import json
import re
import time
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import quote, unquote

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Match

KEY = "next"
#: The longest address kept (a child's ID is at most 100 characters, encoded at most 300).
MAX_CHARS = 600
#: The longest reason kept (the form allows 500 once spaces are folded).
MAX_REASON = 2000


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


# --- a decision's form sent after the session ended ----------------------------------

#: The session's key for a decision form sent after the session ended (sealed, as the
#: flash message is: its reason can speak of a child), and how long it is kept.
FORM = "kept_form"
KEEP_SECONDS = 15 * 60
_DECISION = re.compile(r"^(/matching/children/[^?#]+)/decisions$")
_FIELDS = ("decision", "placement_id", "reason", "until")


async def keep_form(request: Request) -> str:
    """Keep a child's decision form sent after the session ended (a reason typed over
    several minutes was lost: signing in again showed the page empty), for the person
    who sent it (the form's ``by``) to see filled in again once signed in; the name it
    is kept for ("" when nothing was kept).
    Only from a page of this site (Sec-Fetch-Site or Origin)."""
    found = _DECISION.match(_raw_path(request))
    # a page of this site (the pages send no Referer, so Chromium says Origin: null)
    ours = (
        request.headers.get("sec-fetch-site") == "same-origin"
        or request.headers.get("origin") == f"{request.url.scheme}://{request.url.netloc}"
    )
    if not found or not ours or not _ours(found[1]):
        return ""
    try:
        data = await request.form(max_files=0, max_fields=50)
    except Exception:  # an unreadable form is refused as before, without keeping it
        return ""
    form = {k: v[:MAX_REASON] for k in _FIELDS if isinstance(v := data.get(k, ""), str)}
    by = data.get("by", "")
    if not isinstance(by, str) or not by or "\x00" in "".join(form.values()):
        return ""
    request.session[FORM] = {"page": found[1], "by": by, "at": time.time(), "form": form}
    request.session[KEY] = found[1]  # and signing in goes back to that page
    return by


def carry_form(kept: object, session: MutableMapping[str, Any], username: str) -> None:
    """Put a form kept before signing in (taken from the old session before it is
    cleared) into the new session, if it was kept for ``username`` and is still young."""
    if (
        isinstance(kept, dict)
        and kept.get("by") == username
        and isinstance(kept.get("at"), int | float)
        and 0 <= time.time() - float(kept["at"]) <= KEEP_SECONDS
    ):
        session[FORM] = kept


#: The session's key for a decision refused on a child's page, shown by the GET after it.
REFUSED = "refused_form"
#: The most a refusal kept in the session may hold (the cookie holds 4 kB once sealed):
#: a longer one is answered at once, as before.
MAX_REFUSED_JSON = 1800


def refused(
    request: Request, page: str, status: int, errors: tuple[str, ...], form: dict[str, str]
) -> RedirectResponse | None:
    """A decision refused on the child's page at ``page`` (a POST from a browser, which
    says ``Sec-Fetch-Mode: navigate``): kept in the session, and the browser sent to the
    page, which shows it (status, sentences and form) once. The refusal was the POST's
    answer, so Back or Reload asked Chromium to "Confirm form resubmission". ``None``
    (answer at once) for other clients, other requests or a refusal too long to keep."""
    if request.method != "POST" or request.headers.get("sec-fetch-mode") != "navigate":
        return None
    kept = {"page": page, "status": status, "errors": list(errors),
            "form": {k: form.get(k, "") for k in _FIELDS}}  # fmt: skip
    if len(json.dumps(kept)) > MAX_REFUSED_JSON or not _ours(page):
        return None
    request.session[REFUSED] = kept
    return RedirectResponse(page, status_code=303)


def _raw_path(request: Request) -> str:
    raw = request.scope.get("raw_path")
    return raw.decode("latin-1") if isinstance(raw, bytes) else quote(request.url.path)


def kept_form(request: Request) -> tuple[int, tuple[str, ...], dict[str, str]]:
    """For the child's page ``request`` opens: the status, the sentences and the form of
    a decision refused there (:func:`refused`) or sent after the session ended
    (:func:`keep_form`, saying it was not recorded), to show once; forgets it."""
    if request.method != "GET":
        return 200, (), {}
    session = request.session
    for key in (REFUSED, FORM):
        kept = session.get(key)
        if isinstance(kept, dict) and kept.get("page") == _raw_path(request):
            session.pop(key, None)
            form = kept.get("form")
            form = {str(k): str(v) for k, v in form.items()} if isinstance(form, dict) else {}
            if key == REFUSED:
                status = kept.get("status")
                errors = kept.get("errors")
                if isinstance(status, int) and isinstance(errors, list):
                    return status, tuple(str(e) for e in errors), form
                return 200, (), {}
            said = (
                "Your session ended before this decision was sent, so it was not "
                "recorded. It is filled in again below: check it and send it again."
            )
            return 200, (said,), form
    return 200, (), {}
