"""Zipped 903 returns (a council emails ``903_returns.zip``; a folder holds ``2025-26.zip``)
are read in place; an encrypted zip, a zip bomb and a member leading outside are refused."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from sufficiency.errors import InputDataError
from sufficiency.io import zip903
from sufficiency.io.ssda903 import load_ssda903, read_history

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample" / "ssda903"
YEARS = (2021, 2022, 2023, 2024, 2025, 2026)


def _zip(target: Path, folder: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                zf.write(f, f.relative_to(folder).as_posix())
    return target


def test_an_emailed_zip_of_the_returns_reads_as_the_folder(tmp_path):
    """Was "no 903 header or episodes table found" (the zip skipped as not a table)."""
    z = _zip(tmp_path / "903_returns.zip", SAMPLE)
    plain, zipped = read_history(SAMPLE), read_history(z)
    assert zipped.years == plain.years == YEARS
    assert len(zipped.episodes) == len(plain.episodes)
    assert zipped.episodes["CHILD"].tolist() == plain.episodes["CHILD"].tolist()
    assert zipped.quality is not None
    said = [p for p in zipped.quality.problems if p.code == "zip_read"]
    assert len(said) == 1 and said[0].file == str(z)
    assert (
        "read its 18 files in place" in said[0].message and "2026/episodes.csv" in said[0].message
    )
    assert not [p for p in zipped.quality.problems if "sufficiency-903zip" in p.file]


def test_a_years_zip_beside_the_other_years_takes_the_zips_year(tmp_path):
    folder = tmp_path / "ssda903"
    shutil.copytree(SAMPLE, folder)
    _zip(folder / "2025-26.zip", folder / "2026")
    shutil.rmtree(folder / "2026")
    history, problems = load_ssda903([folder])
    assert history is not None and history.years == YEARS
    assert not [p for p in problems if p.severity == "error"]
    assert not [p for p in problems if p.code == "skipped_file"]
    assert len(history.episodes) == len(read_history(SAMPLE).episodes)


def _encrypted(path: Path) -> Path:
    """A zip whose member says it is encrypted (zipfile cannot write one)."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("2026/episodes.csv", "CHILD,DECOM\n")
    data = bytearray(path.read_bytes())
    for sig, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = data.find(sig)
        data[i + at] |= 0x1
    path.write_bytes(bytes(data))
    return path


def test_a_password_protected_zip_is_refused_in_a_sentence(tmp_path):
    z = _encrypted(tmp_path / "903_returns.zip")
    with pytest.raises(InputDataError) as exc:
        read_history(z)
    said = [p for p in exc.value.problems if p.code == "bad_zip"]
    assert len(said) == 1 and said[0].file == str(z)
    assert "password-protected" in said[0].message


def test_a_zip_bomb_is_refused_unread(tmp_path):
    z = tmp_path / "2026.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("episodes.csv", b"0" * (12 << 20))  # 12 MB from about 12 KB
    _, problems = load_ssda903([z])
    said = [p for p in problems if p.code == "bad_zip"]
    assert len(said) == 1 and "zip bomb" in said[0].message


def test_a_zip_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(zip903, "MAX_BYTES", 4096)
    z = _zip(tmp_path / "903.zip", SAMPLE / "2026")
    _, problems = load_ssda903([z])
    assert [p.code for p in problems if p.severity == "error"][:1] == ["bad_zip"]


def test_a_member_leading_outside_the_zip_is_not_read(tmp_path):
    z = _zip(tmp_path / "903_returns.zip", SAMPLE)
    with zipfile.ZipFile(z, "a") as zf:
        zf.writestr("../../outside.csv", "CHILD,DECOM\n")
    history, problems = load_ssda903([z])
    assert history is not None and history.years == YEARS
    said = [p for p in problems if p.code == "bad_zip"]
    assert len(said) == 1 and said[0].file.endswith("../../outside.csv")
    assert "leads outside" in said[0].message
    assert not (tmp_path.parent / "outside.csv").exists()


def test_hidden_files_in_a_zip_are_passed_over_as_a_folders_are(tmp_path):
    """A folder's scan passes over .DS_Store without a word; the zip's "read its N
    file(s) in place (...)" counted and listed it. A lock file is still said skipped."""
    z = _zip(tmp_path / "903_returns.zip", SAMPLE / "2026")
    with zipfile.ZipFile(z, "a") as zf:
        zf.writestr(".DS_Store", b"\0")
        zf.writestr("__MACOSX/._episodes.csv", b"\0")
        zf.writestr(".~lock.episodes.csv#", b"lock")
    _, problems = load_ssda903([z])
    said = [p.message for p in problems if p.code == "zip_read"]
    assert len(said) == 1 and "read its 4 files" in said[0], said
    assert ".DS_Store" not in said[0] and "MACOSX" not in said[0]
    assert [p.message for p in problems if p.code == "skipped_file"] == [
        "is a LibreOffice lock file; skipped"]  # fmt: skip


def test_a_file_named_zip_that_is_not_one_is_said_in_plain_words(tmp_path):
    """Was "cannot be opened as a zip file (File is not a zip file)": Python's words."""
    z = tmp_path / "903_returns.zip"
    z.write_text("CHILD,DECOM\n1,01/04/2025\n")
    _, problems = load_ssda903([z])
    said = [p.message for p in problems if p.code == "bad_zip"]
    assert said == [
        "is named .zip but is not a zip file (it may be damaged, cut short in copying, or "
        "another kind of file saved with that name); save it again or unzip it and give "
        "the folder"
    ], said


def test_a_zip_of_one_file_says_one_file(tmp_path):
    """Was "read its 1 file(s) in place"."""
    z = tmp_path / "903_returns.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(SAMPLE / "2026" / "episodes.csv", "2026/episodes.csv")
    _, problems = load_ssda903([z])
    said = [p.message for p in problems if p.code == "zip_read"]
    assert said == ["is a zip: read its 1 file in place (2026/episodes.csv)"], said


def test_a_zip_damaged_inside_is_said_not_a_traceback(tmp_path):
    """A member whose packed bytes were damaged (cut or changed in copying) raised
    zlib.error out of the reader: a traceback where a sentence was due."""
    z = _zip(tmp_path / "903_returns.zip", SAMPLE / "2026")
    data = bytearray(z.read_bytes())
    for i in range(100, 400):  # inside the first member's packed bytes
        data[i] ^= 0x5A
    z.write_bytes(bytes(data))
    _, problems = load_ssda903([z])
    said = [p.message for p in problems if p.code == "bad_zip"]
    assert len(said) == 1 and said[0].startswith("is named .zip but is not a zip file"), said
