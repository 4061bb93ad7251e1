"""Zipped 903 returns: a council emails ``903_returns.zip``, or a returns folder holds
``2025-26.zip`` beside its other years.

Each zip is unpacked into a private temporary folder (removed once read) that stands
where the zip stood: ``2025-26.zip`` holding ``episodes.csv`` reads as a folder
``2025-26`` holding it, so its collection year comes from the zip's name or its
members' folders as from a folder's. Messages name a member as the zip and its path
inside (``903_returns.zip/2026/episodes.csv``), never the temporary folder.

A zip is refused in one sentence, not unpacked, when it is password-protected, cannot be
opened, holds more than :data:`MAX_MEMBERS` files, or would unpack to more than
:data:`MAX_BYTES` or to more than :data:`MAX_RATIO` times its packed size (a zip bomb);
a member whose name leads out of the zip's folder (``../``, ``/etc/...``, ``C:\\...``) is
not read. macOS's ``__MACOSX`` copies and hidden files (``.DS_Store``), which a folder's
scan passes over without a word, are left out (they were listed among the files read).
"""

from __future__ import annotations

import lzma
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from sufficiency.errors import Problem
from sufficiency.io.ssda903_scan import Scan, files_under
from sufficiency.plurals import numbered

#: Most files one zip may hold.
MAX_MEMBERS = 5_000
#: Most bytes all the zips given may unpack to (903 returns are tens of megabytes).
MAX_BYTES = 1 << 30
#: A zip unpacking to more than this many times its size on disk (and over 10 MB) is a bomb.
MAX_RATIO = 200
_RATIO_FLOOR = 10 << 20


@dataclass
class Unzipped:
    """The paths to read (each zip replaced by its unpacked folder), what unpacking found,
    and how to name unpacked files in messages."""

    paths: list[Path]
    problems: list[Problem] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # unpacked folder -> the zip
    zips: set[str] = field(default_factory=set)  # the zips read (not "skipped")

    def said(self, text: str) -> str:
        """``text`` with any unpacked folder named as its zip."""
        for tmp, shown in sorted(self.names.items(), key=lambda kv: -len(kv[0])):
            text = text.replace(tmp, shown)
        return text

    def problem(self, p: Problem) -> Problem:
        return replace(p, file=self.said(p.file), message=self.said(p.message))

    def scan(self, found: Scan, given: list[Path]) -> Scan:
        """``found`` with its files named as the zips they came from, each zip read said
        once (not "skipped" as a file that is no table)."""
        if not self.names and not self.problems:
            return found
        tables = tuple(
            replace(
                t,
                raw=replace(
                    t.raw,
                    source=self.said(t.raw.source),
                    notes=tuple(map(self.problem, t.raw.notes)),
                    row_errors=tuple(map(self.problem, t.raw.row_errors)),
                ),
            )
            for t in found.tables
        )
        read = [p for p in self.problems if p.severity == "warning"]
        errors = [p for p in self.problems if p.severity == "error"]
        skipped = [p for p in found.skipped if p.file not in self.zips]
        return replace(
            found,
            tables=tables,
            paths=tuple(given),
            other_tables=tuple((self.said(s), n) for s, n in found.other_tables),
            skipped=tuple(map(self.problem, skipped)),
            notes=tuple(read) + tuple(map(self.problem, found.notes)),
            errors=tuple(errors) + tuple(map(self.problem, found.errors)),
        )


def _is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip" and not path.name.startswith((".", "~$"))


def _safe_name(name: str) -> PurePosixPath | None:
    """The member's path inside the zip, or None if it leads outside it."""
    name = name.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if not parts or name.startswith("/") or ".." in parts or ":" in parts[0]:
        return None
    return PurePosixPath(*parts)


def _refused(zpath: Path, why: str) -> Problem:
    return Problem(str(zpath), None, None, None, why, code="bad_zip")


def _unopenable(exc: BaseException) -> str:
    """Why a zip could not be opened, in plain words rather than Python's."""
    if isinstance(exc, NotImplementedError):
        why = "is a zip packed in a way this tool cannot unpack (an unusual compression)"
    elif isinstance(exc, RuntimeError):  # zipfile's "password required" or "Bad password"
        why = "holds a password-protected (encrypted) file, which cannot be read"
    elif isinstance(exc, (zipfile.BadZipFile, EOFError, zlib.error, lzma.LZMAError)):
        why = (
            "is named .zip but is not a zip file (it may be damaged, cut short in copying, "
            "or another kind of file saved with that name)"
        )
    else:
        why = "could not be read from the disk (it may be open elsewhere or not permitted)"
    return f"{why}; save it again or unzip it and give the folder"


