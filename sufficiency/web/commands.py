"""``sufficiency serve`` and ``sufficiency users`` (registered by :mod:`sufficiency.cli`)."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import click

from sufficiency.commands.common import config_option, store_option, user_errors
from sufficiency.config import WebParams
from sufficiency.io.atomic import user_path


@click.command("serve")
@store_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; keep 127.0.0.1 behind an HTTPS reverse proxy.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@config_option
@user_errors
def serve(store_url: str | None, host: str, port: int, config_path: Path | None) -> None:
    """Serve the web application over the run store.

    Placement teams review tonight's proposals and record decisions; commissioners and
    finance see the forecast and spend. Sign-in is required; add users with
    `sufficiency users add`.

    Example: sufficiency serve --store sqlite:///out/runs.sqlite --port 8000
    """
    import uvicorn

    from sufficiency.config import load_params
    from sufficiency.store import RunStore
    from sufficiency.store.accounts import count_users
    from sufficiency.web.app import create_app

    full = load_params(config_path)
    params = web_params(full.web, config_path)
    store = RunStore(store_url)
    if count_users(store) == 0:
        click.echo(
            "There are no users yet: add one with `sufficiency users add NAME --role "
            "admin` (or placement, commissioner, finance), then sign in.",
            err=True,
        )
    app = create_app(store, params, host=host, warm=True)
    # uploads are checked with the authority's code and the matching rules
    app.state.general, app.state.matching = full.general, full.matching
    if not app.state.web.secure_cookies:
        click.echo(
            f"Cookies are not marked Secure (serving on {host}, [web] secure_cookies = "
            f'"{params.secure_cookies}"). Behind an HTTPS reverse proxy, set secure_cookies '
            '= "always" in the configuration\'s [web] section, or sessions can be sent '
            "over plain HTTP.",
            err=True,
        )
    if params.secure_cookies == "always" and not params.trusted_proxies:
        click.echo(
            "No reverse proxy is trusted ([web] trusted_proxies): behind one, every client "
            "has the proxy's address and they share one limit of failed sign-ins. Set "
            'trusted_proxies = ["127.0.0.1"] for a proxy on this computer.',
            err=True,
        )
    click.echo(f"Serving on http://{host}:{port}/ (stop with Ctrl+C)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False,
                server_header=False, log_config=log_config())  # fmt: skip


def log_config() -> dict[str, Any]:
    """uvicorn's logging, and the application's own lines beside it: refusals by user name
    and role, failed sign-ins, uploads checked and accepted. Without a handler of its own
    the ``sufficiency`` logger's INFO lines went nowhere (only warnings reached the log)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    # a fault's traceback (uvicorn's "Exception in ASGI application") without the row
    # PostgreSQL quotes: it can hold a decision's reason about a child
    config.setdefault("filters", {})["detail_left_out"] = {"()": "sufficiency.logs.DetailLeftOut"}
    for handler in config["handlers"].values():
        handler.setdefault("filters", []).append("detail_left_out")
    config["loggers"]["sufficiency"] = {"handlers": ["default"], "level": "INFO",
                                        "propagate": False}  # fmt: skip
    return config


def web_params(params: WebParams, config_path: Path | None) -> WebParams:
    """``params`` with a relative ``data_dir`` made relative to the configuration file,
    like the nightly job's paths; ``~`` is the home folder, as the nightly job reads it
    (``~/inputs`` was a folder named ``~`` beside the file, or in the current one)."""
    given = user_path(params.data_dir)
    if params.data_dir and config_path is not None and not given.is_absolute():
        resolved = (config_path.parent / given).resolve()
        return params.model_copy(update={"data_dir": str(resolved)})
    if params.data_dir and given != Path(params.data_dir):
        return params.model_copy(update={"data_dir": str(given)})
    return params


@click.group("users")
def users() -> None:
    """Accounts of the web application: add and list them.

    Example: sufficiency users add jsmith --role placement
    """


@users.command("add")
@click.argument("name")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["placement", "commissioner", "finance", "admin"]),
    help="placement: child-level matching; commissioner, finance: aggregate "
    "figures only; admin: users, uploads and the audit trail.",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    default=False,
    help="Read the password from standard input (one line) instead of a prompt.",
)
@click.option(
    "--oidc",
    "oidc_only",
    is_flag=True,
    default=False,
    help="The user signs in with the organisation's account (OpenID Connect, e.g. "
    "Microsoft Entra ID) only: no password, no code. NAME is their user name there.",
)
@store_option
@user_errors
def users_add(
    name: str, role: str, password_stdin: bool, oidc_only: bool, store_url: str | None
) -> None:
    """Add a user. Prints the code-generator secret once, to enrol an authenticator app.

    Example: sufficiency users add jsmith --role placement
    """
    from sufficiency.store import RunStore
    from sufficiency.store.accounts import add_user, check_username
    from sufficiency.web.auth import hash_password, new_totp_secret, provisioning_uri

    check_username(name)
    pw_hash = secret = None
    if not oidc_only:
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            pw_hash = hash_password(password)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        secret = new_totp_secret()
    store = RunStore(store_url)
    try:
        add_user(store, name, role, pw_hash, secret)
    finally:
        store.close()
    click.echo(f"Added {name} ({role}).")
    if secret:
        click.echo("Enrol an authenticator app now (this is shown once):")
        click.echo(f"  secret: {secret}")
        click.echo(f"  or open: {provisioning_uri(name, secret)}")


@users.command("list")
@store_option
@user_errors
def users_list(store_url: str | None) -> None:
    """List the users, their roles, whether locked, and when each last signed in (times in
    England's time, BST in summer).

    Example: sufficiency users list
    """
    from sufficiency.pages.render import uk_time
    from sufficiency.store import RunStore
    from sufficiency.store.accounts import list_users, locked

    store = RunStore(store_url)
    try:
        accounts = list_users(store)
    finally:
        store.close()
    if not accounts:
        click.echo("No users yet: add one with `sufficiency users add NAME --role admin`.")
    # times as a clock in England reads them, as the web's pages show them (the store
    # keeps UTC: a sign-in at 09:15 in summer was listed at 08:15)
    for u in accounts:
        last = uk_time(u.last_sign_in_at, "%Y-%m-%d %H:%M") if u.last_sign_in_at else "never"
        how = "password and code" if u.has_password else "organisation sign-in"
        state = "active" if u.active else "inactive"
        if locked(u):
            state += f", locked until {uk_time(u.locked_until, '%Y-%m-%d %H:%M')}"
        click.echo(f"{u.username}\t{u.role}\t{how}\t{state}\tlast signed in {last}")
