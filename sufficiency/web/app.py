"""The application: middleware (security headers, sealed session), routes, sign-in.

Middleware, outermost first: :class:`~.framework.SecurityHeaders`;
:class:`~.body_limit.BodyLimit` (413 for a form's body over 1 MB); Starlette's
``SessionMiddleware`` with its cookie sealed (:mod:`~.sealed_session`: encrypted,
HttpOnly, SameSite, expiring after the idle timeout). Routes are
:class:`~.framework.Page` objects, each with its roles; every POST's CSRF token is
checked against the session by the route's guard (:mod:`~.csrf`) before its handler
runs, even without a cookie.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from sufficiency.config import WebParams
from sufficiency.store import RunStore
from sufficiency.store.accounts import (
    ROLE_WORDS,
    Account,
    audit,
    count_users,
    end_sessions,
    get_user,
    record_success,
    secret_setting,
)
from sufficiency.store.stopped import end_stopped
from sufficiency.web import (
    access_log,
    admin,
    aggregate,
    come_back,
    commissioning_pages,
    forecast_pages,
    match_files,
    placement,
    rerun_pages,
    scenarios,
    sibling_pin,
)
from sufficiency.web.auth import refuse, sign_in
from sufficiency.web.body_limit import BodyLimit
from sufficiency.web.framework import (
    PUBLIC,
    SIGNED_IN,
    Ctx,
    Page,
    SecurityHeaders,
    WebApp,
    redirect,
    render,
)
from sufficiency.web.sealed_session import SealedSessionMiddleware
from sufficiency.web.throttle import AddressLimit
from sufficiency.web.uploads import sweep_due

log = logging.getLogger("sufficiency.web")
SECRET_ENV = "SUFFICIENCY_WEB_SECRET"
OIDC_SECRET_ENV = "SUFFICIENCY_OIDC_CLIENT_SECRET"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _start_session(ctx: Ctx, username: str) -> None:
    user = get_user(ctx.store, username)
    assert user is not None
    ctx.request.session.clear()
    ctx.request.session.update(
        uid=user.id, ver=user.session_version, at=int(dt.datetime.now(dt.UTC).timestamp())
    )


def sign_in_page(ctx: Ctx) -> Response:
    if ctx.user is not None:
        return redirect("/")
    return render(
        ctx,
        "sign_in.html",
        message="",
        username="",
        no_users=count_users(ctx.store) == 0,
        oidc=_oidc_label(ctx),
    )


def sign_in_post(ctx: Ctx) -> Response:
    username = ctx.form.get("username", "")[:200]
    password = ctx.form.get("password", "")
    limit: AddressLimit = ctx.request.app.state.sign_in_limit
    address = ctx.request.client.host if ctx.request.client else "unknown"
    counted = limit.begin(address)
    if counted is None:  # too many failures from this address: refused unchecked
        result = refuse(password)
    else:
        result = sign_in(ctx.store, username, password, ctx.form.get("code", ""))
    if result.account is None:
        # A name nobody has is not recorded: it may be a password typed in the wrong box,
        # and the audit trail is read by administrators.
        known = get_user(ctx.store, username.strip()) if username.strip() else None
        detail = None if known else "a user name nobody has (not recorded)"
        if counted is None:
            detail = (f"refused unchecked: {limit.most} failed sign-ins from one address in "
                      f"{ctx.web.params.sign_in_window_minutes} minutes")  # fmt: skip
        audit(ctx.store, known.username if known else None, "sign_in_failed", detail=detail)
        log.info(
            "failed sign-in from %s%s",
            address,
            "" if counted is not None else " (refused: too many)",
        )
        return render(
            ctx,
            "sign_in.html",
            401,
            message=result.message,
            username=username,
            no_users=False,
            oidc=_oidc_label(ctx),
        )
    if counted is not None:
        limit.succeeded(address, counted)
    # the page asked for when signed out, if this person's role may open it
    back = come_back.take(ctx.request.session, ctx.request, result.account.role)
    kept = ctx.request.session.get(come_back.FORM)
    _start_session(ctx, result.account.username)
    come_back.carry_form(kept, ctx.request.session, result.account.username)
    audit(ctx.store, result.account.username, "sign_in", detail="password and code")
    return redirect(back)


def sign_out(ctx: Ctx) -> Response:
    if ctx.user is not None:
        end_sessions(ctx.store, ctx.user.id)
        audit(ctx.store, ctx.user.username, "sign_out")
    ctx.request.session.clear()
    ctx.flash("You have signed out.")
    return redirect("/sign-in")


def home(ctx: Ctx) -> Response:
    return render(ctx, "home.html", role_words=ROLE_WORDS)


# --- OpenID Connect (Microsoft Entra ID) ---------------------------------------------


def _oidc_label(ctx: Ctx) -> str:
    o = ctx.web.params.oidc
    return o.label if o.issuer and o.client_id else ""


def _oidc_not_set_up(ctx: Ctx) -> Response:
    return render(
        ctx,
        "error.html",
        404,
        title="Not set up",
        sentence="Sign-in with your organisation's account is not set up here.",
    )


async def oidc_start(ctx: Ctx) -> Response:
    client = ctx.request.app.state.oidc
    if client is None:
        return _oidc_not_set_up(ctx)
    return await client.authorize_redirect(ctx.request, str(ctx.request.url_for("oidc_back")))  # type: ignore[no-any-return]


async def oidc_back(ctx: Ctx) -> Response:
    from authlib.common.errors import AuthlibBaseError
    from joserfc.errors import JoseError
    from starlette.concurrency import run_in_threadpool

    client = ctx.request.app.state.oidc
    if client is None:
        return _oidc_not_set_up(ctx)
    try:
        token = await client.authorize_access_token(ctx.request)
    except (AuthlibBaseError, JoseError) as exc:
        # OAuthError (state, provider's refusal), and the ID token's checks: signature,
        # issuer, audience, expiry and nonce (authlib.jose / joserfc errors).
        log.info("OpenID sign-in refused: %s", getattr(exc, "error", type(exc).__name__))
        return render(
            ctx,
            "sign_in.html",
            401,
            message="Sign-in with your organisation's account did not complete. Try again.",
            username="",
            no_users=False,
            oidc=_oidc_label(ctx),
        )
    claims = token.get("userinfo") or {}
    name = str(claims.get(ctx.web.params.oidc.username_claim, "") or "")
    user = await run_in_threadpool(get_user, ctx.store, name) if name else None
    # Only accounts added for organisation sign-in (``users add --oidc``, no password) may
    # use it: a password account keeps its own second factor, whatever the provider says.
    if user is None or not user.active or user.has_password:
        await run_in_threadpool(
            audit,
            ctx.store,
            name or None,
            "sign_in_failed",
            detail="OpenID: no active organisation-sign-in account",
        )
        return render(
            ctx,
            "sign_in.html",
            403,
            message="Your organisation's account is not "
            "set up for this application. Ask an administrator to add you.",
            username="",
            no_users=False,
            oidc=_oidc_label(ctx),
        )
    await run_in_threadpool(record_success, ctx.store, user.username)
    back = come_back.take(ctx.request.session, ctx.request, user.role)
    kept = ctx.request.session.get(come_back.FORM)
    await run_in_threadpool(_start_session, ctx, user.username)
    come_back.carry_form(kept, ctx.request.session, user.username)
    await run_in_threadpool(audit, ctx.store, user.username, "sign_in", detail="OpenID")
    return redirect(back)


def _oidc_client(params: WebParams) -> Any:
    o = params.oidc
    if not (o.issuer and o.client_id):
        return None
    from authlib.integrations.starlette_client import OAuth

    oauth = OAuth()
    return oauth.register(
        name="oidc",
        client_id=o.client_id,
        client_secret=os.environ.get(OIDC_SECRET_ENV, ""),
        server_metadata_url=o.issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid profile email", "code_challenge_method": "S256"},
    )


ROUTES = [
    Page("/sign-in", sign_in_page, roles=PUBLIC),
    Page("/sign-in", sign_in_post, roles=PUBLIC, methods=("POST",), name="sign_in_post"),
    Page("/sign-in/oidc", oidc_start, roles=PUBLIC),
    Page("/sign-in/oidc/back", oidc_back, roles=PUBLIC),
    Page("/sign-out", sign_out, roles=SIGNED_IN, methods=("POST",)),
    Page("/", home, roles=SIGNED_IN),
    *sibling_pin.ROUTES,
    *placement.ROUTES,
    *match_files.ROUTES,
    *rerun_pages.ROUTES,
    *forecast_pages.ROUTES,
    *aggregate.ROUTES,
    *scenarios.ROUTES,
    *commissioning_pages.ROUTES,
    *admin.ROUTES,
]


def _upload_form(scope: Any) -> bool:
    """A POST to an upload route: :class:`~.body_limit.BodyLimit` leaves it to the
    route's own limit (``[web] max_upload_mb``)."""
    return scope.get("method") == "POST" and any(
        r.path_regex.match(scope.get("path", "")) for r in ROUTES if r.uploads
    )


