"""Administration over HTTP against the live application: a TOTP code is good once;
users added, made inactive and given new credentials in the browser's forms, each
change audited; uploads checked with ``validate`` and written to the data folder only
when accepted."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import httpx
import pandas as pd
import pyotp
import pytest

from sufficiency.store.accounts import audit_trail, get_user
from sufficiency.validate import validate_paths
from tests.web.conftest import PASSWORD, csrf, sign_in

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _broken_referrals(sample_dir) -> bytes:
    lines = (sample_dir / "referrals.csv").read_text().splitlines(keepends=True)
    fields = lines[2].split(",")
    fields[1] = "31/02/2015"  # row 3: no such date of birth
    lines[2] = ",".join(fields)
    return "".join(lines).encode()


def _upload(c: httpx.Client, kind: str, files: list[tuple[str, bytes]]) -> httpx.Response:
    """The upload's check, as the page the POST redirects to shows it (a refusal before
    the check, such as 413, as it is)."""
    return _checked(c, c.post("/admin/uploads", data={"csrftoken": csrf(c), "kind": kind},
                              files=[("files", (n, b, "text/csv")) for n, b in files]))  # fmt: skip


def _checked(c: httpx.Client, r: httpx.Response) -> httpx.Response:
    if r.status_code != 303:
        return r
    assert r.headers["location"].startswith("/admin/uploads/")
    return c.get(r.headers["location"])


def _unusable(r: httpx.Response) -> bool:
    return r.status_code == 200 and "It cannot be used: nothing was written" in r.text


def _after(c: httpx.Client, r: httpx.Response) -> str:
    """The page a decision's POST redirects to (its message), checking it redirected."""
    assert r.status_code == 303, r.text
    return c.get(r.headers["location"]).text


def _upload_id(r: httpx.Response) -> str:
    return r.text.split('action="/admin/uploads/')[1].split("/")[0]


def _discard(c: httpx.Client, r: httpx.Response) -> None:
    """Throw a checked upload away (so no staging folder is left behind)."""
    d = c.post(f"/admin/uploads/{_upload_id(r)}/discard", data={"csrftoken": csrf(c)})
    assert d.status_code == 303


def _data_files(site) -> list[str]:
    if not site.data.exists():
        return []
    return sorted(str(p.relative_to(site.data)) for p in site.data.rglob("*") if p.is_file())


def test_a_totp_code_is_good_once(site):
    name = site.add("replay", "finance")
    code = site.code(name)
    c = site.client()
    assert sign_in(c, name, PASSWORD, code).status_code == 303
    c.post("/sign-out", data={"csrftoken": csrf(c)})
    again = site.client()
    r = sign_in(again, name, PASSWORD, code)  # the same code, seconds later
    assert r.status_code == 401 and "is not right" in r.text
    assert get_user(site.store, name).failed_sign_ins == 1


def test_admin_adds_users_and_they_sign_in(site):
    admin = site.client("admin")
    r = admin.post("/admin/users", data={"csrftoken": csrf(admin), "username": "newjo",
                                         "role": "placement", "sign_in": "password"})  # fmt: skip
    assert r.status_code == 200 and "shows these once" in r.text
    password = r.text.split('id="new-password">')[1].split("<")[0]
    secret = r.text.split('id="new-secret">')[1].split("<")[0]
    assert len(password) >= 20 and get_user(site.store, "newjo").role == "placement"
    jo = site.client()
    assert sign_in(jo, "newjo", password, pyotp.TOTP(secret).now()).status_code == 303
    assert jo.get("/matching").status_code == 200
    # an organisation-only account: no password or code to pass on
    r = admin.post("/admin/users", data={"csrftoken": csrf(admin), "username":
                   "ann@council.gov.uk", "role": "commissioner", "sign_in": "oidc"})  # fmt: skip
    assert r.status_code == 200 and "there is no password or code" in r.text
    ann = get_user(site.store, "ann@council.gov.uk")
    assert not ann.has_password and not ann.has_totp
    # mistakes are sentences, nothing added
    r = admin.post("/admin/users", data={"csrftoken": csrf(admin), "username": "bad name",
                                         "role": "boss", "sign_in": "password"})  # fmt: skip
    assert (
        r.status_code == 400
        and "Choose a role." in r.text
        and get_user(site.store, "bad name") is None
    )
    r = admin.post("/admin/users", data={"csrftoken": csrf(admin), "username": "newjo",
                                         "role": "finance", "sign_in": "oidc"})  # fmt: skip
    assert r.status_code == 400 and "already a user called" in r.text
    added = [e.detail for e in audit_trail(site.store, action="user_added")]
    assert "added newjo (placement, password and code)" in added
    assert "added ann@council.gov.uk (commissioner, organisation sign-in only)" in added
    # no password or secret in the audit trail or the server's log
    assert not [e for e in audit_trail(site.store) if password in (e.detail or "")]
    assert not [line for line in site.log.lines if password in line or secret in line]


