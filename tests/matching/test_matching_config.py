"""Matching parameters: the shipped TOML equals the code defaults, and overrides apply."""

from __future__ import annotations

from pathlib import Path

from sufficiency.config import MatchingParams, load_params

ROOT = Path(__file__).resolve().parents[2]


def test_default_toml_matching_equals_code_defaults() -> None:
    """configs/default.toml's [matching] sections equal MatchingParams() exactly."""
    assert load_params(ROOT / "configs" / "default.toml").matching == MatchingParams()


def test_weight_override_is_recorded(tmp_path: Path) -> None:
    """A config file changing one weight changes only that weight."""
    cfg = tmp_path / "c.toml"
    cfg.write_text("[matching.weights]\nsibling_split = 4000.0\n")
    weights = load_params(cfg).matching.weights
    assert weights.sibling_split == 4000.0
    assert weights.model_copy(update={"sibling_split": 3000.0}) == MatchingParams().weights
