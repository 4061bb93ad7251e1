"""Request bodies held to what a form here can send, before anything reads them.

A form's whole body is read into memory to check its CSRF token, before any handler
(and, on the sign-in page, before anyone has signed in); a multipart body or one that
is not UTF-8 is no form of this site's: :class:`BodyLimit` answers those first (413 or
400, in a sentence), leaving uploads to their route's own limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: The largest body of any request but an upload (``[web] max_upload_mb``): far more than
#: any form here sends.
MAX_FORM_BYTES = 1024 * 1024
_TOO_LARGE = (
    b"<!DOCTYPE html><html lang=en-GB><title>Too large</title><h1>Too large</h1><p>This "
    b"form sent more than a form here can. Go back, reload the page and try again.</p></html>"
)


_NOT_A_FORM = (
    b"<!DOCTYPE html><html lang=en-GB><title>Not sent right</title><h1>Not sent right</h1>"
    b"<p>The form could not be read. Go back, reload the page and try again.</p></html>"
)


FORM_TYPE = b"application/x-www-form-urlencoded"


class _TooLarge(Exception):
    """A request body went past :data:`MAX_FORM_BYTES` as it arrived."""


class BodyLimit:
    """ASGI middleware answering 413 to a request body over :data:`MAX_FORM_BYTES`, by its
    Content-Length before anything is read, or as it arrives when sent without one; and
    400 to a multipart body where no upload is expected, or a form that is not UTF-8.

    A form is read whole into memory before its CSRF token is checked: a 100 MB POST to
    the sign-in page, from anyone, took 13 s and 480 MB of the server's memory (with
    asgi-csrf, used then). Uploads (``is_upload``) are left to their route's
    guard, which holds them to ``[web] max_upload_mb`` by their Content-Length."""

    def __init__(self, app: Any, is_upload: Callable[[Any], bool]) -> None:
        self.app, self.is_upload = app, is_upload

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or self.is_upload(scope):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > MAX_FORM_BYTES:
            await _send_refusal(send, 413, _TOO_LARGE)
            return
        if headers.get(b"content-type", b"").lower().startswith(b"multipart/"):
            # no form here but an upload is multipart (asgi-csrf 0.11, used before, failed
            # on one: simonw/asgi-csrf#38, a fault and a traceback for any such POST)
            await _send_refusal(send, 400, _NOT_A_FORM)
            return
        if headers.get(b"content-type", b"").lower().startswith(FORM_TYPE):
            # read here (at most 1 MB), and refused unless UTF-8: a byte such as 0xff was
            # a fault (500) for anyone when asgi-csrf, used before, decoded the form
            body, messages, more = b"", [], True
            while more:
                message = await receive()
                messages.append(message)
                body += message.get("body", b"")
                more = message.get("more_body", False) and message["type"] == "http.request"
                if len(body) > MAX_FORM_BYTES:
                    await _send_refusal(send, 413, _TOO_LARGE)
                    return
            try:
                body.decode("utf-8")
            except UnicodeDecodeError:
                await _send_refusal(send, 400, _NOT_A_FORM)
                return

            async def replay() -> Any:
                return messages.pop(0) if messages else await receive()

            receive = replay
        received, started = 0, False

        async def counted() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_FORM_BYTES:
                    raise _TooLarge
            return message

        async def watched(message: Any) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if not started:
                await _send_refusal(send, 413, _TOO_LARGE)


async def _send_refusal(send: Any, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"text/html; charset=utf-8"), (b"connection", b"close")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
