"""What every page shares: routes that declare their roles, the request context, rendering.

A route is a :class:`Page`: its path, its handler and the roles that may use it
(:data:`PUBLIC` for the sign-in pages only). The role check runs on the server before
the handler, for every method; a route cannot be registered without saying its roles.
Handlers are plain functions of a :class:`Ctx`, run in a worker thread (the store is
synchronous SQLAlchemy); the form of a POST is read, and its CSRF token checked against
the session (:mod:`~.csrf`), before the handler runs.
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from sufficiency import figures, vocabulary
from sufficiency.config import WebParams
from sufficiency.pages.render import count, gbp, miles, percent, table_html, uk_time
from sufficiency.store import RunStore
from sufficiency.store.accounts import Account, get_user_by_id
from sufficiency.web import come_back, csrf, flash
from sufficiency.web.access_log import template
from sufficiency.web.uploads import sweep_due

log = logging.getLogger("sufficiency.web")


class _Public:
    """Marks the few routes anyone may use (signing in)."""

    def __repr__(self) -> str:
        return "PUBLIC"


PUBLIC = _Public()
Roles = frozenset[str] | _Public
PLACEMENT = frozenset({"placement"})
AGGREGATE = frozenset({"commissioner", "finance"})
FINANCE = frozenset({"finance"})
ADMIN = frozenset({"admin"})
SIGNED_IN = frozenset({"placement", "commissioner", "finance", "admin"})


@dataclass(frozen=True)
class WebApp:
    """What handlers need: the store and the settings."""

    store: RunStore
    params: WebParams
    secure_cookies: bool


@dataclass
class Ctx:
    """One request as a handler sees it."""

    request: Request
    web: WebApp
    user: Account | None
    form: dict[str, str] = field(default_factory=dict)
    #: Uploaded files of a POST to a route registered with ``uploads=True``: (field, file).
    files: list[tuple[str, UploadFile]] = field(default_factory=list)

    @property
    def store(self) -> RunStore:
        return self.web.store

    @property
    def username(self) -> str:
        return self.user.username if self.user else ""

    def path_param(self, name: str) -> str:
        return str(self.request.path_params[name])

    def int_param(self, name: str) -> int:
        """A path parameter declared ``{name:int}``."""
        return int(self.request.path_params[name])

    def csrf_token(self) -> str:
        return csrf.token(self.request)

    def flash(self, message: str) -> None:
        self.request.session["flash"] = flash.fit(message)  # a cookie a browser keeps

    def take_flash(self) -> str:
        return str(self.request.session.pop("flash", "") or "")


Handler = Callable[[Ctx], Response] | Callable[[Ctx], Awaitable[Response]]


class Page(Route):
    """A route with the roles that may use it, enforced before its handler runs."""

    def __init__(
        self,
        path: str,
        handler: Handler,
        *,
        roles: Roles,
        methods: tuple[str, ...] = ("GET",),
        name: str | None = None,
        uploads: bool = False,
    ) -> None:
        if not isinstance(roles, _Public | frozenset) or (
            isinstance(roles, frozenset) and not roles <= SIGNED_IN | {"nobody"}
        ):
            raise TypeError(f"route {path}: roles must be PUBLIC or a set of known roles")
        self.roles = roles
        self.uploads = uploads
        super().__init__(
            path,
            _guard(handler, roles, uploads),
            methods=list(methods),
            name=name or handler.__name__,
        )


#: The most files one upload may hold (a 903 folder has three tables a year).
MAX_FILES = 200
#: The largest number in a URL (``{id:int}``) a database integer can hold.
MAX_ID = 2**63 - 1


def _guard(
    handler: Handler, roles: Roles, uploads: bool = False
) -> Callable[[Request], Awaitable[Response]]:
    is_async = inspect.iscoroutinefunction(handler)

    async def endpoint(request: Request) -> Response:
        web: WebApp = request.app.state.web
        user = await run_in_threadpool(_user_after_sweep, request, web)
        if not isinstance(roles, _Public):
            if user is None:
                if request.method == "GET":
                    come_back.remember(request)  # signing in goes back there
                    return RedirectResponse("/sign-in", status_code=303)
                kept = await come_back.keep_form(request)  # a decision: filled in again
                return error_page(request, web, None, 401, "Sign in first.",
                                  "Your session has ended or you have not signed in, so nothing "
                                  "was recorded or changed. Sign in, then send it again."
                                  + (f" Sign in as {kept} within {come_back.KEEP_SECONDS // 60} "
                                     "minutes and the child's page opens with what you sent "
                                     "filled in (the reason too), to check and send."
                                     if kept else ""))  # fmt: skip
            if user.role not in roles:
                # the route's template: a child's page's address holds the child's ID
                log.info(
                    "refused: %s (%s) %s %s",
                    user.username,
                    user.role,
                    request.method,
                    template(request.scope.get("route")),
                )
                return error_page(
                    request,
                    web,
                    user,
                    403,
                    "Not open to your role",
                    f"Your role ({user.role}) cannot use this page. "
                    "Ask an administrator if you need it.",
                )
        if any(isinstance(v, int) and v > MAX_ID for v in request.path_params.values()):
            # no row has such a number: the database would refuse it (a fault, not a 404)
            return error_page(request, web, user, 404, "Not found", "There is no such page.")
        form: dict[str, str] = {}
        files: list[tuple[str, UploadFile]] = []
        if request.method == "POST":
            if uploads:
                refused = _upload_refused(request, web, user)
                if refused is not None:
                    return refused
            try:
                data = await request.form(max_files=MAX_FILES if uploads else 0, max_fields=50)
            except (HTTPException, MultiPartException):
                return error_page(request, web, user, 400, "Not sent right",
                                  "The form could not be read. Go back and try again.")  # fmt: skip
            form = {k: v for k, v in data.items() if isinstance(v, str)}
            files = [(k, v) for k, v in data.multi_items() if isinstance(v, UploadFile)]
            if any("\x00" in v for v in form.values()):
                # PostgreSQL keeps no NUL in text: a name, reason or user name holding one
                # (pasted from another program) was a fault (500), sign-in's for anyone
                for _name, f in files:
                    await f.close()
                return error_page(request, web, user, 400, "Not sent right",
                                  "A field of the form holds a character that cannot be kept "
                                  "(NUL, code 0), perhaps pasted from another program. Go back, "
                                  "type the text again and send it.")  # fmt: skip
            if not csrf.token_ok(request, form.get(csrf.FIELD, "")):
                for _name, f in files:
                    await f.close()
                title = "This form has expired or did not come from this site"
                return error_page(
                    request, web, user, 403, title, "Go back, reload the page and try again."
                )
        ctx = Ctx(request, web, user, form, files)
        try:
            if is_async:
                return await handler(ctx)  # type: ignore[misc]
            return await run_in_threadpool(handler, ctx)  # type: ignore[arg-type]
        finally:
            for _name, f in files:
                await f.close()

    return endpoint


def _upload_refused(request: Request, web: WebApp, user: Account | None) -> Response | None:
    """413 for an upload over ``[web] max_upload_mb`` (by its Content-Length, which the
    server holds the body to), 411 without one."""
    length = request.headers.get("content-length", "")
    limit = web.params.max_upload_mb * 1024 * 1024
    if not length.isdigit():
        return error_page(request, web, user, 411, "Not sent right",
                          "The upload did not say its size. Try again from the form.")  # fmt: skip
    if int(length) > limit:
        return error_page(request, web, user, 413, "Too large",
                          f"The upload is larger than the limit of {web.params.max_upload_mb} "
                          "MB, so nothing was read. A referrals file or placement register is "
                          "far smaller: check it is the file you meant. A 903 history is "
                          "smaller as one zip of its folder. Or ask for the limit to be raised "
                          "([web] max_upload_mb).")  # fmt: skip
    return None


def _user_after_sweep(request: Request, web: WebApp) -> Account | None:
    """:func:`current_user`, after throwing away uploads left waiting too long: on a
    request at most every :data:`~.uploads.SWEEP_SECONDS`, so an upload nobody comes
    back to (a child's records, in the system's temporary folder) goes once it is
    :data:`~.uploads.STAGED_HOURS` old whatever page anyone opens, not only when an
    administrator opens the Uploads page, without listing the folder on every request."""
    sweep_due()
    return current_user(request, web)


def current_user(request: Request, web: WebApp) -> Account | None:
    """The signed-in user, if the session is valid: the account exists and is active, it
    has not signed out since, and the session is younger than the maximum; the session's
    idle time starts again."""
    session = request.session
    uid, version, at = session.get("uid"), session.get("ver"), session.get("at")
    if not isinstance(uid, int) or not isinstance(version, int) or not isinstance(at, int | float):
        return None
    age = dt.datetime.now(dt.UTC).timestamp() - float(at)
    if age > web.params.session_max_hours * 3600 or age < -60:
        session.clear()
        return None
    user = get_user_by_id(web.store, uid)
    if user is None or not user.active or user.session_version != version:
        session.clear()
        return None
    # A changed session is sealed again with a new time, so the cookie's idle timeout
    # counts from this request: unchanged, it lapsed 30 minutes after signing in (or the
    # last message shown), however busy the person was.
    session["seen"] = int(dt.datetime.now(dt.UTC).timestamp())
    return user


# --- rendering -----------------------------------------------------------------------


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The web templates, falling back to the report templates (``base.html``, macros)."""
    env = Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("sufficiency.web", "templates"),
                PackageLoader("sufficiency.pages", "templates"),
            ]
        ),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=lambda value: "" if value is None else value,
    )
    env.filters.update(gbp=gbp, money=figures.money, count=count, percent=percent,
                       miles=miles, uk_time=uk_time, long_date=long_date,
                       dates_in_words=dates_in_words)  # fmt: skip
    env.globals.update(
        table=table_html, words=vocabulary, waited=int(WAIT_SECONDS), child_url=child_url
    )
    return env


