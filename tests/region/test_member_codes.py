"""A member's code is an English council that looks after children, and the one its name
says; a history folder holds files. Each was accepted, and the run went on under it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sufficiency.errors import ConfigError
from sufficiency.region import load_members


def _problems(tmp_path: Path, members: list[tuple[str, str, str]]) -> list[str]:
    (tmp_path / "h").mkdir(exist_ok=True)
    (tmp_path / "h" / "header.csv").write_text("CHILD,SEX,DOB\n")
    text = "\n".join(
        f'[[member]]\ncode = "{code}"\nname = "{name}"\nhistory = "{history}"\n'
        for code, name, history in members
    )
    path = tmp_path / "members.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_members(path)
    return [line.removeprefix("  - ") for line in str(err.value).splitlines()[1:]]


def test_codes_from_the_wrong_list_are_refused_with_the_code_to_give(tmp_path: Path) -> None:
    """A district's code, a region's, one from before April 2023, and a row copied for the
    next member with its name changed and not its code: each said at its line, naming the
    code to give (all four ran, each member's figures under a code no council has)."""
    assert _problems(
        tmp_path,
        [
            ("E07000234", "Bromsgrove", "h"),
            ("E12000005", "West Midlands", "h/../h2"),
            ("E10000023", "North Yorkshire", "h3"),
            ("E10000034", "Worcestershire", "h4"),
            ("E10000034", "Staffordshire", "h5"),
        ],
    )[:5] == [
        "line 2: member 1 (Bromsgrove): code: 'E07000234' is the code of Bromsgrove, a district "
        "council: children there are looked after by E10000034 (Worcestershire); give that code",
        "line 7: member 2 (West Midlands): code: 'E12000005' is not the code of an English "
        "council that looks after children (their codes begin E06, E08, E09 or E10, such as "
        "E10000034 for Worcestershire)",
        "line 9: member 2 (West Midlands): history: 'h/../h2' not found (looked for "
        f"{tmp_path / 'h2'})",
        "line 12: member 3 (North Yorkshire): code: 'E10000023' is North Yorkshire's code "
        "before April 2023, which no council has now: give E06000065 (North Yorkshire)",
        "line 14: member 3 (North Yorkshire): history: 'h3' not found (looked for "
        f"{tmp_path / 'h3'})",
    ]
    text = "\n".join(_problems(tmp_path, [("E10000034", "Staffordshire", "h")]))
    assert (
        "line 2: member 1 (Staffordshire): code: 'E10000034' is Worcestershire's, but the member "
        "is named 'Staffordshire', whose code is E10000028 (Staffordshire)"
    ) in text


def test_codes_a_council_may_have_are_read(tmp_path: Path) -> None:
    """A name the lookup does not know, a council's name with its words, a code of a
    council's kind the lookup has not yet, a split county's name under its successor's
    code, and the fictional E99: each read."""
    rows = [
        ("E10000034", "Aville"),
        ("E10000028", "Staffordshire County Council"),
        ("E06000099", "New unitary"),
        ("E06000063", "Cumbria"),
        ("E99000001", "Synthetic authority 1"),
    ]
    for i in range(len(rows)):
        (tmp_path / f"h{i}").mkdir()
        (tmp_path / f"h{i}" / "header.csv").write_text("CHILD,SEX,DOB\n")
    path = tmp_path / "members.toml"
    path.write_text(
        "\n".join(
            f'[[member]]\ncode = "{code}"\nname = "{name}"\nhistory = "h{i}"\n'
            for i, (code, name) in enumerate(rows)
        )
    )
    assert [m.code for m in load_members(path).members] == [code for code, _ in rows]


def test_an_empty_history_folder_fails_its_member_not_the_members_file(tmp_path: Path) -> None:
    """A member's folder left empty (this month's export not yet copied) is that member's
    unusable data, not a mistake in the members file: the file is read, so the run goes on
    and fails that member alone ("no CSV or XLSX files found"), the others completing."""
    (tmp_path / "empty" / "2026").mkdir(parents=True)
    (tmp_path / "h").mkdir()
    (tmp_path / "h" / "header.csv").write_text("CHILD,SEX,DOB\n")
    path = tmp_path / "members.toml"
    path.write_text(
        '[[member]]\ncode = "E10000034"\nname = "Aville"\nhistory = "h"\n\n'
        '[[member]]\ncode = "E10000035"\nname = "Beeshire"\nhistory = "empty"\n'
    )
    members = load_members(path).members
    assert [(m.code, m.history.name) for m in members] == [
        ("E10000034", "h"),
        ("E10000035", "empty"),
    ]


def test_a_name_given_twice_is_refused(tmp_path: Path) -> None:
    """Two members by one name (in any case) ran, the report's rows alike but for the
    code: a row copied for the next member with its code changed and not its name."""
    for folder in ("h2", "h3"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "header.csv").write_text("CHILD,SEX,DOB\n")
    rows = [("E99000001", "Aville", "h"), ("E99000002", "Beeshire", "h2"),
            ("E99000003", "AVILLE ", "h3")]  # fmt: skip
    assert _problems(tmp_path, rows) == [
        "line 13: member 3 (AVILLE): name: 'AVILLE' is also member 1's (a row copied for the "
        "next member, its name not changed?): the region's report would show two members by "
        "one name"
    ]
