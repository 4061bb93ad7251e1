"""A region run stopped part-way (Ctrl-C, the client killed) leaves the earlier run's folders
and report whole: its tasks publish into the run's staging folder, moved into place when
every task is done. Each member's folder replaced its earlier one as its task ended, so a
run stopped after its members' forecasts left their new folders beside the earlier run's
region.xlsx, whose figures were no longer theirs, and a member not yet run kept its earlier
folder, nothing saying which was which."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import RUN_DATE, SEED

from sufficiency.region import run_region

COMMON = {"run_date": RUN_DATE, "commissioning": False}


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """One in-process worker: the tasks are the real ones, without starting processes."""
    from distributed import Client

    with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0") as c:
        yield c


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _stop_when(line: str) -> Any:
    def progress(said: str) -> None:
        if said.startswith(line):
            raise KeyboardInterrupt

    return progress


def test_a_run_stopped_after_its_forecasts_leaves_the_earlier_run_whole(
    region_dir: Path, params: Any, tmp_path: Path, client: Any
) -> None:
    out = tmp_path / "out"
    members = region_dir / "members.toml"
    first = run_region(members, out, params=params, seed=SEED, client=client, **COMMON)
    first.write(out)
    before = _files(out)
    assert "members/E99000001/base/forecast/demand.csv" in before
    with pytest.raises(KeyboardInterrupt):  # another seed: every member's figures differ
        run_region(members, out, params=params, seed=SEED + 1, client=client,
                   progress=_stop_when("Members' forecasts and spend done"), **COMMON)  # fmt: skip
    after = _files(out)
    changed = sorted(name for name in before if after.get(name) != before[name])
    assert changed == []
    assert sorted(after) == sorted(before)  # and no staging folder left


def test_a_finished_run_removes_the_earlier_report_when_its_folders_are_published(
    region_dir: Path, params: Any, tmp_path: Path, client: Any
) -> None:
    """Between the run's folders published and its own report written, the earlier
    report, of the earlier folders, is not left to be read as theirs."""
    out = tmp_path / "out"
    members = region_dir / "members.toml"
    run_region(members, out, params=params, seed=SEED, client=client, **COMMON).write(out)
    assert (out / "region.xlsx").is_file()
    result = run_region(members, out, params=params, seed=SEED + 1, client=client, **COMMON)
    assert not any((out / name).exists() for name in ("region.csv", "region.xlsx", "region.html"))
    assert [p.name for p in out.iterdir()] == ["members"]
    result.write(out)
    assert sorted(p.name for p in out.iterdir()) == [
        "members",
        "region.csv",
        "region.html",
        "region.xlsx",
    ]


def test_the_command_stopped_says_what_the_folder_holds(
    region_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C said "Aborted!" alone, exit 1 (an input error's, "nothing ran"): not whether
    the folder held a whole run. ``run_region`` interrupted as Ctrl-C interrupts it."""
    from click.testing import CliRunner

    import sufficiency.region
    from sufficiency.cli import main

    def interrupted(*_args: Any, **_kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(sufficiency.region, "run_region", interrupted)
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["region", "--members", str(region_dir / "members.toml"), "--out", str(out)]
    )
    assert res.exit_code == 130
    assert "Stopped (Ctrl-C) before this run's folders were published" in res.output
    assert f"{out} holds what an earlier run left there as it was" in res.output
    assert "Traceback" not in res.output
