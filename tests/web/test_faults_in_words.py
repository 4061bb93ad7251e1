"""A fault in the program during a re-run of matching or a scenario run is said in words
(it said "unexpected failure (KeyError)"), and logged without its message, which may
quote an input's values (a scenario run's was logged whole)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from sufficiency.forecast import Scenario
from sufficiency.store import RunStore
from sufficiency.store.saved_scenarios import get_scenario_run, save_scenario, start_scenario_run
from sufficiency.web import rerun, scenario_run

DOB = "01/02/2015"  # a value an input held, quoted by the fault's message


def _fault(*_args: object) -> None:
    raise KeyError(f"R001 {DOB}")


def test_a_scenario_runs_fault_is_said_in_words_and_logged_without_its_message(
    tmp_path, monkeypatch, caplog
):
    store = RunStore(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    definition = {"name": "Entries up", "entries": {"change_pct": 10.0}}
    sid = save_scenario(store, "Entries up", definition, "ann")
    run_id = start_scenario_run(store, sid, 1, definition, "ann")
    monkeypatch.setattr(scenario_run, "run_scenario", _fault)
    with caplog.at_level(logging.DEBUG):
        scenario_run._work(store, run_id, None, Scenario.model_validate(definition))  # type: ignore[arg-type]
    run = get_scenario_run(store, run_id)
    assert run is not None and run.failure_reason == (
        "It stopped on a fault in the program, not in the scenario; the server's log has the "
        "details for your administrator."
    )
    assert "KeyError" in caplog.text and DOB not in caplog.text
    store.close()


def test_a_reruns_fault_is_said_in_words_and_logged_without_its_message(
    tmp_path, monkeypatch, caplog
):
    store = RunStore(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    state = rerun.RerunState("running", "placement", dt.datetime.now(dt.UTC).isoformat(), 1,
                             os.getpid(), socket.gethostname())  # fmt: skip
    monkeypatch.setattr(rerun, "rerun", _fault)
    with caplog.at_level(logging.DEBUG):
        rerun._work(store, {"id": 1}, "placement", state)
    done = rerun.current(store)
    assert done is not None and done.state == "failed"
    assert done.message == ("it stopped on a fault in the program, not in the inputs or "
                            "decisions; the server's log has the details for your "
                            "administrator.")  # fmt: skip
    assert "KeyError" in caplog.text and DOB not in caplog.text
    store.close()


def test_the_rerun_page_says_its_time_limit_without_the_solver():
    """A running re-run's page said "the solver stops after 60 seconds at most"."""
    from sufficiency.web.framework import environment

    state = rerun.RerunState("running", "placement", "2026-04-01T09:00:00+00:00", 1,
                             os.getpid(), socket.gethostname(), time_limit_seconds=60)  # fmt: skip
    page = environment().get_template("rerun.html").render(
        state=state, interrupted=False, waited=20, problem="", user=None, nav=[], path="/",
        csrf_token="", flash="", based_on_started=None)  # fmt: skip
    assert "the search for the best plan stops after 60 seconds at most" in page
    assert "solver" not in page
