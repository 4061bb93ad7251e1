"""Shared forecast fixtures: small synthetic authorities (no files unless a test needs them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from forecast_builders import write_csv_history

from sufficiency.forecast.states import CareSpells, build_spells
from sufficiency.forecast.synthetic import synthetic_history
from sufficiency.io.ssda903 import SSDA903History


@pytest.fixture(scope="session")
def small_authority() -> SSDA903History:
    """About 150 children in care, four years of returns: big enough for every category
    that the synthetic authority uses, small enough to fit and simulate in well under a second."""
    return synthetic_history(150, num_years=4, seed=11)


@pytest.fixture(scope="session")
def small_spells(small_authority: SSDA903History) -> CareSpells:
    """Spells of the small authority."""
    return build_spells(small_authority)


@pytest.fixture(scope="session")
def csv_authority(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A three-year, 60-child authority written as per-year 903 CSV returns, for the CLI."""
    folder = tmp_path_factory.mktemp("ssda903")
    return write_csv_history(synthetic_history(60, num_years=3, seed=5), folder)