def test_deactivate_reactivate_and_reset(site):
    name = site.add("mover", "finance")
    mover = site.client(name)
    admin = site.client("admin")
    uid = get_user(site.store, name).id
    r = admin.post(f"/admin/users/{uid}/active", data={"csrftoken": csrf(admin), "active": "no"})
    assert r.status_code == 303
    assert mover.get("/spend").status_code == 303  # signed out everywhere
    assert sign_in(site.client(), name, PASSWORD, site.code(name)).status_code == 401
    admin.post(f"/admin/users/{uid}/active", data={"csrftoken": csrf(admin), "active": "yes"})
    assert get_user(site.store, name).active
    site.client(name)  # signs in again
    # a new password: the old one stops working
    r = admin.post(f"/admin/users/{uid}/reset", data={"csrftoken": csrf(admin),
                                                      "what": "password"})  # fmt: skip
    new_password = r.text.split('id="new-password">')[1].split("<")[0]
    assert 'id="new-secret"' not in r.text
    assert sign_in(site.client(), name, PASSWORD, site.code(name)).status_code == 401
    assert sign_in(site.client(), name, new_password, site.code(name)).status_code == 303
    # a new authenticator code: the old secret stops working
    r = admin.post(f"/admin/users/{uid}/reset", data={"csrftoken": csrf(admin), "what": "code"})
    secret = r.text.split('id="new-secret">')[1].split("<")[0]
    assert secret != site.secrets[name]
    assert sign_in(site.client(), name, new_password, site.code(name)).status_code == 401
    assert sign_in(site.client(), name, new_password,
                   pyotp.TOTP(secret).now()).status_code == 303  # fmt: skip
    # an admin cannot lock themselves out; an unknown user is a 404
    me = get_user(site.store, "admin").id
    r = admin.post(f"/admin/users/{me}/active", data={"csrftoken": csrf(admin), "active": "no"})
    assert r.status_code == 400 and get_user(site.store, "admin").active
    r = admin.post("/admin/users/999999/reset", data={"csrftoken": csrf(admin), "what": "code"})
    assert r.status_code == 404
    actions = [(e.action, e.detail) for e in audit_trail(site.store) if name in (e.detail or "")]
    assert ("user_deactivated", f"{name} made inactive (signed out everywhere)") in actions
    assert ("user_reactivated", f"{name} made active again") in actions
    assert ("user_reset", f"{name} given a new password") in actions
    assert ("user_reset", f"{name} given a new authenticator code") in actions
    # every admin form needs the CSRF token
    assert admin.post(f"/admin/users/{uid}/active", data={"active": "no"}).status_code == 403
    assert get_user(site.store, name).active


def _unusable_referrals(sample_dir) -> bytes:
    """Referrals without their sex column: no row can be matched."""
    frame = pd.read_csv(sample_dir / "referrals.csv", dtype=str, keep_default_na=False)
    return frame.drop(columns="sex").to_csv(index=False).encode()


