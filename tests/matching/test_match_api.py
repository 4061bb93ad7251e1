"""match(): the matching job as one library call with a typed, immutable result."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from sufficiency.config import Params
from sufficiency.io.inputs import read_tonight
from sufficiency.matching import MatchRun, MatchSummary, match
from sufficiency.matching.writers import OUTPUT_FILES
from sufficiency.store.record import match_records
from sufficiency.store.types import ChildOutcome, InputRow

RUN_DATE = dt.date(2026, 4, 1)


@pytest.fixture(scope="module")
def sample_run(sample_dir: Path) -> MatchRun:
    """The bundled sample matched once for the module."""
    return match(sample_dir / "referrals.csv", sample_dir / "placements.csv", run_date=RUN_DATE)


def test_match_returns_typed_figures(sample_run: MatchRun) -> None:
    """The summary's figures are attributes agreeing with the tables."""
    s = sample_run.summary
    assert isinstance(s, MatchSummary)
    assert s.proven_optimal and s.status.value == "optimal"
    assert s.children_placed == len(sample_run.matches) == s.plan.children_placed
    assert s.children_placed + s.children_unplaced == s.num_children
    assert s.weekly_cost_gbp == round(sample_run.matches["weekly_cost"].sum(), 2)
    assert s.priority_score == s.objective_gbp <= s.greedy_baseline.priority_score
    assert s.rows_set_aside == len(s.set_aside) == 0
    assert set(s.inputs_sha256) == {"referrals", "placements"}


def test_match_result_is_immutable(sample_run: MatchRun) -> None:
    """Neither the run nor its summary can be changed in place."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        sample_run.summary.num_children = 0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        sample_run.matches = sample_run.unplaced  # type: ignore[misc]


def test_write_gives_summary_json_as_to_dict(sample_run: MatchRun, tmp_path: Path) -> None:
    """write() writes every output; summary.json is to_dict() in its order."""
    written = sample_run.write(tmp_path)
    assert [p.name for p in written] == list(OUTPUT_FILES)
    on_disk = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert list(on_disk) == list(sample_run.summary.to_dict())
    assert on_disk == json.loads(json.dumps(sample_run.summary.to_dict(), default=str))
    assert "config" not in sample_run.summary.to_store()


def test_match_on_inputs_already_read_agrees(sample_dir: Path, sample_run: MatchRun) -> None:
    """Inputs read with read_tonight give the same proposals as the same files by path."""
    tonight = read_tonight(sample_dir / "referrals.csv", sample_dir / "placements.csv",
                           run_date=RUN_DATE)  # fmt: skip
    run = match(tonight, run_date=RUN_DATE, params=Params())
    assert run.matches.equals(sample_run.matches)
    assert dict(run.summary.inputs_sha256) == {}


def test_match_with_inputs_already_read_raises_on_paths_too(sample_dir: Path) -> None:
    """A Tonight and a placements path together are refused (which would be read?), as
    every argument of the wrong kind is: a ConfigError (it was a TypeError)."""
    from sufficiency.errors import ConfigError

    tonight = read_tonight(sample_dir / "referrals.csv", sample_dir / "placements.csv",
                           run_date=RUN_DATE)  # fmt: skip
    with pytest.raises(ConfigError, match=r"inputs already read \(a Tonight\) on their own"):
        match(tonight, sample_dir / "placements.csv", run_date=RUN_DATE)


def test_match_applies_solver_and_time_limit_overrides(sample_dir: Path) -> None:
    """solver= and time_limit_seconds= override the parameters (and the summary says so)."""
    run = match(sample_dir / "referrals.csv", sample_dir / "placements.csv", run_date=RUN_DATE,
                solver="highs", time_limit_seconds=30.0)  # fmt: skip
    assert run.summary.config.matching.solver == "highs"
    assert run.summary.config.matching.time_limit_seconds == 30.0
    assert run.summary.to_dict()["config"]["matching"]["solver"] == "highs"


def test_match_records_are_named(sample_run: MatchRun) -> None:
    """The store's records of a run are named tuples, one outcome per child."""
    records = match_records(sample_run)
    assert all(isinstance(r, InputRow) for r in records.rows)
    assert all(isinstance(o, ChildOutcome) for o in records.outcomes)
    assert len(records.outcomes) == sample_run.summary.num_children
    placed = {o.child_id: o.placement_id for o in records.outcomes if o.placement_id}
    assert placed == dict(zip(sample_run.matches["child_id"], sample_run.matches["placement_id"],
                              strict=True))  # fmt: skip
