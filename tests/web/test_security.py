"""Security over HTTP against the live application: roles on every route (enumerated
from the router, so a new route cannot be missed), CSRF, guessed child URLs, the audit
trail, throttling, sign-out and the security headers."""

from __future__ import annotations

import base64
import contextlib
import re
from html import unescape

import pytest
from starlette.routing import Route

from sufficiency.store.accounts import MAX_FAILURES, audit_trail, get_user
from sufficiency.web import auth
from sufficiency.web.auth import FAILED
from sufficiency.web.framework import PUBLIC, Page
from tests.web.conftest import PASSWORD, ROLES, csrf, form_token, sign_in

#: A value for each path parameter (a real child of the sample run, a decision, a file,
#: a scenario, a run, a user, an upload).
PARAMS = {
    "child_id": "R001",
    "decision_id": "999999",
    "name": "spend.xlsx",
    "scenario_id": "999999",
    "run_id": "999999",
    "user_id": "1",
    "upload_id": "no-such-upload-waiting-here",
}


def _routes(app):
    out = []
    for r in app.routes:
        assert isinstance(r, Route), f"{r!r} is not a route; mounts are not checked"
        assert isinstance(r, Page), f"route {r.path} was not registered with its roles"
        for method in sorted(r.methods - {"HEAD"}):
            path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: PARAMS[m.group(1)], r.path)
            out.append((r, method, path))
    return out


def test_every_route_declares_roles(site):
    """Every route is a Page with PUBLIC or a non-empty set of known roles; only the
    sign-in pages are public."""
    public = set()
    for r, _method, _path in _routes(site.app):
        assert r.roles is PUBLIC or (r.roles and r.roles <= set(ROLES)), r.path
        if r.roles is PUBLIC:
            public.add(r.path)
    assert public == {"/sign-in", "/sign-in/oidc", "/sign-in/oidc/back"}
    with pytest.raises(TypeError):
        Page("/x", lambda ctx: None)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Page("/x", lambda ctx: None, roles={"placement"})  # type: ignore[arg-type]


def test_every_route_refuses_anonymous_and_wrong_roles(site):
    clients = {role: site.client(role) for role in ROLES}
    anon = site.client()
    checked = 0
    for r, method, path in _routes(site.app):
        if r.roles is PUBLIC:
            continue
        data = {"csrftoken": csrf(anon)}
        resp = anon.request(method, path, data=data if method == "POST" else None)
        if method == "GET":
            assert resp.status_code == 303 and resp.headers["location"] == "/sign-in", path
        else:
            assert resp.status_code == 401, (method, path, resp.status_code)
        for role, c in clients.items():
            if role in r.roles:
                continue
            data = {"csrftoken": csrf(c)}
            resp = c.request(method, path, data=data if method == "POST" else None)
            assert resp.status_code == 403, (role, method, path, resp.status_code)
            assert "cannot use this page" in resp.text
            checked += 1
    assert checked >= 20
    # the routes that change things are among those checked (a new one is picked up)
    posts = {path for r, method, path in _routes(site.app) if method == "POST"}
    assert {"/matching/rerun", "/matching/children/R001/decisions"} <= posts
    # allowed roles are let in (GET pages answer 200 or a plain 404 for a missing file)
    for r, method, path in _routes(site.app):
        if method != "GET" or r.roles is PUBLIC:
            continue
        for role in r.roles:
            resp = clients[role].get(path)
            if path.endswith("/confirm-pin"):  # no pin waiting: to the child's page
                child = path.removesuffix("/confirm-pin")
                assert resp.status_code == 303 and resp.headers["location"] == child, path
                continue
            assert resp.status_code in (200, 404), (role, path, resp.status_code)


def test_post_without_csrf_token_is_refused(site):
    c = site.client("placement")
    before = len(audit_trail(site.store, action="decision"))
    form = {"decision": "pin", "placement_id": "PL0073", "reason": "agreed at panel"}
    assert c.post("/matching/children/R001/decisions", data=form).status_code == 403
    bad = {**form, "csrftoken": "not-the-token"}
    assert c.post("/matching/children/R001/decisions", data=bad).status_code == 403
    # signing in needs the token too (no login CSRF), even without any cookie
    fresh = site.client()
    r = fresh.post("/sign-in", data={"username": "placement", "password": PASSWORD,
                                     "code": site.code("placement")})  # fmt: skip
    assert r.status_code == 403
    assert len(audit_trail(site.store, action="decision")) == before
    # re-running matching needs it too: nothing starts without it
    runs = site.store.count()
    assert c.post("/matching/rerun").status_code == 403
    assert c.post("/matching/rerun", data={"csrftoken": "not-the-token"}).status_code == 403
    assert site.store.count() == runs


