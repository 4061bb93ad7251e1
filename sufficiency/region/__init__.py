"""Regions on Dask: every member authority, every scenario, the pooled plan.

:func:`run_region` runs each member x scenario's forecast (with its backtest) and spend,
each member's own commissioning plan and the pooled plan as Dask tasks, on a
``LocalCluster`` or an existing cluster, and returns a :class:`RegionResult` whose
``write(out_dir)`` writes ``region.xlsx``, ``region.html`` and ``region.csv``. Each
member's own files go to ``OUT/members/<code>/`` as the workers finish. See
``docs/region.md``.
"""

from sufficiency.region.members import Member, Region, load_members
from sufficiency.region.run import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_PARTIAL,
    RegionResult,
    run_region,
)
from sufficiency.region.seeds import member_seed

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "Member",
    "Region",
    "RegionResult",
    "load_members",
    "member_seed",
    "run_region",
]
