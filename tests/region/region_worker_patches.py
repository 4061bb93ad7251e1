"""Changes made on a Dask worker by ``client.run`` in the region's tests (counting the
histories read, giving warnings in a task), and undone. Kept apart from the test modules,
which import ``conftest``: a worker imports this module by name to run one, and with the
whole suite's paths ``conftest`` there is tests/conftest.py."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from sufficiency.errors import DataWarning

FUTURE = "A library's FutureWarning, given in every member's spend"
NOTE = "A note on the data, given outside the task's record of its warnings"


def count_reads(log: str) -> None:
    """Every 903 history read from its files (all reading goes through ``read_history``,
    as ``read_903`` calls it) is written to ``log``, a line each."""
    from sufficiency.forecast import run

    read = run.read_history

    def counted(path: Path, *args: Any, **kwargs: Any) -> Any:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{Path(path).resolve()}\n")
        return read(path, *args, **kwargs)

    run._read_before = read  # type: ignore[attr-defined]
    run.read_history = counted


def reads_as_before() -> None:
    from sufficiency.forecast import run

    run.read_history = run._read_before  # type: ignore[attr-defined]


def warning_tasks() -> None:
    """Each member's spend gives a FutureWarning (inside the task's record of its data
    warnings, which ignored it), each member's summary a data warning (outside it, which
    went to the worker's standard error)."""
    from sufficiency import api
    from sufficiency.region import tasks

    spend, summary = api.spend, tasks.member_summary

    def spend_warning(*args: Any, **kwargs: Any) -> Any:
        warnings.warn(FUTURE, FutureWarning, stacklevel=1)
        return spend(*args, **kwargs)

    def summary_warning(*args: Any, **kwargs: Any) -> Any:
        warnings.warn(NOTE, DataWarning, stacklevel=1)
        return summary(*args, **kwargs)

    api._spend_before, tasks.member_summary_before = spend, summary  # type: ignore[attr-defined]
    api.spend, tasks.member_summary = spend_warning, summary_warning  # type: ignore[assignment]


def warnings_as_before() -> None:
    from sufficiency import api
    from sufficiency.region import tasks

    api.spend, tasks.member_summary = api._spend_before, tasks.member_summary_before  # type: ignore[attr-defined]


def slow_to_stop(seconds: float) -> Any:
    """A worker plugin whose teardown takes ``seconds``: a worker process slow to stop, as
    one is on a busy machine at the end of a run."""
    import time

    from distributed import WorkerPlugin

    class SlowToStop(WorkerPlugin):
        name = "slow-to-stop"

        def teardown(self, worker: Any) -> None:
            time.sleep(seconds)

    return SlowToStop()


def dying_on(code: str) -> Any:
    """A worker plugin ending its worker's process whenever a forecast task of member
    ``code`` reaches its summary: a member too large for a worker's memory, every time."""
    from distributed import WorkerPlugin

    class DyingOn(WorkerPlugin):
        name = "dying-on"

        def setup(self, worker: Any) -> None:
            import os

            from sufficiency.region import tasks

            summary = tasks.member_summary

            def dying(task: Any, *args: Any, **kwargs: Any) -> Any:
                if task.member.code == code:
                    os._exit(1)
                return summary(task, *args, **kwargs)

            tasks.member_summary = dying  # type: ignore[assignment]

    return DyingOn()