def _with_tokens_of(victim, other, page: str):
    """``victim`` posting the token of ``other``'s ``page``, with ``other``'s cookies but the
    session (as an attacker who can plant a cookie, on a sibling site say, could send)."""
    token = form_token(other.get(page).text)
    for cookie in other.cookies.jar:
        if cookie.name != "sufficiency":
            victim.cookies.set(cookie.name, cookie.value or "", cookie.domain, cookie.path)
    return token


def test_a_token_from_another_session_is_refused(site):
    """The CSRF token was a signed random cookie, the same for whoever held it: a token
    (and its cookie) from an anonymous sign-in page, or from another signed-in user's
    page, was accepted on this user's form post (it reached the handler, which answered
    400 for the form's own fault: PL0017 is not one of R001's homes). It is bound to the
    session now: refused before the handler with a sentence, nothing recorded."""
    before = len(audit_trail(site.store, action="decision"))
    form = {"decision": "exclude", "placement_id": "PL0017", "reason": "token test"}
    for other, page in ((site.client(), "/sign-in"), (site.client("placement"), "/matching")):
        victim = site.client("placement")
        token = _with_tokens_of(victim, other, page)
        r = victim.post("/matching/children/R001/decisions", data={**form, "csrftoken": token})
        assert r.status_code == 403, (page, r.status_code)
        assert "This form has expired or did not come from this site" in r.text
        assert "Traceback" not in r.text
    assert len(audit_trail(site.store, action="decision")) == before
    victim = site.client("placement")
    token = _with_tokens_of(victim, site.client("commissioner"), "/")
    r = victim.post("/sign-out", data={"csrftoken": token})
    assert r.status_code == 403 and victim.get("/matching").status_code == 200
    # a token in letters beyond ASCII is refused too, not a fault
    r = victim.post("/sign-out", data={"csrftoken": "é" * 64})
    assert r.status_code == 403 and "did not come from this site" in r.text
    assert victim.post("/sign-out", data={"csrftoken": csrf(victim)}).status_code == 303


def test_signing_in_changes_the_token(site):
    """The sign-in page's token is the anonymous session's: after signing in, a new session
    has a new token, and the old one is refused."""
    c = site.client()
    before = csrf(c)
    assert sign_in(c, "finance", PASSWORD, site.code("finance")).status_code == 303
    after = csrf(c)
    assert after != before
    assert c.post("/sign-out", data={"csrftoken": before}).status_code == 403
    assert c.post("/sign-out", data={"csrftoken": after}).status_code == 303


def _readable(cookie: str) -> str:
    """All the cookie says to someone who reads it: its parts, base64-decoded where they
    decode (standard or URL-safe alphabet)."""
    out = [cookie]
    for part in [cookie, *cookie.split(".")]:
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            with contextlib.suppress(ValueError):
                out.append(decode(part + "=" * (-len(part) % 4)).decode("utf-8", "replace"))
    return "\n".join(out)


def test_the_session_cookie_does_not_show_what_was_typed_about_a_child(site):
    """The message shown after a decision ('Recorded: Excluded from PL.. by placement:
    <the reason>') was kept in the session cookie, signed but readable: the base64 of
    the session's JSON held the reason typed about the child. The cookie is sealed
    (encrypted) now; the message is still shown, once."""
    c = site.client("placement")
    reason = "worried about the dog at home"
    page = c.get("/matching/children/R003").text
    home = page.split('<option value="', 1)[1].split('"', 1)[0]
    r = c.post("/matching/children/R003/decisions", data={
        "csrftoken": form_token(page), "decision": "exclude", "placement_id": home,
        "reason": reason})  # fmt: skip
    assert r.status_code == 303
    cookie = c.cookies["sufficiency"]
    assert reason not in _readable(cookie) and "R003" not in _readable(cookie)
    assert '"uid"' not in _readable(cookie)
    shown = c.get(r.headers["location"]).text
    assert f"by placement: {reason}. The next matching run will use it." in shown
    # a changed cookie is an empty session (signed out), never a fault
    tampered = site.client()
    tampered.cookies.set("sufficiency", cookie[:-4] + ("AAAA" if cookie[-4:] != "AAAA" else "BBBB"))
    r = tampered.get("/matching")
    assert r.status_code == 303 and r.headers["location"] == "/sign-in"
    # the decision withdrawn (it is not the sample's), its message sealed too
    decision_id = shown.split('action="/decisions/', 1)[1].split("/", 1)[0]
    r = c.post(f"/decisions/{decision_id}/withdraw", data={"csrftoken": csrf(c)})
    assert r.status_code == 303 and reason not in _readable(c.cookies["sufficiency"])


