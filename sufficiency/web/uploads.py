"""Uploads of inputs by an administrator: checked by ``validate``, kept only when accepted.

An upload (a 903 history as files or a zip, a referrals CSV, a placement-register CSV)
is first saved to a private staging folder (``sufficiency-upload-*`` in the system's
temporary folder, owner-only) and checked with :func:`sufficiency.validate.validate_paths`,
the function behind ``sufficiency validate``. Nothing reaches the data folder
(``[web] data_dir``) until the administrator who uploaded it accepts it, and only if the
night can read it: errors in rows are listed and those rows set aside by the jobs that
read the file, as the nightly run does; an error making the whole file unusable (a
column missing, a file of the wrong kind) refuses it. Accepting replaces the input
whole: a CSV by an atomic rename, the 903 folder by swapping the ``ssda903`` link to a new
folder, so the nightly job never reads half an upload. File contents are never logged.

A zip sent as the 903 history is kept as sent and read, by the check and every night, by
:mod:`sufficiency.io.zip903`, as ``sufficiency validate`` and the jobs read a zipped
return: the same counts and sentences (a zip inside it skipped, a member leading out of
it not read). The upload unpacked it with its own rules before, which refused a whole
history for one member named with an accent or ``../`` that ``validate`` passed over.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, BinaryIO

from sufficiency.config import WebParams
from sufficiency.errors import Problem
from sufficiency.io.atomic import DIR_MODE, FILE_MODE, atomic_path, ensure_private_dir, sha256_file
from sufficiency.io.tables import XLSX_SUFFIXES
from sufficiency.io.xlsx_size import unpacked_bytes
from sufficiency.validate import ValidationReport, validate_paths
from sufficiency.web.night_reads import night_reads
from sufficiency.web.upload_types import not_903, nothing_to_read, wrong_type

#: What can be uploaded: its words, and its name in the data folder.
KINDS = {
    "history": ("903 history (a folder of 903 returns, as files or one zip)", "ssda903"),
    "referrals": ("Referrals (CSV)", "referrals.csv"),
    "placements": ("Placement register (CSV)", "placements.csv"),
}
#: What ``validate`` reads each kind as.
_READ_AS = {"referrals": "referrals", "placements": "placements"}
#: An upload not accepted within this time is thrown away.
STAGED_HOURS = 2
_PREFIX = "sufficiency-upload-"
#: The marker of an upload form's sending (:mod:`~.upload_once`), swept with the uploads.
SENT_PREFIX = "sufficiency-sent-"
_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
#: One part of a file's path: what Windows folders are named ("Children's Services",
#: "Data & returns, 2026" were refused before), never a separator, ".." or a control.
_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._()',&+-]{0,120}$")
_CHUNK = 1 << 20


class UploadError(Exception):
    """An upload that cannot be accepted or found; the message is for the administrator."""


@dataclass(frozen=True)
class Staged:
    """One checked upload waiting for the administrator's decision."""

    id: str
    kind: str
    uploader: str
    created: dt.datetime
    files: tuple[tuple[str, int, str], ...]  # (name as uploaded, bytes, SHA-256)
    report: ValidationReport
    #: The night can read it: no error, or errors in rows only, which the jobs reading it
    #: set aside (as the nightly run does), none making the whole file unusable.
    usable: bool = False

    @property
    def ok(self) -> bool:
        return self.usable and bool(self.files)

    @property
    def rows_with_errors(self) -> int:
        """Rows the night sets aside for their errors (an upload it can read)."""
        return len({(p.file, p.row) for p in self.report.problems
                    if p.severity == "error" and p.row is not None})  # fmt: skip


def data_dir(params: WebParams) -> Path:
    """The data folder: ``[web] data_dir``, else ``inputs`` in the user's data folder."""
    if params.data_dir:
        return Path(params.data_dir)
    from platformdirs import user_data_dir

    return Path(user_data_dir("sufficiency")) / "inputs"


def input_paths(params: WebParams) -> dict[str, Path]:
    """Where the accepted inputs are: ``history``, ``referrals`` and ``placements``."""
    root = data_dir(params)
    return {kind: root / name for kind, (_words, name) in KINDS.items()}


@dataclass(frozen=True)
class Current:
    """What the data folder holds for one kind of input."""

    kind: str
    words: str
    path: Path
    present: bool
    files: int
    size: int
    modified: dt.datetime | None


