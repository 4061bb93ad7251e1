"""Failed sign-ins are limited by address too, not only by account: someone could try
one password against every user name they could think of (5 tries an account every 15
minutes, however many accounts). X-Forwarded-For is believed only from a proxy named in
``[web] trusted_proxies``."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from sufficiency.store.models import User
from sufficiency.web.auth import FAILED
from tests.web.conftest import PASSWORD, csrf, site_of_its_own

USERS = ("ann", "bob", "cat", "dan")


def _with_users(site):
    for name in USERS:
        site.add(name, "placement")
    return site


def _try(site, username: str, password: str, forwarded: str | None = None) -> httpx.Response:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    c = httpx.Client(base_url=site.url, follow_redirects=False, timeout=30, headers=headers)
    token = csrf(c)
    code = site.code(username) if username in site.secrets else "000000"
    return c.post("/sign-in", data={"csrftoken": token, "username": username,
                                    "password": password, "code": code})  # fmt: skip


def _failures(site, username: str) -> int:
    with site.store.engine.begin() as conn:
        return int(conn.scalar(select(User.failed_sign_ins).where(User.username == username)) or 0)


def test_one_address_gets_at_most_the_limit_of_failures(tmp_path) -> None:
    with site_of_its_own(tmp_path, sign_in_failures_per_address=3) as bare:
        site = _with_users(bare)
        # one password tried against three accounts (and a name nobody has): each refused
        for name in ("ann", "bob", "nobody-here"):
            r = _try(site, name, "Summer2026!", forwarded="198.51.100.7")
            assert r.status_code == 401 and FAILED in r.text
        # the limit is reached: the right password is refused too, in the same words, and
        # a forged X-Forwarded-For (no proxy is trusted) does not make it another address
        r = _try(site, "dan", PASSWORD, forwarded="203.0.113.9")
        assert r.status_code == 401 and FAILED in r.text
        assert _failures(site, "dan") == 0  # refused unchecked: dan's account is not charged
        assert _failures(site, "ann") == 1


def test_a_success_is_not_counted_as_a_failure(tmp_path) -> None:
    with site_of_its_own(tmp_path, sign_in_failures_per_address=2) as bare:
        site = _with_users(bare)
        assert _try(site, "ann", PASSWORD).status_code == 303
        assert _try(site, "bob", PASSWORD).status_code == 303
        assert _try(site, "cat", "wrong password").status_code == 401
        assert _try(site, "dan", PASSWORD).status_code == 303  # 1 failure of 2 so far


def test_forwarded_for_is_believed_from_a_trusted_proxy_only(tmp_path) -> None:
    with site_of_its_own(tmp_path, sign_in_failures_per_address=2,
                         trusted_proxies=("127.0.0.1",)) as bare:  # fmt: skip
        site = _with_users(bare)
        for name in ("ann", "bob"):
            assert _try(site, name, "wrong", forwarded="198.51.100.7").status_code == 401
        r = _try(site, "cat", PASSWORD, forwarded="198.51.100.7")
        assert r.status_code == 401 and FAILED in r.text  # that client has had its two
        # another client behind the same proxy is not held back by the first
        assert _try(site, "cat", PASSWORD, forwarded="203.0.113.9").status_code == 303