def test_commissioner_cannot_open_a_child_page_by_guessing_its_url(site):
    c = site.client("commissioner")
    for child in ("R001", "R016", "R999"):
        r = c.get(f"/matching/children/{child}")
        assert r.status_code == 403
        assert child not in r.text
    views = audit_trail(site.store, action="view_child")
    assert not [v for v in views if v.username == "commissioner"]


def test_child_views_and_decisions_are_audited(site):
    c = site.client("placement")
    r = c.get("/matching/children/R002")
    assert r.status_code == 200 and "Why this home" in r.text
    token = csrf(c)
    r = c.post("/matching/children/R002/decisions", data={
        "csrftoken": token, "decision": "exclude", "placement_id": "PL0017",
        "reason": "the carers are on leave"})  # fmt: skip
    assert r.status_code == 303
    views = audit_trail(site.store, action="view_child", child_id="R002")
    assert views and views[0].username == "placement" and views[0].run_id
    made = audit_trail(site.store, action="decision", child_id="R002")
    assert made and made[0].username == "placement"
    assert "Excluded from PL0017 by placement: the carers are on leave" in (made[0].detail or "")
    # a home that is not one of the child's options, and a missing reason, are refused
    r = c.post("/matching/children/R002/decisions", data={
        "csrftoken": token, "decision": "pin", "placement_id": "PL9999", "reason": ""})  # fmt: skip
    assert r.status_code == 400
    assert "Choose one of this child&#39;s homes." in r.text and "Say why" in r.text
    # no such child: 404 without an audit row
    assert c.get("/matching/children/R999").status_code == 404
    assert not audit_trail(site.store, child_id="R999")


def test_throttling_locks_the_account(site):
    name = site.add("throttled", "placement")
    c = site.client()
    for _ in range(MAX_FAILURES - 1):
        r = sign_in(c, name, "wrong password!!", site.code(name))
        assert r.status_code == 401 and "is not right" in r.text
    r = sign_in(c, name, "wrong password!!", site.code(name))
    assert r.status_code == 401 and "is not right" in r.text
    assert get_user(site.store, name).locked_until is not None
    r = sign_in(c, name, PASSWORD, site.code(name))  # right, but locked
    assert r.status_code == 401 and "is not right" in r.text
    # a wrong code with the right password fails too, the same way as a wrong password
    other = site.add("codecheck", "finance")
    r = sign_in(site.client(), other, PASSWORD, "000000" if site.code(other) != "000000"
                else "111111")  # fmt: skip
    assert r.status_code == 401 and "is not right" in r.text


def test_sign_ins_sent_at_once_are_counted_before_they_are_checked(site, monkeypatch):
    """Failures were counted after the password was checked: 40 wrong sign-ins sent at
    once (one account, one code) all had their password checked before the first was
    counted, so a lock after 5 let 40 guesses through. Each attempt is counted first
    now: at most 5 are checked, the rest refused as locked, unchecked."""
    from concurrent.futures import ThreadPoolExecutor

    name = site.add("burst", "placement")
    clients = [site.client() for _ in range(20)]
    tokens = [csrf(c) for c in clients]

    def attempt(i: int) -> str:
        return clients[i].post("/sign-in", data={
            "csrftoken": tokens[i], "username": name, "password": f"wrong password {i:02d}",
            "code": "123456"}).text  # fmt: skip

    checked: list[str] = []
    verify = auth._verify

    def counting(pw_hash: str, password: str) -> bool:
        if pw_hash != auth._DUMMY_HASH:  # the account's own hash: a password checked
            checked.append(password)
        return verify(pw_hash, password)

    monkeypatch.setattr(auth, "_verify", counting)
    with ThreadPoolExecutor(len(clients)) as pool:
        pages = list(pool.map(attempt, range(len(clients))))
    assert 1 <= len(checked) <= MAX_FAILURES, len(checked)
    # those refused unchecked read as every other failure
    assert all(FAILED in unescape(p) for p in pages)
    assert get_user(site.store, name).locked_until is not None
    # the right password and code are refused while locked
    r = sign_in(site.client(), name, PASSWORD, site.code(name))
    assert r.status_code == 401 and "is not right" in r.text


