"""The members file: read relative paths, report every problem at once; seeds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sufficiency.errors import ConfigError
from sufficiency.region import load_members, member_seed


def test_members_file_reads_paths_relative_to_the_file(region_dir: Path) -> None:
    """Every member is read in file order with absolute paths under the file's folder."""
    region = load_members(region_dir / "members.toml")
    assert [m.code for m in region.members] == ["E99000001", "E99000002", "E99000003"]
    assert region.members[0].history == (region_dir / "E99000001" / "ssda903").resolve()
    assert region.members[1].budget == (region_dir / "E99000002" / "budget.csv").resolve()
    assert region.pooled_levers is not None and region.pooled_levers.name == "levers.toml"


def test_members_file_raises_every_problem_at_once(tmp_path: Path) -> None:
    """A bad code, a missing history, an unknown field and a duplicate code, in one error."""
    for folder in ("h", "h3"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "header.csv").write_text("CHILD,SEX,DOB\n")
    path = tmp_path / "members.toml"
    path.write_text(
        '[[member]]\ncode = "E1"\nname = "Aville"\nhistory = "h"\n\n'
        '[[member]]\ncode = "E10000034"\nname = "Beeshire"\nhistory = "missing"\ncolour = "red"\n\n'
        '[[member]]\ncode = "E10000034"\nname = "Ceeton"\nhistory = "h3"\n'
    )
    with pytest.raises(ConfigError) as err:
        load_members(path)
    text = str(err.value)
    assert str(path) in text and "4 problems" in text
    assert "member 1 (Aville): code: 'E1' is not an ONS code" in text
    assert "member 2 (Beeshire): history: 'missing' not found" in text
    assert "member 2 (Beeshire): unknown field 'colour'" in text
    assert "member 3 (Ceeton): code: 'E10000034' is also member 2 (Beeshire)'s" in text


def test_members_file_raises_without_members(tmp_path: Path) -> None:
    """A file with no [[member]] table says so."""
    path = tmp_path / "members.toml"
    path.write_text('[region]\nname = "Empty"\n')
    with pytest.raises(ConfigError, match="no \\[\\[member\\]\\] tables"):
        load_members(path)


def test_member_seed_depends_only_on_seed_code_and_scenario() -> None:
    """Seeds are stable, differ by member and scenario, and fit a 32-bit --seed."""
    a = member_seed(2026, "E10000034", "base")
    assert a == member_seed(2026, "E10000034", "base")
    others = {
        member_seed(2026, "E10000035", "base"),
        member_seed(2026, "E10000034", "up"),
        member_seed(2027, "E10000034", "base"),
    }
    assert a not in others and len(others) == 3
    assert 0 <= a < 2**32


def test_region_command_raises_on_a_bad_members_file_before_starting_dask(tmp_path: Path) -> None:
    """A bad members file: `Error:` with every problem, exit code 1, no traceback."""
    from click.testing import CliRunner

    from sufficiency.cli import main

    path = tmp_path / "members.toml"
    path.write_text('[[member]]\ncode = "X"\nname = "Aville"\n')
    res = CliRunner().invoke(main, ["region", "--members", str(path), "--out", str(tmp_path)])
    assert res.exit_code == 1
    assert "Error: " in res.output and "2 problems" in res.output
    assert "member 1 (Aville): history: missing" in res.output
    assert "Traceback" not in res.output


def test_synthetic_england_members_live_at_their_own_postcodes(tmp_path: Path) -> None:
    """``places="england"``: real, distinct English authorities, each child's home at one of
    its own authority's postcodes, about three placements in four inside it; the same seed
    writes the same files."""
    from sufficiency.forecast import read_903
    from sufficiency.geo import directory, known_upper_tier_codes
    from sufficiency.region.synthetic import IN_AREA_SHARE, write_region

    first = write_region(tmp_path / "a", 2, seed=3, sizes=[60, 150], num_years=2, places="england")
    write_region(tmp_path / "b", 2, seed=3, sizes=[60, 150], num_years=2, places="england")
    region = load_members(first)
    codes = [m.code for m in region.members]
    assert len(set(codes)) == 2 and set(codes) <= known_upper_tier_codes()
    assert all(m.name.startswith("Synthetic ") for m in region.members)
    for m in region.members:
        episodes = read_903(m.history).episodes
        home = directory().lookup(episodes["HOME_POST"])
        assert set(home.upper_tier.astype(str)) == {m.code}
        placed = directory().lookup(episodes["PL_POST"])
        inside = float((placed.upper_tier.astype(str) == m.code).mean())
        assert abs(inside - IN_AREA_SHARE) < 0.1, inside
    for path in sorted((tmp_path / "a").rglob("*.csv")):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()
    with pytest.raises(ValueError, match="upper-tier authorities"):
        write_region(tmp_path / "c", 1000, seed=3, places="england")


