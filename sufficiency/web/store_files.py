"""A run's recorded output files, served only while unchanged since the run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sufficiency.io.atomic import sha256_file


def output(run: dict[str, Any], name: str) -> Path | None:
    """The run's output ``name`` if it is still there and its SHA-256 matches the store's."""
    for f in run["files"]:
        if f["role"] == "output" and f["label"] == name:
            path = Path(f["path"])
            if path.is_file() and sha256_file(path) == f["sha256"]:
                return path
    return None
