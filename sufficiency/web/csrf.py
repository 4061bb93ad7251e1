"""CSRF tokens bound to the session: a form's token is good only in the session it came from.

Each session (signed in or not) holds a random identifier, ``sid``; a form's token is
the HMAC-SHA256 of it under the site's secret. Every POST must send the token of the
session it is sent in, compared in constant time, or it is refused (403, in a sentence)
before its handler runs: a token taken from another person's page, or from a page
before signing in, is refused, as is one with a planted cookie (a signed double-submit
cookie, as asgi-csrf made it, was accepted from any session with that cookie). Signing
in and signing out start a new session, so they also change the token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request

#: The form field forms send the token in.
FIELD = "csrftoken"
_SID = "sid"


def _key(request: Request) -> bytes:
    secret = str(request.app.state.csrf_secret)
    return hashlib.sha256(b"sufficiency csrf token\x00" + secret.encode()).digest()


def _expected(request: Request, sid: str) -> bytes:
    return hmac.new(_key(request), sid.encode(), hashlib.sha256).hexdigest().encode()


def token(request: Request) -> str:
    """The token for the forms of a page of this session (a new session id if it has none)."""
    if "session" not in request.scope:  # a fault page answered outside the session
        return ""
    sid = request.session.get(_SID)
    if not isinstance(sid, str) or len(sid) < 32:
        sid = secrets.token_urlsafe(32)
        request.session[_SID] = sid
    return _expected(request, sid).decode()


def token_ok(request: Request, sent: str) -> bool:
    """Whether ``sent`` is this session's token (constant time; any text may be sent)."""
    sid = request.session.get(_SID) if "session" in request.scope else None
    if not isinstance(sid, str) or len(sid) < 32 or not sent:
        return False
    return hmac.compare_digest(sent.encode("utf-8", "replace"), _expected(request, sid))
