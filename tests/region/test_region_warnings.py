"""The region's tasks' warnings, said as the other commands say theirs. A member task
ignored every FutureWarning and dropped every other warning but the notes on the data
(inside its record of them), or left it to the worker's standard error in Python's form;
and run_region was not inside notes_not_errors, as every other job is. A warning a task
gives now reaches the caller once, under the caller's filters: a note on the data shown,
never raised; any other warning (a library's FutureWarning) as Python gives it."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from conftest import RUN_DATE, SEED
from region_worker_patches import FUTURE, NOTE, warning_tasks, warnings_as_before

from sufficiency.cli import main
from sufficiency.errors import DataWarning
from sufficiency.region import run_region


def test_a_tasks_warnings_reach_the_caller_once_under_its_filters(
    cluster: Any, region_dir: Path, params: Any, tmp_path: Path
) -> None:
    """Under a caller's filters that make data warnings errors (a council's test suite with
    ``filterwarnings = error`` for them): the run gives its result, the note shown once,
    not raised; the library's FutureWarning reaches the caller once (it was ignored on the
    worker), not once a task. The command prints each once, without a traceback."""
    from distributed import Client

    with Client(cluster.scheduler_address) as client:
        client.run(warning_tasks)
        try:
            with warnings.catch_warnings(record=True) as said:
                warnings.simplefilter("always")
                warnings.filterwarnings("error", category=DataWarning)
                result = run_region(
                    region_dir / "members.toml", tmp_path / "out", params=params, seed=SEED,
                    run_date=RUN_DATE, client=client, commissioning=False,
                )  # fmt: skip
            assert result.exit_code == 0 and len(result.members) == 3
            told = [(w.category, str(w.message)) for w in said]
            assert told.count((FutureWarning, FUTURE)) == 1, told
            assert told.count((DataWarning, NOTE)) == 1, told
            # the FutureWarning is given once on the client, and Python prints it (in a
            # terminal; under pytest its warnings capture takes it: recorded here instead)
            with warnings.catch_warnings(record=True) as given:
                warnings.simplefilter("always")
                cli = CliRunner().invoke(
                    main,
                    ["region", "--members", str(region_dir / "members.toml"),
                     "--out", str(tmp_path / "cli"), "--scheduler", cluster.scheduler_address,
                     "--config", str(region_dir / "config.toml"), "--no-commissioning",
                     "--date", RUN_DATE.isoformat()],
                )  # fmt: skip
        finally:
            client.run(warnings_as_before)
    assert cli.exit_code == 0, cli.output
    assert cli.output.count(f"Warning: {NOTE}") == 1, cli.output
    future = [w for w in given if w.category is FutureWarning and str(w.message) == FUTURE]
    assert len(future) == 1, [str(w.message) for w in given]
    assert "Traceback" not in cli.output


def test_a_warning_given_on_every_path_is_said_once() -> None:
    """A task giving the same warning on each of a thousand paths sends it once (each one
    was an event to the client); outside a worker, the caller is given it once, with the
    notes on the data kept by the task's record, as before."""
    from sufficiency.region.told import told
    from sufficiency.region.worker import quiet

    @told
    def task() -> tuple[int, tuple[str, ...]]:
        def paths() -> int:
            for _ in range(1000):
                warnings.warn(FUTURE, FutureWarning, stacklevel=1)
            warnings.warn(NOTE, DataWarning, stacklevel=1)
            return 7

        return quiet(paths)

    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        assert task() == (7, (NOTE,))
    assert [(w.category, str(w.message)) for w in said] == [(FutureWarning, FUTURE)]
