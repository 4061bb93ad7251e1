"""The web application's accounts, audit trail and settings, kept in the run store.

Passwords arrive here already hashed (Argon2id, by :mod:`sufficiency.web.auth`); the
store never sees a password. Sign-in throttling is counted here: after
:data:`MAX_FAILURES` failed sign-ins in a row an account is locked for
:data:`LOCK_MINUTES` minutes.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sufficiency.errors import StoreError
from sufficiency.store.models import AuditEvent, Setting, User
from sufficiency.store.store import RunStore, utc
from sufficiency.store.types import fold_id

ROLES: tuple[str, ...] = ("placement", "commissioner", "finance", "admin")
#: What each role may do, in a sentence (``users add`` and docs/web.md say it).
ROLE_WORDS = {
    "placement": "the placement team: tonight's proposals and the match report to download, "
    "each child's page and decisions",
    "commissioner": "commissioners: forecasts, scenarios, commissioning and spend, aggregate "
    "figures only",
    "finance": "finance: spend and its downloads, aggregate figures only",
    "admin": "administrators: users, uploads of inputs and the audit trail, no child's record",
}
MAX_FAILURES = 5
LOCK_MINUTES = 15
#: The longest user name (the column's width): a longer one is refused, never cut.
MAX_USERNAME = 200
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,199}$")


@dataclass(frozen=True)
class Account:
    """One user, as the application needs it (no password hash outside sign-in)."""

    id: int
    username: str
    role: str
    active: bool
    has_password: bool
    has_totp: bool
    failed_sign_ins: int
    locked_until: dt.datetime | None
    session_version: int
    created_at: dt.datetime
    last_sign_in_at: dt.datetime | None


def _account(u: User) -> Account:
    return Account(
        id=u.id,
        username=u.username,
        role=u.role,
        active=bool(u.active),
        has_password=u.password_hash is not None,
        has_totp=u.totp_secret is not None,
        failed_sign_ins=u.failed_sign_ins,
        locked_until=utc(u.locked_until),
        session_version=u.session_version,
        created_at=utc(u.created_at) or u.created_at,
        last_sign_in_at=utc(u.last_sign_in_at),
    )


def check_username(username: str) -> str:
    if len(username) > MAX_USERNAME:
        raise StoreError(f"a user name is at most {MAX_USERNAME} characters; this one has "
                         f"{len(username):,}")  # fmt: skip
    if not USERNAME.match(username):
        raise StoreError(
            f"cannot use {username!r} as a user name: use letters a to z without "
            "accents, digits and . _ @ - "
            "(up to 200 characters, starting with a letter or digit)"
        )
    return username


def check_role(role: str) -> str:
    if role not in ROLES:
        raise StoreError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    return role


def add_user(
    store: RunStore,
    username: str,
    role: str,
    password_hash: str | None,
    totp_secret: str | None,
    now: dt.datetime | None = None,
) -> Account:
    """Create an account; a user name already taken is an error."""
    user = User(
        username=check_username(username),
        role=check_role(role),
        password_hash=password_hash,
        totp_secret=totp_secret,
        active=True,
        failed_sign_ins=0,
        session_version=0,
        created_at=now or dt.datetime.now(dt.UTC),
    )
    try:
        with Session(store.engine) as s, s.begin():
            # "PLACEMENT" beside "placement": two accounts the audit trail, the decisions'
            # "by ..." and a person reading them cannot tell apart (one name, two roles)
            _refuse_capitals(s, username)
            s.add(user)
            s.flush()
            return _account(user)
    except IntegrityError:
        # added meanwhile (the database's index on the name in lower case, migration 0006)
        with Session(store.engine) as s:
            _refuse_capitals(s, username)
        raise StoreError(f"there is already a user called {username!r}") from None


def _refuse_capitals(s: Session, username: str) -> None:
    taken = s.scalar(select(User.username).where(
        func.lower(User.username) == username.lower()))  # fmt: skip
    if taken is not None and taken != username:
        raise StoreError(f"there is already a user called {taken!r} (user names "
                         "that differ only in capitals are one name)")  # fmt: skip


def list_users(store: RunStore) -> list[Account]:
    with Session(store.engine) as s:
        return [_account(u) for u in s.scalars(select(User).order_by(User.username))]


def count_users(store: RunStore) -> int:
    return len(list_users(store))


def get_user(store: RunStore, username: str) -> Account | None:
    with Session(store.engine) as s:
        u = s.scalar(select(User).where(User.username == username))
        return _account(u) if u else None


def get_user_by_id(store: RunStore, user_id: int) -> Account | None:
    with Session(store.engine) as s:
        u = s.get(User, user_id)
        return _account(u) if u else None


def credentials(store: RunStore, username: str) -> tuple[str | None, str | None]:
    """The password hash and TOTP secret of ``username`` (``None, None`` if no such user)."""
    with Session(store.engine) as s:
        u = s.scalar(select(User).where(User.username == username))
        return (u.password_hash, u.totp_secret) if u else (None, None)


def set_password_hash(store: RunStore, username: str, password_hash: str) -> None:
    """Store a re-hashed password (Argon2 parameters raised since it was set)."""
    with Session(store.engine) as s, s.begin():
        s.execute(update(User).where(User.username == username).values(password_hash=password_hash))


def set_active(store: RunStore, username: str, active: bool) -> None:
    with Session(store.engine) as s, s.begin():
        u = s.scalar(select(User).where(User.username == username))
        if u is None:
            raise StoreError(f"there is no user called {username!r}")
        u.active = active
        u.session_version += 1


def set_active_by_id(store: RunStore, user_id: int, active: bool) -> Account:
    """Make an account active or inactive; making it inactive ends its sessions."""
    with Session(store.engine) as s, s.begin():
        u = s.get(User, user_id)
        if u is None:
            raise StoreError(f"there is no user with ID {user_id}")
        u.active = active
        u.session_version += 1
        if active:
            u.failed_sign_ins = 0
            u.locked_until = None
        s.flush()
        return _account(u)


def reset_credentials(
    store: RunStore, user_id: int, password_hash: str | None, totp_secret: str | None
) -> Account:
    """Give an account a new password hash and/or TOTP secret (``None``: keep it).

    Ends the account's sessions and lifts a lock; a new secret forgets the last code step.
    """
    with Session(store.engine) as s, s.begin():
        u = s.get(User, user_id)
        if u is None:
            raise StoreError(f"there is no user with ID {user_id}")
        if password_hash is not None:
            u.password_hash = password_hash
        if totp_secret is not None:
            u.totp_secret = totp_secret
            u.totp_last_step = None
        u.session_version += 1
        u.failed_sign_ins = 0
        u.locked_until = None
        s.flush()
        return _account(u)


def use_totp_step(store: RunStore, username: str, step: int) -> bool:
    """Record that ``username`` signed in with the code of ``step``; False if that step or
    a later one was used before (a replayed code). One conditional UPDATE, so two
    requests racing with the same code cannot both succeed."""
    with Session(store.engine) as s, s.begin():
        done = s.execute(
            update(User)
            .where(User.username == username)
            .where((User.totp_last_step.is_(None)) | (User.totp_last_step < step))
            .values(totp_last_step=step)
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]


def locked(account: Account, now: dt.datetime | None = None) -> bool:
    now = now or dt.datetime.now(dt.UTC)
    return account.locked_until is not None and account.locked_until > now


def begin_sign_in(store: RunStore, username: str, now: dt.datetime | None = None) -> bool:
    """Count a sign-in attempt before its password and code are checked; False (refuse it
    unchecked) if the account is locked or already has :data:`MAX_FAILURES` attempts
    counted, failed or being checked now. One conditional UPDATE: counted after the
    check, 40 wrong sign-ins sent at once were all checked before the first was counted
    (a lock after 5 let 40 guesses through). :func:`record_success` clears the count."""
    now = now or dt.datetime.now(dt.UTC)
    with Session(store.engine) as s, s.begin():
        done = s.execute(
            update(User)
            .where(User.username == username)
            .where(User.locked_until.is_(None) | (User.locked_until <= now))
            .where(User.failed_sign_ins < MAX_FAILURES)
            .values(failed_sign_ins=User.failed_sign_ins + 1)
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]


def record_failure(store: RunStore, username: str, now: dt.datetime | None = None) -> bool:
    """An attempt counted by :func:`begin_sign_in` failed: the account is locked once
    :data:`MAX_FAILURES` are counted; return True if this locked it."""
    now = now or dt.datetime.now(dt.UTC)
    with Session(store.engine) as s, s.begin():
        done = s.execute(
            update(User)
            .where(User.username == username)
            .where(User.failed_sign_ins >= MAX_FAILURES)
            .values(locked_until=now + dt.timedelta(minutes=LOCK_MINUTES), failed_sign_ins=0)
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]


def record_success(store: RunStore, username: str, now: dt.datetime | None = None) -> None:
    with Session(store.engine) as s, s.begin():
        u = s.scalar(select(User).where(User.username == username))
        if u is not None:
            u.failed_sign_ins = 0
            u.locked_until = None
            u.last_sign_in_at = now or dt.datetime.now(dt.UTC)


def end_sessions(store: RunStore, user_id: int) -> None:
    """Sign the user out everywhere: sessions signed before now are refused."""
    with Session(store.engine) as s, s.begin():
        u = s.get(User, user_id)
        if u is not None:
            u.session_version += 1


# --- the audit trail -----------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    username: str | None
    action: str
    child_id: str | None
    run_id: int | None
    detail: str | None


def audit(
    store: RunStore,
    username: str | None,
    action: str,
    *,
    child_id: str | None = None,
    run_id: int | None = None,
    detail: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Record one event (``detail``: a sentence naming children by ID only)."""
    with Session(store.engine) as s, s.begin():
        s.add(
            AuditEvent(
                at=now or dt.datetime.now(dt.UTC),
                username=username,
                action=action,
                child_id=child_id,
                run_id=run_id,
                detail=detail,
            )
        )


