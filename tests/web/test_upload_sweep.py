"""Staged uploads left too long are swept on requests, but not on every request: the
system's temporary folder was listed before every request the server answered."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from sufficiency.web import uploads


def _expired_upload(name: str) -> Path:
    folder = Path(tempfile.gettempdir()) / f"sufficiency-upload-{name}"
    (folder / "files").mkdir(parents=True)
    old = time.time() - (uploads.STAGED_HOURS * 3600 + 60)
    os.utime(folder, (old, old))
    return folder


def test_sweep_runs_at_most_once_a_minute_and_still_removes_expired(site) -> None:
    c = site.client()
    uploads.sweep_due.last = None  # the next request is due to sweep
    first = _expired_upload("sweeptest-first-0123456789")
    assert c.get("/sign-in").status_code == 200
    assert not first.exists()  # an expired upload goes on a request

    second = _expired_upload("sweeptest-second-012345678")
    try:
        for _ in range(5):
            assert c.get("/sign-in").status_code == 200
        assert second.exists()  # the next requests, within the minute, did not sweep
        # a minute later, the next request sweeps again
        assert uploads.sweep_due(time.monotonic() + uploads.SWEEP_SECONDS + 1)
        assert not second.exists()
        assert not uploads.sweep_due(time.monotonic() + uploads.SWEEP_SECONDS + 2)
    finally:
        uploads.sweep_due.last = None
        if second.exists():
            os.rmdir(second / "files")
            os.rmdir(second)
