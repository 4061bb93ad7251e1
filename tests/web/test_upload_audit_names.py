"""The audit trail kept each accepted upload's file names ("Smith J referral.csv": a
council's file is often named after the child), for as long as the audit trail is kept,
read by administrators. It keeps how many files, their size and SHA-256 instead."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from sufficiency.store.accounts import audit_trail
from tests.web.conftest import csrf, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def test_the_audit_trail_keeps_no_uploaded_file_name(tmp_path):
    body = (SAMPLE / "referrals.csv").read_bytes()
    with site_of_its_own(tmp_path, "admin") as site:
        admin = site.client("admin")
        r = admin.post("/admin/uploads", data={"csrftoken": csrf(admin), "kind": "referrals"},
                       files=[("files", ("Smith J referral.csv", body, "text/csv"))])  # fmt: skip
        assert r.status_code == 303
        page = admin.get(r.headers["location"]).text
        upload = page.split('action="/admin/uploads/')[1].split("/")[0]
        r = admin.post(f"/admin/uploads/{upload}/accept", data={"csrftoken": csrf(admin)})
        assert r.status_code == 303
        assert (site.out / "data" / "referrals.csv").read_bytes() == body
        events = audit_trail(site.store, action="upload_accepted")
        assert len(events) == 1
        detail = events[0].detail or ""
        assert "Smith" not in detail and "referral.csv" not in detail.split(": ", 1)[1]
        sha = hashlib.sha256(body).hexdigest()[:12]
        assert f"1 file, {len(body):,} bytes, SHA-256 {sha}" in detail
        assert not [e for e in audit_trail(site.store) if "Smith" in (e.detail or "")]
        # nor the administrators' page of it
        assert "Smith" not in admin.get("/admin/audit").text
