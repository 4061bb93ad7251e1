"""The region's own local cluster: its workers are given time to stop, Dask's own warnings
are kept off the console, and a worker lost is said in plain words."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from conftest import RUN_DATE, SEED
from region_worker_patches import dying_on, slow_to_stop

from sufficiency.region import run_region
from sufficiency.region.cluster import dask_client, lost_worker


def test_a_worker_slow_to_stop_is_waited_for_at_the_end_of_a_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A worker process taking 6 s to stop (on a busy machine they took 4.7-4.9 s) is
    waited for: Dask's own close killed it after 4 s, printing "distributed.nanny -
    WARNING - Worker process still alive after 4.0 seconds, killing"."""
    with caplog.at_level(logging.INFO, logger="distributed"), dask_client(1) as client:
        client.register_plugin(slow_to_stop(6.0))
        assert client.submit(sum, [1, 2], pure=False).result() == 3
    said = [r.getMessage() for r in caplog.records if r.name.startswith("distributed")]
    assert any("Nanny at" in m and "closed" in m for m in said), said  # the records are seen
    assert not [m for m in said if "still alive" in m]


def test_a_worker_lost_is_said_in_plain_words() -> None:
    """The scheduler's event of a worker removed unexpectedly is one sentence: the worker,
    what it was running, and that the figures are unchanged; a worker closed at the end of
    a run, or any other event, is nothing."""
    event = (1.0, {"action": "remove-worker", "worker": "tcp://127.0.0.1:4000",
                   "processing-tasks": {"member-E99000001-base-1"},
                   "lost-computed-tasks": set(), "expected": False})  # fmt: skip
    said = lost_worker(event)
    assert said is not None
    assert said.startswith("A Dask worker was lost while the region ran (tcp://127.0.0.1:4000")
    assert "it was running 1 task and held 0 results" in said
    assert "the figures are unchanged" in said
    assert lost_worker((1.0, {**event[1], "expected": True})) is None
    assert lost_worker((1.0, {"action": "add-worker", "worker": "tcp://127.0.0.1:4000"})) is None


def test_a_member_whose_task_keeps_ending_its_worker_fails_and_the_rest_run(
    region_dir: Path, params: Any, tmp_path: Path
) -> None:
    """A member whose task ends its worker process each time it runs (too large for a
    worker's memory, say), which Dask gives up on: that member's runs fail, each saying
    why in one sentence, and every other member's runs complete (before, Dask's
    KilledWorker stopped the whole region's run: every member lost for one)."""
    import dask
    from distributed import Client, LocalCluster

    config = {"distributed.scheduler.allowed-failures": 0}
    with (
        dask.config.set(config),
        LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                     dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):  # fmt: skip
        client.register_plugin(dying_on("E99000002"))
        result = run_region(region_dir / "members.toml", tmp_path, params=params, seed=SEED,
                            run_date=RUN_DATE, commissioning=False, client=client)  # fmt: skip
    failed = {(f.code, f.scenario) for f in result.failures}
    assert failed == {("E99000002", s) for s in result.scenarios}
    ran = {m.code for m in result.members}
    assert ran and "E99000002" not in ran
    assert ran == {m.code for m in result.region.members} - {"E99000002"}
    for f in result.failures:
        assert f.reason.startswith("The Dask worker running the task member-E99000002-")
        assert "ended 1 time (its process killed, or out of memory)" in f.reason
        assert "--workers 1" in f.reason
    written = result.write(tmp_path / "report")
    page = next(p for p in written if p.suffix == ".html").read_text(encoding="utf-8")
    assert "Synthetic authority 2" in page and "ended 1 time" in page


def test_a_task_dask_gave_up_on_is_said_in_a_sentence() -> None:
    """Dask's KilledWorker, in words: the task, how often its worker ended, what to do."""
    from distributed import KilledWorker

    from sufficiency.region.cluster import gave_up, workers_kept_dying

    exc = KilledWorker("read-E99000001-abc", "tcp://127.0.0.1:4000", 2)
    assert gave_up(exc) == (
        "The Dask worker running the task read-E99000001-abc ended 3 times (its "
        "process killed, or out of memory), so Dask gave the task up."
    )
    said = str(workers_kept_dying(exc))
    assert said.startswith("The Dask worker running the task read-E99000001-abc ended 3")
    assert "gave the task up and the region's run stopped before its report" in said