def test_a_locked_account_reads_as_a_user_name_that_does_not_exist(site):
    """The lock said 'This account is locked after too many failed sign-ins' where an
    unknown name only ever got 'not right': six wrong passwords told whether a user name
    exists. Both now get the one sentence, which says an account may be locked."""
    name = site.add("enumerated", "finance")
    pages = {}
    for who in (name, "no-such-user"):
        c = site.client()
        for _ in range(MAX_FAILURES + 1):
            r = sign_in(c, who, "wrong password!!", "123456")
            assert r.status_code == 401
        pages[who] = unescape(r.text)
    assert get_user(site.store, name).locked_until is not None
    assert FAILED in pages[name] and FAILED in pages["no-such-user"]
    assert "locked after" in FAILED


def test_sign_out_ends_the_session_everywhere(site):
    name = site.add("leaver", "finance")
    c = site.client(name)
    stolen = dict(c.cookies)
    assert c.get("/spend").status_code == 200
    r = c.post("/sign-out", data={"csrftoken": csrf(c)})
    assert r.status_code == 303
    replay = site.client()
    replay.cookies.update(stolen)
    r = replay.get("/spend")
    assert r.status_code == 303 and r.headers["location"] == "/sign-in"


def test_cookies_and_headers(site):
    c = site.client()
    r = c.get("/sign-in")
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cache-control"] == "no-store"
    # the session cookie holds the CSRF token's key from the first page
    assert "samesite=strict" in r.headers["set-cookie"].lower()
    assert "httponly" in r.headers["set-cookie"].lower()
    r = sign_in(c, "admin", PASSWORD, site.code("admin"))
    session = [v for k, v in r.headers.multi_items() if k == "set-cookie" and "sufficiency=" in v]
    assert session and "httponly" in session[0].lower() and "samesite=strict" in session[0].lower()
    assert "Max-Age=1800" in session[0]


def test_the_idle_timeout_counts_from_the_last_request(site):
    """The session cookie was sealed again only when the session changed (signing in, a
    message): the idle timeout of 30 minutes ran from signing in, however busy the
    person was (with a 1-minute timeout, someone opening a page every 20 s was signed
    out at 60 s, a form they were filling in refused). Every signed-in answer now sends
    the cookie again, its idle time starting afresh."""
    c = site.client("finance")
    for page in ("/", "/spend", "/forecast"):
        r = c.get(page)
        cookie = [v for k, v in r.headers.multi_items() if k == "set-cookie"]
        assert cookie and cookie[0].startswith("sufficiency=") and "Max-Age=1800" in cookie[0]


def test_views_of_the_lists_of_children_are_audited(site):
    """Tonight's list names every referred child with their proposed home, and the
    Decisions page every decision by child: child-level data, yet only a child's own
    page was in the audit trail, so who read the whole list was not known."""
    c = site.client("placement")
    assert c.get("/matching").status_code == 200
    seen = audit_trail(site.store, action="view_matching")
    assert seen and seen[0].username == "placement" and seen[0].run_id
    assert "opened tonight's proposals of matching run" in (seen[0].detail or "")
    assert c.get("/decisions").status_code == 200
    seen = audit_trail(site.store, action="view_decisions")
    assert seen and seen[0].username == "placement"
    # refused roles leave no view in the trail
    before = len(audit_trail(site.store, limit=100_000, action="view_matching"))
    assert site.client("finance").get("/matching").status_code == 403
    assert len(audit_trail(site.store, limit=100_000, action="view_matching")) == before


def test_a_view_of_what_changed_is_audited(tmp_path):
    """The "What changed" page lists each child whose proposal changed, and why."""
    from sufficiency.config import WebParams
    from sufficiency.store import RunStore
    from sufficiency.web.app import create_app
    from tests.web.conftest import Site, _Keep, _serve, run_match

    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    run_match(url, tmp_path / "first")
    run_match(url, tmp_path / "second")
    store = RunStore(url)
    server, thread, address = _serve(create_app(store, WebParams()))
    try:
        site = Site(address, store, url, tmp_path, {}, _Keep(), server, None)
        site.add("placement", "placement")
        r = site.client("placement").get("/matching/changes")
        assert r.status_code == 200
        seen = audit_trail(store, action="view_changes")
        assert seen and seen[0].username == "placement" and seen[0].run_id
        assert "opened what changed from matching run 1 to 2" in (seen[0].detail or "")
        assert re.search(r" \((1 row|[02-9]\d* rows|1\d+ rows)\)$", seen[0].detail or "")
    finally:
        server.should_exit = True
        thread.join(10)
        store.close()


