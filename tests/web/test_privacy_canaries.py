"""The web application quotes no child's details beyond their ID, over real HTTP: the
upload check's page for referrals and 903 histories (CSV and DfE XML) holding a canary
in every personal field (tests/privacy_canaries.py), and the pages of matching, forecast
and spend runs made on them, with everything the server logged. The upload check quoted
a free-text RNE, PLACE, school year or needed_by whole ("moved to Nan Quaxworth"), and a
set-aside child's page the reason match recorded with it."""

from __future__ import annotations

import logging

import pandas as pd
import pytest
from privacy_canaries import REFERRALS, SAMPLE, history, leaks, referrals, xml_history

from sufficiency.io.shape import not_an_id
from tests.web.conftest import _Keep, csrf, run_cli, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
QUICK = ["--paths", "10", "--horizon-months", "12", "--date", "2026-04-01"]


def _upload(c, kind: str, files: list[tuple[str, bytes]]):
    """The upload's check, as the page the POST redirects to shows it."""
    r = c.post("/admin/uploads", data={"csrftoken": csrf(c), "kind": kind},
               files=[("files", (n, b, "text/csv")) for n, b in files])  # fmt: skip
    assert r.status_code == 303, r.text
    return c.get(r.headers["location"])


def test_upload_checks_and_pages_quote_no_childs_details(tmp_path, monkeypatch):
    monkeypatch.setattr("sufficiency.clock.today", lambda now=None: __import__(
        "datetime").date(2026, 4, 1))  # fmt: skip
    csv_history = history(tmp_path / "ssda903")
    xml = xml_history(tmp_path / "ssda903_xml", csv_history)
    refs = referrals(tmp_path / "referrals.csv")
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    run_cli("match", "--referrals", str(refs), "--placements", str(SAMPLE / "placements.csv"),
            "--date", "2026-04-01", "--out", str(tmp_path / "match"), "--store", url)  # fmt: skip
    run_cli("forecast", "--history", str(csv_history), "--out", str(tmp_path / "forecast"),
            *QUICK, "--store", url)  # fmt: skip
    run_cli("spend", "--history", str(csv_history), "--budget", str(SAMPLE / "budget.csv"),
            "--out", str(tmp_path / "spend"), *QUICK, "--store", url)  # fmt: skip
    keep = _Keep()
    loggers = [logging.getLogger(n) for n in ("", "uvicorn.access", "uvicorn.error",
                                                "sufficiency")]  # fmt: skip
    for lg in loggers:
        lg.addHandler(keep)
    pages: dict[str, str] = {}
    try:
        with site_of_its_own(tmp_path / "site", "admin", "placement", "finance",
                             store_url=url) as site:  # fmt: skip
            admin = site.client("admin")
            uploads = {
                "referrals": [("referrals.csv", refs.read_bytes())],
                "history": [(f"{p.parent.name}/{p.name}", p.read_bytes())
                            for p in sorted(csv_history.rglob("*.csv"))],
                "history-xml": [(f"{p.parent.name}/{p.name}", p.read_bytes())
                                for p in sorted(xml.rglob("*.xml"))],
            }  # fmt: skip
            for name, files in uploads.items():
                r = _upload(admin, name.split("-")[0], files)
                assert r.status_code == 200, r.text
                assert "Every problem found" in r.text, r.text
                pages[f"upload {name}"] = r.text
            placement = site.client("placement")
            # a name typed as the ID is set aside with no page (sufficiency.io.id_shape)
            ids = pd.Series(list(REFERRALS))
            children = [f"/matching/children/{c}" for c in ids[~not_an_id(ids)]]
            for client, paths in (
                (placement, ["/matching", "/matching/changes", "/decisions", *children]),
                (site.client("finance"), ["/forecast", "/spend"]),
            ):
                for path in paths:
                    r = client.get(path)
                    assert r.status_code == 200, (path, r.text)
                    pages[path] = r.text
    finally:
        for lg in loggers:
            lg.removeHandler(keep)
    assert leaks(pages | {"server log": "\n".join(keep.lines)}) == []
    # the problems are listed, by shape; a set-aside child's page gives the reason
    assert "AAAAA AA AAA AAAAAAAAA" in pages["upload history"]
    assert "AAAAA AA AAA AAAAAAAAA" in pages["upload history-xml"]
    assert "99/99/9999" in pages["upload referrals"]
    assert "Set aside for errors" in pages["/matching/children/R910"]
