"""An upload's check kept on the server, so its page can be shown again by a GET.

Checking an upload is a POST (the files); its answer was the check's page itself, so
pressing Back or Refresh afterwards asked Chromium to "Confirm form resubmission" (and
Refresh sent every file again, staging and checking a second upload). Now the POST
keeps the check's report beside the staged files (``report.json`` in the upload's
owner-only staging folder, removed with it: when the upload is accepted or thrown away,
or at most :data:`~sufficiency.web.uploads.STAGED_HOURS` later) and redirects to
``/admin/uploads/{upload}``, which reads it back: the address carries only the upload's
random identifier, never a file's contents or a child's details, and only the
administrator who uploaded it may open it.

A decision sent twice (a double click on "Accept and use it") found its upload gone and
said "There is no such upload waiting", though the first had accepted it; the audit
trail, which records every acceptance and discard with the upload's identifier, now
answers for the second.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import tempfile
from pathlib import Path

from sufficiency.errors import Problem
from sufficiency.io.atomic import FILE_MODE
from sufficiency.store import RunStore
from sufficiency.store.accounts import audit_trail
from sufficiency.validate import ValidationReport
from sufficiency.web import uploads
from sufficiency.web.uploads import Staged, UploadError

_REPORT = "report.json"
#: The most problems the check's page lists: a register of 1.4 MB with a bad date in
#: every row gave 12,000 (a page of 2 MB); at the 50 MB an upload may be, some 400,000
#: (a page of about 70 MB, more than a browser opens).
MAX_LISTED = 1000
#: The audit trail's words for each decision, and the page's.
DECIDED = {"upload_accepted": "accepted", "upload_discarded": "thrown away"}


def _folder(upload_id: str) -> Path:
    return Path(tempfile.gettempdir()) / (uploads._PREFIX + upload_id)


def keep(staged: Staged) -> None:
    """Keep ``staged``'s report beside its files (owner-only, as the manifest)."""
    report = {
        "usable": staged.usable,
        "checked": [list(c) for c in staged.report.checked],
        "problems": [dataclasses.asdict(p) for p in staged.report.problems],
    }
    fd = os.open(_folder(staged.id) / _REPORT, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(report, out)


def load(upload_id: str, uploader: str, now: dt.datetime | None = None) -> Staged:
    """The checked upload ``upload_id`` as its check found it.

    Raises
    ------
    UploadError
        No such upload of ``uploader``'s waiting (accepted, thrown away, too old).
    """
    folder = uploads._folder(upload_id)
    manifest = uploads._manifest(folder, uploader, now or dt.datetime.now(dt.UTC))
    try:
        kept = json.loads((folder / _REPORT).read_text(encoding="utf-8"))
        report = ValidationReport(
            tuple((str(p), str(k)) for p, k in kept["checked"]),
            tuple(Problem(**p) for p in kept["problems"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        raise UploadError("There is no such upload waiting. Upload it again.") from None
    files = tuple((str(n), int(s), str(h)) for n, s, h in manifest["files"])  # type: ignore[attr-defined]
    return Staged(upload_id, str(manifest["kind"]), uploader,
                  dt.datetime.fromisoformat(str(manifest["created"])), files, report,
                  bool(kept["usable"]))  # fmt: skip


def decided(store: RunStore, upload_id: str, username: str) -> str | None:
    """What became of ``username``'s upload ``upload_id`` ("accepted", "thrown away"),
    as the audit trail recorded it; ``None`` if it records no decision."""
    mark = f"upload {upload_id[:8]}"
    for action, words in DECIDED.items():
        for row in audit_trail(store, limit=50, action=action):
            if row.username == username and mark in (row.detail or ""):
                return words
    return None
