"""A members file TOML cannot read says what the line should be, not tomllib's words alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from sufficiency.errors import ConfigError
from sufficiency.region import load_members

MEMBER = '[[member]]\ncode = "E10000034"\nname = "Aville"\n'


def _error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "members.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_members(path)
    return str(err.value).removeprefix(f"{path}: not a valid TOML file (")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (  # a key twice: "Cannot overwrite a value (at line 5, column 17)" alone
            MEMBER + 'history = "aville"\nhistory = "beeshire"\n',
            "Line 5 gives 'history' a second time in its table (a line copied and not changed, "
            "or the heading of the next table missing above it?): keep the one you mean.",
        ),
        (  # "Invalid value (at line 4, column 11)" alone
            MEMBER + "history = aville/ssda903\n",
            "Line 4's value is not in quotes: write text and paths in quotes (history = "
            '"aville/ssda903").',
        ),
        (
            MEMBER + "history = aville\\ssda903  # Windows\n",
            "Line 4's value is not in quotes: write text and paths in quotes (history = "
            "'aville\\ssda903').",
        ),
        (  # pasted from Word or Outlook
            '[[member]]\ncode = “E10000034”\nname = "Aville"\n',
            "Line 2 has curly quotes (“ ”), as Word or Outlook types them: TOML reads straight "
            "quotes only (\" or '), so type them again in a text editor such as Notepad.",
        ),
        (  # "Expected newline or end of document after a statement" alone
            MEMBER + 'history = "aville",\n',
            "Line 4 ends with a comma: write each key = value on a line of its own, without one.",
        ),
    ],
)
def test_a_line_toml_cannot_read_is_said_in_words(tmp_path: Path, text: str, said: str) -> None:
    error = _error(tmp_path, text)
    assert error.endswith(f")). {said}"), error


def test_a_value_toml_reads_without_quotes_is_not_told_to_have_them(tmp_path: Path) -> None:
    """A number, a date or an array is a value without quotes: its line's error is
    tomllib's alone."""
    error = _error(tmp_path, MEMBER + "history = 12x\n")
    assert error.endswith('(history = "12x").')
    assert _error(tmp_path, MEMBER + "history = [1, 2\n").endswith("))."), "no hint"