def audit_trail(
    store: RunStore, limit: int = 200, action: str | None = None, child_id: str | None = None
) -> list[AuditRow]:
    """The most recent events first. ``child_id`` finds a child's events under any
    spelling matching reads as the same child (``r007``, ``R 007`` for ``R007``:
    :func:`~sufficiency.store.types.fold_id`), as a subject-access search must."""
    q = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if action:
        q = q.where(AuditEvent.action == action)
    if child_id:
        spelt = func.upper(func.replace(AuditEvent.child_id, " ", ""))  # as fold_id reads it
        q = q.where(spelt == fold_id(child_id))
    with Session(store.engine) as s:
        return [
            AuditRow(utc(e.at) or e.at, e.username, e.action, e.child_id, e.run_id, e.detail)
            for e in s.scalars(q)
        ]


# --- settings ------------------------------------------------------------------------


def secret_setting(store: RunStore, name: str) -> str:
    """A random secret kept in the store under ``name``, made on first use."""
    try:
        with Session(store.engine) as s, s.begin():
            found = s.get(Setting, name)
            if found is not None:
                return found.value
            s.add(Setting(name=name, value=secrets.token_urlsafe(48)))
    except IntegrityError:
        pass  # another process made it first: use theirs
    with Session(store.engine) as s:
        row = s.get(Setting, name)
        if row is None:
            raise StoreError(f"cannot keep the setting {name!r} in the run store")
        return row.value
