"""How long comparing members' children takes, before a region runs.

Writes ``--members`` synthetic authorities (``sufficiency.region.synthetic``), reads each
history once as the region does (``read_member``: the read its forecast and spend tasks
then use), hashes its children (``child_keys``) and compares every two members
(``shared_children``); then compares ``--national`` members' keys (the members' keys
repeated, each shifted so no two members share a child) to time the comparison at the
national size. Prints each step's wall time.

    PYTHONPATH=. python benchmarks/region/bench_overlap.py --members 6 --national 152
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from sufficiency.region import load_members
from sufficiency.region.overlap import ChildKeys, child_keys, shared_children
from sufficiency.region.synthetic import write_region
from sufficiency.region.tasks import read_member


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=6)
    parser.add_argument("--national", type=int, default=152)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        region = load_members(write_region(Path(tmp), args.members, seed=args.seed))
        t = time.perf_counter()
        reads = [read_member(m) for m in region.members]
        read_s = time.perf_counter() - t
        t = time.perf_counter()
        keys = [child_keys(r) for r in reads]
        keys_s = time.perf_counter() - t
        t = time.perf_counter()
        found = shared_children(region.members, keys)
        compare_s = time.perf_counter() - t
    children = sum(len(k.children) for k in keys)
    print(f"{args.members} members, {children:,} children: read {read_s:.2f} s (each "
          f"history once, as the run reads it), keys {keys_s:.3f} s, compare "
          f"{compare_s:.4f} s, {len(found)} pair(s) sharing children")  # fmt: skip
    n = args.national
    many = [keys[i % len(keys)] for i in range(n)]
    shift = [np.uint64(1_000_003 * i) for i in range(n)]
    many = [
        ChildKeys(k.children + s, k.starts + s, k.owners + s)
        for k, s in zip(many, shift, strict=True)
    ]
    members = [region.members[i % len(keys)] for i in range(n)]
    t = time.perf_counter()
    found = shared_children(members, many)
    starts = sum(len(k.starts) for k in many)
    print(f"{n} members' keys ({starts:,} episode start keys): compare "
          f"{time.perf_counter() - t:.3f} s, {len(found)} pair(s)")  # fmt: skip


if __name__ == "__main__":
    main()
