"""Shared fixtures: paths to the bundled sample and the deliberately broken inputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run unless asked otherwise, so CI's
# verdict on a commit does not depend on the luck of the draw (or on a local example
# database): `HYPOTHESIS_PROFILE=explore make test` draws new examples each run, as
# hypothesis does by default, to look for cases the repeatable draw misses.
settings.register_profile("repeatable", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return ROOT


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The bundled synthetic sample authority."""
    return ROOT / "data" / "sample"


@pytest.fixture(scope="session")
def neighbour_903(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another synthetic authority's 903 folder (about 150 children, six returns ending on
    31 March 2026 as the sample's do), to pool with the sample: pooling the sample with a
    copy of itself is refused (its children would count twice)."""
    from sufficiency.forecast.synthetic import synthetic_history
    from sufficiency.region.synthetic import write_history

    folder = tmp_path_factory.mktemp("authorities") / "neighbour"
    write_history(synthetic_history(150, num_years=6, seed=7), folder)
    return folder


@pytest.fixture(scope="session")
def broken_dir() -> Path:
    """Inputs with one planted problem per row (see test_validate_broken.py)."""
    return DATA / "broken"


@pytest.fixture(scope="session")
def malformed_dir() -> Path:
    """Files that cannot be read at all: wrong delimiter, binary, empty, header only..."""
    return DATA / "malformed"


def pytest_configure(config: pytest.Config) -> None:
    """Module- and session-scoped fixtures run commands too: before any fixture runs, point
    the run store at a throwaway file, never the user's (each test then gets its own)."""
    import os
    import tempfile

    folder = tempfile.mkdtemp(prefix="sufficiency-test-store-")
    os.environ["SUFFICIENCY_STORE"] = f"sqlite:///{folder}/runs.sqlite"
    config.stash[_STORE_FOLDER] = folder


_STORE_FOLDER = pytest.StashKey[str]()


def pytest_unconfigure(config: pytest.Config) -> None:
    """The throwaway store's folder goes with the session (one was left in the temporary
    folder by every pytest run: 1,600 on a CI machine after a day)."""
    import shutil

    if folder := config.stash.get(_STORE_FOLDER, None):
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _private_run_store(tmp_path_factory, monkeypatch):
    """Commands record runs; tests record them in a throwaway store, never the user's."""
    store = tmp_path_factory.mktemp("store") / "runs.sqlite"
    monkeypatch.setenv("SUFFICIENCY_STORE", f"sqlite:///{store}")
