"""The commands on a server that is not the developer's laptop: its locale, its pipes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-c", "from sufficiency.cli import main; main()"]


def _env(**extra: str) -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": root, **extra}


def test_a_path_the_locale_cannot_show_is_escaped_not_a_traceback(sample_dir, tmp_path):
    """On a server whose locale is ISO-8859-1 (``LANG=en_GB``), standard output cannot
    encode a folder's Ł: validate did its work then died with a UnicodeEncodeError
    traceback (exit 1, as if the file had errors); it is written as \\u0141 instead, as
    Python writes it on standard error."""
    folder = tmp_path / "Łódź"
    folder.mkdir()
    shutil.copy(sample_dir / "referrals.csv", folder / "referrals.csv")
    args = ["validate", "--date", "2026-04-01", str(folder / "referrals.csv")]
    env = _env(PYTHONIOENCODING="latin-1")
    result = subprocess.run([*CLI, *args], capture_output=True, env=env, check=False)
    assert result.returncode == 0, result.stderr.decode("latin-1")
    assert b"Traceback" not in result.stderr
    out = result.stdout.decode("latin-1")
    assert "\\u0141\xf3d\\u017a" in out and "0 error(s)" in out
