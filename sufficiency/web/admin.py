"""Administration (role ``admin`` only): users, uploads of inputs, the audit trail.

Every change is recorded in the audit trail with who and when; every form carries the
CSRF token (checked before a handler runs). Passwords and authenticator secrets made
here are shown once, on the page that made them, and never stored or logged in clear.
Uploads are checked with ``validate`` and written to the data folder only when the
administrator accepts them (:mod:`sufficiency.web.uploads`).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import BinaryIO

from starlette.responses import Response

from sufficiency import clock
from sufficiency.config import GeneralParams, MatchingParams
from sufficiency.errors import StoreError
from sufficiency.pages.render import uk_time
from sufficiency.plurals import numbered
from sufficiency.store.accounts import (
    MAX_USERNAME,
    ROLE_WORDS,
    ROLES,
    add_user,
    audit,
    audit_trail,
    check_username,
    get_user_by_id,
    list_users,
    reset_credentials,
    set_active_by_id,
)
from sufficiency.web import flash, upload_checks, upload_once, upload_types, uploads
from sufficiency.web.auth import hash_password, new_totp_secret, provisioning_uri
from sufficiency.web.framework import ADMIN, Ctx, Page, not_found, redirect, render

log = logging.getLogger("sufficiency.web")
#: Letters and digits that cannot be mistaken for one another when read out.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_password() -> str:
    """A random password of 4 groups of 5 (about 98 bits), to pass on to the user."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(5)) for _ in range(4))


# --- users ---------------------------------------------------------------------------


def _users(ctx: Ctx, status: int = 200, **extra: object) -> Response:
    context: dict[str, object] = {"errors": [], "form": {}, **extra}
    return render(
        ctx,
        "users.html",
        status,
        users=list_users(ctx.store),
        roles=ROLES,
        role_words=ROLE_WORDS,
        **context,
    )


def users_page(ctx: Ctx) -> Response:
    return _users(ctx)


def add_user_post(ctx: Ctx) -> Response:
    name = ctx.form.get("username", "").strip()  # never cut: a cut name is another name
    role = ctx.form.get("role", "")
    how = ctx.form.get("sign_in", "")
    errors = []
    try:
        check_username(name)
    except StoreError:
        errors.append(
            f"Give a user name of {MAX_USERNAME} characters or fewer: this one has {len(name):,}."
            if len(name) > MAX_USERNAME
            else "Give a user name of letters a to z without accents, digits and . _ @ - (for "
            "an organisation account, the user's sign-in name there, e.g. ann@council.gov.uk)."
        )
    if role not in ROLES:
        errors.append("Choose a role.")
    if how not in ("password", "oidc"):
        errors.append("Choose how the user signs in.")
    if errors:
        return _users(ctx, 400, errors=errors, form=ctx.form)
    password = secret = None
    if how == "password":
        password, secret = new_password(), new_totp_secret()
    try:
        add_user(ctx.store, name, role, hash_password(password) if password else None, secret)
    except StoreError as exc:
        said = _added_just_now(ctx, name, role) or str(exc).capitalize() + "."
        return _users(ctx, 400, errors=[said], form=ctx.form)
    words = "password and code" if password else "organisation sign-in only"
    audit(ctx.store, ctx.username, "user_added", detail=f"added {name} ({role}, {words})")
    log.info("user added by %s", ctx.username)
    return _credentials(ctx, name, role, password, secret, f"Added {name} ({role}).")


def _added_just_now(ctx: Ctx, name: str, role: str) -> str:
    """The form sent twice (a double click): the browser shows the second answer, so the
    page showing the new password and code, once, was replaced by "there is already a user
    called ..." and the administrator never saw them. Said as what happened, and how to
    mend it; "" when ``name`` was not added by this administrator in the last 2 minutes."""
    since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2)
    for row in audit_trail(ctx.store, limit=20, action="user_added"):
        if (row.username == ctx.username and row.at >= since
                and (row.detail or "").startswith(f"added {name} ({role},")):  # fmt: skip
            return (f"Already added: you added {name} at {uk_time(row.at, '%H:%M:%S')} (the "
                    "form was sent twice, perhaps by a double click), and this page replaced "
                    f"the one showing the password and code. Give {name} a new password and "
                    "a new authenticator code below, and pass those on.")  # fmt: skip
    return ""


def _credentials(
    ctx: Ctx, name: str, role: str, password: str | None, secret: str | None, done: str
) -> Response:
    return render(
        ctx,
        "user_credentials.html",
        done=done,
        name=name,
        role=role,
        password=password,
        secret=secret,
        uri=provisioning_uri(name, secret) if secret else "",
    )


