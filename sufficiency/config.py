"""Run parameters: frozen pydantic models, defaults in code, overridable from TOML.

``configs/default.toml`` mirrors the defaults here; a test keeps the two equal.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sufficiency.errors import ConfigError


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GeneralParams(_Frozen):
    """Settings shared by every job."""

    responsible_la: str = Field("E10000034", pattern=r"^E\d{8}$")


class MatchingWeights(_Frozen):
    """Objective weights for matching, GBP per week (see configs/default.toml)."""

    weekly_cost: float = Field(default=1.0, ge=0)
    per_mile_from_home: float = Field(default=10.0, ge=0)
    far_from_home: float = Field(default=1000.0, ge=0)
    far_from_home_miles: float = Field(default=20.0, ge=0)
    out_of_area: float = Field(default=500.0, ge=0)
    per_mile_from_school: float = Field(default=20.0, ge=0)
    school_free_miles: float = Field(default=10.0, ge=0)
    ks4_school_move: float = Field(default=5000.0, ge=0)
    sibling_split: float = Field(default=3000.0, ge=0)
    not_preferred_setting: float = Field(default=500.0, ge=0)
    unplaced: float = Field(default=100000.0, ge=0)
    unplaced_needed_today: float = Field(default=150000.0, ge=0)


class MatchingParams(_Frozen):
    """Parameters of the nightly matching job."""

    solver: Literal["ortools", "highs", "cbc"] = "highs"
    time_limit_seconds: float = Field(default=60.0, gt=0)
    mip_gap: float = Field(default=0.0001, ge=0, le=1)
    siblings: Literal["prefer", "together"] = "prefer"
    num_alternatives: int = Field(default=3, ge=0, le=20)
    weights: MatchingWeights = MatchingWeights()


class NightlyParams(_Frozen):
    """The scheduled pipeline (``sufficiency nightly``). Paths are relative to the config file.

    Empty strings mean "not set".
    """

    jobs: tuple[Literal["validate", "match", "forecast"], ...] = ("validate", "match")
    output_dir: str = "outputs/{date}"
    referrals: str = ""
    placements: str = ""
    history: str = ""
    store: str = ""
    lock_file: str = ""
    log_format: Literal["plain", "json"] = "plain"
    log_file: str = ""
    pseudonymise: bool = False
    pseudonym_key_file: str = ""


class Params(_Frozen):
    """Every tunable of the tool."""

    general: GeneralParams = GeneralParams()
    matching: MatchingParams = MatchingParams()
    nightly: NightlyParams = NightlyParams()


def _deep_update(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_update(out[key], value)
        else:
            out[key] = value
    return out


def load_params(path: Path | str | None = None) -> Params:
    """Defaults, overridden by the TOML file at ``path`` if given.

    Raises
    ------
    ConfigError
        The file is missing, is not TOML, or holds an unknown key or a bad value.
    """
    if path is None:
        return Params()
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{p}: configuration file not found.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: not a valid TOML file ({exc}).") from None
    try:
        return Params.model_validate(_deep_update(Params().model_dump(), data))
    except ValidationError as exc:
        msgs = [f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise ConfigError(f"{p}: " + "; ".join(msgs)) from None