def test_a_failed_sign_in_does_not_record_what_was_typed_as_the_user_name(site):
    """People type their password in the user name box; every failed sign-in was recorded
    under the name typed, so the audit trail (read by administrators) kept the password."""
    typed = "my secret password 42"
    r = sign_in(site.client(), typed, "anything at all", "123456")
    assert r.status_code == 401
    trail = audit_trail(site.store, limit=100_000)
    assert not [e for e in trail if typed in (e.username or "") + (e.detail or "")]
    failed = audit_trail(site.store, action="sign_in_failed")
    assert failed[0].username is None and "nobody has" in (failed[0].detail or "")
    # a known account's failures are still recorded under its name
    name = site.add("mistyped", "finance")
    assert sign_in(site.client(), name, "wrong password!!", "123456").status_code == 401
    assert audit_trail(site.store, action="sign_in_failed")[0].username == name


def test_a_huge_form_is_refused_before_it_is_read(site):
    """asgi-csrf read a form's whole body into memory, by repeated concatenation, before
    any sign-in or role check: a 100 MB POST to the sign-in page from anyone took 13 s
    and 480 MB of the server's memory. A body over 1 MB is refused (413), by its length,
    or as it arrives when sent without one; the usual forms still work."""
    c = site.client()
    token = csrf(c)
    big = b"csrftoken=" + token.encode() + b"&username=" + b"a" * (3 * 1024 * 1024)
    form = {"content-type": "application/x-www-form-urlencoded"}
    r = c.post("/sign-in", content=big, headers=form)
    assert r.status_code == 413 and "Too large" in r.text
    assert r.headers["content-security-policy"]  # the security headers too

    def chunks():  # no Content-Length: sent chunked
        for i in range(0, len(big), 65536):
            yield big[i : i + 65536]

    r = site.client().post("/sign-in", content=chunks(), headers=form)
    assert r.status_code == 413
    assert sign_in(site.client(), "placement", PASSWORD, site.code("placement")).status_code == 303


@pytest.mark.parametrize("content_type", ["multipart/form-data",
                                          "multipart/form-data; boundary=x"])  # fmt: skip
def test_a_multipart_post_where_no_upload_is_expected_is_refused_in_a_sentence(site, content_type):
    """asgi-csrf 0.11 cannot read a multipart form (simonw/asgi-csrf#38): any multipart
    POST but an upload, from anyone, was a fault (500) with a traceback in the log."""
    c = site.client()
    body = b"csrftoken=" + csrf(c).encode()
    r = c.post("/sign-in", content=body, headers={"content-type": content_type})
    assert r.status_code == 400 and "Not sent right" in r.text
    r = site.client("placement").post("/matching/rerun", content=body,
                                      headers={"content-type": content_type})  # fmt: skip
    assert r.status_code == 400


def test_a_form_that_is_not_utf8_or_a_number_too_large_for_the_database_is_no_fault(site):
    """A form body with a byte such as 0xff made asgi-csrf fail to decode it (500, for
    anyone, before sign-in), and a number in a URL past what a database integer holds
    (``/decisions/99999999999999999999999/withdraw``) made the database refuse the query
    (500). They are refused in a sentence (400) and not found (404)."""
    c = site.client()
    body = b"csrftoken=" + csrf(c).encode() + b"&username=\xff\xfe"
    form = {"content-type": "application/x-www-form-urlencoded"}
    r = c.post("/sign-in", content=body, headers=form)
    assert r.status_code == 400 and "Not sent right" in r.text
    big = "99999999999999999999999"
    p = site.client("placement")
    r = p.post(f"/decisions/{big}/withdraw", data={"csrftoken": csrf(p)})
    assert r.status_code == 404 and "There is no such page" in r.text
    assert site.client("commissioner").get(f"/scenarios/{big}").status_code == 404
    assert site.client("commissioner").get(f"/scenarios/runs/{big}").status_code == 404
    a = site.client("admin")
    r = a.post(f"/admin/users/{big}/active", data={"csrftoken": csrf(a), "active": "0"})
    assert r.status_code == 404
    # a form in UTF-8, with characters beyond ASCII, still works
    r = c.post("/sign-in", data={"csrftoken": csrf(c), "username": "Zoë", "password": "x",
                                 "code": "1"})  # fmt: skip
    assert r.status_code == 401
