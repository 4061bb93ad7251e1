"""One TOML loader: every command accepts and rejects configuration files alike."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from sufficiency.cli import main

#: Files ``match --config`` rejects: an unknown key or a bad value in any section.
BAD_CONFIGS = {
    "unknown key in [matching]": "[matching]\nwibble = 1\n",
    "bad value in [matching]": "[matching]\nsolver = 'excel'\n",
    "bad value in [forecast]": "[forecast]\nhorizon_months = 99\n",
    "unknown key in [forecast]": "[forecast]\npaths = 50\n",
    "bad value in [commissioning]": "[commissioning]\nsolver = 'excel'\n",
    "unknown section": "[forcast]\nnum_paths = 50\n",
    "not TOML": "not = [toml",
}


def _args(command: str, sample_dir, out) -> list[str]:
    """A complete invocation of ``command`` on the sample (it must fail on the config)."""
    history = ["--history", str(sample_dir / "ssda903")]
    return {
        "match": ["match", "--referrals", str(sample_dir / "referrals.csv"), "--placements",
                  str(sample_dir / "placements.csv"), "--date", "2026-04-01"],
        "forecast": ["forecast", *history],
        "backtest": ["backtest", *history, "--cutoff", "2024-03-31"],
        "spend": ["spend", *history],
        "commission": ["commission", *history, "--levers", str(sample_dir / "levers.toml")],
    }[command] + ["--out", str(out)]  # fmt: skip


@pytest.mark.parametrize("text", BAD_CONFIGS.values(), ids=list(BAD_CONFIGS))
def test_forecast_config_rejects_exactly_what_match_rejects(tmp_path, sample_dir, text):
    """forecast, backtest, spend and commission refuse a file match refuses, with the
    same one-line error (the one loader validates every section with the same models)."""
    cfg = tmp_path / "c.toml"
    cfg.write_text(text, encoding="utf-8")
    runner = CliRunner()
    matched = runner.invoke(main, [*_args("match", sample_dir, tmp_path / "m"), "--config",
                                   str(cfg)])  # fmt: skip
    assert matched.exit_code == 1 and matched.output.startswith(f"Error: {cfg}: ")
    for command in ("forecast", "backtest", "spend", "commission"):
        args = [*_args(command, sample_dir, tmp_path / command), "--config", str(cfg)]
        result = runner.invoke(main, args)
        assert (result.exit_code, result.output) == (1, matched.output), command
        assert not (tmp_path / command).exists(), command


def test_forecast_config_accepts_what_match_accepts(tmp_path):
    """A file match accepts (every section valid) sets the forecast's values."""
    from sufficiency.api import forecast_params
    from sufficiency.config import load_params

    cfg = tmp_path / "c.toml"
    cfg.write_text("[matching]\nsolver = 'highs'\n[forecast]\nnum_paths = 50\n", encoding="utf-8")
    params = load_params(cfg)
    assert params.matching.solver == "highs"
    assert forecast_params(params).num_paths == 50
    assert forecast_params(params, num_paths=70, seed=1).num_paths == 70
