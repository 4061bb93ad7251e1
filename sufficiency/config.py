"""Run parameters: frozen pydantic models, defaults in code, overridable from TOML.

The section models sit below this module (:mod:`sufficiency.forecast.params`,
:mod:`sufficiency.commissioning.params` and the ones here); :class:`Params` assembles
them and :func:`load_params` is the one TOML loader every command uses.
``configs/default.toml`` mirrors the defaults here; a test keeps the two equal.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sufficiency.commissioning.params import CommissioningParams
from sufficiency.errors import ConfigError
from sufficiency.forecast.params import ForecastParams

M = TypeVar("M", bound=BaseModel)


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

    solver: Literal["highspy", "ortools", "highs", "cbc"] = "highspy"
    time_limit_seconds: float = Field(default=60.0, gt=0)
    mip_gap: float = Field(default=0.0001, ge=0, le=1)
    siblings: Literal["prefer", "together"] = "prefer"
    num_alternatives: int = Field(default=3, ge=0, le=20)
    #: Rule 13: a child with risk ``harm_animals`` is not placed where there are pets.
    harm_animals_excludes_pets: bool = True
    #: Rule 14: a child with risk ``harm_physical`` lives with no other child this many
    #: or more whole years younger (0 turns the rule off).
    harm_physical_years_younger: int = Field(default=3, ge=0, le=17)
    #: Rule 15: a placement whose postcode cannot be located is set aside ("exclude"),
    #: or charged as over the far-from-home distance and out of area ("assume_far").
    unlocatable: Literal["exclude", "assume_far"] = "exclude"
    weights: MatchingWeights = MatchingWeights()


#: Default weekly cost per forecast category (GBP, 2025 prices) and where it comes from.
#: DOMAIN.md section 7; "[est]" marks a figure with no published source.
DEFAULT_WEEKLY_COSTS: dict[str, float] = {
    "kinship_foster": 350.0,
    "in_house_foster": 600.0,
    "ifa_foster": 900.0,
    "in_house_residential": 5500.0,
    "external_residential": 6100.0,
    "secure": 8000.0,
    "supported": 2000.0,
    "with_parents": 150.0,
    "placed_for_adoption": 100.0,
    "other": 1000.0,
}
DEFAULT_COST_SOURCES: dict[str, str] = {
    "kinship_foster": "[est] allowance-based; no direct published source",
    "in_house_foster": "[est] PSSRU 2017 full cost GBP 646, DfE ballpark GBP 600, uplifted",
    "ifa_foster": "[est] CMA c.2020 GBP 820; Lincolnshire FOI 2022-23 GBP 814, uplifted",
    "in_house_residential": "[est] no current source; configurable",
    "external_residential": "NAO 2025: GBP 318,400 a year (2023-24); CCN GBP 6,108 a week",
    "secure": "[est] no published figure found; supply your own",
    "supported": "[est] no published figure found; supply your own",
    "with_parents": "[est] social-work support only",
    "placed_for_adoption": "[est] allowances until the order",
    "other": "[est] mixed settings",
}


class FinanceParams(_Frozen):
    """Spend projection: unit costs, inflation and the financial year."""

    weekly_cost_gbp: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_WEEKLY_COSTS))
    cost_source: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_COST_SOURCES))
    inflation_rate: float = Field(default=0.06, ge=-0.5, le=1.0)
    uplift_month: int = Field(default=4, ge=1, le=12)
    uplift_day: int = Field(default=1, ge=1, le=28)
    financial_year_start_month: int = Field(default=4, ge=1, le=12)


class NightlyParams(_Frozen):
    """The scheduled pipeline (``sufficiency nightly``). Paths are relative to the config file.

    Empty strings mean "not set".
    """

    jobs: tuple[Literal["validate", "match", "forecast", "spend"], ...] = ("validate", "match")
    output_dir: str = "outputs/{date}"
    referrals: str = ""
    placements: str = ""
    history: str = ""
    budget: str = ""
    costs: str = ""
    decisions: str = ""
    store: str = ""
    lock_file: str = ""
    log_format: Literal["plain", "json"] = "plain"
    log_file: str = ""
    pseudonymise: bool = False
    pseudonym_key_file: str = ""
    strict: bool = False


class Params(_Frozen):
    """Every tunable of the tool."""

    general: GeneralParams = GeneralParams()
    matching: MatchingParams = MatchingParams()
    forecast: ForecastParams = ForecastParams()
    finance: FinanceParams = FinanceParams()
    commissioning: CommissioningParams = CommissioningParams()
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


def with_overrides(section: M, name: str, **overrides: Any) -> M:
    """``section`` with the overrides that are not ``None``, validated again.

    Parameters
    ----------
    section
        One section of :class:`Params` (``params.forecast``, say).
    name
        The section's name, for the error message.
    **overrides
        Field values; ``None`` means "keep the configured value".

    Raises
    ------
    ConfigError
        An override is out of range.
    """
    update = {k: v for k, v in overrides.items() if v is not None}
    if not update:
        return section
    try:
        return type(section).model_validate({**section.model_dump(), **update})
    except ValidationError as exc:
        msgs = [f"{'.'.join(str(x) for x in e['loc'])} {e['msg']}" for e in exc.errors()]
        raise ConfigError(f"Invalid {name} option: " + "; ".join(msgs)) from None
