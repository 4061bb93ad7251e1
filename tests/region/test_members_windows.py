"""A members file as a council's analyst writes it on Windows: paths with backslashes, a
code in lower case."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sufficiency.errors import ConfigError
from sufficiency.region import load_members

posix_only = pytest.mark.skipif(os.sep != "/", reason="backslashes are separators on Windows")


def _members(tmp_path: Path, *lines: str) -> Path:
    """A members file of one member, Aville, with its history folder made; ``lines`` added."""
    (tmp_path / "aville" / "ssda903").mkdir(parents=True)
    (tmp_path / "aville" / "ssda903" / "header.csv").write_text("CHILD,SEX,DOB\n")
    (tmp_path / "aville" / "budget.csv").write_text("financial_year,cost_line,budget_gbp\n")
    path = tmp_path / "members.toml"
    path.write_text("\n".join(["[[member]]", 'name = "Aville"', *lines, ""]), encoding="utf-8")
    return path


@posix_only
def test_a_path_written_with_backslashes_in_single_quotes_is_found(tmp_path: Path) -> None:
    """'aville\\ssda903' (in single quotes, a path as Windows writes it) is the folder
    aville/ssda903 on a machine whose paths use /: it was 'not found'."""
    path = _members(tmp_path, 'code = "E10000034"', "history = 'aville\\ssda903'",
                    "budget = 'aville\\budget.csv'")  # fmt: skip
    (member,) = load_members(path).members
    assert member.history == (tmp_path / "aville" / "ssda903").resolve()
    assert member.budget == (tmp_path / "aville" / "budget.csv").resolve()


def test_members_file_raises_on_a_windows_path_in_double_quotes(tmp_path: Path) -> None:
    """A path "aville\\budget.csv" in double quotes is TOML's backspace: the member, the field and
    both ways to write it are said (it was "'aville\\x08udget.csv' not found")."""
    path = _members(tmp_path, 'code = "E10000034"', 'history = "aville/ssda903"',
                    'budget = "aville\\budget.csv"')  # fmt: skip
    with pytest.raises(ConfigError) as err:
        load_members(path)
    text = str(err.value)
    assert (
        'member 1 (Aville): budget: "aville\\budget.csv" is in double quotes, where a '
        "backslash begins an escape" in text
    )
    slashes = 'forward slashes ("aville/budget.csv")'
    assert f"{slashes} or in single quotes ('aville\\budget.csv')" in text
    assert "\x08" not in text


def test_members_file_raises_naming_the_line_of_a_backslash_toml_cannot_read(
    tmp_path: Path,
) -> None:
    """A path "aville\\ssda903" in double quotes is no TOML at all: the error names the line and
    how to write the path (it said only "Unescaped '\\' in a string")."""
    path = _members(tmp_path, 'code = "E10000034"', 'history = "aville\\ssda903"')
    with pytest.raises(ConfigError) as err:
        load_members(path)
    text = str(err.value)
    assert text.startswith(f"{path}: not a valid TOML file")
    assert "Line 4 has a backslash in double quotes" in text
    assert "forward slashes" in text and "single quotes" in text


@posix_only
def test_members_file_raises_on_a_windows_drive_path(tmp_path: Path) -> None:
    """A path on a Windows drive (C:\\...) is said to be one, not just 'not found'."""
    path = _members(tmp_path, 'code = "E10000034"', "history = 'C:\\Users\\me\\ssda903'")
    with pytest.raises(ConfigError) as err:
        load_members(path)
    assert "member 1 (Aville): history: 'C:\\Users\\me\\ssda903' is a Windows drive path" in str(
        err.value
    )


def test_a_code_in_lower_case_is_read_in_capitals(tmp_path: Path) -> None:
    """code = "e10000034" is E10000034 (it was "not an ONS code"), so the same code in
    capitals for another member is its code too, named with that member."""
    path = _members(tmp_path, 'code = "e10000034"', 'history = "aville/ssda903"')
    (member,) = load_members(path).members
    assert member.code == "E10000034"
    (tmp_path / "bee").mkdir()
    with path.open("a", encoding="utf-8") as f:
        f.write('[[member]]\ncode = "E10000034"\nname = "Beeshire"\nhistory = "bee"\n')
    with pytest.raises(ConfigError) as err:
        load_members(path)
    assert "member 2 (Beeshire): code: 'E10000034' is also member 1 (Aville)'s" in str(err.value)


def test_a_members_file_saved_as_unicode_in_notepad_is_read(tmp_path: Path) -> None:
    """Notepad's "Unicode" (UTF-16 with its mark) is read, names whole (it was refused:
    "'utf-8' codec can't decode byte 0xff in position 0")."""
    path = _members(tmp_path, 'code = "E10000034"', 'history = "aville/ssda903"')
    text = path.read_text(encoding="utf-8").replace("Aville", "Ynys Môn")
    path.write_text(text, encoding="utf-16")
    (member,) = load_members(path).members
    assert member.name == "Ynys Môn"


def test_members_file_raises_naming_the_line_that_is_not_utf8(tmp_path: Path) -> None:
    """A file saved as ANSI (Windows-1252) is refused naming the line, the character and
    how to save it (it said "can't decode byte 0xf4 in position 36")."""
    path = _members(tmp_path, 'code = "E10000034"', 'history = "aville/ssda903"')
    text = path.read_text(encoding="utf-8").replace("Aville", "Ynys Môn")
    path.write_text(text, encoding="cp1252")
    with pytest.raises(ConfigError) as err:
        load_members(path)
    assert str(err.value) == (
        f"{path}: not a valid TOML file (line 2 is not UTF-8: byte 0xf4, 'ô' in "
        "Windows-1252). Save it as UTF-8 (in Notepad: Save as, Encoding: UTF-8)."
    )


@posix_only
def test_a_windows_share_is_said_to_be_one(tmp_path: Path) -> None:
    """'\\\\fileserver\\csc\\903' was "not found (looked for /fileserver/csc/903)"."""
    path = _members(tmp_path, 'code = "E10000034"', "history = '\\\\fileserver\\csc\\903'")
    with pytest.raises(ConfigError) as err:
        load_members(path)
    assert (
        "line 4: member 1 (Aville): history: '\\\\fileserver\\csc\\903' is a Windows network "
        "path (a shared folder), which this machine does not reach by that name"
    ) in str(err.value)
