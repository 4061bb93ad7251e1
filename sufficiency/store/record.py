"""Record a command's run in the store: start, then success with figures, or failure and why."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from sufficiency.errors import SufficiencyError
from sufficiency.io.ids import fold_id
from sufficiency.io.ssda903_scan import files_under
from sufficiency.store.splits import homes, sibling_groups
from sufficiency.store.types import ChildOutcome, InputRow


class MatchRecords(NamedTuple):
    """What the run store keeps of a matching run's inputs and proposals."""

    rows: list[InputRow]
    outcomes: list[ChildOutcome]


class _MatchTables(Protocol):
    """The tables of a matching run the store records (a ``MatchRun`` has them)."""

    @property
    def referrals(self) -> Any: ...
    @property
    def placements(self) -> Any: ...
    @property
    def matches(self) -> Any: ...
    @property
    def unplaced(self) -> Any: ...


def row_digest(record: dict[str, Any], key: str | None = None) -> str:
    """SHA-256 of one input row's canonical JSON; its own ID ``key`` as matching compares
    it (:func:`~sufficiency.io.ids.fold_id`): a row whose ID the next night writes in
    another case or spacing (``R007``, then ``r007``) is the same row, not a changed one.
    An ID written in capitals without spaces hashes as it did before the ID was folded."""
    if key is not None:
        record = {**record, key: fold_id(record[key])}
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()


def match_records(run: _MatchTables) -> MatchRecords:
    """Input-row fingerprints and per-child outcomes of a matching run, for the run store.

    Take them before pseudonymising the run: the store keeps real IDs.
    """
    rows = [InputRow("referral", str(r["child_id"]), row_digest(r, "child_id"), None)
            for r in run.referrals.to_dict("records")]  # fmt: skip
    rows += [InputRow("placement", str(r["placement_id"]), row_digest(r, "placement_id"),
                      int(r["vacancies"]))
             for r in run.placements.to_dict("records")]  # fmt: skip
    # each child's sibling group, so that what changed can name a team decision that
    # split one (:mod:`sufficiency.store.splits`)
    group = sibling_groups(run.referrals)
    home = homes(run.placements)  # rows of one home on several rows: siblings there together

    def on(r: dict[str, Any]) -> dict[str, str]:
        at = home.get(str(r["placement_id"]))
        return {"home": at} if at and str(r["child_id"]) in group else {}

    outcomes = [
        ChildOutcome(str(r["child_id"]), str(r["placement_id"]), None,
                     {"weekly_cost": float(r["weekly_cost"]), **group.get(str(r["child_id"]), {}),
                      **on(r)})
        for r in run.matches.to_dict("records")
    ]  # fmt: skip
    reason_col = "reason" if "reason" in run.unplaced.columns else None
    outcomes += [
        ChildOutcome(str(r["child_id"]), None, str(r[reason_col]) if reason_col else None,
                     group.get(str(r["child_id"])))
        for r in run.unplaced.to_dict("records")
    ]  # fmt: skip
    return MatchRecords(rows, outcomes)


def match_fields(run: Any, written: list[Path], out_dir: Path, **summary: Any) -> dict[str, Any]:
    """What the store records of a matching run (a ``MatchRun``, not pseudonymised) that
    wrote ``written`` to ``out_dir``: its figures, outcomes, input rows and decisions;
    ``summary`` adds to the recorded summary."""
    records = match_records(run)
    s = run.summary
    return {
        "outputs": {p.name: p for p in written},
        "out_dir": out_dir,
        "solver_status": s.status.value,
        "objective": float(s.objective_gbp),
        "gap": None if s.gap is None else float(s.gap),
        "summary": {**s.to_store(), **summary},
        "outcomes": records.outcomes,
        "rows": records.rows,
        "decisions": [n.as_dict() for n in run.decisions.notes],
    }


def input_files(inputs: dict[str, Path]) -> dict[str, Path]:
    """Every input file to hash: folders (the 903 history) contribute each file inside."""
    out: dict[str, Path] = {}
    for label, path in inputs.items():
        if path.is_dir():  # as the 903 reader finds them: a linked year folder too
            for f in files_under(path):
                out[f"{label}/{f.relative_to(path).as_posix()}"] = f
        elif path.is_file():
            out[label] = path
    return out


def inputs_modified(inputs: dict[str, Path]) -> dict[str, str]:
    """When each input was last written (a folder's labels ``history/2026/...``: its
    newest file), UTC ISO: how old a page's inputs are, said when it is read later."""
    newest: dict[str, float] = {}
    for label, p in inputs.items():
        if Path(p).is_file():
            top = label.split("/")[0]
            newest[top] = max(newest.get(top, 0.0), Path(p).stat().st_mtime)
    return {k: dt.datetime.fromtimestamp(v, dt.UTC).isoformat() for k, v in sorted(newest.items())}


@dataclass
class RunRecord:
    """What a command fills in while it runs; written to the store when it ends."""

    run_id: int
    fields: dict[str, Any] = field(default_factory=dict)
    store: Any = None  # the RunStore it is recorded in, open while the run lasts


@contextmanager
def recorded_run(
    kind: str, config: dict[str, Any], inputs: dict[str, Path], store_url: str | None = None
) -> Iterator[RunRecord]:
    """Record a run of ``kind``; on a library error the run is recorded as failed with its reason.

    Fill ``record.fields`` with keyword arguments for :meth:`RunStore.finish` (outputs,
    summary, solver_status, objective, gap, outcomes, rows, out_dir).
    """
    from sufficiency.store import RunStore

    store = RunStore(store_url)
    record = RunRecord(store.start(kind, config, inputs=input_files(inputs)), store=store)
    try:
        yield record
    except SufficiencyError as exc:
        store.finish(record.run_id, succeeded=False, failure_reason=str(exc))
        store.close()
        raise
    except BaseException as exc:
        store.finish(record.run_id, succeeded=False,
                     failure_reason=f"{type(exc).__name__}: {exc}")  # fmt: skip
        store.close()
        raise
    store.finish(record.run_id, succeeded=True, **record.fields)
    store.close()
