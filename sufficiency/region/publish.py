"""Publishing a task's files whole: write into a staging folder, then one rename.

As the nightly job does (:func:`sufficiency.io.atomic.replace_folder`): a reader sees a
member's previous folder or its new one, never a half-written one. A task that is
re-run (its worker was lost after writing) publishes the same files again.

The run as a whole is published the same way: its tasks publish into a run's staging
folder (:func:`run_staging`), moved into place when every task is done
(:func:`publish_run`). A run stopped part-way (Ctrl-C, a refusal, the client killed)
leaves the earlier run's folders and report as they were, where each member's new
folder had replaced its earlier one as its task ended, beside the earlier run's report.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

from sufficiency.io.atomic import DIR_MODE, ensure_private_dir, replace_folder

STAGING_PREFIX = ".staging-"
#: The region's report, written after its folders are published (:mod:`.writers`).
REPORT_FILES = ("region.csv", "region.xlsx", "region.html")


@contextlib.contextmanager
def published(final: Path) -> Iterator[Path]:
    """Yield an empty staging folder beside ``final``; on success it replaces ``final``.

    On error the staging folder is removed and ``final`` is left as it was.
    """
    ensure_private_dir(final.parent)
    token = uuid.uuid4().hex
    staging = final.parent / f"{STAGING_PREFIX}{final.name}-{token}"
    staging.mkdir(mode=DIR_MODE)
    try:
        yield staging
        replace_folder(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def run_staging(out: Path) -> Path:
    """A new, empty staging folder under ``out`` for a run's ``members/`` and ``pooled/``
    folders until :func:`publish_run` moves them into place."""
    ensure_private_dir(out)
    staging = out / f"{STAGING_PREFIX}run-{uuid.uuid4().hex}"
    staging.mkdir(mode=DIR_MODE)
    return staging


def publish_run(staging: Path, out: Path) -> None:
    """Move every folder a run's tasks published under ``staging`` into place in ``out``
    (each replacing an earlier run's), the earlier run's report first removed: it is of
    the earlier folders (the run writes its own once these are in place)."""
    for name in REPORT_FILES:
        (out / name).unlink(missing_ok=True)
    folders = [p for p in sorted((staging / "members").glob("*/*")) if p.is_dir()]
    for folder in [*folders, staging / "pooled"]:
        if folder.is_dir():
            final = out / folder.relative_to(staging)
            ensure_private_dir(final.parent)
            replace_folder(folder, final)
    shutil.rmtree(staging, ignore_errors=True)


def remove_staging(root: Path) -> None:
    """Remove staging folders left under ``root`` by tasks whose worker was lost."""
    if not root.exists():
        return
    for path in sorted(root.rglob(f"{STAGING_PREFIX}*")):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def remove_earlier(out: Path, written: set[Path]) -> list[str]:
    """Remove the region's folders under ``out`` (``members/<code>/<run>``, ``pooled``)
    that this run did not write: an earlier run's, of a member, scenario or plan not in
    this one (or that failed in it), which a reader would take for this run's. Returns
    the folders removed, relative to ``out``."""
    folders = [p for p in sorted((out / "members").glob("*/*")) if p.is_dir()]
    folders = [p for p in folders if re.fullmatch(r"[A-Z]\d{8}", p.parent.name)]
    removed = [p for p in [*folders, out / "pooled"] if p.is_dir() and p not in written]
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
        if path.parent != out:
            with contextlib.suppress(OSError):  # its member's folder, if now empty
                path.parent.rmdir()
    return [p.relative_to(out).as_posix() for p in removed]
