"""The session cookie sealed: encrypted and authenticated (Fernet), not only signed.

Starlette's ``SessionMiddleware`` signs its cookie (itsdangerous) but leaves it readable:
the base64 of the session's JSON. The session carries the message shown on the next page
(the "flash"), and a flash quotes what people typed: a decision's reason about a child
("Recorded: Pinned to PL0017 by jo: <the reason>"), a withdrawn decision's, a scenario's
name, a colleague's user name. Anyone who saw the cookie (a browser profile on a shared
computer, a proxy's or a support tool's record of headers) could read them. Sealed with
Fernet (AES-128-CBC and HMAC-SHA256, from ``cryptography``) under a key derived from the
site's secret, the cookie says nothing; one changed or older than the idle timeout is
refused as before (an empty session: signed out).
"""

from __future__ import annotations

import base64
import hashlib
from typing import Literal

from cryptography.fernet import Fernet, InvalidToken
from itsdangerous import BadSignature
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp


class _Seal:
    """What ``SessionMiddleware`` asks of its signer, by encryption."""

    def __init__(self, secret: str) -> None:
        digest = hashlib.sha256(b"sufficiency session cookie\x00" + secret.encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(digest))

    def sign(self, value: bytes) -> bytes:
        return self._fernet.encrypt(value)

    def unsign(self, value: bytes, max_age: int | None = None) -> bytes:
        try:
            return self._fernet.decrypt(value, ttl=max_age)
        except InvalidToken:
            raise BadSignature("the session cookie cannot be opened") from None


class SealedSessionMiddleware(SessionMiddleware):
    """``SessionMiddleware`` (same cookie, flags and expiry) whose cookie is encrypted."""

    def __init__(
        self,
        app: ASGIApp,
        secret_key: str,
        session_cookie: str,
        max_age: int,
        same_site: Literal["lax", "strict"],
        https_only: bool,
    ) -> None:
        super().__init__(app, secret_key, session_cookie, max_age,
                         same_site=same_site, https_only=https_only)  # fmt: skip
        self.signer = _Seal(secret_key)  # type: ignore[assignment]