def create_app(
    store: RunStore, params: WebParams | None = None, host: str = "127.0.0.1", warm: bool = False
) -> Starlette:
    """The application over ``store``; ``host`` decides secure cookies when set to "auto".

    ``warm`` draws the latest forecast's and spend run's charts in a background thread as
    the server starts (``sufficiency serve`` does), so the first people to open those
    pages do not wait while fifty others ask for them too."""
    params = params or WebParams()
    secure = params.secure_cookies == "always" or (
        params.secure_cookies == "auto" and host not in LOOPBACK
    )
    secret = os.environ.get(SECRET_ENV) or secret_setting(store, "web_session_key")
    oidc = params.oidc.issuer and params.oidc.client_id
    # The client's address from X-Forwarded-For only when the connection is from a
    # proxy the configuration trusts (anyone can send the header).
    proxies = [Middleware(ProxyHeadersMiddleware, trusted_hosts=list(params.trusted_proxies))]
    app = Starlette(
        routes=ROUTES,
        middleware=[
            *(proxies if params.trusted_proxies else []),
            Middleware(SecurityHeaders, hsts=secure),
            Middleware(BodyLimit, is_upload=_upload_form),
            # OpenID sign-in comes back from the provider's site: a Strict cookie would not
            # be sent with it, so the session is Lax then (every POST still needs the token).
            Middleware(
                SealedSessionMiddleware,
                secret_key=secret,
                session_cookie="sufficiency",
                max_age=params.session_idle_minutes * 60,
                same_site="lax" if oidc else "strict",
                https_only=secure,
            ),
        ],
        exception_handlers={404: _not_found, 405: _not_allowed, 500: _server_error},
    )
    app.state.web = WebApp(store, params, secure)
    app.state.sign_in_limit = AddressLimit(
        params.sign_in_failures_per_address, params.sign_in_window_minutes
    )
    access_log.install(ROUTES)  # the route's template in the server's log, not the URL
    sweep_due(force=True)  # uploads left waiting while the server was down go now
    if (stopped := end_stopped(store)).total:  # runs cut short when a process stopped
        log.warning(
            "runs left running by a process that stopped recorded as failed",
            extra={"runs": stopped.runs, "scenario_runs": stopped.scenario_runs},
        )
    app.state.csrf_secret = secret
    app.state.oidc = _oidc_client(params)
    if warm:
        threading.Thread(target=_warm, args=(store,), name="draw-charts", daemon=True).start()
    return app


