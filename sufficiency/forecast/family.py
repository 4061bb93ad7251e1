"""A family of synthetic authorities for calibrating the forecast on data it was not tuned on.

The bundled sample (:mod:`sufficiency.sample`) is one kind of authority, and the forecast
was tuned on it. This family is built differently, from a seed per authority: sizes from
about 40 to 3,000 children looked after (log-uniform), and entries that are steady,
rising, falling, stepped up or down, joined by unaccompanied asylum-seeking children
(UASC, 16-17-year-olds arriving from some month on) or rising then falling. Every
authority also has what real ones have and the forecast does not model: an entry level
that wanders (a random walk), sibling groups entering together, month-to-month noise
and seasonality, a speed of leaving care that drifts from year to year, practice of its
own (kinship, in-house and residential shares, placement stability, returns to care),
children's careers driven by legal status (police protection, section 20, interim and
full care orders, placement orders and adoption, remand), temporary placements, and the
903's code changes (H5 recoded to K3 in April 2025 as a new episode with the same
carers). Each authority's regime is ``REGIMES[seed % len(REGIMES)]``, so any run of
consecutive seeds covers the regimes evenly.

Histories are built in memory (:class:`~sufficiency.io.ssda903.SSDA903History`) in a
second or two for the largest authority.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from sufficiency.forecast.family_careers import Draws, Ids, Practice, career, recode
from sufficiency.io.ssda903 import SSDA903History

REGIMES: tuple[str, ...] = ("steady", "rising", "falling", "stepped", "uasc", "turning")
#: Months of entries simulated before the returns begin, so the stock at their start holds
#: children who entered as babies.
_BURN_IN_YEARS = 18
#: Mean months in care per entrant at ``exit_speed`` 1 (measured on steady authorities),
#: to set the entry rate from the size asked for.
_MEAN_STAY_MONTHS = 22.0
#: Share of non-UASC entrants by age band at entry (under 1, 1-4, 5-9, 10-15, 16-17).
_AGE_MIX = np.array([0.17, 0.15, 0.16, 0.31, 0.21])
_BAND_YEARS = ((0.0, 1.0), (1.0, 5.0), (5.0, 10.0), (10.0, 16.0), (16.0, 17.9))
_GROUP_SIZES = np.array([1, 2, 3, 4])
_GROUP_WEIGHTS = np.array([0.75, 0.15, 0.07, 0.03])
_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class AuthoritySpec:
    """How one synthetic authority's entries and practice were drawn.

    Attributes
    ----------
    seed, regime
        The seed and the regime of entries (see :data:`REGIMES`).
    num_in_care
        Children looked after aimed at when the returns begin (approximately).
    trend_per_year, trend_from, turn_at
        Growth of entries on the log scale from ``trend_from``; the sign reverses at
        ``turn_at`` (regime ``turning``).
    step_at, step_factor
        Entries multiply by ``step_factor`` from ``step_at`` (regime ``stepped``).
    uasc_from, uasc_share, uasc_background
        UASC arrivals a month, as a share of the other entries' starting level: the
        background all along, ``uasc_share`` more from ``uasc_from`` (regime ``uasc``).
    level_drift_sd_per_year
        Random walk of the entry level (log scale), from two years before the returns.
    exit_drift_sd_per_year
        Random walk of the speed of leaving care (log scale).
    noise_shape, seasonal_amplitude
        Gamma shape of month-to-month noise in entries, and the size of the seasonal swing.
    practice
        Placement practice and speeds (:class:`~.family_careers.Practice`).
    urn_split
        Supported settings gaining their URN in October 2023 start a new episode.
    uasc_until
        The extra UASC arrivals stop from this month (a one-off surge); ``None``: they go on.
    """

    seed: int
    regime: str
    num_in_care: int
    trend_per_year: float
    trend_from: pd.Timestamp
    turn_at: pd.Timestamp | None
    step_at: pd.Timestamp | None
    step_factor: float
    uasc_from: pd.Timestamp | None
    uasc_share: float
    uasc_background: float
    level_drift_sd_per_year: float
    exit_drift_sd_per_year: float
    noise_shape: float
    seasonal_amplitude: float
    age_mix: tuple[float, ...]
    practice: Practice
    urn_split: bool
    uasc_until: pd.Timestamp | None = None


def _month(rng: np.random.Generator, first: str, last: str) -> pd.Timestamp:
    months = pd.date_range(first, last, freq="MS")
    return pd.Timestamp(months[int(rng.integers(len(months)))])


def _log_uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def family_spec(seed: int) -> AuthoritySpec:
    """Draw the authority for ``seed`` (its regime is ``REGIMES[seed % len(REGIMES)]``)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 1]))
    regime = REGIMES[seed % len(REGIMES)]
    size = round(_log_uniform(rng, 40, 3000))
    trend, trend_from, turn_at = 0.0, pd.Timestamp("2019-04-01"), None
    step_at, step_factor, uasc_from, uasc_share = None, 1.0, None, 0.0
    if regime == "rising":
        trend, trend_from = _log_uniform(rng, 0.03, 0.12), _month(rng, "2017-04-01", "2021-04-01")
    elif regime == "falling":
        trend, trend_from = -_log_uniform(rng, 0.04, 0.3), _month(rng, "2018-04-01", "2022-04-01")
    elif regime == "stepped":
        step_at = _month(rng, "2021-01-01", "2025-06-01")
        up = rng.random() < 0.5
        step_factor = rng.uniform(1.25, 1.8) if up else rng.uniform(0.55, 0.8)
    elif regime == "uasc":
        uasc_from, uasc_share = _month(rng, "2021-01-01", "2025-06-01"), rng.uniform(0.15, 0.6)
    elif regime == "turning":
        sign = 1 if rng.random() < 0.5 else -1
        trend, trend_from = sign * rng.uniform(0.05, 0.15), _month(rng, "2018-04-01", "2020-04-01")
        turn_at = _month(rng, "2022-04-01", "2025-04-01")
    practice = Practice(
        kinship=rng.uniform(0.1, 0.3),
        in_house=rng.uniform(0.35, 0.7),
        residential=rng.uniform(0.1, 0.3),
        supported=rng.uniform(0.5, 1.2),
        with_parents=rng.uniform(0.04, 0.15),
        placement_order=rng.uniform(0.2, 0.45),
        exit_speed=_log_uniform(rng, 0.7, 1.4),
        placement_months=rng.uniform(14, 30),
        reentry=rng.uniform(0.05, 0.2),
        temporary=rng.uniform(0.0, 0.04),
    )
    return AuthoritySpec(
        seed=seed,
        regime=regime,
        num_in_care=size,
        trend_per_year=float(trend),
        trend_from=trend_from,
        turn_at=turn_at,
        step_at=step_at,
        step_factor=float(step_factor),
        uasc_from=uasc_from,
        uasc_share=float(uasc_share),
        uasc_background=float(rng.uniform(0.03, 0.2)),
        level_drift_sd_per_year=float(rng.uniform(0.03, 0.12)),
        exit_drift_sd_per_year=float(rng.uniform(0.02, 0.1)),
        noise_shape=float(rng.uniform(15, 80)),
        seasonal_amplitude=float(rng.uniform(0.0, 0.1)),
        age_mix=tuple(float(x) for x in rng.dirichlet(60 * _AGE_MIX)),
        practice=practice,
        urn_split=bool(rng.random() < 0.3),
    )


