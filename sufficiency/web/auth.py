"""Signing in: Argon2id password hashes (argon2-cffi), TOTP codes (pyotp), throttling.

A password user signs in with user name, password and the 6-digit code from their
authenticator app. A code is accepted once only: the 30-second step of the last code
accepted is kept per user, and a code of that step or an earlier one is refused. Every
failure gets the same sentence (no hint whether the user exists);
:data:`~sufficiency.store.accounts.MAX_FAILURES` failures in a row lock the account for
:data:`~sufficiency.store.accounts.LOCK_MINUTES` minutes, and too many failures from one
address are refused unchecked (:mod:`~.throttle`) with :func:`refuse`, in the same words.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from sufficiency.store import RunStore
from sufficiency.store.accounts import (
    LOCK_MINUTES,
    MAX_FAILURES,
    Account,
    begin_sign_in,
    credentials,
    get_user,
    record_failure,
    record_success,
    set_password_hash,
    use_totp_step,
)

_hasher = PasswordHasher()
#: Verified against when the user does not exist, so both cases take as long.
_DUMMY_HASH = _hasher.hash("not a password anyone has")
MIN_PASSWORD = 12
ISSUER = "sufficiency"
#: The one sentence for every refused sign-in: a wrong name, password or code and a
#: locked account read the same, so the page never tells whether a user name exists.
FAILED = (
    "The user name, password or code is not right, or the account is locked after "
    f"{MAX_FAILURES} failed sign-ins in a row (for {LOCK_MINUTES} minutes). Check them and "
    "try again, or ask an administrator."
)


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"use a password of at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(username: str, secret: str) -> str:
    """The ``otpauth://`` address an authenticator app reads (as a QR code or typed)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


@dataclass(frozen=True)
class SignIn:
    """The outcome: the account when it succeeded, else the sentence to show."""

    account: Account | None
    message: str


def sign_in(
    store: RunStore, username: str, password: str, code: str, now: dt.datetime | None = None
) -> SignIn:
    """Check a password sign-in, counting failures and honouring a lock."""
    now = now or dt.datetime.now(dt.UTC)
    account = get_user(store, username.strip())
    pw_hash, secret = credentials(store, username.strip()) if account else (None, None)
    if account is None or pw_hash is None:
        _verify(_DUMMY_HASH, password)
        return SignIn(None, FAILED)
    if not begin_sign_in(store, account.username, now):  # locked, or 5 counted already
        # refused unchecked, but as slowly and in the same words as a wrong password
        _verify(_DUMMY_HASH, password)
        return SignIn(None, FAILED)
    ok = _verify(pw_hash, password) and account.active
    if ok and secret is not None:
        step = totp_step(secret, code, now)
        # A code is good once: its step must be later than the last one accepted.
        ok = step is not None and use_totp_step(store, account.username, step)
    if not ok:
        record_failure(store, account.username, now)
        return SignIn(None, FAILED)
    if _hasher.check_needs_rehash(pw_hash):
        set_password_hash(store, account.username, _hasher.hash(password))
    record_success(store, account.username, now)
    return SignIn(get_user(store, account.username), "")


def refuse(password: str) -> SignIn:
    """A sign-in refused unchecked (too many failures from its address): as slowly and in
    the same words as a wrong password."""
    _verify(_DUMMY_HASH, password)
    return SignIn(None, FAILED)


def totp_step(secret: str, code: str, now: dt.datetime) -> int | None:
    """The 30-second step ``code`` belongs to (now, or one step either side for clock
    drift), or ``None`` if it is not a current code of ``secret``."""
    code = code.strip().replace(" ", "")
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _verify(pw_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(pw_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