def set_active_post(ctx: Ctx) -> Response:
    user = get_user_by_id(ctx.store, ctx.int_param("user_id"))
    if user is None:
        return not_found(ctx, "There is no such user.")
    if ctx.form.get("active") not in ("yes", "no"):
        return _users(ctx, 400, errors=["Say whether the account is to be active."])
    active = ctx.form.get("active") == "yes"
    if not active and ctx.user is not None and user.id == ctx.user.id:
        return _users(ctx, 400, errors=["You cannot make your own account inactive."])
    set_active_by_id(ctx.store, user.id, active)
    action = "user_reactivated" if active else "user_deactivated"
    words = "made active again" if active else "made inactive (signed out everywhere)"
    audit(ctx.store, ctx.username, action, detail=f"{user.username} {words}")
    ctx.flash(f"{user.username} {words}.")
    return redirect("/admin/users")


def reset_post(ctx: Ctx) -> Response:
    user = get_user_by_id(ctx.store, ctx.int_param("user_id"))
    if user is None:
        return not_found(ctx, "There is no such user.")
    what = ctx.form.get("what", "")
    if what not in ("password", "code") or not user.has_password:
        return _users(ctx, 400, errors=["Only a password user's password or code can be reset."])
    password = new_password() if what == "password" else None
    secret = new_totp_secret() if what == "code" else None
    reset_credentials(ctx.store, user.id, hash_password(password) if password else None, secret)
    words = "a new password" if password else "a new authenticator code"
    audit(ctx.store, ctx.username, "user_reset", detail=f"{user.username} given {words}")
    return _credentials(
        ctx, user.username, user.role, password, secret, f"{user.username} has {words}."
    )


def audit_page(ctx: Ctx) -> Response:
    return render(ctx, "audit.html", rows=audit_trail(ctx.store, limit=500))


# --- uploads -------------------------------------------------------------------------


def _uploads(ctx: Ctx, status: int = 200, **extra: object) -> Response:
    # an error of a decision (accept, throw away) comes through the session: its POST
    # redirects, so Back and Refresh never send a form again
    said = str(ctx.request.session.pop("upload_error", "") or "")
    context: dict[str, object] = {"staged": None, "error": said, **extra}
    return render(
        ctx,
        "uploads.html",
        status,
        kinds=uploads.KINDS,
        accept=upload_types.ACCEPT,
        current=uploads.current_inputs(ctx.web.params),
        data_dir=uploads.data_dir(ctx.web.params),
        max_mb=ctx.web.params.max_upload_mb,
        max_listed=upload_checks.MAX_LISTED,
        sent=secrets.token_urlsafe(18),  # one sending of the upload form (upload_once)
        numbered=numbered,  # "1 error", "3 warnings": counts in words, not "error(s)"
        **context,
    )


def _refused(ctx: Ctx, sentence: str, back: str = "/admin/uploads") -> Response:
    ctx.request.session["upload_error"] = flash.fit(sentence)
    return redirect(back)


def uploads_page(ctx: Ctx) -> Response:
    uploads.sweep_due(force=True)  # the page lists no upload over its time
    return _uploads(ctx)


def upload_post(ctx: Ctx) -> Response:
    kind = ctx.form.get("kind", "")
    if kind not in uploads.KINDS:
        return _refused(ctx, "Choose what the upload is: 903 history, referrals or register.")
    files = [(f.filename or "", f.file) for name, f in ctx.files if name == "files"]
    # the same form sent twice (a double click) is checked once: the second goes to the
    # first's check, so no upload is left waiting unseen
    key = upload_once.sending(ctx.username, ctx.form.get("sent", ""), kind, files)
    upload_id, again = upload_once.once(key, lambda: _check(ctx, kind, files))
    if again:
        ctx.flash("Sent twice: this is the check of the first sending; nothing was "
                  "checked or kept twice.")  # fmt: skip
    return redirect(f"/admin/uploads/{upload_id}")


def _check(ctx: Ctx, kind: str, files: list[tuple[str, BinaryIO]]) -> str:
    """Stage and check an upload, recorded in the audit trail; return its identifier."""
    general = getattr(ctx.request.app.state, "general", None) or GeneralParams()
    matching = getattr(ctx.request.app.state, "matching", None) or MatchingParams()
    staged = uploads.stage(
        kind,
        files,
        ctx.username,
        ctx.web.params,
        run_date=clock.today(),
        responsible_la=general.responsible_la,
        harm_animals_excludes_pets=matching.harm_animals_excludes_pets,
    )
    upload_checks.keep(staged)
    r = staged.report
    sizes = sum(size for _n, size, _sha in staged.files)
    audit(ctx.store, ctx.username, "upload_checked",
          detail=f"{kind}: {numbered(len(staged.files), 'file(s)')}, {sizes} bytes, "
          f"{numbered(r.num_errors, 'error(s)')}, {numbered(r.num_warnings, 'warning(s)')}; "
          f"upload {staged.id[:8]}")  # fmt: skip
    log.info("upload checked by %s: %s, %d error(s)", ctx.username, kind, r.num_errors)
    return staged.id


