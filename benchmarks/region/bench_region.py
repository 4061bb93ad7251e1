"""Time a region: N synthetic authorities x scenarios, forecast with backtest and spend,
serially and on a LocalCluster; client peak memory; task durations; 32 and 128 cores.

Each member x scenario task reads the member's 903 returns, forecasts (``--paths`` paths,
``--months`` months) with a backtest twelve months before the history's end, projects
spend against budget and writes the member's files, as ``sufficiency region
--no-commissioning`` does. The same tasks run first on a LocalCluster of ``--workers``
processes inside ``distributed.performance_report`` (task durations, saved as HTML),
then one after another in this process. The two runs' summaries must be equal.
The authorities are generated in a process of their own, so that the client memory
printed is the region run's (with the memory at its start beside the peak);
``--inputs OUT/inputs`` reuses an earlier run's authorities (or any members file named
``members.toml`` in that folder) instead, and up to 12 tasks are listed one by one.
``--skip-serial`` runs only the cluster; ``--skip-cluster`` only the serial run, and with
``--compare EARLIER_OUT`` its CSV files are checked byte for byte against an earlier
run's cluster files (the national run's two halves take an hour and more each).
Members are English upper-tier authorities, each child at its own authority's postcodes
(``--places england``, the default; at most the 158 the postcode directory holds), or
fictional authorities without postcodes (``--places fictional``, as the figures in
README.md before December 4 were measured; the forecast does not read postcodes).

The extrapolation to P cores is ``cluster start + max(sum of task durations / P,
longest task)``: tasks are independent, so only the longest one and the number of
cores bound the wall time; it assumes the per-task times measured here.

Run (reduced size; one BLAS thread everywhere, as Dask's workers have, so that the
serial run uses one core; benchmarks/region/README.md has the figures):
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 .venv/bin/python \
        benchmarks/region/bench_region.py --authorities 12 --paths 200 \
        --months 60 --workers 2 --out /tmp/bench_region
The national size (152 authorities x 1,000 paths x 60 months x 3 scenarios):
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 .venv/bin/python \
        benchmarks/region/bench_region.py --authorities 152 --paths 1000 \
        --months 60 --workers 2 --out /tmp/bench_national
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import shutil
import statistics
import sys
import threading
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench_args

import psutil
from bench_args import folder, out_folder, random_seed, run, settings, whole

from sufficiency.config import ForecastParams, Params
from sufficiency.region import Region, RegionResult, load_members, run_region
from sufficiency.region.cluster import WORKER_CONFIG
from sufficiency.region.run import plan_member_tasks, scenario_specs
from sufficiency.region.synthetic import member_sizes, write_region
from sufficiency.region.tasks import run_member

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "data" / "sample" / "scenarios").glob("*.toml"))


class PeakRSS:
    """Samples this process's resident memory every 50 ms; ``peak_mib`` when stopped."""

    def __init__(self) -> None:
        self.start = self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            self.peak = max(self.peak, me.memory_info().rss)
            time.sleep(0.05)

    def __enter__(self) -> PeakRSS:
        self.start = psutil.Process().memory_info().rss
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mib(self) -> float:
        return self.peak / 2**20

    @property
    def start_mib(self) -> float:
        return self.start / 2**20


def _not_ours(out: Path) -> bool:
    """``out`` holds files this benchmark did not write (it empties the folder it is given:
    ``--out .`` deleted the working folder before)."""
    ours = {"inputs", "cluster", "serial", "performance_report.html"}
    return out.is_dir() and any(p.name not in ours for p in out.iterdir())


def _warm() -> None:
    import sufficiency.api
    import sufficiency.forecast.writers
    import sufficiency.region.tasks  # noqa: F401


def _generate(args: argparse.Namespace) -> tuple[Path, list[int]]:
    sizes = member_sizes(args.authorities, args.seed)
    members_file = write_region(
        args.out / "inputs", args.authorities, args.seed, sizes=sizes, num_years=6,
        places=args.places,
    )  # fmt: skip
    return members_file, list(sizes)


