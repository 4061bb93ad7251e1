"""Configuration: configs/default.toml equals the defaults in code; bad files are clear errors."""

from __future__ import annotations

import tomllib

import pytest

from sufficiency.config import Params, load_params
from sufficiency.errors import ConfigError


def test_default_toml_equals_code_defaults(root):
    """Every value in configs/default.toml is the default in code, and nothing is missing."""
    data = tomllib.loads((root / "configs" / "default.toml").read_text())
    assert data == Params().model_dump(mode="json")


def test_empty_config_gives_defaults(tmp_path):
    """An empty file changes nothing."""
    p = tmp_path / "c.toml"
    p.write_text("")
    assert load_params(p) == Params()


def test_partial_config_overrides_only_what_it_names(tmp_path):
    """A file naming one weight changes that weight only."""
    p = tmp_path / "c.toml"
    p.write_text("[matching.weights]\nout_of_area = 750\n")
    params = load_params(p)
    assert params.matching.weights.out_of_area == 750
    assert params.matching.weights.unplaced == Params().matching.weights.unplaced


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("[matching]\nsolver = 'excel'\n", "matching.solver"),
        ("[matching.weights]\nwibble = 1\n", "wibble"),
        ("[general]\nresponsible_la = 'Worcs'\n", "responsible_la"),
        ("not = [toml", "not a valid TOML"),
    ],
)
def test_load_params_raises_on_bad_config(tmp_path, text, phrase):
    """Unknown keys, bad values and broken TOML are ConfigErrors naming the key."""
    p = tmp_path / "c.toml"
    p.write_text(text)
    with pytest.raises(ConfigError, match=phrase):
        load_params(p)


def test_load_params_raises_on_missing_file(tmp_path):
    """A missing config file is a clear error."""
    with pytest.raises(ConfigError, match="not found"):
        load_params(tmp_path / "missing.toml")


@pytest.mark.parametrize(("jobs", "said"), [
    ('["match", "match"]', "nightly.jobs: match is listed more than once; list each job once"),
    ("[]", "nightly.jobs: name at least one job: validate, match, forecast or spend"),
])  # fmt: skip
def test_nightly_jobs_listed_once_each_and_at_least_one(tmp_path, jobs, said):
    """A job listed twice crashed the night (its folder already existed) and no job at
    all crashed it too; both are configuration errors in a sentence."""
    path = tmp_path / "nightly.toml"
    path.write_text(f"[nightly]\njobs = {jobs}\n")
    with pytest.raises(ConfigError) as err:
        load_params(path)
    assert said in str(err.value) and "Value error" not in str(err.value)