def current_inputs(params: WebParams) -> list[Current]:
    out = []
    for kind, path in input_paths(params).items():
        files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else []
        if path.is_file():
            files = [path]
        modified = max((p.stat().st_mtime for p in files), default=None)
        out.append(
            Current(
                kind,
                KINDS[kind][0],
                path,
                bool(files),
                len(files),
                sum(p.stat().st_size for p in files),
                dt.datetime.fromtimestamp(modified, dt.UTC) if modified else None,
            )
        )
    return out


# --- staging and checking ------------------------------------------------------------


def _safe_name(name: str) -> str | None:
    """``name`` as a relative path of safe parts (folders kept: 903 years), or None."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or len(parts) > 4 or any(not _PART.match(p) or ".." in p for p in parts):
        return None
    return "/".join(parts)


def _copy(src: IO[bytes], dest: Path, budget: list[int]) -> int:
    """Copy ``src`` to ``dest`` (owner-only), at most ``budget[0]`` bytes in all."""
    dest.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    n = 0
    fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    with os.fdopen(fd, "wb") as out:
        while chunk := src.read(_CHUNK):
            n += len(chunk)
            if n > budget[0]:
                raise UploadError("the upload is larger than the limit once unpacked")
            out.write(chunk)
    budget[0] -= n
    return n


def _problem(file: str, message: str) -> Problem:
    return Problem(file, None, None, None, message, code="upload")


def _skipped(file: str, message: str) -> Problem:
    return Problem(file, None, None, None, message, severity="warning", code="skipped_file")


def stage(
    kind: str,
    uploads: Iterable[tuple[str, BinaryIO]],
    uploader: str,
    params: WebParams,
    *,
    run_date: dt.date,
    responsible_la: str,
    harm_animals_excludes_pets: bool = True,
    now: dt.datetime | None = None,
) -> Staged:
    """Save ``uploads`` (name, file) to a private staging folder and check them (as the
    configuration reads them: its council's code and rule 13).

    Nothing is written to the data folder. Problems with the upload itself (no file, a
    file of the wrong type, a zip unpacking to too much) come back in the report like
    ``validate``'s.
    """
    if kind not in KINDS:
        raise UploadError("choose what the upload is: 903 history, referrals or register")
    sweep(now)
    now = now or dt.datetime.now(dt.UTC)
    upload_id = secrets.token_urlsafe(18)
    folder = Path(tempfile.gettempdir()) / (_PREFIX + upload_id)
    folder.mkdir(mode=DIR_MODE)  # fails if it exists: never someone else's folder
    root = folder / "files"
    root.mkdir(mode=DIR_MODE)
    budget = [params.max_upload_mb * 1024 * 1024 * 4]
    problems: list[Problem] = []
    saved: list[tuple[str, int]] = []
    sent: list[str] = []
    for name, fh in uploads:
        if not name:
            continue
        sent.append(name[:120])
        shown = name.replace("\\", "/").rsplit("/", 1)[-1] if kind != "history" else name
        safe = _safe_name(shown)
        suffix = Path(shown).suffix.lower()
        passed = not_903(shown) if kind == "history" and suffix != ".zip" else None
        if passed is not None:
            problems += [_skipped(shown[:120], passed)] if passed else []
        elif safe is None:
            problems.append(_problem(shown[:120], "cannot use this file name: use at most 120 "
                                     "letters, digits, spaces and . _ - ( ) ' , & +"))  # fmt: skip
        elif kind != "history" and (why := wrong_type(suffix, KINDS[kind][1])):
            problems.append(_problem(safe, why))
        elif (root / safe).exists():
            problems.append(_problem(safe, "was sent twice: for a 903 history of several years, "
                                     "send the folder (or a zip of it) so each year's files "
                                     "stay in their year's folder"))  # fmt: skip
        else:
            try:
                saved.append((safe, _copy(fh, root / safe, budget)))
            except UploadError as exc:
                problems.append(_problem(safe, str(exc)))
    if kind != "history" and len(saved) > 1:
        problems.append(_problem(saved[1][0], "send one file at a time"))
    problems += _unpacks_too_large(root, saved, params.max_upload_mb * 4)
    if not saved and not any(p.severity == "error" for p in problems):
        problems.append(_problem(*nothing_to_read(kind, KINDS[kind][1], sent)))
    report, usable = ValidationReport((), ()), False
    if saved and not any(p.severity == "error" for p in problems):
        # one zip sent as the history is checked as `validate` checks it given that zip,
        # its problems named after it (the night reads the folder holding it)
        one_zip = len(saved) == 1 and saved[0][0].lower().endswith(".zip")
        target = root if kind == "history" and not one_zip else root / saved[0][0]
        report = validate_paths([target], run_date=run_date, default_responsible_la=responsible_la,
                                harm_animals_excludes_pets=harm_animals_excludes_pets)  # fmt: skip
        report = _as_uploaded(report, root, kind)
        # one bad row never blocks a night: rows with errors are set aside by the jobs that
        # read the file, so it is usable if the night's own reader can read it
        usable, none_read = report.ok, ""
        if not usable and not any(p.severity == "error" and p.row is None
                                  for p in report.problems):  # fmt: skip
            usable, none_read = night_reads(kind, target, run_date, responsible_la)
        problems += [_problem(saved[0][0], none_read)] if none_read else []
    report = ValidationReport(
        report.checked, tuple(sorted(problems + list(report.problems), key=Problem.sort_key))
    )
    files = tuple((n, size, sha256_file(root / n)) for n, size in saved)
    staged = Staged(upload_id, kind, uploader, now, files, report, usable)
    manifest = {
        "id": upload_id,
        "kind": kind,
        "uploader": uploader,
        "created": now.isoformat(),
        "files": [list(f) for f in files],
        "ok": staged.ok,
    }
    fd = os.open(folder / "manifest.json", os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(manifest, out)
    if not staged.ok:  # it can only be thrown away: its files (children's records) go now
        shutil.rmtree(root)
    return staged


def _unpacks_too_large(root: Path, saved: list[tuple[str, int]], limit_mb: int) -> list[Problem]:
    """An error for each workbook or zip that unpacks to more than ``limit_mb`` by the
    sizes its entries declare (Python's zip reader gives no more): an XLSX is a zip, and
    one of 2.4 MB unpacking to 760 MB of cells kept the check busy for minutes. (The
    check's readers refuse any over :data:`~sufficiency.io.xlsx_size.MAX_UNPACKED_MB`, a
    903 zip over :data:`~sufficiency.io.zip903.MAX_BYTES`.)"""
    problems = []
    for name, _size in saved:
        if Path(name).suffix.lower() not in XLSX_SUFFIXES | {".zip"}:
            continue
        unpacked = unpacked_bytes(root / name)
        if unpacked is None:
            continue  # the check says it is not a readable workbook
        if unpacked > limit_mb * 1024 * 1024:
            mb = f"{unpacked / 2**20:,.0f}"
            what = ("zip? Send the folder in parts" if name.lower().endswith(".zip")
                    else "workbook? Save it as CSV, or send it in parts")  # fmt: skip
            words = f"unpacks to {mb} MB, more than the {limit_mb:,} MB an upload may unpack to"
            problems.append(_problem(name, f"{words}: is it the right {what}"))
    return problems


def _as_uploaded(report: ValidationReport, root: Path, kind: str) -> ValidationReport:
    """The report naming files as uploaded, not by their staging path."""
    base = str(root)

    def name(path: str) -> str:
        if path == base:
            return "the 903 history"
        return path.replace(base + os.sep, "").replace(base, "the upload")

    checked = tuple((name(p), k) for p, k in report.checked)
    problems = [replace(p, file=name(p.file)) for p in report.problems]
    if kind in _READ_AS:
        for path, read_as in checked:
            if read_as not in (_READ_AS[kind], "unreadable"):
                words = f"reads as {read_as}, not {KINDS[kind][0]}: choose what it is, send again"
                problems.append(_problem(path, words))
    return ValidationReport(checked, tuple(problems))


# --- deciding -------------------------------------------------------------------------


def _folder(upload_id: str) -> Path:
    if not _ID.match(upload_id):
        raise UploadError("There is no such upload waiting.")
    folder = Path(tempfile.gettempdir()) / (_PREFIX + upload_id)
    if folder.is_symlink() or not folder.is_dir() or folder.stat().st_uid != os.getuid():
        raise UploadError("There is no such upload waiting: it was accepted, thrown away or "
                          f"is older than {STAGED_HOURS} hours. Upload it again.")  # fmt: skip
    return folder


def _manifest(folder: Path, uploader: str, now: dt.datetime) -> dict[str, object]:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise UploadError("There is no such upload waiting. Upload it again.") from None
    if manifest.get("uploader") != uploader:
        raise UploadError("Only the administrator who uploaded it can accept or discard it.")
    created = dt.datetime.fromisoformat(str(manifest["created"]))
    if now - created > dt.timedelta(hours=STAGED_HOURS):
        shutil.rmtree(folder, ignore_errors=True)
        raise UploadError(f"The upload is older than {STAGED_HOURS} hours. Upload it again.")
    return dict(manifest)


def discard(upload_id: str, uploader: str, now: dt.datetime | None = None) -> str:
    """Throw a waiting upload away; return its kind."""
    folder = _folder(upload_id)
    manifest = _manifest(folder, uploader, now or dt.datetime.now(dt.UTC))
    shutil.rmtree(folder)
    return str(manifest["kind"])


def accept(
    upload_id: str, uploader: str, params: WebParams, now: dt.datetime | None = None
) -> tuple[str, Path, list[tuple[str, int, str]]]:
    """Move a checked upload into the data folder, whole; return its kind, where it went
    and its files (name, bytes, SHA-256)."""
    now = now or dt.datetime.now(dt.UTC)
    folder = _folder(upload_id)
    manifest = _manifest(folder, uploader, now)
    if not manifest.get("ok"):
        raise UploadError("This upload cannot be used: correct it and upload it again.")
    kind = str(manifest["kind"])
    files = [(str(n), int(size), str(sha)) for n, size, sha in manifest["files"]]  # type: ignore[attr-defined]
    root = folder / "files"
    for name, _size, sha in files:
        if sha256_file(root / name) != sha:
            raise UploadError("The waiting upload changed after it was checked. Upload it again.")
    target = input_paths(params)[kind]
    ensure_private_dir(target.parent)
    # one acceptance at a time in a data folder (two 903 swaps must not interleave)
    lock_fd = os.open(target.parent / ".accept.lock", os.O_CREAT | os.O_WRONLY, FILE_MODE)
    with os.fdopen(lock_fd, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if kind == "history":
            _swap_folder(root, target, upload_id)
        else:
            with atomic_path(target) as tmp:
                shutil.copyfile(root / files[0][0], tmp)
    shutil.rmtree(folder)
    return kind, target, files


def _swap_folder(source: Path, target: Path, upload_id: str) -> None:
    """Make ``target`` (a link) point at a copy of ``source`` in one rename; remove the
    folder it pointed at before."""
    new = target.with_name(f".{target.name}-{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S}-{upload_id}")
    shutil.copytree(source, new)
    for p in [new, *new.rglob("*")]:
        os.chmod(p, DIR_MODE if p.is_dir() else FILE_MODE)
    old: Path | None = None
    if target.is_symlink():
        old = target.parent / os.readlink(target)
    elif target.exists():  # a folder put there by hand: moved aside, then removed
        old = target.with_name(f".{target.name}-replaced-{upload_id}")
        target.rename(old)
    link = target.with_name(f".{target.name}-link-{upload_id}")
    link.symlink_to(new.name, target_is_directory=True)
    os.replace(link, target)
    if old is not None and old.resolve() != new.resolve():
        shutil.rmtree(old, ignore_errors=True)


def sweep(now: dt.datetime | None = None) -> None:
    """Throw away staged uploads older than :data:`STAGED_HOURS` (this process's user's);
    run as the application starts, on each new upload and, through :data:`sweep_due`, on
    requests at most every :data:`SWEEP_SECONDS`."""
    limit = (now or dt.datetime.now(dt.UTC)).timestamp() - STAGED_HOURS * 3600
    temp = Path(tempfile.gettempdir())
    for folder in [*temp.glob(_PREFIX + "*"), *temp.glob(SENT_PREFIX + "*")]:
        try:
            if (
                not folder.is_symlink()
                and folder.stat().st_uid == os.getuid()
                and folder.stat().st_mtime < limit
            ):
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


#: How often requests sweep the temporary folder: a staged upload is kept 2 hours, so a
#: minute late is nothing, and listing the folder on every request was needless work.
SWEEP_SECONDS = 60.0


class _Sweeper:
    """:func:`sweep` when :data:`SWEEP_SECONDS` have passed since the last (one thread
    at a time claims it), or at once when ``force``; says whether it swept. ``now`` is
    ``time.monotonic()``'s."""

    def __init__(self) -> None:
        self.last: float | None = None
        self._lock = threading.Lock()

    def __call__(self, now: float | None = None, force: bool = False) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            if not force and self.last is not None and now - self.last < SWEEP_SECONDS:
                return False
            self.last = now
        sweep()
        return True


sweep_due = _Sweeper()
