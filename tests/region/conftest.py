"""Shared region fixtures: a small synthetic three-member region and one real LocalCluster."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from sufficiency.config import load_params
from sufficiency.region.synthetic import write_region

RUN_DATE = dt.date(2026, 4, 1)
SEED = 7
CONFIG = """[forecast]
num_paths = 10
horizon_months = 24

[commissioning]
num_paths = 10
eval_paths = 10
horizon_months = 12
"""


@pytest.fixture(scope="session")
def region_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three synthetic members (40, 70 and 110 children, three years of returns), each with
    a budget and the sample's levers; few paths, so a region runs in seconds."""
    folder = tmp_path_factory.mktemp("region")
    levers = Path(__file__).resolve().parents[2] / "data" / "sample" / "levers.toml"
    write_region(folder, 3, seed=SEED, sizes=[40, 70, 110], num_years=3, levers=levers)
    (folder / "config.toml").write_text(CONFIG)
    return folder


@pytest.fixture(scope="session")
def params(region_dir: Path):
    """The region's configuration: 10 paths, 24 months; commissioning on 10 paths, 12 months."""
    return load_params(region_dir / "config.toml")


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    """A real two-process LocalCluster (one thread each), shared by a module's tests."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as c:
        yield c