def quiet_spec(seed: int, num_in_care: int = 700) -> AuthoritySpec:
    """The authority of ``seed`` with steady entries, little noise and no drift.

    A base for one clear change (a trend, a step, UASC arriving: ``dataclasses.replace``
    its fields), so that the change, not chance, decides the authority's next year.
    """
    return replace(
        family_spec(seed),
        num_in_care=num_in_care,
        trend_per_year=0.0,
        turn_at=None,
        step_at=None,
        step_factor=1.0,
        uasc_from=None,
        uasc_share=0.0,
        uasc_background=0.05,
        level_drift_sd_per_year=0.0,
        exit_drift_sd_per_year=0.0,
        noise_shape=200.0,
        seasonal_amplitude=0.0,
    )


def _entry_levels(
    spec: AuthoritySpec, months: pd.DatetimeIndex, data_start: pd.Timestamp, rng
) -> tuple[np.ndarray, np.ndarray]:
    """Mean entries a month (other than UASC) and UASC arrivals a month."""
    years = np.asarray((months - spec.trend_from).days, dtype=float) / 365.25
    ramp = np.maximum(years, 0.0)
    if spec.turn_at is not None:
        turn = (spec.turn_at - spec.trend_from).days / 365.25
        ramp = np.minimum(ramp, turn) - np.maximum(ramp - turn, 0.0)
    log_level = spec.trend_per_year * ramp
    if spec.step_at is not None:
        log_level += np.log(spec.step_factor) * (months >= spec.step_at)
    walk_from = data_start - pd.DateOffset(years=2)
    steps = rng.normal(0.0, spec.level_drift_sd_per_year / np.sqrt(12), len(months))
    log_level += np.cumsum(np.where(months >= walk_from, steps, 0.0))
    phase = rng.uniform(0, 12)
    log_level += spec.seasonal_amplitude * np.cos(
        2 * np.pi * (np.asarray(months.month) - phase) / 12
    )
    base = spec.num_in_care * spec.practice.exit_speed**0.6 / _MEAN_STAY_MONTHS
    level = (
        base * np.exp(log_level) * rng.gamma(spec.noise_shape, 1 / spec.noise_shape, len(months))
    )
    uasc = np.full(len(months), base * spec.uasc_background)
    if spec.uasc_from is not None:
        surge = months >= spec.uasc_from
        if spec.uasc_until is not None:
            surge &= months < spec.uasc_until
        uasc += base * spec.uasc_share * surge
    return level, uasc


