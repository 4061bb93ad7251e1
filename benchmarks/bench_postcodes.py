"""Benchmark: resolve 100,000 postcodes and their DfE distances after the directory is loaded.

Run: .venv/bin/python benchmarks/bench_postcodes.py [--n 100000] [--repeat 5]

The issue's floor is under 2 s for 100,000 postcodes once the data is loaded. The
sample mixes spellings (lower case, no space), unknown and malformed postcodes so
the whole normalise-validate-lookup path is timed, not just the hash join.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from bench_args import random_seed, run, whole

from sufficiency.geo import PostcodeDirectory, dfe_distance_miles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=whole(1), default=100_000)
    parser.add_argument("--repeat", type=whole(1), default=5)
    parser.add_argument("--seed", type=random_seed, default=1)
    args = parser.parse_args()

    directory = PostcodeDirectory()
    t0 = time.perf_counter()
    directory.load_all()
    load_s = time.perf_counter() - t0

    rng = np.random.default_rng(args.seed)
    known = directory.districts()["postcode"].to_numpy(object)
    picks = known[rng.integers(0, len(known), args.n)].astype(object)
    lower = rng.random(args.n) < 0.2
    picks[lower] = [str(p).lower().replace(" ", "") for p in picks[lower]]
    junk = rng.random(args.n) < 0.01
    picks[junk] = "ZZ9 9ZZ"
    bad = rng.random(args.n) < 0.01
    picks[bad] = "NOT A PC"
    home = known[rng.integers(0, len(known), args.n)]

    timings = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        a = directory.lookup(picks)
        b = directory.lookup(home)
        miles = dfe_distance_miles(a.easting, a.northing, b.easting, b.northing)
        timings.append(time.perf_counter() - t)
    resolved = int(np.isfinite(a.easting).sum())
    print(f"directory: {directory.num_postcodes:,} postcodes loaded in {load_s:.2f} s")
    print(
        f"lookup of {args.n:,} + {args.n:,} postcodes with distances: "
        f"best {min(timings):.3f} s, median {float(np.median(timings)):.3f} s "
        f"over {args.repeat} runs"
    )
    print(f"resolved {resolved:,} of {args.n:,}; mean distance {np.nanmean(miles):.1f} miles")


if __name__ == "__main__":
    run(main)