def test_upload_with_errors_writes_nothing(site, sample_dir):
    admin = site.client("admin")
    before = _data_files(site)
    runs = len(site.store.list_runs(limit=1000))
    r = _upload(admin, "referrals", [("referrals.csv", _unusable_referrals(sample_dir))])
    assert _unusable(r)
    row = r.text.split("Every problem found")[1]
    assert "referrals.csv" in row and "<td>sex</td>" in row and "required column" in row
    assert "Accept and use it" not in r.text
    assert _data_files(site) == before and len(site.store.list_runs(limit=1000)) == runs
    # the waiting upload cannot be accepted by a forged request either
    upload_id = _upload_id(r)
    r = admin.post(f"/admin/uploads/{upload_id}/accept", data={"csrftoken": csrf(admin)})
    assert "cannot be used" in _after(admin, r)
    assert _data_files(site) == before
    r = admin.post(f"/admin/uploads/{upload_id}/discard", data={"csrftoken": csrf(admin)})
    assert r.status_code == 303
    # a register sent as referrals, a file that is not CSV, nothing at all
    r = _upload(admin, "referrals", [("placements.csv",
                                      (sample_dir / "placements.csv").read_bytes())])  # fmt: skip
    assert _unusable(r) and "reads as placements" in r.text
    _discard(admin, r)
    r = _upload(admin, "placements", [("register.xlsx", b"PK not really")])
    assert _unusable(r) and "is a workbook" in r.text and "save the sheet as CSV" in r.text
    _discard(admin, r)
    r = _upload(admin, "placements", [("register.pdf", b"%PDF-1.4")])
    assert _unusable(r) and "is not a CSV file" in r.text
    _discard(admin, r)
    nothing = [("files", ("", b"", "application/octet-stream"))]
    form = {"csrftoken": csrf(admin), "kind": "referrals"}
    r = _checked(admin, admin.post("/admin/uploads", files=nothing, data=form))
    assert _unusable(r) and "no file was sent" in r.text
    _discard(admin, r)
    # a zip member climbing out of the folder is not read (as `validate` says)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("../../evil.csv", "CHILD\n1\n")
    r = _upload(admin, "history", [("history.zip", buf.getvalue())])
    assert _unusable(r) and "leads outside the zip&#39;s folder; not read" in r.text
    _discard(admin, r)
    assert _data_files(site) == before
    # too large: refused before it is read; without the CSRF token: refused
    big = b"x" * (2 * 1024 * 1024 + 10)
    assert _upload(admin, "referrals", [("referrals.csv", big)]).status_code == 413
    r = admin.post("/admin/uploads", data={"kind": "referrals"},
                   files=[("files", ("referrals.csv", b"child_id\n", "text/csv"))])  # fmt: skip
    assert r.status_code == 403
    checked = audit_trail(site.store, action="upload_checked")
    assert checked and checked[0].username == "admin"


def test_an_upload_with_a_bad_row_can_be_used_as_the_night_uses_it(site, sample_dir, monkeypatch):
    """Tonight's referrals with one child's date of birth mistyped could only be thrown
    away ('It cannot be used'), though the night sets that row aside and matches the rest:
    the night then matched yesterday's referrals, or none. The row is listed, the upload
    can be accepted, and the page says the row will be set aside. A 903 history with one
    bad episode likewise."""
    # checked as of the sample's date: from February 2027 its oldest referred children
    # are 18 by today's, each a further error of its row
    monkeypatch.setattr("sufficiency.clock.today", lambda now=None: dt.date(2026, 4, 1))
    admin = site.client("admin")
    r = _upload(admin, "referrals", [("referrals.csv", _broken_referrals(sample_dir))])
    assert r.status_code == 200, r.text
    status = r.text.split('role="status">')[1].split("</p>")[0]
    assert "1 error," in status and "set aside the 1 row with errors" in status
    row = r.text.split("Every problem found")[1]
    assert '<td class="num">3</td>' in row and "<td>dob</td>" in row
    r = admin.post(f"/admin/uploads/{_upload_id(r)}/accept", data={"csrftoken": csrf(admin)})
    assert r.status_code == 303
    assert (site.data / "referrals.csv").read_bytes() == _broken_referrals(sample_dir)
    (site.data / "referrals.csv").unlink()  # the site is shared: its data folder as it was
    files = [(f"{p.parent.name}/{p.name}", p.read_bytes())
             for p in sorted((sample_dir / "ssda903").rglob("*.csv"))]  # fmt: skip
    name, text = files[-3]  # 2026/episodes.csv
    assert name == "2026/episodes.csv"
    first = text.splitlines()[1].split(b",")  # a child's episode, its start mistyped
    bad = b",".join([first[0], b"31/02/2026", *first[2:]])  # (a "Total" row is a note now)
    files[-3] = (name, text + bad + b"\n")
    r = _upload(admin, "history", files)
    assert r.status_code == 200 and "set aside the 1 row with errors" in r.text, r.text
    _discard(admin, r)


