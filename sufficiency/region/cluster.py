"""The Dask cluster a region runs on, and what the console says of it.

Without a scheduler address a ``LocalCluster`` (one worker process per core, one thread
each) starts and stops with the run. Dask's own warnings about its housekeeping are kept
off the console: at the end of a run on a busy machine it said "distributed.nanny -
WARNING - Worker process still alive after 4.0 seconds, killing", because its nanny
gives a worker process 4 s (80% of its ``close``'s 5 s, which the cluster does not let
one set) to stop before killing it, and a worker that has imported pandas, matplotlib
and HiGHS took longer on a loaded machine. The workers are now given
:data:`CLOSE_TIMEOUT_S` to stop, and Dask's log lines below ERROR are not printed. A
real fault is still said, in plain words, on any cluster: a worker lost while the
region runs (:func:`watching_workers`).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from sufficiency.errors import ConfigError, SufficiencyError
from sufficiency.plurals import numbered

#: Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``, which also turns
#: off glibc's adaptive mmap threshold: every large numpy array is then mapped afresh
#: from the system, and a member's forecast took about 50% longer on a worker than in
#: one process (measured: 5.4-6.0 s against 3.7-4.6 s for the same forecast). Workers
#: this command starts keep glibc's default; docs/region.md says so for other clusters.
WORKER_CONFIG = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
#: Seconds a local worker process is given to stop at the end of a run before it is
#: killed (Dask's own close gives it 4 s).
CLOSE_TIMEOUT_S = 60.0
#: The Dask event topic on which the scheduler says a worker was removed.
EVERYTHING = "all"


@contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """A ``distributed.Client``: on ``scheduler`` if given, else on a LocalCluster of
    ``workers`` processes (default one per core), closed on exit."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler is not None and workers is not None:
        raise ConfigError("Give --workers or --scheduler, not both.")
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise ConfigError(
                f"Cannot reach the Dask scheduler at {scheduler} ({exc}); start it, or leave "
                "out --scheduler to run on a local cluster."
            ) from None
        with client:
            yield client
        return
    n = workers or os.cpu_count() or 1
    with (
        dask.config.set(WORKER_CONFIG),
        LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
            silence_logs=logging.ERROR,
        ) as cluster,
    ):  # fmt: skip
        try:
            with Client(cluster) as client:
                yield client
        finally:
            close_workers(cluster)


def close_workers(cluster: Any, timeout_s: float = CLOSE_TIMEOUT_S) -> None:
    """Stop a local cluster's worker processes, giving each ``timeout_s`` to stop before
    it is killed; the cluster's own close then finds them stopped."""

    async def close() -> None:
        nannies = list(cluster.workers.values())
        await asyncio.gather(*(n.close(timeout=timeout_s) for n in nannies))

    with suppress(Exception):  # a cluster already closing: its own close goes on
        cluster.sync(close)


def lost_worker(event: Any) -> str | None:
    """The sentence for a scheduler's event of a worker removed unexpectedly (its process
    ended: killed, out of memory, its machine gone), or ``None`` for any other event."""
    msg = event[1] if isinstance(event, tuple | list) and len(event) == 2 else event
    if not isinstance(msg, dict) or msg.get("action") != "remove-worker" or msg.get("expected"):
        return None
    running = len(msg.get("processing-tasks") or ())
    held = len(msg.get("lost-computed-tasks") or ())
    what = (f"it was running {numbered(running, 'task(s)')} and held "
            f"{numbered(held, 'result(s)')}"
            if running or held else "it was running no task")  # fmt: skip
    return (
        f"A Dask worker was lost while the region ran ({msg.get('worker', 'a worker')}: its "
        f"process ended, killed, out of memory or its machine gone); {what}. Dask runs "
        "them again on another worker, from the same seeds, so the figures are unchanged; "
        "if workers keep being lost, give each more memory or run fewer at once (--workers)."
    )


@contextmanager
def watching_workers(client: Any, say: Callable[[str], None]) -> Iterator[None]:
    """While the block runs, say (``say``) each worker the scheduler loses unexpectedly:
    Dask's own lines about it are not printed (above), and on another machine's
    scheduler they never reached this console."""

    def heard(event: Any) -> None:
        sentence = lost_worker(event)
        if sentence is not None:
            say(sentence)

    client.subscribe_topic(EVERYTHING, heard)
    try:
        yield
    finally:
        client.unsubscribe_topic(EVERYTHING)


def workers_kept_dying(exc: Any) -> SufficiencyError:
    """The error for Dask's ``KilledWorker`` where the run cannot go on without the task
    (one of the histories' comparison): a task whose worker process ended each time it ran
    (killed, out of memory), which Dask then gives up on; the run stopped with a
    traceback. ``exc.task`` is the task's key (``member-E99000001-base-<seed>``): the one
    that ended the worker, or one queued beside it there."""
    return SufficiencyError(
        f"{gave_up(exc)[:-1]} and the region's run stopped before its report was written. "
        "Give each worker more memory, or run fewer at once (--workers 1), and run it again."
    )


def gave_up(exc: Any) -> str:
    """What Dask's ``KilledWorker`` says, in a sentence: the task, and how often its worker
    ended."""
    task = str(getattr(exc, "task", "") or "a task")
    times = int(getattr(exc, "allowed_failures", 3)) + 1
    return (f"The Dask worker running the task {task} ended {numbered(times, 'time(s)')} "
            "(its process killed, or out of memory), so Dask gave the task up.")  # fmt: skip


def outcomes(client: Any, futures: list[Any], failed: Callable[[int, str], Any]) -> list[Any]:
    """Each future's result, in order, where a task Dask gave up on (its worker process
    ended each time it ran: ``KilledWorker``, or a task it needed was so given up) gives
    ``failed(i, why)`` instead: that member's runs fail, with the reason, and the rest of
    the region's run goes on (before, one member too large for a worker's memory stopped
    every member's run). Any other error is raised, as ``gather`` raises it.

    Dask also gives up on a task that was only waiting on the worker beside the one that
    ended it, so each task given up on is run once more, alone (one at a time): a task
    that ends its worker again fails; one that was only beside it runs."""
    from distributed import KilledWorker, wait

    def killed(f: Any) -> bool:
        return f.status == "error" and isinstance(f.exception(), KilledWorker)

    wait(futures)
    for f in futures:
        if killed(f):
            client.retry([f])
            wait([f])
    done = iter(client.gather([f for f in futures if f.status != "error"]))
    out = []
    for i, f in enumerate(futures):
        if f.status != "error":
            out.append(next(done))
            continue
        if not killed(f):
            f.result()  # raises it
        out.append(failed(i, f"{gave_up(f.exception())} Give each worker more memory, or run "
                             "fewer at once (--workers 1), and run it again."))  # fmt: skip
    return out
