"""Run parameters: frozen pydantic models, defaults in code, overridable from TOML.

Every section's model is here (``default_section.toml`` in the forecast and
commissioning folders holds the same defaults as TOML, ready to paste);
:class:`Params` assembles them and :func:`load_params` is the one TOML loader every command uses.
``configs/default.toml`` mirrors the defaults here; a test keeps the two equal.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sufficiency.errors import ConfigError
from sufficiency.geo import responsible_la_problem
from sufficiency.io import atomic, tomlfile
from sufficiency.io.tomlfile import read_toml, validate_toml, validation_message
from sufficiency.nightly_config import NightlyParams
from sufficiency.prices import DEFAULT_WEEKLY_COSTS, PriceRise
from sufficiency.retention_config import RetentionParams

M = TypeVar("M", bound=BaseModel)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    _not_true_or_false = field_validator("*", mode="before")(tomlfile.not_true_or_false)


class GeneralParams(_Frozen):
    """Settings shared by every job."""

    #: ONS code of the council whose children are referred, for a referral naming none;
    #: "" (the default) = not set, and such a referral is refused with a sentence saying so.
    responsible_la: str = ""

    @field_validator("responsible_la")
    @classmethod
    def _current_english_authority(cls, code: str) -> str:
        code = code.strip().upper()
        why = responsible_la_problem(code) if code else None
        if why:
            raise ValueError(f"'{code}' {why}")
        return code


class MatchingWeights(_Frozen):
    """Objective weights for matching, GBP per week (see configs/default.toml)."""

    #: Multiplier on each placed child's weekly cost.
    weekly_cost: float = Field(default=1.0, ge=0)
    #: Per mile between home and placement (DfE straight-line miles; 0 when home is unknown).
    per_mile_from_home: float = Field(default=10.0, ge=0)
    #: For each child placed more than ``far_from_home_miles`` from home.
    far_from_home: float = Field(default=1000.0, ge=0)
    far_from_home_miles: float = Field(default=20.0, ge=0)
    #: For each child placed outside the responsible authority's area.
    out_of_area: float = Field(default=500.0, ge=0)
    #: Per mile beyond ``school_free_miles`` between placement and the child's school.
    per_mile_from_school: float = Field(default=20.0, ge=0)
    school_free_miles: float = Field(default=10.0, ge=0)
    #: For a key stage 4 pupil (years 10-11) placed more than ``school_free_miles`` away.
    ks4_school_move: float = Field(default=5000.0, ge=0)
    #: For each additional placement a sibling group is spread across.
    sibling_split: float = Field(default=3000.0, ge=0)
    #: For a child placed in a setting not marked preferred when one is.
    not_preferred_setting: float = Field(default=500.0, ge=0)
    #: For a child placed in a home whose latest Ofsted judgement is inadequate.
    ofsted_inadequate: float = Field(default=2000.0, ge=0)
    #: For each child left unplaced, and for one needed today.
    unplaced: float = Field(default=100000.0, ge=0)
    unplaced_needed_today: float = Field(default=150000.0, ge=0)

    @field_validator("unplaced", "unplaced_needed_today")
    @classmethod
    def _placing_worth_more(cls, weight: float) -> float:
        if weight == 0:  # leaving a child unplaced would score less than any placement
            raise ValueError("is 0: no child would be placed; give more than a placement's score")
        return weight


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


#: Where each default weekly cost (:data:`~sufficiency.prices.DEFAULT_WEEKLY_COSTS`) comes
#: from: DOMAIN.md section 7; "[est]" marks a figure with no published source.
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
    inflation_rate: float = Field(default=0.06, ge=-0.5)
    uplift_month: int = Field(default=4, ge=1, le=12)
    uplift_day: int = Field(default=1, ge=1, le=28)
    financial_year_start_month: int = Field(default=4, ge=1, le=12)
    #: The financial year whose prices the weekly costs are ("2025-26"); blank: the year
    #: the forecast begins in (:func:`sufficiency.prices.price_date`).
    costs_price_year: str = Field(default="", pattern=r"^(|\d{4}|\d{4}-\d{2})$")

    @field_validator("inflation_rate")
    @classmethod
    def _a_fraction(cls, rate: float) -> float:
        """A rate of 1 or more is a percentage (``inflation_rate = 3`` for 3%): 1 was taken
        as prices doubling every year, with no word."""
        if rate >= 1:
            raise ValueError(
                f"is {rate:g}, prices rising {rate:.0%} a year: give the rate as a fraction "
                f"({rate / 100:g} for {rate:g}%)"
            )
        return rate

    @property
    def price_rise(self) -> PriceRise:
        """The yearly price rise (rate and uplift date) the spend projection and the
        commissioning economics both price with."""
        return PriceRise(self.inflation_rate, self.uplift_month, self.uplift_day,
                         self.financial_year_start_month, self.costs_price_year)  # fmt: skip


class ForecastParams(_Frozen):
    """Tunables of the sufficiency forecast.

    Attributes
    ----------
    horizon_months
        Months to forecast after the start date (1-60).
    num_paths
        Simulated futures; more paths give smoother percentiles.
    seed
        Seed for :func:`numpy.random.default_rng`; the same seed gives the same forecast.
    reference_years
        Length of the reference window before the start date from which rates, and the
        mix of entrants, are estimated.
    entry_history_years
        Years of history before the start date from which the entry *level* is
        estimated (at least the reference window): earlier years are pooled unless a
        level shift at the window's start or a trend earns its place (see
        :mod:`.entries`).
    rate_half_life_years
        Recency weighting of exits, moves and changes within the reference window: an
        event or day of care this many years before the start counts half; ``0``
        weighs the whole window equally (0, the default).
    shrinkage_events
        Prior strength, in pseudo-events, pulling a sparse cell's rate towards its
        broader parent cell (category x age band -> category -> all).
    tic_band_edges_months
        Lower edges of the time-in-care bands, in months since the child's period of care
        began: increasing, from 0, the last at most 72.
    max_entry_trend_pct_per_year
        Cap on the yearly growth or decline of entries that a fitted trend may imply
        after the start date (the history keeps the fitted slope).
    entry_term_penalty
        Quasi-AIC penalty per entry-model term (trend, three seasonal terms); a term is
        kept only if it improves the fit by more (7 is roughly a 1% significance test).
    entry_trend_damping_per_year
        Damping of a fitted entry trend beyond the start date: each path carries it on
        for an exponential time of mean ``1 / k`` years, ``(1 - exp(-k h)) / k`` by ``h``.
    entry_drift_sd_per_year
        Scale of the half-normal prior on the drift of the entry level (standard
        deviation of its yearly random walk, log scale). The drift is estimated from
        each authority's history (see :mod:`.entries`); the prior matters where the
        history says little (few entries), and was tuned on the calibration family's
        development seeds (``benchmarks/forecast/calibration.py``).
    rate_drift_sd
        Standard deviation (log scale) of a per-path multiplier on exit and move rates:
        rates in the coming years need not equal those of the reference window.
    backtest_horizons_months
        Horizons at which backtests report absolute percentage errors.
    """

    horizon_months: int = Field(default=36, ge=1, le=60)
    num_paths: int = Field(default=1000, ge=10, le=100_000)
    seed: int = Field(default=2026, ge=0)
    reference_years: float = Field(default=3.0, gt=0, le=10)
    entry_history_years: float = Field(default=6.0, gt=0, le=20)
    rate_half_life_years: float = Field(default=0.0, ge=0)
    shrinkage_events: float = Field(default=5.0, gt=0)
    tic_band_edges_months: tuple[int, ...] = (0, 1, 3, 6, 12, 24, 48)
    max_entry_trend_pct_per_year: float = Field(default=10.0, ge=0)
    entry_term_penalty: float = Field(default=7.0, ge=0)
    entry_trend_damping_per_year: float = Field(default=0.5, gt=0)
    entry_drift_sd_per_year: float = Field(default=0.2, ge=0)
    rate_drift_sd: float = Field(default=0.08, ge=0)
    backtest_horizons_months: tuple[int, ...] = (3, 6, 12)

    @field_validator("tic_band_edges_months")
    @classmethod
    def _edges_increase_from_zero(cls, edges: tuple[int, ...]) -> tuple[int, ...]:
        if not edges or edges[0] != 0 or any(b <= a for a, b in pairwise(edges)):
            raise ValueError("must increase from 0")
        if edges[-1] > 72:
            raise ValueError("the last edge must be at most 72 months")
        return edges


class CommissioningParams(_Frozen):
    """Tunables of the commissioning optimiser.

    Attributes
    ----------
    horizon_months
        Months planned after the forecast start (whole years are committed; 12-60).
    num_paths
        Simulated demand paths the plan is optimised on (sample average approximation).
    eval_paths
        Fresh paths, from a different seed, every plan is scored on.
    seed
        Seed of the optimisation paths; the evaluation paths use ``seed + eval_seed_offset``.
    eval_seed_offset
        Added to ``seed`` to draw the independent evaluation paths.
    solver
        ``"highs"`` (PuLP + HiGHS, default), ``"cbc"`` (PuLP + CBC) or ``"ortools"``
        (OR-Tools + SCIP).
    time_limit_seconds
        Time limit of one MIP solve (of all the cutting-plane rounds, when pooling).
    mip_gap
        Relative optimality gap at which a solve stops.
    pooled_gap
        Relative gap at which a co-operative's cutting-plane solve stops (the best
        plan's exact cost against the proven lower bound; at least ``mip_gap``).
    sensitivity_steps
        Relative changes applied to demand, spot prices and recruitment success.
    """

    horizon_months: int = Field(default=60, ge=12, le=60)
    num_paths: int = Field(default=1000, ge=1, le=100_000)
    eval_paths: int = Field(default=1000, ge=1, le=100_000)
    seed: int = Field(default=2026, ge=0)
    eval_seed_offset: int = Field(default=7919, ge=1)
    solver: Literal["highs", "cbc", "ortools"] = "highs"
    time_limit_seconds: float = Field(default=120.0, gt=0)
    mip_gap: float = Field(default=1e-6, ge=0, le=1)
    pooled_gap: float = Field(default=1e-5, ge=0, le=1)
    sensitivity_steps: tuple[float, ...] = (-0.2, -0.1, 0.1, 0.2)

    @property
    def eval_seed(self) -> int:
        """Seed of the fresh evaluation paths."""
        return self.seed + self.eval_seed_offset


class OidcParams(_Frozen):
    """OpenID Connect sign-in (Microsoft Entra ID or any provider). Empty = not offered.

    The client secret is read from ``$SUFFICIENCY_OIDC_CLIENT_SECRET`` only: the
    configuration is copied into every run's ``summary.json`` and the run store.
    """

    issuer: str = ""
    client_id: str = ""
    #: The claim holding the user name an administrator added with ``users add``.
    username_claim: str = "preferred_username"
    #: The sign-in button's words.
    label: str = "Sign in with Microsoft"

    @field_validator("issuer")
    @classmethod
    def _https_issuer(cls, value: str) -> str:
        # Tokens and the provider's keys must come over HTTPS. Plain http is allowed for
        # a provider on this computer only (127.0.0.1, ::1, localhost): the tests' local
        # provider, which never leaves the machine.
        from urllib.parse import urlsplit

        if not value:
            return value
        url = urlsplit(value)
        loopback = url.hostname in ("127.0.0.1", "::1", "localhost")
        if url.scheme != "https" and not (url.scheme == "http" and loopback):
            raise ValueError(
                "the issuer must be an https:// address (http:// only for a provider on "
                "this computer)"
            )
        return value


class WebParams(_Frozen):
    """The web application (``sufficiency serve``)."""

    #: Signed out after this many minutes without a request.
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    #: Signed out this many hours after signing in, whatever the activity.
    session_max_hours: int = Field(default=10, ge=1, le=24 * 7)
    #: Cookies only over HTTPS: "auto" (unless serving on 127.0.0.1/localhost), "always"
    #: or "never".
    secure_cookies: Literal["auto", "always", "never"] = "auto"
    #: Where inputs an administrator uploads and accepts are kept, for the nightly job and
    #: re-runs: ``referrals.csv``, ``placements.csv`` and the 903 folder ``ssda903``.
    #: Empty: ``inputs`` in the user's data folder (beside the default run store). A
    #: relative path is relative to the configuration file.
    data_dir: str = ""
    #: The largest upload accepted, in megabytes (a whole request: files and form).
    max_upload_mb: int = Field(default=50, ge=1, le=2000)
    #: At most this many failed sign-ins from one address (client IP) in
    #: ``sign_in_window_minutes``; more are refused unchecked, in the same words.
    sign_in_failures_per_address: int = Field(default=30, ge=1, le=100_000)
    sign_in_window_minutes: int = Field(default=15, ge=1, le=24 * 60)
    #: Addresses of reverse proxies whose X-Forwarded-For header names the client (e.g.
    #: ["127.0.0.1"]); empty: the header is ignored and the connection's address is used.
    trusted_proxies: tuple[str, ...] = ()
    oidc: OidcParams = OidcParams()


class Params(_Frozen):
    """Every tunable of the tool."""

    general: GeneralParams = GeneralParams()
    matching: MatchingParams = MatchingParams()
    forecast: ForecastParams = ForecastParams()
    finance: FinanceParams = FinanceParams()
    commissioning: CommissioningParams = CommissioningParams()
    nightly: NightlyParams = NightlyParams()
    retention: RetentionParams = RetentionParams()
    web: WebParams = WebParams()


def _deep_update(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_update(out[key], value)
        else:
            out[key] = value
    return out


#: Keys earlier versions read that now live elsewhere: (section, key, what to do).
_MOVED = (
    (("web", "oidc"), "client_secret",
     "is no longer read from the configuration (which is copied into every run's record); "
     "remove it and set $SUFFICIENCY_OIDC_CLIENT_SECRET for `sufficiency serve` instead"),
)  # fmt: skip


def load_params(path: Path | str | None = None) -> Params:
    """Defaults, overridden by the TOML file at ``path`` if given.

    Raises
    ------
    ConfigError
        The file is missing, is not TOML, or holds an unknown key or a bad value.
    """
    if path is None:
        return Params()
    data = read_toml(path, "configuration")
    moved = []
    for section, key, instead in _MOVED:
        where = data
        for part in section:
            where = where.get(part, {}) if isinstance(where, dict) else {}
        if isinstance(where, dict) and key in where:
            # said in its own words, and taken out so it is not said again as unknown
            moved.append(((*section, key), f"{instead}."))
            where.pop(key)
    return validate_toml(Params, _deep_update(Params().model_dump(), data), path, moved)


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
        raise ConfigError(f"Invalid {name} option: {validation_message(exc)}") from None


def as_params(value: object) -> Params:
    """``value`` as run parameters: a :class:`Params`, the path of a TOML file
    (:func:`load_params`), or ``None`` for the defaults.

    Raises
    ------
    ConfigError
        The file cannot be used, or ``value`` is none of those (a dict, say).
    """
    if value is None:
        return Params()
    if isinstance(value, Params):
        return value
    if atomic.is_path(value):
        return load_params(atomic.user_path(value))
    raise ConfigError.wrong_kind(
        "params",
        "a Params (from sufficiency.config.load_params) or the path of a TOML file",
        value,
    )


def option_date(value: object, name: str) -> dt.date:
    """The day ``value`` names, given for the option ``name`` in the Python API.

    A ``datetime.date``, a ``datetime.datetime``, a pandas ``Timestamp`` or a NumPy
    ``datetime64`` (its day), or text in the form YYYY-MM-DD. Other text is refused
    rather than guessed: '01/03/2025' is 1 March to a council and 3 January to pandas.

    Raises
    ------
    ConfigError
        ``value`` is not one of those, naming the option.
    """
    day: object = value.date() if isinstance(value, dt.datetime) else value
    if isinstance(value, np.datetime64) and not np.isnat(value):  # a value from .to_numpy()
        day = value.astype("datetime64[D]").item()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        with contextlib.suppress(ValueError):
            day = dt.date.fromisoformat(value.strip())
    if isinstance(day, dt.date) and not isinstance(day, dt.datetime):
        return day
    raise ConfigError(
        f"{name}: {value!r} is not a date; give a datetime.date or text in the form "
        "YYYY-MM-DD, such as '2026-03-31' for 31 March 2026."
    )
