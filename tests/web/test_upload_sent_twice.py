"""A double click on "Check the upload" staged and checked two uploads: the browser showed
the second's check and the first waited unseen in the temporary folder (a child's
records) for two hours, with a second "upload checked" in the audit trail. The same form
sent again with the same files now goes to the first's check; nothing is staged twice."""

from __future__ import annotations

import re
import tempfile
import threading
from pathlib import Path

import httpx
import pytest

from sufficiency.store.accounts import audit_trail
from sufficiency.web import admin, uploads
from tests.web.conftest import Site, csrf, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def _form(c: httpx.Client) -> dict[str, str]:
    page = c.get("/admin/uploads").text
    sent = re.search(r'name="sent" value="([^"]+)"', page)
    assert sent is not None
    return {"csrftoken": csrf(c), "kind": "referrals", "sent": sent.group(1)}


def _send(c: httpx.Client, form: dict[str, str], body: bytes) -> httpx.Response:
    return c.post("/admin/uploads", data=form,
                  files=[("files", ("referrals.csv", body, "text/csv"))])  # fmt: skip


def _staged() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("sufficiency-upload-*")}


def _checks(site: Site) -> int:
    return len(audit_trail(site.store, action="upload_checked"))


def test_the_same_upload_form_sent_twice_is_checked_once(tmp_path, monkeypatch):
    body = (SAMPLE / "referrals.csv").read_bytes()
    # a temporary folder of the test's own: other tests' uploads are not counted
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    with site_of_its_own(tmp_path, "admin") as site:
        c = site.client("admin")
        before = _staged()
        form = _form(c)
        first, second = _send(c, form, body), _send(c, form, body)
        assert first.status_code == second.status_code == 303
        assert first.headers["location"] == second.headers["location"]
        assert len(_staged() - before) == 1 and _checks(site) == 1
        page = c.get(second.headers["location"]).text
        assert "Sent twice: this is the check of the first sending" in page
        assert "Nothing has been written yet" in page

        # two clicks at once: the second waits for the first's check, then goes to it
        hold, entered = threading.Event(), threading.Event()
        real = uploads.stage

        def held(*args, **kwargs):
            entered.set()
            hold.wait(30)
            return real(*args, **kwargs)

        monkeypatch.setattr(admin.uploads, "stage", held)
        form = _form(c)
        got: list[httpx.Response] = []
        # one browser, one session: each click its own connection, the same cookie
        tabs = [httpx.Client(base_url=site.url, cookies=c.cookies, timeout=60) for _ in "12"]
        clicks = [threading.Thread(target=lambda t=t: got.append(_send(t, form, body)))
                  for t in tabs]  # fmt: skip
        clicks[0].start()
        assert entered.wait(30)
        clicks[1].start()
        clicks[1].join(1.0)
        assert clicks[1].is_alive()  # waiting for the first's check, not checking again
        hold.set()
        for t in clicks:
            t.join(60)
        assert [r.status_code for r in got] == [303, 303]
        assert got[0].headers["location"] == got[1].headers["location"]
        assert len(_staged() - before) == 2 and _checks(site) == 2

        # the form again once its upload was thrown away, or with another file: checked anew
        upload = got[0].headers["location"].rsplit("/", 1)[1]
        assert c.post(f"/admin/uploads/{upload}/discard",
                      data={"csrftoken": csrf(c)}).status_code == 303  # fmt: skip
        again = _send(c, form, body)
        assert again.headers["location"] != got[0].headers["location"] and _checks(site) == 3
        other = _send(c, form, body.replace(b"\n", b"\r\n"))
        assert other.headers["location"] != again.headers["location"] and _checks(site) == 4
        for r in (first, again, other):
            c.post(f"{r.headers['location']}/discard", data={"csrftoken": csrf(c)})
        assert _staged() - before == set()
        # a marker a sending (the first form, the second, the other file): no file, its id
        assert len(list((tmp_path / "tmp").glob("sufficiency-sent-*"))) == 3


def test_a_sending_marker_is_swept_with_the_uploads(tmp_path, monkeypatch):
    from sufficiency.web import upload_once

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    key = "a" * 40
    assert upload_once.once(key, lambda: "x" * 24) == ("x" * 24, False)
    marker = Path(tempfile.gettempdir()) / (uploads.SENT_PREFIX + key)
    assert (marker / "id").read_text() == "x" * 24
    import datetime as dt

    uploads.sweep(dt.datetime.now(dt.UTC) + dt.timedelta(hours=uploads.STAGED_HOURS + 1))
    assert not marker.exists()
