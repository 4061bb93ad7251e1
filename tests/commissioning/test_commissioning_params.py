"""Commissioning parameters: defaults in code, the TOML section mirrors them."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import sufficiency.commissioning as commissioning
from sufficiency.config import CommissioningParams, load_params
from sufficiency.errors import ConfigError

SECTION = Path(commissioning.__file__).parent / "default_section.toml"


def test_default_section_equals_code():
    """default_section.toml holds exactly the defaults in code."""
    data = tomllib.loads(SECTION.read_text(encoding="utf-8"))
    assert CommissioningParams.model_validate(data) == CommissioningParams()


def test_empty_and_full_config_load(tmp_path):
    """An empty config gives the defaults; a full section overrides them."""
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    assert load_params(empty).commissioning == CommissioningParams()
    full = tmp_path / "full.toml"
    full.write_text("[commissioning]\nnum_paths = 50\nsolver = 'cbc'\n")
    params = load_params(full).commissioning
    assert params.num_paths == 50 and params.solver == "cbc"


def test_config_raises_unknown_key(tmp_path):
    """An unknown key is named in one sentence."""
    bad = tmp_path / "bad.toml"
    bad.write_text("[commissioning]\npaths = 5\n")
    with pytest.raises(ConfigError, match=r"commissioning\.paths"):
        _ = load_params(bad).commissioning