def check_page(ctx: Ctx) -> Response:
    """The check of an upload, as its POST found it (kept on the server by its id)."""
    upload_id = ctx.path_param("upload_id")
    try:
        staged = upload_checks.load(upload_id, ctx.username)
    except uploads.UploadError as exc:
        done = upload_checks.decided(ctx.store, upload_id, ctx.username)
        if done is not None:
            ctx.flash(f"This upload was {done} already; upload again to check another.")
            return redirect("/admin/uploads")
        return _uploads(ctx, 404, error=str(exc))
    return _uploads(ctx, staged=staged)


def _decide(ctx: Ctx, upload_id: str, exc: uploads.UploadError) -> Response:
    """A decision that failed: said once it is back on a page (Back and Refresh safe); the
    same decision sent twice (a double click) is said to be made already, not refused."""
    done = upload_checks.decided(ctx.store, upload_id, ctx.username)
    if done is not None:
        ctx.flash(f"Already {done}: this upload was {done} once; nothing was done twice.")
        return redirect("/admin/uploads")
    return _refused(ctx, str(exc))


def accepted_files(files: list[tuple[str, int, str]]) -> str:
    """What the audit trail keeps of an accepted upload's files: how many, their size and
    SHA-256 (enough to tell which copy of a file was used), never their names: a council's
    file is often named after the child ("Smith J referral.csv"), and the audit trail is
    kept for years and read by administrators."""
    size = sum(n for _name, n, _sha in files)
    hashes = ", ".join(sha[:12] for _name, _n, sha in files[:20])
    more = f" and {len(files) - 20:,} more" if len(files) > 20 else ""
    return f"{numbered(len(files), 'file(s)')}, {size:,} bytes, SHA-256 {hashes}{more}"


def accept_post(ctx: Ctx) -> Response:
    upload_id = ctx.path_param("upload_id")
    try:
        kind, target, files = uploads.accept(upload_id, ctx.username, ctx.web.params)
    except uploads.UploadError as exc:
        return _decide(ctx, upload_id, exc)
    audit(ctx.store, ctx.username, "upload_accepted",
          detail=f"{kind} written to {target}: {accepted_files(files)}; "
          f"upload {upload_id[:8]}")  # fmt: skip
    log.info("upload accepted by %s: %s", ctx.username, kind)
    what = {"history": "the 903 history is", "referrals": "the referrals are"}.get(
        kind, "the placement register is"
    )
    ctx.flash(f"Accepted: {what} now in the data folder; the next run reads it.")
    return redirect("/admin/uploads")


def discard_post(ctx: Ctx) -> Response:
    upload_id = ctx.path_param("upload_id")
    try:
        kind = uploads.discard(upload_id, ctx.username)
    except uploads.UploadError as exc:
        return _decide(ctx, upload_id, exc)
    audit(ctx.store, ctx.username, "upload_discarded",
          detail=f"{kind}: upload {upload_id[:8]} thrown away")  # fmt: skip
    ctx.flash("The upload was thrown away; nothing was written.")
    return redirect("/admin/uploads")


ROUTES = [
    Page("/admin/users", users_page, roles=ADMIN),
    Page("/admin/users", add_user_post, roles=ADMIN, methods=("POST",)),
    Page("/admin/users/{user_id:int}/active", set_active_post, roles=ADMIN, methods=("POST",)),
    Page("/admin/users/{user_id:int}/reset", reset_post, roles=ADMIN, methods=("POST",)),
    Page("/admin/audit", audit_page, roles=ADMIN),
    Page("/admin/uploads", uploads_page, roles=ADMIN),
    Page("/admin/uploads", upload_post, roles=ADMIN, methods=("POST",), uploads=True),
    Page("/admin/uploads/{upload_id}", check_page, roles=ADMIN),
    Page("/admin/uploads/{upload_id}/accept", accept_post, roles=ADMIN, methods=("POST",)),
    Page("/admin/uploads/{upload_id}/discard", discard_post, roles=ADMIN, methods=("POST",)),
]