def _first_status(d: Draws, age: float, uasc: bool) -> str:
    if uasc:
        return "V2" if d.u() < 0.95 else "C1"
    if age < 1:
        return d.pick([("C1", 0.5), ("V2", 0.25), ("L1", 0.25)])
    if age < 10:
        return d.pick([("C1", 0.4), ("V2", 0.45), ("L1", 0.15)])
    if age < 16:
        return d.pick([("V2", 0.6), ("C1", 0.25), ("L1", 0.1), ("J1", 0.05)])
    return d.pick([("V2", 0.75), ("C1", 0.1), ("L1", 0.05), ("J1", 0.1)])


def family_history(spec: AuthoritySpec, num_years: int = 6, end_year: int = 2026) -> SSDA903History:
    """The 903 returns of ``spec``'s authority: ``num_years`` years ending 31 March ``end_year``."""
    rng = np.random.default_rng(np.random.SeedSequence([spec.seed, 2]))
    d = Draws(rng)
    data_start = pd.Timestamp(end_year - num_years, 4, 1)
    data_end = pd.Timestamp(end_year, 3, 31)
    months = pd.date_range(data_start - pd.DateOffset(years=_BURN_IN_YEARS), data_end, freq="MS")
    level, uasc_level = _entry_levels(spec, months, data_start, rng)
    epoch = np.datetime64("1970-01-01", "D")
    day0 = int((np.datetime64(months[0], "D") - epoch) / _DAY)
    first_day = int((np.datetime64(data_start, "D") - epoch) / _DAY)
    last_day = int((np.datetime64(data_end, "D") - epoch) / _DAY)
    walk = rng.normal(0, spec.exit_drift_sd_per_year / np.sqrt(12), len(months))
    walk_from = data_start - pd.DateOffset(years=2)
    speed_at = spec.practice.exit_speed * np.exp(np.cumsum(np.where(months >= walk_from, walk, 0)))
    groups = rng.poisson(level / float(_GROUP_WEIGHTS @ _GROUP_SIZES))
    arrivals = rng.poisson(uasc_level)
    ids = Ids()
    rows: list[list] = []
    header: list[tuple[str, int, int, bool]] = []
    mix = np.asarray(spec.age_mix)
    for m, month in enumerate(months):
        month_day = int((np.datetime64(month, "D") - epoch) / _DAY)
        entrants: list[tuple[int, float, bool, str | None]] = []
        for _ in range(groups[m]):
            size = int(rng.choice(_GROUP_SIZES, p=_GROUP_WEIGHTS))
            day = month_day + int(d.u() * 28)
            band = int(rng.choice(5, p=mix))
            lo, hi = _BAND_YEARS[band]
            age = d.u() * 0.05 if band == 0 and d.u() < 0.4 else lo + d.u() * (hi - lo)
            ls = _first_status(d, age, False)
            for k in range(size):
                sib_age = age if k == 0 else min(max(age + (d.u() - 0.5) * 10, 0.0), 17.5)
                entrants.append((day, sib_age, False, ls if sib_age < 16 or k == 0 else None))
        for _ in range(arrivals[m]):
            age = 16 + d.u() * 1.8 if d.u() < 0.85 else 14 + d.u() * 2
            entrants.append((month_day + int(d.u() * 28), age, True, None))
        for day, age, uasc, status in entrants:
            dob = day - int(age * 365.25)
            status = status or _first_status(d, age, uasc)
            eps = career(d, ids, spec.practice, dob, day, status, uasc, speed_at, day0)
            if eps[-1][1] is not None and eps[-1][1] < first_day:
                continue
            child = f"F{len(header):06d}"
            header.append((child, dob, day, uasc))
            for ep in recode(eps, spec.urn_split):
                if ep[0] <= last_day and (ep[1] is None or ep[1] >= first_day):
                    rows.append([child, *ep])
    years = tuple(range(end_year - num_years + 1, end_year + 1))
    return _assemble(rows, header, data_end, years)


