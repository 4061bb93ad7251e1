"""Members sharing children. The members file refused a history given twice byte for byte,
but a partial copy ran: the same council's returns under two codes with a year fewer, its
children exported again (rows in another order, a column more, a workbook), a council's
export put in another's folder. The region's totals added those children twice, silently.
Each member's children (CHILD, date of birth, an episode's start date) are now compared
before anything runs: most of a member's children shared refuses the run, a few warn."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import RUN_DATE, SEED

from sufficiency.cli import main
from sufficiency.errors import ConfigError
from sufficiency.region import load_members, run_region
from sufficiency.region.members import Member
from sufficiency.region.overlap import WARN_AT, child_keys, shared_children
from sufficiency.region.report import caution_table
from sufficiency.region.tasks import read_member

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::DeprecationWarning")


def _region(region_dir: Path, tmp_path: Path) -> Path:
    """A copy of the three-member region (40, 70 and 110 children) to change, without
    levers (its relative path is the original folder's)."""
    folder = tmp_path / "region"
    shutil.copytree(region_dir, folder)
    text = (folder / "members.toml").read_text().splitlines()
    (folder / "members.toml").write_text("\n".join(t for t in text if "levers" not in t))
    return folder


def _shared(folder: Path) -> list[Any]:
    region = load_members(folder / "members.toml")
    keys = [child_keys(read_member(m)) for m in region.members]
    return shared_children(region.members, keys)


def _years(history: Path) -> list[Path]:
    return sorted(p for p in history.iterdir() if p.is_dir())


def test_the_same_returns_with_a_year_fewer_under_another_code_are_refused(
    region_dir: Path, tmp_path: Path
) -> None:
    """Member 3's returns given again as member 2's, its first year left out: refused,
    naming both members and how many children they share."""
    folder = _region(region_dir, tmp_path)
    two = folder / "E99000002" / "ssda903"
    shutil.rmtree(two)
    shutil.copytree(folder / "E99000003" / "ssda903", two)
    shutil.rmtree(_years(two)[0])
    (shared,) = _shared(folder)
    assert shared.refused and (shared.first_number, shared.second_number) == (2, 3)
    text = shared.problem()
    n = f"{shared.children:,}"
    assert text.startswith(
        f"member 2 (Synthetic authority 2 (70 children)): history: shares {n} of the {n} "
        "children in its history (100%)"
    )
    assert "member 3 (Synthetic authority 3 (110 children))'s history" in text
    assert shared.children == shared.first_children > 50


def test_the_same_children_exported_again_another_way_are_refused(
    region_dir: Path, tmp_path: Path
) -> None:
    """Member 1's returns exported again as member 2's: rows in another order, a column
    more, one year's episodes as a workbook. Not a byte-for-byte copy, so the members file
    let it through; the children are the same."""
    folder = _region(region_dir, tmp_path)
    one, two = folder / "E99000001" / "ssda903", folder / "E99000002" / "ssda903"
    shutil.rmtree(two)
    shutil.copytree(one, two)
    for i, year in enumerate(_years(two)):
        for table in ("header", "episodes"):
            df = pd.read_csv(year / f"{table}.csv", dtype=str)
            df = df.iloc[::-1].assign(EXPORTED="2026-05-01")
            (year / f"{table}.csv").unlink()
            if i == 0 and table == "episodes":
                df.to_excel(year / "episodes.xlsx", index=False)
            else:
                df.to_csv(year / f"{table}.csv", index=False)
    load_members(folder / "members.toml")  # the members file's copy check passes it
    (shared,) = _shared(folder)
    assert shared.refused and shared.children == shared.first_children == shared.second_children


def test_a_few_children_of_another_member_are_a_warning_with_counts_only(
    region_dir: Path, tmp_path: Path
) -> None:
    """Five of member 1's children in member 3's latest return (part of an export in the
    wrong folder): a warning with the counts, under the later member; never an ID."""
    folder = _region(region_dir, tmp_path)
    one, three = folder / "E99000001" / "ssda903", folder / "E99000003" / "ssda903"
    last_one, last_three = _years(one)[-1], _years(three)[-1]
    head = pd.read_csv(last_one / "header.csv", dtype=str)
    moved = set(head["CHILD"].head(5))
    for table in ("header", "episodes"):
        src = pd.read_csv(last_one / f"{table}.csv", dtype=str)
        dst = pd.read_csv(last_three / f"{table}.csv", dtype=str)
        both = pd.concat([dst, src[src["CHILD"].isin(moved)]], ignore_index=True)
        both.to_csv(last_three / f"{table}.csv", index=False)
    (shared,) = _shared(folder)
    assert not shared.refused and shared.children == 5
    assert (shared.first.code, shared.second.code) == ("E99000001", "E99000003")
    text = shared.warning()
    assert text.startswith(
        f"5 of the {shared.second_children:,} children in its history are also in "
        "Synthetic authority 1 (40 children) (E99000001)'s (5 of its "
    )
    assert not any(child in text for child in moved)


def test_children_sharing_an_id_by_chance_are_not_said(tmp_path: Path) -> None:
    """Child IDs are each council's own: two councils both numbering children C000001...
    share IDs, and a few share a date of birth too by chance; below the warning, nothing is
    said, and different children with the same ID are never counted."""
    from sufficiency.forecast.synthetic import synthetic_history
    from sufficiency.region.synthetic import write_history

    members = []
    for i, seed in enumerate((11, 12), start=1):
        history = synthetic_history(300, num_years=2, seed=seed)
        members.append(Member(f"E9900000{i}", f"M{i}", write_history(history, tmp_path / str(i))))
    reads = [read_member(m) for m in members]
    ids = [set(r.history.header["CHILD"]) for r in reads]  # type: ignore[union-attr]
    assert len(ids[0] & ids[1]) > 100  # the same IDs, other children
    assert shared_children(members, [child_keys(r) for r in reads]) == []
    # two children with the same ID and date of birth: under the warning, not said
    one, two = reads[0].history, reads[1].history
    assert one is not None and two is not None
    same = sorted(ids[0] & ids[1])[: WARN_AT - 1]
    dobs = one.header.set_index("CHILD").loc[same, "DOB"]
    two.header["DOB"] = two.header["CHILD"].map(dobs).fillna(two.header["DOB"])
    keys = [child_keys(r) for r in reads]
    assert shared_children(members, keys) == []  # nor with the date of birth alone


def test_the_region_refuses_before_anything_runs(
    cluster: Any, region_dir: Path, params: Any, tmp_path: Path
) -> None:
    """The run stops before any member's forecast: no member folder written, the members
    file's problem given; `sufficiency region` exits 1 with it."""
    folder = _region(region_dir, tmp_path)
    two = folder / "E99000002" / "ssda903"
    shutil.rmtree(two)
    shutil.copytree(folder / "E99000003" / "ssda903", two)
    shutil.rmtree(_years(two)[-1])
    with pytest.raises(ConfigError) as err:
        run_region(
            folder / "members.toml", tmp_path / "out", params=params, seed=SEED,
            run_date=RUN_DATE, scheduler=cluster.scheduler_address, commissioning=False,
        )  # fmt: skip
    assert "1 problem in the members file" in str(err.value)
    assert "member 2 (Synthetic authority 2 (70 children)): history: shares" in str(err.value)
    assert not (tmp_path / "out" / "members").exists()
    cli = CliRunner().invoke(
        main,
        ["region", "--members", str(folder / "members.toml"), "--out", str(tmp_path / "cli"),
         "--scheduler", cluster.scheduler_address, "--config", str(folder / "config.toml"),
         "--no-commissioning"],
    )  # fmt: skip
    assert cli.exit_code == 1, cli.output
    assert "member 3 (Synthetic authority 3 (110 children))'s history" in cli.output
    assert not (tmp_path / "cli" / "members").exists()


def test_the_region_report_warns_of_a_few_children_shared(
    cluster: Any, region_dir: Path, params: Any, tmp_path: Path
) -> None:
    """A few shared children: the region runs, and Read with care (the console's warnings,
    region.xlsx and region.html) says how many, under the later member, once."""
    folder = _region(region_dir, tmp_path)
    one, three = folder / "E99000001" / "ssda903", folder / "E99000003" / "ssda903"
    for table in ("header", "episodes"):
        src = pd.read_csv(_years(one)[-1] / f"{table}.csv", dtype=str)
        kids = sorted(set(pd.read_csv(_years(one)[-1] / "header.csv", dtype=str)["CHILD"]))[:4]
        dst = _years(three)[-1] / f"{table}.csv"
        pd.concat([pd.read_csv(dst, dtype=str), src[src["CHILD"].isin(kids)]]).to_csv(
            dst, index=False
        )
    result = run_region(folder / "members.toml", tmp_path / "out", params=params, seed=SEED,
                        run_date=RUN_DATE, scheduler=cluster.scheduler_address,
                        commissioning=False)  # fmt: skip
    assert result.exit_code == 0
    cautions = caution_table(result)
    said = cautions[cautions["warning"].str.contains("are also in")]
    assert list(said["code"]) == ["E99000003"] and list(said["said_in"]) == ["every run"]
    assert said["warning"].iloc[0].startswith("4 of the ")
    written = result.write(tmp_path / "out")
    html = next(p for p in written if p.suffix == ".html").read_text()
    assert "4 of the " in html and "also in Synthetic authority 1 (40 children)" in html


def test_a_copy_of_another_members_history_is_refused_as_the_same_files(
    cluster: Any, region_dir: Path, params: Any, tmp_path: Path
) -> None:
    """A member whose history folder is a copy of another's (under its own code and name,
    the files renamed too) was read as another authority. The members file refused it by
    hashing every history on the client; the overlap check, which reads each history on
    the workers before anything runs, refuses it now (moved from test_members.py), with
    the same words: the same files as the other member's history."""
    region = load_members(region_dir / "members.toml")
    first = region.members[0]
    copy = tmp_path / "copy" / "ssda903"
    shutil.copytree(first.history, copy)
    for path in sorted(copy.rglob("*.csv")):
        path.rename(path.with_name(f"SSDA903_{path.parent.name}_{path.name}"))
    members = tmp_path / "members.toml"
    lines = [
        f'[[member]]\ncode = "{m.code}"\nname = "{m.name}"\nhistory = "{m.history.as_posix()}"\n'
        for m in region.members
    ]
    lines.append(
        f'[[member]]\ncode = "E99000009"\nname = "Elsewhere"\nhistory = "{copy.as_posix()}"\n'
    )
    members.write_text("\n".join(lines))
    assert len(load_members(members).members) == 4  # the file's own check: paths only
    with pytest.raises(ConfigError) as err:
        run_region(members, tmp_path / "out", params=params, seed=SEED, run_date=RUN_DATE,
                   scheduler=cluster.scheduler_address, commissioning=False)  # fmt: skip
    text = str(err.value)
    assert "1 problem in the members file" in text and text.endswith("Nothing was run.")
    assert (  # at the line of member 4's history (the run's problems had no line)
        "  - line 19: member 4 (Elsewhere): history: 'copy/ssda903' holds the same files as "
        f"member 1 ({first.name})'s history (a copy of it, however its files are named; all "
    ) in text
    assert "children in it are member 1's too): the same children would be counted" in text
    assert "the same children would be counted twice in the region's totals" in text
    assert not (tmp_path / "out" / "members").exists()
    # another authority's history is no copy
    from sufficiency.forecast.synthetic import synthetic_history
    from sufficiency.region.synthetic import write_history

    other = tmp_path / "other" / "ssda903"
    write_history(synthetic_history(40, num_years=3, seed=99), other)
    members.write_text(
        "\n".join([*lines[:-1], lines[-1].replace(copy.as_posix(), other.as_posix())])
    )
    assert _shared(members.parent) == []


def test_a_copy_of_a_history_that_cannot_be_read_is_still_the_same_files(tmp_path: Path) -> None:
    """Two members given the same files that are no 903 history: no child to compare, but
    the copy is refused all the same (the members file's hash check refused it), without
    a count of children; each member's read says why it cannot be used only once run."""
    for name in ("a", "b"):
        (tmp_path / name / "2026").mkdir(parents=True)
        (tmp_path / name / "2026" / "notes.csv").write_text("x,y\n1,2\n")
    members = [Member("E10000034", "Aville", tmp_path / "a", folder=tmp_path),
               Member("E10000035", "Beeshire", tmp_path / "b", folder=tmp_path)]  # fmt: skip
    reads = [read_member(m) for m in members]
    assert all(r.history is None for r in reads)
    (shared,) = shared_children(members, [child_keys(r) for r in reads])
    assert shared.refused and shared.same_files and shared.children == 0
    assert shared.problem() == (
        "member 2 (Beeshire): history: 'b' holds the same files as member 1 (Aville)'s "
        "history (a copy of it, however its files are named): the same children would be "
        "counted twice in the region's totals. Give each authority's history once"
    )
    (tmp_path / "b" / "2026" / "notes.csv").write_text("x,y\n1,3\n")  # other files
    assert shared_children(members, [child_keys(read_member(m)) for m in members]) == []
