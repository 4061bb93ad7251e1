"""A member given another council's 903 history is warned of, by its children's home
postcodes (the history was read as the member's, nothing said)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from sufficiency.geo import directory, upper_tier_authority
from sufficiency.region import load_members
from sufficiency.region.home_area import FEWEST, home_area_note
from sufficiency.region.members import Member
from sufficiency.region.tasks import read_member


def _postcodes(council: str, n: int) -> list[str]:
    """``n`` real postcodes in ``council``'s area (Wakefield's and Worcestershire's begin W)."""
    d = directory()
    d.load(["W"])
    df = d.districts().dropna(subset=["district"])  # every letter loaded so far in the run
    df = df[df["postcode"].astype(str).str.startswith("W")]  # the same postcodes in any run
    upper = pd.Series(upper_tier_authority(df["district"].astype("string")), dtype="string")
    chosen = (upper == council).fillna(False).to_numpy(bool)  # a district with no county: NA
    return sorted(df.loc[chosen, "postcode"].astype(str))[:n]


def _episodes(wakefield: int, worcestershire: int) -> pd.DataFrame:
    posts = _postcodes("E08000036", wakefield) + _postcodes("E10000034", worcestershire)
    return pd.DataFrame({"CHILD": [f"C{i}" for i in range(len(posts))], "HOME_POST": posts})


def test_most_children_living_in_another_councils_area_are_said() -> None:
    """25 of 30 children live in Wakefield: said of a member coded Worcestershire's, naming
    Wakefield and the counts; not of Wakefield, nor with fewer children than FEWEST, nor
    when half live in the member's own area."""
    episodes = _episodes(25, 5)
    assert home_area_note("E10000034", episodes) == (
        "25 of the 30 children in its history with a home postcode (HOME_POST) the postcode "
        "directory places (83%) lived in Wakefield (E08000036), 5 in Worcestershire "
        "(E10000034): is its history Wakefield's 903 returns, or its code not its "
        "council's? Give each member its own council's code and returns"
    )
    assert home_area_note("E08000036", episodes) is None
    assert home_area_note("E10000034", _episodes(FEWEST - 1, 0)) is None
    assert home_area_note("E10000034", _episodes(15, 15)) is None
    assert "in E99000001:" in str(home_area_note("E99000001", episodes))


def test_a_member_read_with_another_councils_children_carries_the_warning(
    region_dir: Path, tmp_path: Path
) -> None:
    """The warning is among the notes of the member's read, which each of its runs says
    under its name (console, Read with care)."""
    first = load_members(region_dir / "members.toml").members[0]
    history = tmp_path / "ssda903"
    shutil.copytree(first.history, history)
    for path in sorted(history.rglob("episodes.csv")):
        table = pd.read_csv(path, dtype=str)
        children = sorted(set(table["CHILD"]))
        post = dict(zip(children, _postcodes("E08000036", len(children)), strict=True))
        table.assign(HOME_POST=table["CHILD"].map(post)).to_csv(path, index=False)
    read = read_member(Member("E10000034", "Worcestershire", history, folder=tmp_path))
    said = [n for n in read.notes if "home postcode" in n]
    assert len(said) == 1 and "lived in Wakefield (E08000036), 0 in Worcestershire" in said[0]
    assert not any("home postcode" in n for n in read_member(first).notes)
