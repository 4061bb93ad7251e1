"""A run's recorded output files, served only while unchanged since the run, and the
charts drawn from them, kept so each is drawn once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from sufficiency.io.atomic import sha256_file

T = TypeVar("T")


def output(run: dict[str, Any], name: str) -> Path | None:
    """The run's output ``name`` if it is still there and its SHA-256 matches the store's."""
    for f in run["files"]:
        if f["role"] == "output" and f["label"] == name:
            path = Path(f["path"])
            if path.is_file() and sha256_file(path) == f["sha256"]:
                return path
    return None


_DRAWN: dict[str, Any] = {}
_DRAWN_LOCK = threading.Lock()
#: Charts kept in memory (each a few hundred kilobytes of SVG at most).
MAX_DRAWN = 64


def files_key(run: dict[str, Any]) -> str:
    """What a run's pages are drawn from: its output files and their SHA-256."""
    return ";".join(f"{f['label']}:{f['sha256']}" for f in run["files"] if f["role"] == "output")


def drawn(key: str, draw: Callable[[], T]) -> T:
    """``draw()``, kept under ``key`` so a chart is drawn once (the oldest go first)."""
    with _DRAWN_LOCK:
        if key in _DRAWN:
            return cast(T, _DRAWN[key])
    value = draw()
    with _DRAWN_LOCK:
        if len(_DRAWN) >= MAX_DRAWN:
            _DRAWN.pop(next(iter(_DRAWN)))
        _DRAWN[key] = value
    return value
