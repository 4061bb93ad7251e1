"""Atomic, owner-only file writing: a temp file in the same folder, then a rename.

A reader never sees a half-written file, and a crash leaves the old file (or none).
Files are created readable by the owner only (0600), folders 0700, because
outputs are about children.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import uuid
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeGuard

from sufficiency.errors import ConfigError, DataWarning
from sufficiency.vocabulary import listed

FILE_MODE = 0o600
DIR_MODE = 0o700


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if missing; every folder it creates is owner-only.

    Raises
    ------
    ConfigError
        ``path`` is a file (an output folder named as a file, say).
    """
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{path} is a file, not a folder: name a folder for the outputs.")
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):  # mkdir(parents=True) gives parents the default mode
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        os.chmod(folder, DIR_MODE)
    return path


def user_path(path: str | os.PathLike[str]) -> Path:
    """A path a user gave (an input file or folder, a folder for outputs), ``~`` the
    user's home as the shell and pandas read it: ``forecast("~/data/903")`` was refused
    as not existing, and ``write("~/outputs")`` wrote into a folder named ``~`` under the
    current one."""
    return Path(path).expanduser()


def is_path(value: object) -> TypeGuard[str | os.PathLike[str]]:
    """Whether ``value`` names a file or folder as :func:`user_path` reads one: text, a
    ``Path`` or any other path-like object (``os.PathLike``: a notebook's own path class)."""
    return isinstance(value, str | os.PathLike)


def out_folder(out_dir: Path | str) -> Path:
    """The folder a result's ``write(out_dir)`` writes into (see :func:`user_path`);
    ConfigError if ``out_dir`` is not a path (``write(None)`` was pathlib's TypeError)."""
    if not is_path(out_dir):
        raise ConfigError.wrong_kind("out_dir", "the folder to write into (a path)", out_dir)
    return user_path(out_dir)


@contextlib.contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path to write; on success it is renamed onto ``path``.

    Use for libraries that save to a filename (openpyxl, pandas). On error the
    temporary file is removed and ``path`` is untouched.
    """
    target = Path(path)
    ensure_private_dir(target.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, FILE_MODE)
        with open(tmp_path, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def atomic_write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; return the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def atomic_write_text(path: Path | str, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically (newlines as given); return the path."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def sha256_file(path: Path | str) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def replace_folder(finished: Path, final: Path) -> None:
    """Swap the ``finished`` folder into place as ``final`` (replacing an earlier one): a
    reader sees the earlier folder or the new one, never a half-written one."""
    old = final.parent / f".{final.name}.old-{uuid.uuid4().hex}"
    if final.exists():
        os.replace(final, old)
    os.replace(finished, final)
    os.chmod(final, DIR_MODE)
    shutil.rmtree(old, ignore_errors=True)


def clean_stale_folders(parent: Path) -> list[Path]:
    """Tidy what runs killed part-way left in ``parent``; return the folders put back.

    A ``.NAME.partial-PID`` folder whose process has ended is deleted, whatever night it
    was for (it holds children's data no retention rule sees, being hidden). A run killed
    in :func:`replace_folder` between moving the earlier folder aside (``.NAME.old-*``)
    and renaming its own in leaves no ``NAME``: the earlier one is put back; an ``.old``
    folder beside a published ``NAME`` is deleted.
    """
    for stale in parent.glob(".*.partial-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    restored = []
    for old in sorted(parent.glob(".*.old-*")):
        final = parent / old.name[1:].rsplit(".old-", 1)[0]
        if final.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(old, final)
            restored.append(final)
    return restored


def process_alive(pid: int) -> bool:
    """Whether a process with this ID runs on this machine (a lock's or a run's owner)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def warn_earlier_outputs(
    out_dir: Path | str, sometimes: Iterable[str], written: Iterable[Path]
) -> None:
    """Warn (:class:`DataWarning`) of the files a job writes only sometimes (``sometimes``:
    a scenario's, the shortfall...) that ``out_dir`` holds but this run did not write:
    left from an earlier run, they would be read beside this run's as if they were its."""
    now = {Path(p).name for p in written}
    left = sorted(n for n in sometimes if n not in now and (Path(out_dir) / n).is_file())
    if left:
        warnings.warn(
            f"{out_dir} also holds {listed(left)} from an earlier run, which this run did "
            "not write: they are not this run's figures; delete them, or write to an empty "
            "folder",
            DataWarning,
            stacklevel=3,
        )
