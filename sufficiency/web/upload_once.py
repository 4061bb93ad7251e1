"""An upload's form sent twice (a double click on "Check the upload") is checked once.

Each click sent the files again: two uploads were staged and checked, the browser showed
the second's check, and the first waited unseen in the temporary folder (a child's
records) until it was thrown away two hours later, with a second "upload checked" in the
audit trail. The upload form now carries a random token, made afresh each time the page
is shown. The same form sent again by the same administrator with the same files (the
token, the kind and every file's name and contents alike) is the same sending: it waits
for the first check to end and goes to that check's page; nothing is staged twice. A
marker folder (``sufficiency-sent-<hash>`` in the temporary folder, owner-only, holding
the first upload's identifier, never a file or its name) remembers the sending for as long
as an upload is kept (swept with the uploads). The form sent again once that upload has
been accepted or thrown away, or with other files (Back, another file chosen), is
checked as a new upload.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from sufficiency.io.atomic import DIR_MODE, FILE_MODE
from sufficiency.web import uploads

#: What a form's token looks like (``secrets.token_urlsafe(18)``).
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
#: How long a second sending waits for the first's check (a large 903 history's check
#: takes a minute or two); after it, the second is checked on its own.
WAIT_SECONDS = 900.0
_POLL = 0.2
_ID = "id"


def sending(
    uploader: str, token: str, kind: str, files: Iterable[tuple[str, BinaryIO]]
) -> str | None:
    """What makes one sending of the form: a hash of who sent it, its token, its kind and
    its files' names and contents (each file read, then put back at its start); ``None``
    for a form without a token (a page shown before this), checked as it comes."""
    if not TOKEN.match(token):
        return None
    h = hashlib.sha256()
    for part in (uploader, token, kind):
        h.update(part.encode("utf-8", "replace") + b"\0")
    for name, fh in files:
        h.update(name.encode("utf-8", "replace") + b"\0")
        fh.seek(0)
        while chunk := fh.read(1 << 20):
            h.update(chunk)
        fh.seek(0)
        h.update(b"\0")
    return h.hexdigest()[:40]


def _marker(key: str) -> Path:
    return Path(tempfile.gettempdir()) / (uploads.SENT_PREFIX + key)


def _ours(path: Path) -> bool:
    try:
        return not path.is_symlink() and path.is_dir() and path.stat().st_uid == os.getuid()
    except OSError:
        return False


def _first(marker: Path, wait: float) -> str | None:
    """The upload the first sending staged, once its check ends (``None`` if it failed,
    or is still checking after ``wait`` seconds)."""
    end = time.monotonic() + wait
    while _ours(marker):
        try:
            found = (marker / _ID).read_text(encoding="ascii").strip()
        except OSError:
            found = ""
        if found:
            return found
        if time.monotonic() >= end:
            return None
        time.sleep(_POLL)
    return None


def _waiting(upload_id: str) -> bool:
    try:
        uploads._folder(upload_id)
    except uploads.UploadError:
        return False
    return True


def once(key: str | None, check: Callable[[], str], wait: float = WAIT_SECONDS) -> tuple[str, bool]:
    """The upload for this sending and whether it was sent before: ``check()`` (which
    stages and checks it, returning its identifier) the first time; the first's upload
    when the same sending comes again while that upload waits."""
    if key is None:
        return check(), False
    marker = _marker(key)
    try:
        marker.mkdir(mode=DIR_MODE)
        mine = True
    except FileExistsError:
        mine = False
        found = _first(marker, wait)
        if found is not None and _waiting(found):
            return found, True
    try:
        upload_id = check()
    except BaseException:
        if mine:
            shutil.rmtree(marker, ignore_errors=True)
        raise
    if _ours(marker):
        tmp = marker / f".{_ID}-{os.getpid()}-{time.monotonic_ns()}"
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(upload_id)
        os.replace(tmp, marker / _ID)
    return upload_id, False