def _on_cluster(
    args: argparse.Namespace, region: Region, scenarios: list[Path], params: Params, day: dt.date
) -> tuple[RegionResult, float]:
    """Run the region on a LocalCluster; print its figures; return its result and wall time."""
    import dask
    from distributed import Client, LocalCluster, get_task_stream, performance_report

    report = args.out / "performance_report.html"
    t0 = time.perf_counter()
    with (
        dask.config.set(WORKER_CONFIG),
        LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        # Each worker imports the library once (seconds on a loaded machine): part of
        # starting the cluster, not of any task.
        client.run(_warm)
        started = time.perf_counter() - t0
        with (
            PeakRSS() as rss,
            performance_report(filename=str(report)),
            get_task_stream(client) as stream,
        ):
            t1 = time.perf_counter()
            parallel = run_region(
                region,
                args.out / "cluster",
                scenarios=scenarios,
                params=params,
                seed=args.seed,
                run_date=day,
                commissioning=False,
                client=client,
            )
            wall_cluster = time.perf_counter() - t1
    by_task = sorted(
        (t["stop"] - t["start"], str(d["key"]))
        for d in stream.data
        for t in d["startstops"]
        if t["action"] == "compute"
    )
    durations = [seconds for seconds, _ in by_task]
    n = len(durations)
    # each member's history is read once, and its children's keys compared, in tasks of
    # their own: counted apart from the member x scenario tasks the serial run repeats
    reads = sum(1 for _, key in by_task if key.startswith(("read-", "child_keys-")))
    print(
        f"\n{n - reads} tasks ({len(region.members)} authorities x {len(scenarios) + 1} "
        f"scenarios, {args.paths} paths x {args.months} months, backtest), "
        f"{args.workers} workers, and {reads} reading the histories and keying their children"
    )
    print(
        f"  cluster start {started:.1f} s; region on the cluster {wall_cluster:.1f} s "
        f"(start to last result, report not written)"
    )
    print(
        f"  client peak memory (RSS, this process) {rss.peak_mib:.0f} MiB "
        f"({rss.start_mib:.0f} MiB when the run started)"
    )
    total = sum(durations)
    print(
        f"  task durations: total {total:.1f} s, median {statistics.median(durations):.1f} s, "
        f"longest {durations[-1]:.1f} s, shortest {durations[0]:.1f} s "
        f"(performance report: {report})"
    )
    if n <= 12:
        for seconds, key in by_task:
            print(f"    {key}: {seconds:.1f} s")
    for cores in (32, 128):
        print(f"  on {cores} cores (estimate): {started + max(total / cores, durations[-1]):.0f} s")
    return parallel, wall_cluster


def _compare(mine: Path, theirs: Path) -> None:
    """Every CSV under ``mine`` must be byte-identical to the same file under ``theirs``
    (one missing there differs); prints how many differ or are missing here."""
    files = sorted(mine.rglob("*.csv"))
    differ = [
        f
        for f in files
        if not (other := theirs / f.relative_to(mine)).exists()
        or f.read_bytes() != other.read_bytes()
    ]
    missing = sorted(
        f for f in theirs.rglob("*.csv") if not (mine / f.relative_to(theirs)).exists()
    )
    print(
        f"  compared with {theirs}: {len(files)} CSV files, {len(differ)} differ, "
        f"{len(missing)} missing here: identical: {not differ and not missing and bool(files)}"
    )
    for f in (differ + missing)[:10]:
        print(f"    {f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--authorities", type=whole(1), default=12)
    parser.add_argument("--paths", type=int, default=200)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument(
        "--scenarios",
        type=whole(1, 1 + len(SCENARIOS)),
        default=3,
        help=f"base + up to {len(SCENARIOS)} sample files",
    )
    parser.add_argument("--workers", type=whole(1), default=2)
    parser.add_argument("--seed", type=random_seed, default=1)
    parser.add_argument("--out", type=out_folder, default=Path("/tmp/bench_region"))
    parser.add_argument("--skip-serial", action="store_true")
    parser.add_argument(
        "--skip-cluster",
        action="store_true",
        help="run the tasks serially only (with --compare, check them against an earlier run)",
    )
    parser.add_argument(
        "--compare",
        type=folder,
        help="an earlier run's OUT: the serial run's CSV files must equal its cluster's",
    )
    parser.add_argument(
        "--inputs",
        type=folder,
        help="reuse the members file and returns an earlier run generated (OUT/inputs)",
    )
    parser.add_argument(
        "--places",
        choices=("england", "fictional"),
        default="england",
        help="members as English authorities at their own postcodes (default), or fictional",
    )
    args = parser.parse_args()
    if args.skip_serial and (args.skip_cluster or args.compare is not None):
        parser.error("--skip-serial leaves nothing for --skip-cluster or --compare")
    if args.inputs is not None and not (args.inputs / "members.toml").is_file():
        parser.error(f"--inputs {args.inputs} holds no members.toml (give an earlier OUT/inputs)")
    if args.compare is not None and not (args.compare / "cluster" / "members").is_dir():
        parser.error(f"--compare {args.compare} holds no cluster/members (an earlier run's OUT)")
    if _not_ours(args.out):
        parser.error(f"--out {args.out} holds other files; this benchmark empties its --out "
                     "folder, so give a new folder or an earlier run's")  # fmt: skip
    forecast = settings(parser, ForecastParams, {"num_paths": "--paths",
                                                 "horizon_months": "--months"},
                        num_paths=args.paths, horizon_months=args.months)  # fmt: skip
    warnings.simplefilter("ignore")
    os.environ.setdefault("SUFFICIENCY_CACHE_DIR", "/tmp/pccache")
    if args.inputs is not None:
        members_file = args.inputs.resolve() / "members.toml"
        for part in ("cluster", "serial"):
            shutil.rmtree(args.out / part, ignore_errors=True)
        (args.out / "performance_report.html").unlink(missing_ok=True)
    else:
        shutil.rmtree(args.out, ignore_errors=True)
        t0 = time.perf_counter()
        # in a process of its own, so that the client's memory below is the region run's
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            try:
                members_file, sizes = pool.submit(_generate, args).result()
            except ValueError as exc:  # more English authorities than there are
                parser.error(f"--authorities {args.authorities}: {exc}")
        print(
            f"Generated {args.authorities} authorities ({min(sizes)}-{max(sizes)} children, "
            f"{sum(sizes):,} in all) in {time.perf_counter() - t0:.1f} s"
        )
    params = Params().model_copy(update={"forecast": forecast})
    scenarios = SCENARIOS[: max(args.scenarios - 1, 0)]
    region = load_members(members_file)
    day = dt.date(2026, 4, 1)

    parallel, wall_cluster = (
        (None, 0.0) if args.skip_cluster else _on_cluster(args, region, scenarios, params, day)
    )
    if args.skip_serial:
        return
    specs = scenario_specs(scenarios)
    tasks = plan_member_tasks(
        region, specs, params, args.seed, (args.out / "serial").resolve(), day
    )
    _warm()
    t1 = time.perf_counter()
    serial = [run_member(t) for t in tasks]
    wall_serial = time.perf_counter() - t1
    print(f"\n{len(tasks)} tasks serially (one process): {wall_serial:.1f} s")
    if parallel is not None:
        same = list(parallel.members) == [s for s in serial if s in parallel.members] and len(
            parallel.members
        ) == len(serial)
        print(
            f"  speed-up {wall_serial / wall_cluster:.2f}x on {args.workers} workers; "
            f"results identical: {same}"
        )
    if args.compare is not None:
        _compare(args.out / "serial" / "members", args.compare / "cluster" / "members")
    print(f"  load: {os.getloadavg()}")


if __name__ == "__main__":
    run(main)
