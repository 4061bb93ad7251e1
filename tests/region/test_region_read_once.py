"""Each member's history is read once a run. Its read task's read was used by its
forecast and spend tasks (one a scenario), but its own plan and the pooled plan read
every history again from its files (two more reads of each member with levers, on a
national run 304 more). They use the read task's read now, kept on the cluster (the
client is given summaries only)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from conftest import RUN_DATE, SEED
from region_worker_patches import count_reads, reads_as_before

from sufficiency.region import load_members, run_region
from sufficiency.region.specs import CommissionSummary, PooledSummary

SCENARIO = Path(__file__).resolve().parents[2] / "data/sample/scenarios/entries_up_20.toml"


def test_each_history_is_read_once_a_run(
    cluster: Any, region_dir: Path, params: Any, tmp_path: Path
) -> None:
    """Three members with levers, two scenarios: every member's forecast and spend, its
    own plan and the pooled plan run, and each history was read from its files once."""
    from distributed import Client

    log = tmp_path / "reads.log"
    log.touch()
    with Client(cluster.scheduler_address) as client:
        client.run(count_reads, str(log))
        try:
            result = run_region(
                region_dir / "members.toml", tmp_path / "out", scenarios=[SCENARIO],
                params=params, seed=SEED, run_date=RUN_DATE, client=client,
            )  # fmt: skip
        finally:
            client.run(reads_as_before)
    assert result.exit_code == 0 and len(result.members) == 6
    assert len(result.commissions) == 3 and all(
        isinstance(c, CommissionSummary) for c in result.commissions
    )
    assert isinstance(result.pooled, PooledSummary) and len(result.pooled.rows) == 4
    histories = [m.history for m in load_members(region_dir / "members.toml").members]
    reads = Counter(Path(line) for line in log.read_text(encoding="utf-8").splitlines())
    assert reads == Counter(histories), reads
