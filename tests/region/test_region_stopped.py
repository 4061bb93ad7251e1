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


def test_ctrl_c_while_the_folders_are_published_waits_for_the_report(
    region_dir: Path, params: Any, tmp_path: Path, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C pressed as the run's folders were moved into place stopped the run there:
    some members' new folders published, others' not, no report at all, and the message
    said nothing of the run was kept. A real SIGINT is sent mid-publish."""
    import os
    import signal

    from click.testing import CliRunner

    import sufficiency.region
    import sufficiency.region.run as region_run
    from sufficiency.cli import main

    real_run, real_publish = sufficiency.region.run_region, region_run.publish_run

    def publish_then_ctrl_c(staging: Path, out: Path) -> None:
        real_publish(staging, out)
        os.kill(os.getpid(), signal.SIGINT)

    def in_process(*args: Any, **kwargs: Any) -> Any:
        kwargs.pop("workers")
        kwargs.pop("scheduler")
        return real_run(*args, client=client, **kwargs)

    monkeypatch.setattr(region_run, "publish_run", publish_then_ctrl_c)
    monkeypatch.setattr(sufficiency.region, "run_region", in_process)
    out = tmp_path / "out"
    res = CliRunner().invoke(main, [
        "region", "--members", str(region_dir / "members.toml"), "--out", str(out),
        "--config", str(region_dir / "config.toml"), "--seed", str(SEED),
        "--date", str(RUN_DATE), "--no-commissioning",
    ])  # fmt: skip
    assert res.exit_code == 130, res.output
    assert "Traceback" not in res.output
    assert "the publishing was finished first" in res.output
    assert "Stopped (Ctrl-C) before this run's folders were published" not in res.output
    assert sorted(p.name for p in out.iterdir()) == [
        "members", "region.csv", "region.html", "region.xlsx",
    ]  # fmt: skip
    codes = sorted(p.name for p in (out / "members").iterdir())
    assert codes and all((out / "members" / c / "base" / "forecast" / "demand.csv").is_file()
                         for c in codes)  # fmt: skip
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
