"""Each problem in a members file names its line (tomllib gives values, not places)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sufficiency.errors import ConfigError
from sufficiency.region import load_members
from sufficiency.region.lines import Places

#: A members file as an analyst writes it by hand: comments, blank lines, spaces in a
#: heading, a quoted key, and a mistake at each kind of place.
HAND_WRITTEN = """\
# West Mids co-op, set up by hand
[region]
name = "West Mids co-op"
colour = "blue"

[[member]]
code = "E10000034"
name = "Worcestershire"
histroy = 'h1'

[[ member ]]   # the second
"code" = "E10000034"
name = "Aville"
history = 'h2'
budget = 12

[[members]]
code = "E10000028"
name = "Staffordshire"
history = "h2"
"""


def _problems(tmp_path: Path, text: str, encoding: str = "utf-8") -> list[str]:
    for folder in ("h1", "h2"):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "header.csv").write_text("CHILD,SEX,DOB\n")
    path = tmp_path / "members.toml"
    path.write_text(text, encoding=encoding)
    with pytest.raises(ConfigError) as err:
        load_members(path)
    return [line.removeprefix("  - ") for line in str(err.value).splitlines()[1:]]


def test_every_problem_names_its_line_in_the_files_order(tmp_path: Path) -> None:
    """An unknown key, a missing history, a duplicate code, a wrong type and [[members]]:
    each with its line, all at once, top to bottom (they named the member and key only,
    and [[members]], found first, was listed first)."""
    assert _problems(tmp_path, HAND_WRITTEN) == [
        "line 4: [region]: unknown field 'colour' (expected name, levers)",
        "line 6: member 1 (Worcestershire): history: missing (a 903 folder or XML return)",
        "line 9: member 1 (Worcestershire): unknown field 'histroy' (expected code, name, "
        "history, levers, budget, supply; did you mean 'history'?)",
        "line 12: member 2 (Aville): code: 'E10000034' is also member 1 (Worcestershire)'s",
        "line 15: member 2 (Aville): budget: must be a path in quotes",
        "line 17: unknown top-level key 'members' (expected [region] and [[member]]; did you "
        "mean [[member]]?)",
    ]


def test_lines_are_counted_in_a_file_notepad_saved_as_unicode(tmp_path: Path) -> None:
    """UTF-16 with its mark, UTF-8 with one, and Windows line ends: the same lines."""
    text = HAND_WRITTEN.replace("\n", "\r\n")
    assert _problems(tmp_path, text, "utf-16") == _problems(tmp_path, HAND_WRITTEN)
    # Notepad's UTF-8 begins with a byte-order mark: the first heading is still found
    text = HAND_WRITTEN.removeprefix("# West Mids co-op, set up by hand\n")
    assert _problems(tmp_path, text, "utf-8-sig")[0] == (
        "line 3: [region]: unknown field 'colour' (expected name, levers)"
    )


def test_a_multi_line_string_and_one_history_for_two_members(tmp_path: Path) -> None:
    """A heading-like line inside a multi-line string is not a table; a history given
    twice is said at the second member's history line."""
    text = (
        '[region]\nname = """Co-op\n[[member]]\nhistory = "x"\n"""\n\n'
        '[[member]]\ncode = "E10000034"\nname = "Aville"\nhistory = "h1"\n\n'
        '[[member]]\ncode = "E10000035"\nname = "Beeshire"\n\nhistory = "h1"\n'
    )
    assert _problems(tmp_path, text) == [
        "line 16: member 2 (Beeshire): history: 'h1' is also member 1's history (or holds "
        "it): the same children would be counted twice in the region's totals"
    ]


def test_single_brackets_are_said_at_the_heading() -> None:
    """``[member]``'s line is its heading's; a key not in the text gives no line."""
    places = Places('# c\n\n[member]\ncode = "E1"\n')
    assert places.top("member") == 3
    assert places.member(1, "code") == 3  # no [[member]]: the table that is there
    assert Places("member = [{code = 'E1'}]\n").member(1, "code") == 1
    assert Places("").region("name") is None