class _PathLike(os.PathLike):
    """A path class of a notebook's own (not a ``pathlib.Path``)."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __fspath__(self) -> str:
        return self.path


def test_run_region_checks_its_options_before_any_work(region_dir: Path, tmp_path: Path) -> None:
    """A day-first run date failed every member on the workers (exit 4), a negative seed
    was numpy's ValueError, a params file 'str' object has no attribute 'forecast', and
    one scenario file given alone was read letter by letter ('/: scenario file not
    found.'), or, a path-like object other than a Path, was 'TypeError: ... is not
    iterable'; strict="no" was taken as True, commissioning="no" ran the plans, and
    progress=True was "'bool' object is not callable"."""

    from sufficiency.region import run_region

    members = region_dir / "members.toml"
    for kw, said in (
        ({"run_date": "01/04/2026"}, r"^run_date: '01/04/2026' is not a date"),
        ({"seed": -1}, r"^Invalid forecast option: seed"),
        ({"params": {"forecast": {}}}, r"^params: expected a Params"),
        ({"params": region_dir / "nope.toml"}, r"nope\.toml: configuration file not found"),
        ({"scenarios": str(tmp_path / "nope.toml")}, r"nope\.toml: scenario file not found"),
        ({"scenarios": _PathLike(tmp_path / "nope.toml")}, r"nope\.toml: scenario file not"),
        ({"strict": "no"}, r"^strict: expected True or False, not str\.$"),
        ({"commissioning": "no"}, r"^commissioning: expected True or False, not str\.$"),
        ({"progress": True}, r"^progress: expected a function to call as the job goes"),
    ):
        with pytest.raises(ConfigError, match=said):
            run_region(members, tmp_path / "out", **kw)  # type: ignore[arg-type]


def test_members_file_refuses_one_history_for_two_members(tmp_path: Path) -> None:
    """The same 903 folder named for two members (written differently: with ``./`` and a
    trailing slash, or as a folder inside it) would count its children twice in the
    region's totals: the file is refused, naming both members."""
    (tmp_path / "shared" / "2026").mkdir(parents=True)
    (tmp_path / "own").mkdir()
    for folder in ("shared/2026", "own"):
        (tmp_path / folder / "header.csv").write_text("CHILD,SEX,DOB\n")
    path = tmp_path / "members.toml"
    path.write_text(
        '[[member]]\ncode = "E10000034"\nname = "Aville"\nhistory = "shared"\n\n'
        '[[member]]\ncode = "E10000031"\nname = "Beeshire"\nhistory = "./shared/"\n\n'
        '[[member]]\ncode = "E10000032"\nname = "Ceeton"\nhistory = "shared/2026"\n\n'
        '[[member]]\ncode = "E10000033"\nname = "Deeford"\nhistory = "own"\n'
    )
    with pytest.raises(ConfigError) as err:
        load_members(path)
    text = str(err.value)
    assert "2 problems" in text
    assert "member 2 (Beeshire): history: './shared/' is also member 1's history" in text
    assert "member 3 (Ceeton): history: 'shared/2026' is also member 1's history" in text
    assert "counted twice" in text and "Deeford" not in text


def test_a_member_task_keeps_data_warnings_but_not_the_apis_repair_note() -> None:
    """A member's own plan reads its history through the Python API, whose note of the
    history's repairs ('... The result's quality says what and where
    (quality.summary_lines(), quality.table())') reached region.xlsx's Read with care
    sheet: a Python call for a commissioner, beside the member's data-quality line."""
    import warnings

    from sufficiency.errors import DataWarning, RepairWarning
    from sufficiency.region.worker import quiet

    def run() -> int:
        warnings.warn("1 row(s) repaired or set aside.", RepairWarning, stacklevel=1)
        warnings.warn("The history covers 1.0 years.", DataWarning, stacklevel=1)
        return 7

    assert quiet(run) == (7, ("The history covers 1.0 years.",))


def test_members_file_and_its_paths_may_start_with_the_home(tmp_path: Path, monkeypatch) -> None:
    """history = "~/h" was looked for in a folder named "~" beside the file, and the file
    itself given as "~/members.toml" (from Python) was not found: ~ is the home, as the
    shell reads it; a relative path is still the file's folder's."""
    home = tmp_path / "home"
    for folder in (home / "h", home / "region" / "h2"):
        folder.mkdir(parents=True)
        (folder / "header.csv").write_text("CHILD,SEX,DOB\n")
    (home / "region" / "members.toml").write_text(
        '[[member]]\ncode = "E10000034"\nname = "Aville"\nhistory = "~/h"\n\n'
        '[[member]]\ncode = "E10000035"\nname = "Beeshire"\nhistory = "h2"\n'
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    region = load_members("~/region/members.toml")
    assert [m.history for m in region.members] == [(home / "h").resolve(),
                                                   (home / "region" / "h2").resolve()]  # fmt: skip


def _members_error(tmp_path: Path, text: str) -> str:
    (tmp_path / "h").mkdir(exist_ok=True)
    path = tmp_path / "members.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_members(path)
    return str(err.value)


def test_members_file_refuses_an_authority_outside_england(tmp_path: Path) -> None:
    """A Welsh or Scottish code is an ONS code, but not of an authority with a 903 return:
    it was accepted and its member ran as if English."""
    text = _members_error(
        tmp_path,
        '[[member]]\ncode = "W06000015"\nname = "Cardiff"\nhistory = "h"\n\n'
        '[[member]]\ncode = "S12000036"\nname = "Edinburgh"\nhistory = "h"\n',
    )
    assert "member 1 (Cardiff): code: 'W06000015' is an authority in Wales" in text
    assert "member 2 (Edinburgh): code: 'S12000036' is an authority in Scotland" in text
    assert "codes beginning with E" in text


def test_members_file_says_a_value_not_in_quotes_is_not_missing(tmp_path: Path) -> None:
    """``code = 10000034`` or ``name = 5`` was reported as 'missing', which it is not."""
    text = _members_error(tmp_path, '[[member]]\ncode = 10000034\nname = 5\nhistory = "h"\n')
    assert "member 1: code: 10000034 must be in quotes" in text
    assert "member 1: name: 5 must be in quotes" in text
    assert "missing" not in text


def test_members_file_suggests_the_field_a_typo_meant(tmp_path: Path) -> None:
    """``histroy`` is named as unknown with the field it may mean; [region] likewise."""
    text = _members_error(
        tmp_path,
        '[region]\nlevres = "x"\n\n[[member]]\ncode = "E10000034"\nname = "Aville"\n'
        'histroy = "h"\n',
    )
    assert "member 1 (Aville): unknown field 'histroy'" in text
    assert "did you mean 'history'?" in text
    assert "[region]: unknown field 'levres'" in text and "did you mean 'levers'?" in text


def test_members_file_says_member_needs_two_brackets(tmp_path: Path) -> None:
    """``[member]`` (one table) instead of ``[[member]]`` said 'no [[member]] tables'."""
    text = _members_error(
        tmp_path, '[member]\ncode = "E10000034"\nname = "Aville"\nhistory = "h"\n'
    )
    assert "[member] is written with single brackets" in text
    assert "no [[member]] tables" not in text


def test_members_file_says_an_empty_path_is_empty(tmp_path: Path) -> None:
    """``budget = ""`` was 'must be a path in quotes', though it is in quotes."""
    text = _members_error(
        tmp_path, '[[member]]\ncode = "E10000034"\nname = "Aville"\nhistory = "h"\nbudget = ""\n'
    )
    assert 'member 1 (Aville): budget: "" is empty: give its path, or leave the line out' in text
    assert "in quotes" not in text