def long_date(value: dt.date | str) -> str:
    """A day as the reports' titles say it (``1 April 2026``), from a date or an ISO text
    (a run's date as its summary keeps it); other text as it is."""
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return value
        return long_date(day)
    return f"{value.day} {value:%B %Y}"


#: A day inside a sentence, day first as the command line and the reports write it
#: (``it expired on 05/12/2026``) or ISO-style as runs recorded before then have it.
_DAY = re.compile(r"(?<![\w/-])(?:\d{4}-\d{2}-\d{2}|(\d{2})/(\d{2})/(\d{4}))(?![\w/-])")


def dates_in_words(text: object) -> str:
    """Every day inside a sentence (a decision's note, a change's cause, written so by
    the run store and the command line) said as :func:`long_date` says it, as the pages'
    other dates are (``it expired on 5 December 2026``)."""

    def said(m: re.Match[str]) -> str:
        iso = f"{m[3]}-{m[2]}-{m[1]}" if m[1] else m[0]
        return m[0] if (day := long_date(iso)) == iso else day

    return _DAY.sub(said, str(text))


def child_url(child_id: str) -> str:
    """The address of a child's page: the ID quoted whole, so an ID with a space, a slash,
    a ``#`` or a letter beyond ASCII (IDs are the case system's own) still leads to it."""
    return "/matching/children/" + quote(str(child_id), safe="")


