"""Forecast parameters: defaults in code equal the TOML section shipped for configs."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import sufficiency.forecast
from sufficiency.config import ForecastParams, load_params
from sufficiency.errors import ConfigError

SECTION = Path(sufficiency.forecast.__file__).parent / "default_section.toml"


def test_default_section_equals_code_defaults():
    """default_section.toml holds exactly the defaults of ForecastParams."""
    data = tomllib.loads(SECTION.read_text(encoding="utf-8"))["forecast"]
    assert ForecastParams.model_validate(data) == ForecastParams()
    assert set(data) == set(ForecastParams.model_fields)


def test_load_forecast_params_reads_forecast_section(tmp_path):
    """A config file's [forecast] section overrides the defaults."""
    cfg = tmp_path / "c.toml"
    cfg.write_text("[forecast]\nnum_paths = 50\n[matching]\nsolver = 'highs'\n", encoding="utf-8")
    assert load_params(cfg).forecast.num_paths == 50


def test_load_forecast_params_raises_on_bad_value(tmp_path):
    """A horizon beyond 60 months is a ConfigError naming the key."""
    cfg = tmp_path / "c.toml"
    cfg.write_text("[forecast]\nhorizon_months = 99\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"forecast\.horizon_months"):
        _ = load_params(cfg).forecast


def test_params_are_frozen():
    """ForecastParams cannot be changed in place; use model_copy."""
    with pytest.raises(ValueError):
        ForecastParams().num_paths = 5  # type: ignore[misc]


@pytest.mark.parametrize("edges", [[1, 3], [0, 6, 3], [0, 12, 96]])
def test_tic_band_edges_raise_when_not_increasing_from_zero_to_72(edges):
    """Time-in-care bands must start at 0, increase, and stop by 72 months."""
    with pytest.raises(ValueError, match="tic_band_edges_months"):
        ForecastParams(tic_band_edges_months=tuple(edges))