def test_good_uploads_are_accepted_into_the_data_folder(site, sample_dir):
    admin = site.client("admin")
    good = (sample_dir / "referrals.csv").read_bytes()
    r = _upload(admin, "referrals", [("referrals.csv", good)])
    assert r.status_code == 200 and "Nothing has been written yet" in r.text
    upload_id = _upload_id(r)
    assert not (site.data / "referrals.csv").exists()
    # only the administrator who uploaded it may accept it
    other = site.add("admin2", "admin")
    oc = site.client(other)
    r2 = oc.post(f"/admin/uploads/{upload_id}/accept", data={"csrftoken": csrf(oc)})
    assert not (site.data / "referrals.csv").exists()
    assert "Only the administrator who uploaded it" in _after(oc, r2)
    assert oc.get(f"/admin/uploads/{upload_id}").status_code == 404  # nor see its check
    r = admin.post(f"/admin/uploads/{upload_id}/accept", data={"csrftoken": csrf(admin)})
    assert r.status_code == 303
    assert (site.data / "referrals.csv").read_bytes() == good
    assert (site.data / "referrals.csv").stat().st_mode & 0o077 == 0
    # accepted once: the same upload is not accepted again (a double click), and says so
    r = admin.post(f"/admin/uploads/{upload_id}/accept", data={"csrftoken": csrf(admin)})
    assert "Already accepted" in _after(admin, r)

    # the 903 history as one zip of the folder, year folders kept
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for p in sorted((sample_dir / "ssda903").rglob("*.csv")):
            z.write(p, f"ssda903/{p.relative_to(sample_dir / 'ssda903')}")
        z.writestr("ssda903/README.txt", "not part of the history")
    r = _upload(admin, "history", [("ssda903.zip", buf.getvalue())])
    assert r.status_code == 200, r.text
    assert "read as 903 history (collection years ending" in r.text
    r = admin.post(f"/admin/uploads/{_upload_id(r)}/accept", data={"csrftoken": csrf(admin)})
    assert r.status_code == 303
    history = site.data / "ssda903"
    # kept as sent, read by the night as by `validate` (sufficiency.io.zip903)
    assert history.is_symlink() and (history / "ssda903.zip").is_file()
    report = validate_paths([history], run_date=__import__("datetime").date(2026, 4, 1),
                            default_responsible_la="E10000034")  # fmt: skip
    assert report.ok
    # a second history replaces the first whole; the old folder is removed
    old = history.resolve()
    files = [(f"{p.parent.name}/{p.name}", p.read_bytes())
             for p in sorted((sample_dir / "ssda903").rglob("*.csv"))]  # fmt: skip
    r = _upload(admin, "history", files)
    assert r.status_code == 200, r.text
    admin.post(f"/admin/uploads/{_upload_id(r)}/accept", data={"csrftoken": csrf(admin)})
    assert history.resolve() != old and not old.exists()
    assert (history / "2026" / "episodes.csv").read_bytes() == (
        sample_dir / "ssda903" / "2026" / "episodes.csv").read_bytes()  # fmt: skip
    page = admin.get("/admin/uploads").text
    assert "None yet" in page  # the register has not been uploaded
    accepted = audit_trail(site.store, action="upload_accepted")
    assert len(accepted) >= 3 and accepted[-1].detail.startswith("referrals written to")
    # no file contents in the server's log
    dobs = [line.split(",")[1] for line in good.decode().splitlines()[1:]]
    assert not [d for d in dobs if any(d in line for line in site.log.lines)]


@pytest.mark.parametrize("excludes", [True, False])
def test_an_upload_is_checked_under_the_configured_rule_13(site, sample_dir, excludes):
    """A referral saying pets 'can' and a risk to animals is warned of as matching will
    read it under the server's configuration: with rule 13 switched off, the upload page
    no longer says no home with pets is proposed."""
    from sufficiency.config import MatchingParams

    frame = pd.read_csv(sample_dir / "referrals.csv", dtype=str, keep_default_na=False)
    frame.loc[0, ["pets", "risks"]] = ["can", "harm_animals"]
    site.app.state.matching = MatchingParams(harm_animals_excludes_pets=excludes)
    admin = site.client("admin")
    try:
        r = _upload(admin, "referrals", [("referrals.csv", frame.to_csv(index=False).encode())])
    finally:
        del site.app.state.matching
    assert r.status_code == 200, r.text
    assert ("no home with pets is proposed (rule 13)" in r.text) == excludes
    assert ("rule 13 is switched off" in r.text) != excludes
    _discard(admin, r)