def nav_links(user: Account | None) -> list[tuple[str, str]]:
    """The menu for ``user``'s role: only pages the role may open."""
    if user is None:
        return []
    links = [("/", "Home")]
    if user.role == "placement":
        links += [
            ("/matching", "Tonight's matches"),
            ("/matching/changes", "What changed"),
            ("/decisions", "Decisions"),
        ]
    if user.role in AGGREGATE:
        links += [("/forecast", "Forecast")]
    if user.role == "commissioner":
        links += [("/scenarios", "Scenarios"), ("/commissioning", "Commissioning")]
    if user.role in AGGREGATE:
        links += [("/spend", "Spend")]
    if user.role == "admin":
        links += [
            ("/admin/users", "Users"),
            ("/admin/uploads", "Uploads"),
            ("/admin/audit", "Audit trail"),
        ]
    return links


def render(ctx: Ctx, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return _render(ctx.request, ctx.user, template, status, flash=ctx.take_flash(), **context)


def _render(
    request: Request, user: Account | None, template: str, status: int, **context: Any
) -> HTMLResponse:
    html = (
        environment()
        .get_template(template)
        .render(
            user=user,
            nav=nav_links(user),
            path=request.url.path,
            csrf_token=csrf.token(request),
            **{"flash": "", **context},
        )
    )
    return HTMLResponse(html, status_code=status)


def error_page(
    request: Request, web: WebApp, user: Account | None, status: int, title: str, sentence: str
) -> HTMLResponse:
    return _render(request, user, "error.html", status, title=title, sentence=sentence)


#: How long a page about a running job waits for it before answering "still running".
WAIT_SECONDS = 20.0


def wait_until(done: Callable[[], bool], seconds: float = WAIT_SECONDS) -> bool:
    """Wait (in the handler's worker thread) until ``done()`` or ``seconds`` pass; says which.

    Pages about a background run wait for it like this instead of refreshing themselves: a
    timed refresh takes the page away from a person reading it (WCAG 2.2.1), and the pages
    use no scripts. A run that ends within the wait shows its result at once; otherwise the
    page says it is still running and offers a link to look again."""
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.25)
    return True


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def not_found(ctx: Ctx, sentence: str = "There is no such page.") -> HTMLResponse:
    return render(ctx, "error.html", 404, title="Not found", sentence=sentence)


#: Headers on every response: no framing, no sniffing, no referrer, nothing cached, and a
#: content policy allowing only this site's own resources (no scripts at all yet).
SECURITY_HEADERS: Mapping[str, str] = {
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` (and HSTS over HTTPS)."""

    def __init__(self, app: Any, hsts: bool = False) -> None:
        self.app, self.hsts = app, hsts

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.decode("latin-1").lower() not in SECURITY_HEADERS
                ]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                if self.hsts:
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
