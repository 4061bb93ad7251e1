"""Record a command's run in the store: start, then success with figures, or failure and why."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sufficiency.errors import SufficiencyError


def input_files(inputs: dict[str, Path]) -> dict[str, Path]:
    """Every input file to hash: folders (the 903 history) contribute each file inside."""
    out: dict[str, Path] = {}
    for label, path in inputs.items():
        if path.is_dir():
            for f in sorted(p for p in path.rglob("*") if p.is_file()):
                out[f"{label}/{f.relative_to(path).as_posix()}"] = f
        elif path.is_file():
            out[label] = path
    return out


@dataclass
class RunRecord:
    """What a command fills in while it runs; written to the store when it ends."""

    run_id: int
    fields: dict[str, Any] = field(default_factory=dict)


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
    record = RunRecord(store.start(kind, config, inputs=input_files(inputs)))
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