def _unpack(zpath: Path, into: Path, budget: list[int], out: Unzipped) -> bool:
    """Unpack ``zpath``'s members into ``into``; False (with the reason) if refused."""
    try:
        with zipfile.ZipFile(zpath) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            if any(i.flag_bits & 0x1 for i in infos):
                out.problems.append(
                    _refused(
                        zpath,
                        "is a password-protected (encrypted) zip, "
                        "which cannot be read: unzip it with its "
                        "password and give the folder",
                    )
                )
                return False
            if len(infos) > MAX_MEMBERS:
                out.problems.append(
                    _refused(
                        zpath,
                        f"holds {len(infos):,} files, more than "
                        f"the {MAX_MEMBERS:,} a 903 zip may hold; not "
                        "read: unzip the returns and give the folder",
                    )
                )
                return False
            declared = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
            if declared > budget[0] or (declared > _RATIO_FLOOR and declared > MAX_RATIO * packed):
                out.problems.append(
                    _refused(
                        zpath,
                        "would unpack to "
                        f"{declared / 2**20:,.0f} MB from "
                        f"{packed / 2**20:,.1f} MB (a zip bomb?); not "
                        "read: unzip it and give the folder",
                    )
                )
                return False
            read: list[str] = []
            into.mkdir(parents=True, exist_ok=True)  # an empty zip is an empty folder
            for info in infos:
                inside = _safe_name(info.filename)
                if inside is None:
                    out.problems.append(
                        Problem(
                            f"{zpath}/{info.filename}",
                            None,
                            None,
                            None,
                            "leads outside the zip's folder; not read",
                            severity="warning",
                            code="bad_zip",
                        )
                    )
                    continue
                if inside.parts[0] == "__MACOSX" or (
                    inside.name.startswith(".") and not inside.name.startswith(".~lock.")
                ):
                    continue  # macOS's copies and hidden files (.DS_Store), as a folder's
                target = into.joinpath(*inside.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, target.open("wb") as dst:
                    while chunk := src.read(1 << 20):  # the sizes a zip declares can lie
                        budget[0] -= len(chunk)
                        if budget[0] < 0:
                            raise zipfile.LargeZipFile
                        dst.write(chunk)
                read.append(str(inside))
    except zipfile.LargeZipFile:
        out.problems.append(
            _refused(
                zpath,
                f"unpacks to more than {MAX_BYTES / 2**20:,.0f} MB "
                "(a zip bomb?); not read: unzip it and give the folder",
            )
        )
        return False
    except (
        zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, zlib.error,
        lzma.LZMAError,
    ) as exc:  # fmt: skip
        # a damaged member (zlib.error) or one encrypted unflagged (RuntimeError) was a traceback
        # said "cannot be opened as a zip file (File is not a zip file)": Python's words
        out.problems.append(_refused(zpath, _unopenable(exc)))
        return False
    read.sort()
    listed = ", ".join(read[:24]) + (f" and {len(read) - 24} more" if len(read) > 24 else "")
    # an empty zip said "read its 0 file(s) in place ()", and the temporary folder that
    # stood for it "does not exist"
    said = "is a zip holding no file to read"
    if read:
        said = f"is a zip: read its {numbered(len(read), 'file(s)')} in place ({listed})"
    out.problems.append(
        Problem(
            str(zpath),
            None,
            None,
            None,
            said,
            severity="warning",
            code="zip_read",
        )
    )
    return True


def _zips_under(folder: Path) -> list[Path]:
    return [f for f in files_under(folder, []) if _is_zip(f)]  # unlistable: scan says so


@contextmanager
def unzipped(paths: list[Path]) -> Iterator[Unzipped]:
    """``paths`` with every zip among or under them unpacked in a temporary folder that
    lasts while the ``with`` block runs."""
    if not any(_is_zip(p) or (p.is_dir() and _zips_under(p)) for p in paths):
        yield Unzipped(list(paths))
        return
    tmp = Path(tempfile.mkdtemp(prefix="sufficiency-903zip-"))
    try:
        out = Unzipped([])
        budget = [MAX_BYTES]
        for n, p in enumerate(paths):
            root = tmp / str(n)
            if _is_zip(p) and p.is_file():
                into = root / p.stem  # the zip stands as a folder of its name
                if _unpack(p, into, budget, out):
                    out.paths.append(root)
                    out.names[str(into)] = str(p)
                    out.zips.add(str(p))
                continue
            out.paths.append(p)
            if p.is_dir():
                for z in _zips_under(p):
                    into = root / z.parent.relative_to(p) / z.stem
                    if _unpack(z, into, budget, out):
                        out.names[str(into)] = str(z)
                        out.zips.add(str(z))
                if root.exists():
                    out.paths.append(root)
        yield out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
