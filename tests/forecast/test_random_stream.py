"""The simulation's random stream is pinned: a seed gives the same paths, bit for bit.

Speed work on :mod:`sufficiency.forecast.simulate` must leave every simulated figure
unchanged for a seed. The checksums in ``random_stream.json`` were computed by the
simulation before it was optimised (December 2026); a change that draws random numbers
in a different order, or rounds a probability differently, changes them. Regenerate
only for a deliberate change to the model (and say so in the commit):

    PYTHONPATH=. .venv/bin/python tests/forecast/test_random_stream.py --update
"""

from __future__ import annotations

import hashlib
import json
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from sufficiency.config import ForecastParams
from sufficiency.forecast.errors import ForecastWarning
from sufficiency.forecast.projection import forecast_from_spells
from sufficiency.forecast.scenario import EntryChange, Scenario, Shift, StepDown
from sufficiency.forecast.states import build_spells
from sufficiency.forecast.synthetic import synthetic_history

GOLDEN = Path(__file__).with_name("random_stream.json")
#: 700 paths: a full chunk of 500 and a part chunk, each with its own stream.
PARAMS = ForecastParams(num_paths=700, horizon_months=30, seed=2026)
SCENARIO = Scenario(
    name="mixed",
    entries=EntryChange(change_pct=-10, change_pct_by_age_band={"16-17": 25}),
    step_down=(
        StepDown(
            from_category="external_residential",
            to_category="in_house_foster",
            per_month=1.5,
            start_month=3,
            end_month=20,
        ),
    ),
    shift=(Shift(from_category="ifa_foster", to_category="in_house_foster", fraction=0.3),),
    exit_rate_change_pct={"external_residential": 20},
)
OUTPUTS = ("stock", "starts", "entries", "exits")


def _fingerprints() -> dict[str, dict[str, object]]:
    """Checksums and totals of each output of the pinned runs."""
    warnings.simplefilter("ignore", ForecastWarning)
    care = build_spells(synthetic_history(300, num_years=5, seed=4))
    found: dict[str, dict[str, object]] = {}
    for scenario in (Scenario(), SCENARIO):
        result = forecast_from_spells(care, PARAMS, scenario=scenario)
        for name in OUTPUTS:
            arr = np.ascontiguousarray(getattr(result, name), dtype="<i4")
            found[f"{scenario.name}/{name}"] = {
                "shape": list(arr.shape),
                "sum": int(arr.sum(dtype=np.int64)),
                "last_month_sum": int(arr[:, -1].sum(dtype=np.int64)),
                "sha256": hashlib.sha256(arr.tobytes()).hexdigest(),
            }
    return found


@pytest.fixture(scope="module")
def fingerprints() -> dict[str, dict[str, object]]:
    return _fingerprints()


@pytest.mark.parametrize("key", [f"{s}/{o}" for s in ("base", "mixed") for o in OUTPUTS])
def test_simulation_matches_pinned_stream(
    fingerprints: dict[str, dict[str, object]], key: str
) -> None:
    """Each output of a seeded run (base and a scenario using every lever) is unchanged."""
    golden = json.loads(GOLDEN.read_text())
    assert golden[key]["shape"] == fingerprints[key]["shape"]
    # totals first: a mismatch there says how far off, the checksum catches the rest
    assert golden[key]["sum"] == fingerprints[key]["sum"]
    assert golden[key]["last_month_sum"] == fingerprints[key]["last_month_sum"]
    assert golden[key]["sha256"] == fingerprints[key]["sha256"]


def test_one_thread_gives_the_same_stream(
    fingerprints: dict[str, dict[str, object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A regional run's workers simulate on one thread: the same paths, bit for bit."""
    from sufficiency.forecast.simulate import THREADS_ENV, simulation_threads

    monkeypatch.setenv(THREADS_ENV, "1")
    assert simulation_threads() == 1
    assert _fingerprints() == fingerprints


def test_threads_default_to_the_cores_the_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two threads on one core cost more CPU than one: a process pinned to one core
    simulates on one thread unless told otherwise."""
    from sufficiency.forecast import simulate

    monkeypatch.delenv(simulate.THREADS_ENV, raising=False)
    monkeypatch.setattr(simulate.os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    assert simulate.simulation_threads() == 1
    monkeypatch.setattr(simulate.os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3}, raising=False)
    assert simulate.simulation_threads() == 2
    monkeypatch.setenv(simulate.THREADS_ENV, "3")
    assert simulate.simulation_threads() == 3


@pytest.mark.parametrize(("value", "used"), [("0", 2), ("-1", 2), ("two", 2), ("1.5", 2)])
def test_a_thread_count_that_is_not_a_number_is_said(
    monkeypatch: pytest.MonkeyPatch, value: str, used: int
) -> None:
    """$SUFFICIENCY_SIMULATION_THREADS=0, -1 or two was ignored with no word (0 quietly
    became 1): it is now said, once, naming the variable and the number of threads used.
    Set but blank is unset, as in a shell script, and a number with spaces around it is
    read."""
    from sufficiency.errors import DataWarning
    from sufficiency.forecast import simulate

    simulate._threads.cache_clear()
    monkeypatch.setattr(simulate.os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setenv(simulate.THREADS_ENV, value)
    with pytest.warns(DataWarning) as said:
        assert simulate.simulation_threads() == used
    assert [str(w.message) for w in said] == [
        f"$SUFFICIENCY_SIMULATION_THREADS is {value!r}, not a whole number of 1 or more: "
        f"simulating on {used} threads (the default) instead."
    ]
    for quiet, n in (("", 2), (" 3 ", 3)):
        monkeypatch.setenv(simulate.THREADS_ENV, quiet)
        assert simulate.simulation_threads() == n


if __name__ == "__main__":
    if "--update" not in sys.argv:
        sys.exit("pass --update to rewrite " + str(GOLDEN))
    GOLDEN.write_text(json.dumps(_fingerprints(), indent=1, sort_keys=True) + "\n")
    print(f"Wrote {GOLDEN}")
