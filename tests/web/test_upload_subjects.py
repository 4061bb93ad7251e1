"""The Uploads page's table of problems says a whole file's problem as a sentence with
the file as its subject: its Problem cell read "is not a CSV file (nor a tab-separated
.txt or .tsv): ..." beside the file's name."""

from __future__ import annotations

import pytest

from tests.web.conftest import csrf

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_a_whole_files_problem_on_the_uploads_page_has_its_subject(site):
    admin = site.client("admin")
    r = admin.post("/admin/uploads", data={"csrftoken": csrf(admin), "kind": "placements"},
                   files=[("files", ("register.pdf", b"%PDF-1.4", "text/csv"))])  # fmt: skip
    assert r.status_code == 422
    assert "<td>register.pdf is not a CSV file" in r.text
    upload_id = r.text.split('action="/admin/uploads/')[1].split("/")[0]
    d = admin.post(f"/admin/uploads/{upload_id}/discard", data={"csrftoken": csrf(admin)})
    assert d.status_code == 303