def _warm(store: RunStore) -> None:
    try:
        forecast_pages.warm(store)
        aggregate.warm(store)
    except Exception:  # a page draws its charts itself if this could not
        log.exception("could not draw the charts ahead")


def _signed_in(request: Request) -> Account | None:
    """Who is signed in, for a page that is no route's (an address mistyped, a method no
    page takes): shown as signed out before, with no way round the site or to sign out."""
    from sufficiency.web.framework import current_user

    return current_user(request, request.app.state.web) if "session" in request.scope else None


async def _not_found(request: Request, _exc: Exception) -> Response:
    from sufficiency.web.framework import error_page

    return error_page(
        request, request.app.state.web, _signed_in(request), 404, "Not found",
        "There is no such page.",
    )  # fmt: skip


async def _server_error(request: Request, _exc: Exception) -> Response:
    """A fault in the application: the house page with a sentence, never the details
    (the server's log has the traceback). Starlette answers a fault outside every
    middleware, so the security headers are added here."""
    from sufficiency.web.framework import SECURITY_HEADERS, error_page

    web = request.app.state.web
    page = error_page(
        request,
        web,
        None,
        500,
        "Something went wrong",
        "This page could not be shown because of a fault in the application. The server's "
        "log has the details; try again, and tell your administrator if it happens again.",
    )
    page.headers.update(SECURITY_HEADERS)
    if web.secure_cookies:
        page.headers["strict-transport-security"] = "max-age=31536000"
    return page


async def _not_allowed(request: Request, _exc: Exception) -> Response:
    from sufficiency.web.framework import error_page

    return error_page(
        request,
        request.app.state.web,
        _signed_in(request),
        405,
        "Not allowed",
        "This page cannot be used that way.",
    )
