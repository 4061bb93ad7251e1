"""OpenID Connect sign-in against a real local provider (oidc-provider-mock, on
loopback): the whole authorization-code flow with PKCE, over HTTP with httpx and in
headless Chromium. A user added with ``--oidc`` is signed in and sees their role's
pages; an account nobody added is refused; a tampered state or nonce is refused."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest

from sufficiency.store.accounts import add_user, audit_trail, get_user
from tests.web.conftest import require_browser

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _provider_user(oidc_site, sub: str, username: str) -> None:
    r = httpx.put(f"{oidc_site.provider}/users/{sub}",
                  json={"preferred_username": username, "email": username})  # fmt: skip
    assert r.status_code == 204


def _start(c: httpx.Client) -> str:
    """Start signing in; return the provider's authorization address."""
    r = c.get("/sign-in/oidc")
    assert r.status_code == 302, r.text
    return r.headers["location"]


def _authorize(authorize_url: str, sub: str) -> str:
    """The user approves at the provider; return the address back to the application."""
    r = httpx.post(authorize_url, data={"sub": sub})
    assert r.status_code == 302, r.text
    return r.headers["location"]


def _with(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | params
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_known_user_signs_in_and_sees_their_role(oidc_site):
    add_user(oidc_site.store, "ann@council.gov.uk", "commissioner", None, None)
    _provider_user(oidc_site, "ann-sub", "ann@council.gov.uk")
    c = httpx.Client(base_url=oidc_site.url, timeout=30)
    authorize = _start(c)
    assert authorize.startswith(oidc_site.provider + "/oauth2/authorize?")
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    back = _authorize(authorize, "ann-sub")
    assert back.startswith(oidc_site.url + "/sign-in/oidc/back?")
    r = c.get(back)
    assert r.status_code == 303 and r.headers["location"] == "/"
    home = c.get("/")
    assert home.status_code == 200 and "signed in as ann@council.gov.uk" in home.text
    assert c.get("/forecast").status_code == 200
    assert c.get("/matching").status_code == 403  # a commissioner: no child-level pages
    assert get_user(oidc_site.store, "ann@council.gov.uk").last_sign_in_at is not None
    signed = audit_trail(oidc_site.store, action="sign_in")
    assert signed[0].username == "ann@council.gov.uk" and signed[0].detail == "OpenID"


def test_unknown_account_is_refused(oidc_site):
    _provider_user(oidc_site, "stranger-sub", "stranger@elsewhere.example")
    c = httpx.Client(base_url=oidc_site.url, timeout=30)
    r = c.get(_authorize(_start(c), "stranger-sub"))
    assert r.status_code == 403
    assert "not set up for this application" in r.text
    assert c.get("/").status_code == 303  # not signed in
    failed = audit_trail(oidc_site.store, action="sign_in_failed")
    assert failed[0].username == "stranger@elsewhere.example"


def test_inactive_account_is_refused(oidc_site):
    from sufficiency.store.accounts import set_active

    add_user(oidc_site.store, "gone@council.gov.uk", "finance", None, None)
    set_active(oidc_site.store, "gone@council.gov.uk", False)
    _provider_user(oidc_site, "gone-sub", "gone@council.gov.uk")
    c = httpx.Client(base_url=oidc_site.url, timeout=30)
    assert c.get(_authorize(_start(c), "gone-sub")).status_code == 403
    assert c.get("/").status_code == 303


def test_tampered_state_is_refused(oidc_site):
    add_user(oidc_site.store, "bo@council.gov.uk", "finance", None, None)
    _provider_user(oidc_site, "bo-sub", "bo@council.gov.uk")
    c = httpx.Client(base_url=oidc_site.url, timeout=30)
    back = _authorize(_start(c), "bo-sub")
    r = c.get(_with(back, state="forged-state-value"))
    assert r.status_code == 401 and "did not complete" in r.text
    assert c.get("/").status_code == 303
    # a code sent back to a browser that never started signing in is refused too
    other = httpx.Client(base_url=oidc_site.url, timeout=30)
    assert other.get(back).status_code == 401
    assert other.get("/").status_code == 303


def test_tampered_nonce_is_refused(oidc_site):
    """The nonce in the ID token must be the one this browser's session asked for."""
    add_user(oidc_site.store, "cy@council.gov.uk", "finance", None, None)
    _provider_user(oidc_site, "cy-sub", "cy@council.gov.uk")
    c = httpx.Client(base_url=oidc_site.url, timeout=30)
    authorize = _start(c)
    back = _authorize(_with(authorize, nonce="an-attackers-nonce"), "cy-sub")
    r = c.get(back)
    assert r.status_code == 401 and "did not complete" in r.text
    assert c.get("/").status_code == 303


def test_provider_refusal_is_a_clear_sentence(oidc_site):
    c = httpx.Client(base_url=oidc_site.url, timeout=30)
    r = httpx.post(_start(c), data={"action": "deny"})
    assert r.status_code == 302
    back = c.get(r.headers["location"])
    assert back.status_code == 401 and "did not complete" in back.text


def test_sign_in_in_the_browser(oidc_site):
    require_browser()
    from playwright.sync_api import sync_playwright

    add_user(oidc_site.store, "dee@council.gov.uk", "commissioner", None, None)
    _provider_user(oidc_site, "dee-sub", "dee@council.gov.uk")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update",
        ])  # fmt: skip
        page = b.new_page()
        page.goto(oidc_site.url + "/forecast")
        assert page.url.endswith("/sign-in")
        page.get_by_role("link", name="Sign in with the test provider").click()
        page.get_by_placeholder("sub").fill("dee-sub")
        page.get_by_role("button", name="Authorize").click()
        # back to the page asked for before signing in (the home page before)
        page.wait_for_url(oidc_site.url + "/forecast")
        assert "signed in as dee@council.gov.uk" in page.content().lower()
        nav = page.get_by_role("navigation", name="Main menu")
        assert nav.get_by_role("link", name="Forecast").is_visible()
        assert not nav.get_by_role("link", name="Tonight's matches").count()
        b.close()


def test_issuer_must_be_https_unless_on_this_computer(tmp_path):
    from sufficiency.config import load_params
    from sufficiency.errors import ConfigError

    for issuer in ("http://localhost:9400", "http://127.0.0.1:9400",
                   "https://login.microsoftonline.com/tenant/v2.0"):  # fmt: skip
        path = tmp_path / "ok.toml"
        path.write_text(f'[web.oidc]\nissuer = "{issuer}"\nclient_id = "x"\n')
        assert load_params(path).web.oidc.issuer == issuer
    path = tmp_path / "bad.toml"
    path.write_text('[web.oidc]\nissuer = "http://login.example.org/tenant"\nclient_id = "x"\n')
    with pytest.raises(ConfigError, match="the issuer must be an https:// address"):
        load_params(path)


def test_a_password_account_cannot_sign_in_through_the_provider(oidc_site):
    """Organisation sign-in is for accounts added with --oidc: a password account keeps
    its own second factor even if the provider names it."""
    from sufficiency.web.auth import hash_password

    add_user(oidc_site.store, "pat", "placement", hash_password("a long test password"), "S" * 32)
    _provider_user(oidc_site, "pat-sub", "pat")
    c = httpx.Client(base_url=oidc_site.url, timeout=30)
    assert c.get(_authorize(_start(c), "pat-sub")).status_code == 403
    assert c.get("/").status_code == 303