def _assemble(
    rows: list[list], header: list[tuple[str, int, int, bool]], data_end: pd.Timestamp, years
) -> SSDA903History:
    """Episodes and header as the 903 reader returns them (open episodes' DEC blank)."""
    cols = ["CHILD", "DECOM", "DEC", "RNE", "LS", "PLACE", "PLACE_PROVIDER", "PL_POST", "URN",
            "REC", "REASON_PLACE_CHANGE"]  # fmt: skip
    ep = pd.DataFrame(rows, columns=cols)
    epoch = np.datetime64("1970-01-01", "D")
    ep["DECOM"] = pd.to_datetime(epoch + ep["DECOM"].to_numpy(np.int64) * _DAY)
    dec = ep["DEC"].astype("float64").to_numpy()
    ep["DEC"] = pd.to_datetime(
        np.where(
            np.isnan(dec), np.datetime64("NaT"), epoch + np.nan_to_num(dec).astype(np.int64) * _DAY
        )
    )
    later = ep["DEC"] > data_end
    ep.loc[later, "DEC"] = pd.NaT
    ep.loc[ep["DEC"].isna(), ["REC", "REASON_PLACE_CHANGE"]] = None
    ep["CIN"] = "N1"
    ep["HOME_POST"] = None
    last = ep["DEC"].fillna(data_end)
    ep["collection_year"] = (last.dt.year + (last.dt.month >= 4)).astype("Int64")
    for col in ("CHILD", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC",
                "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"):  # fmt: skip
        ep[col] = ep[col].astype("string")
    ep = ep.sort_values(["CHILD", "DECOM"], kind="stable").reset_index(drop=True)
    kept = set(ep["CHILD"])
    head = pd.DataFrame(header, columns=["CHILD", "dob", "entry", "uasc"])
    head = head[head["CHILD"].isin(kept)].reset_index(drop=True)
    dob = pd.to_datetime(epoch + head["dob"].to_numpy(np.int64) * _DAY)
    sex = np.where(head["uasc"], "1", np.where(np.arange(len(head)) % 9 < 5, "1", "2"))
    out_head = pd.DataFrame({"CHILD": head["CHILD"].astype("string"), "SEX": sex, "DOB": dob})
    u = out_head[head["uasc"].to_numpy(bool)].copy()
    u["DUC"] = u["DOB"] + pd.DateOffset(years=18)
    return SSDA903History(header=out_head, episodes=ep, uasc=u.reset_index(drop=True), years=years)
