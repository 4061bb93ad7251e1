"""The entry model: how many children start to be looked after each month, and who.

Monthly entries are Poisson counts (quasi-likelihood for overdispersion) whose log mean
is a *level that wanders* (a random walk) plus, only where the data support them, a
trend, quarterly seasonality and a level shift after the month that fits best (the
searched month counts as a second term). It is the model the simulation carries forward: each
path continues the random walk from the start. A fixed level pooled over six years is
the special case of no drift; where entries drift, step up or down, or a group such as
unaccompanied 16-17-year-olds starts arriving, the level at the start follows the
recent months instead of the history's average.

Time is counted from the forecast start and the random walk is pinned there, so the
level coefficient *is* the log of the monthly entries at the start. A fitted trend is
capped (``max_entry_trend_pct_per_year``) and damped only after the start; the history
keeps its fitted slope. Capping a slope measured from the start of a six-year history
instead moved the level at the start with it (entries falling fast gave 11 simulated
a month where 0.67 were observed), and refitting the level with the capped slope would
not do either: the early, larger counts would pull it up.

Fitting: for each drift on a grid (sd of the yearly random walk, log scale) the model
is a Poisson regression with a correlated random effect, fitted by penalised
quasi-likelihood (iteratively reweighted generalised least squares) and scored by a
Laplace approximation of its likelihood. A half-normal prior on the drift (scale
``entry_drift_sd_per_year``) turns the scores into posterior weights; trend and
seasonality and the shift are kept when they improve the evidence, summed over the
drifts, by more than a strict quasi-AIC penalty per term. The simulation draws a drift from those
weights for each path, then the coefficients from their normal approximation given
that drift, so estimation and simulation share one model.

The split of entries by age band, legal group and first placement comes from the
reference window or, after a shift within it, from the entrants since the shift (a
sudden rise of unaccompanied 16-17-year-olds changes who enters, not only how many);
entrants' ages come from the reference window.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from itertools import product

import numpy as np
import pandas as pd

from sufficiency.config import ForecastParams
from sufficiency.figures import day
from sufficiency.forecast.entry_trend import (
    DRIFT_GRID_PER_YEAR,
    trend_averaged,
    trend_continued_sentence,
    with_drifts,
)
from sufficiency.forecast.errors import ForecastWarning
from sufficiency.forecast.model import EntryModel
from sufficiency.forecast.states import (
    DAYS_PER_MONTH,
    NUM_AGE_BANDS,
    NUM_CATEGORIES,
    NUM_LEGAL_GROUPS,
    CareSpells,
    age_band_of_years,
)

#: Months of history before the reference window needed to consider pooling them.
MIN_EXTRA_MONTHS = 1
#: A level shift needs this many months of history before it and after it.
SHIFT_MIN_MONTHS_BEFORE = 6
SHIFT_MIN_MONTHS_AFTER = 3
#: Pseudo-entrants, spread as the whole reference window's mix, added to the mix of the
#: entrants since a level shift.
COMPOSITION_PRIOR_ENTRANTS = 5.0
#: Smallest mean count used as a weight (a month with almost no expected entries).
_MIN_WEIGHT_MEAN = 0.01


def _days(x: np.ndarray) -> np.ndarray:
    return x.astype("datetime64[D]").astype(np.int64)


def poisson_fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Poisson regressions by IRLS, one per leading index of ``x`` (``(B, n, k)``).

    Returns coefficients ``(B, k)``, covariances ``(B, k, k)`` and log-likelihood
    kernels ``(B,)``; for a 2-D ``x``, one regression without the leading axis.
    """
    single = x.ndim == 2
    xb = x[None] if single else x
    num, _, k = xb.shape
    ridge = 1e-9 * np.eye(k)
    beta = np.zeros((num, k))
    beta[:, 0] = np.log(max(float(y.mean()), 0.1))
    for _ in range(60):
        eta = np.einsum("bnk,bk->bn", xb, beta).clip(-30, 30)
        mu = np.exp(eta)
        z = eta + (y - mu) / mu
        xtw = xb.transpose(0, 2, 1) * mu[:, None, :]
        rhs = np.einsum("bkn,bn->bk", xtw, z)[:, :, None]
        new = np.linalg.solve(xtw @ xb + ridge, rhs)[:, :, 0]
        done = np.max(np.abs(new - beta)) < 1e-10
        beta = new
        if done:
            break
    mu = np.exp(np.einsum("bnk,bk->bn", xb, beta).clip(-30, 30))
    cov = np.linalg.inv((xb.transpose(0, 2, 1) * mu[:, None, :]) @ xb + ridge)
    loglik = np.sum(y * np.log(np.maximum(mu, 1e-12)) - mu, axis=1)
    if single:
        return beta[0], cov[0], loglik
    return beta, cov, loglik


def walk_fit(
    x: np.ndarray,
    y: np.ndarray,
    drift_per_year: np.ndarray,
    phi: float,
    months_back: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Poisson regression with a random-walk level pinned at the last month, per drift.

    The log mean is ``x @ beta + u`` where ``u`` is a random walk (monthly variance
    ``drift**2 / 12``) that is zero in the last month, so ``beta`` holds the level at
    the end. Fitted by penalised quasi-likelihood (dispersion ``phi``); with no drift it
    is the ordinary Poisson regression. ``months_back`` gives each month's distance in
    months from the last (default: consecutive months), so months left out, such as a
    missing collection year, widen the walk's steps across them.

    Returns
    -------
    tuple of numpy.ndarray
        Coefficients ``(G, k)``, their covariance ``(G, k, k)`` and the Laplace
        approximation of each fit's quasi-log-likelihood ``(G,)``, one per drift.
    """
    n = x.shape[0]
    g = len(drift_per_year)
    back = (
        np.arange(n - 1, -1, -1, dtype=float)
        if months_back is None
        else np.asarray(months_back, dtype=float)
    )
    walk = np.minimum.outer(back, back)  # months, covariance of the pinned walk
    q = (np.asarray(drift_per_year, dtype=float) ** 2 / 12)[:, None, None]
    sigma = q * walk[None]  # (G, n, n)
    beta0, _, _ = poisson_fit(x, y)
    eta = np.repeat((x @ beta0)[None], g, axis=0)
    eye = np.eye(n)
    for _ in range(40):
        mu = np.exp(eta.clip(-30, 30))
        w = np.maximum(mu, _MIN_WEIGHT_MEAN) / phi
        z = eta + (y - mu) / np.maximum(mu, _MIN_WEIGHT_MEAN)
        v_inv = np.linalg.inv(sigma + eye[None] / w[:, :, None])
        xv = np.einsum("nk,gnm->gkm", x, v_inv)
        info = xv @ x
        beta = np.linalg.solve(info, (xv @ z[:, :, None]))[:, :, 0]
        resid = z - beta @ x.T
        v_r = (v_inv @ resid[:, :, None])[:, :, 0]
        u = (sigma @ v_r[:, :, None])[:, :, 0]
        new = beta @ x.T + u
        done = np.max(np.abs(new - eta)) < 1e-8
        eta = new
        if done:
            break
    mu = np.exp(eta.clip(-30, 30))
    w = np.maximum(mu, _MIN_WEIGHT_MEAN) / phi
    loglik = np.sum(y * eta - mu, axis=1) / phi
    root = np.sqrt(w)
    _, logdet = np.linalg.slogdet(eye[None] + root[:, :, None] * sigma * root[:, None, :])
    penalty = np.einsum("gn,gn->g", u, v_r)  # u' Sigma^-1 u at the mode
    cov = np.linalg.inv(info)
    return beta, cov, loglik - 0.5 * penalty - 0.5 * logdet


def _dispersion(y: np.ndarray) -> float:
    """Quasi-Poisson dispersion from month-to-month differences (robust to drift)."""
    if len(y) < 3 or y.sum() == 0:
        return 1.0
    return max(1.0, float(np.sum(np.diff(y) ** 2) / max(np.sum(y[1:] + y[:-1]), 1.0)))


def _drift_prior(scale: float) -> np.ndarray:
    """Half-normal prior weights on :data:`DRIFT_GRID_PER_YEAR` (trapezoid cells)."""
    grid = DRIFT_GRID_PER_YEAR
    width = np.gradient(grid)
    width[0] = grid[1] / 2
    dens = np.exp(-0.5 * (grid / max(scale, 1e-6)) ** 2)
    prior = dens * width
    return prior / prior.sum()


def _monthly_counts(
    care: CareSpells, first: pd.Timestamp, start: pd.Timestamp
) -> tuple[np.ndarray, pd.DatetimeIndex]:
    """Entries per month in ``(first, start]`` and the months' end dates."""
    sp = care.spells
    ent = sp[(sp["kind"] == "entry") & (sp["start"] > first) & (sp["start"] <= start)]
    edges = pd.date_range(first, start, freq="ME")
    if len(edges) == 0 or edges[0] != first:
        edges = pd.DatetimeIndex([first, *edges])
    month = np.searchsorted(edges.to_numpy(), ent["start"].to_numpy(), side="left") - 1
    num_months = len(edges) - 1
    y = np.bincount(month.clip(0, num_months - 1), minlength=num_months).astype(float)
    ends = edges[1:]
    if care.gaps:
        # a month in a collection year with no return has unknown entries, not none
        seen = ~care.in_gap(ends.to_numpy())
        return y[seen], ends[seen]
    return y, ends


def _history_start(
    care: CareSpells, start: pd.Timestamp, window_start: pd.Timestamp, params: ForecastParams
) -> pd.Timestamp:
    months = round(params.entry_history_years * 12)
    first = max(start - pd.DateOffset(months=months) + pd.offsets.MonthEnd(0), care.data_start)
    first = pd.Timestamp(first)
    if first >= window_start or len(pd.date_range(first, window_start, freq="ME")) < (
        MIN_EXTRA_MONTHS
    ):
        return window_start
    return first


def _best_shift(
    model: EntryModel, y: np.ndarray, month_ends: pd.DatetimeIndex
) -> EntryModel | None:
    """``model`` with a level shift after the month that fits best (no drift), if any."""
    ends = month_ends[SHIFT_MIN_MONTHS_BEFORE - 1 : len(y) - SHIFT_MIN_MONTHS_AFTER]
    if len(ends) == 0:
        return None
    models = [replace(model, has_shift=True, shift_at=at) for at in ends]
    _, _, loglik = poisson_fit(np.stack([m.design(month_ends) for m in models]), y)
    return models[int(np.argmax(loglik))]


def _select(
    y: np.ndarray, month_ends: pd.DatetimeIndex, proto: EntryModel, params: ForecastParams
) -> EntryModel:
    """The candidate with the best penalised evidence, with its posterior over drifts.

    Candidates: a level with or without a trend, seasonality and a level shift (after
    the month that fits best); each with a drifting level, the evidence summed over
    the drift's prior.
    """
    phi = _dispersion(y)
    with np.errstate(divide="ignore"):  # a prior of 0 (no drift) weighs the rest at log 0
        log_prior = np.log(_drift_prior(params.entry_drift_sd_per_year))
    # months before the last one fitted (a gap for a missing year makes steps longer)
    index = np.asarray(month_ends.year * 12 + month_ends.month)
    back = (index[-1] - index).astype(float)
    best: tuple[float, EntryModel] | None = None
    scored: dict[tuple[bool, bool, bool], tuple[float, EntryModel]] = {}
    for trend, season in product((False, True), repeat=2):
        if season and len(y) < 24:
            continue
        plain = replace(proto, has_trend=trend, has_season=season)
        for model in (plain, _best_shift(plain, y, month_ends)):
            if model is None:
                continue
            x = model.design(month_ends)
            beta, cov, loglik = walk_fit(x, y, DRIFT_GRID_PER_YEAR, phi, back)
            joint = loglik + log_prior
            evidence = float(np.logaddexp.reduce(joint))
            # a term must earn its place: extrapolated noise costs more than a missed
            # weak effect, so the penalty per term is well above AIC's 2; a searched
            # shift month is a parameter too, so a shift counts as two terms
            terms = x.shape[1] + model.has_shift
            score = -2 * evidence + params.entry_term_penalty * terms
            weights = np.exp(joint - evidence)
            fitted = (score, with_drifts(model, beta, cov, weights))
            scored[(trend, season, model.has_shift)] = fitted
            if best is None or score < best[0] - 1e-9:
                best = fitted
    assert best is not None
    chosen = best[1]
    # a level shift explains a change by itself: a trend beside it is chosen or not
    twin = (
        None if chosen.has_shift else scored.get((not chosen.has_trend, chosen.has_season, False))
    )
    if twin is not None:
        best = (best[0], trend_averaged(chosen, twin[1], best[0], twin[0]))
    nb_shape = np.inf
    if phi > 1:
        # month-to-month overdispersion at the current level: var = mu + mu^2 / shape
        nb_shape = float(np.exp(best[1].coef[0]) / (phi - 1))
    return replace(best[1], nb_shape=nb_shape)


def fit_entries(
    care: CareSpells, start: pd.Timestamp, window_start: pd.Timestamp, params: ForecastParams
) -> EntryModel:
    """Fit the entry model at ``start``; the mix of entrants from ``(window_start, start]``."""
    first = _history_start(care, start, window_start, params)
    y, month_ends = _monthly_counts(care, first, start)
    window_y, _ = _monthly_counts(care, window_start, start)
    proto = EntryModel(
        coef=np.zeros(0),
        cov=np.zeros((0, 0)),
        has_trend=False,
        has_season=False,
        nb_shape=np.inf,
        origin=first,
        anchor=start,
        trend_damping_per_year=params.entry_trend_damping_per_year,
        max_trend_per_year=float(np.log1p(params.max_entry_trend_pct_per_year / 100)),
        composition_alpha=np.zeros(0),
        ages_months=(),
        monthly_counts=y,
    )
    if window_y.sum() == 0:
        warnings.warn(
            "No child started to be looked after in the reference window: the forecast "
            "assumes no entries.",
            ForecastWarning,
            stacklevel=3,
        )
        none = (np.array([[-30.0]]), np.zeros((1, 1, 1)), np.ones(1), np.zeros(1))
        chosen = with_drifts(proto, *none)
    else:
        chosen = _select(y, month_ends, proto, params)
    since = window_start
    if chosen.has_shift and chosen.shift_at is not None:
        since = max(window_start, chosen.shift_at)
        chosen = replace(chosen, shift_seen=_seen_around(y, month_ends, chosen.shift_at))
    alpha, ages = _composition(care, start, window_start, since)
    on = trend_continued_sentence(chosen, params.horizon_months)
    said = entry_change_sentence(chosen, window_start, window_y, goes_on=on is not None)
    if text := " ".join(s for s in (said, on) if s is not None):  # one warning: both ways
        warnings.warn(text, ForecastWarning, stacklevel=3)
    return replace(chosen, composition_alpha=alpha, ages_months=ages)


def _seen_around(
    y: np.ndarray, month_ends: pd.DatetimeIndex, at: pd.Timestamp
) -> tuple[float, float, float]:
    """Entries a month observed in the 12 months up to ``at``, after it, and in the last 12."""
    before = np.asarray(month_ends <= at)
    return (
        float(y[before][-12:].mean()),
        float(y[~before].mean()),
        float(y[-12:].mean()),
    )


#: A forecast's first-year entries this far from the reference window's average (and
#: beyond twice the average's standard error) are said in a warning.
ENTRY_CHANGE_SAID = 0.15


def _per_month(x: float) -> str:
    return f"{x:.1f}" if x < 10 else f"{x:,.0f}"


def entry_change_sentence(
    em: EntryModel, window_start: pd.Timestamp, window_y: np.ndarray, goes_on: bool = False
) -> str | None:
    """Say when the entries the forecast starts from differ from the reference window's
    average (a step, a trend or a drifting level), and what follows and what does not;
    ``None`` when they do not differ by ``ENTRY_CHANGE_SAID`` and by chance. ``goes_on``:
    :func:`trend_continued_sentence` follows in the same warning, so a fitted trend's
    doubt is said both ways (high if it was a one-off step, low if it goes on), not as
    two warnings that seem to contradict each other."""
    if len(window_y) == 0 or window_y.sum() == 0:
        return None
    average = float(window_y.mean())
    fitted = em.fitted_per_month()
    error = np.sqrt(max(_dispersion(window_y), 1.0) * average / len(window_y))
    if abs(fitted / average - 1) < ENTRY_CHANGE_SAID or abs(fitted - average) < 2 * error:
        return None
    levels = em.shift_levels
    if levels is not None and em.shift_at is not None:
        since = em.shift_at + pd.offsets.MonthEnd(1)
        before, after, last = levels
        lately = ""
        if after > 0 and abs(last / after - 1) >= ENTRY_CHANGE_SAID:  # a surge now passed
            lately = f", {_per_month(last)} in the last 12 months"
        why = (
            f"a step in {since:%B %Y} (entries observed: about {_per_month(before)} a month "
            f"in the year before it, {_per_month(after)} since{lately})"
        )
        who = (
            "Who enters (ages, legal status, placements) follows the children who entered "
            "since the step; how long children stay and where they move are measured over "
            "the whole period"
        )
    elif em.has_trend:
        up = em.coef[1] > 0
        lately_said = _per_month(float(em.monthly_counts[-12:].mean()))
        years = round(1 / max(em.trend_damping_per_year, 1e-9))  # growth to come, damped
        once = "a change of policy, a surge of arrivals" if up else "a change of policy"
        share = ""
        if em.trend_weight < 1:  # averaged with a level that wanders with no trend
            share = f" in {em.trend_weight:.0%} of its simulated futures"
        why = (
            f"the trend of recent years (about {lately_said} a month entered in the last 12 "
            f"months; the trend keeps entries {'rising' if up else 'falling'} for about "
            f"{years} more year{'' if years == 1 else 's'}{share}). Entries that "
            f"{'rose' if up else 'fell'} once ({once}) and then held can look like a trend, "
            f"and the forecast then runs {'high' if up else 'low'}"
            + (f"; if the {'rise' if up else 'fall'} goes on, it runs {'low' if up else 'high'}"
               " (below)" if goes_on else "")
            + ": check what lay behind the change"
        )  # fmt: skip
    else:
        why = "the recent months"
    if levels is None or em.shift_at is None:
        who = (
            "Who enters (ages, legal status, placements), how long children stay and where "
            "they move are measured over that whole period"
        )
    return (
        f"Entries have changed: the forecast expects about {_per_month(fitted)} children a "
        f"month to start to be looked after in its first year, against {_per_month(average)} "
        f"a month on average from {day(window_start)} to {day(em.anchor)} "
        f"({fitted / average - 1:+.0%}), following {why}. {who}: if the children entering "
        "now stay longer or shorter than those before (unaccompanied 16-17-year-olds stay "
        "until 18, say), the forecast does not show it until later returns do."
    )


def _composition(
    care: CareSpells, start: pd.Timestamp, window_start: pd.Timestamp, since: pd.Timestamp
) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Dirichlet parameters of entrants' age band x legal group x first category, and ages.

    The mix is that of entrants since ``since`` (a level shift within the window, or
    the window's start), with ``COMPOSITION_PRIOR_ENTRANTS`` pseudo-entrants spread as
    the whole window's mix when ``since`` is later; ages are the whole window's.
    """
    sp = care.spells
    ent = sp[(sp["kind"] == "entry") & (sp["start"] > window_start) & (sp["start"] <= start)]
    # simulated entrants join at the end of their entry month, so take ages then
    entry_month_end = (pd.DatetimeIndex(ent["start"]) + pd.offsets.MonthEnd(0)).to_numpy()
    age_days = _days(entry_month_end) - _days(ent["dob"].to_numpy())
    age_months = np.floor(age_days / DAYS_PER_MONTH).astype(np.int64).clip(0, 215)
    band = age_band_of_years(age_months // 12)
    cells = (band, ent["legal"].to_numpy(np.int64), ent["category"].to_numpy(np.int64))
    counts = np.zeros((NUM_AGE_BANDS, NUM_LEGAL_GROUPS, NUM_CATEGORIES))
    np.add.at(counts, cells, 1)
    if since > window_start:
        # who enters changes with a shift (unaccompanied 16-17-year-olds arriving, say)
        recent = (ent["start"] > since).to_numpy()
        window_share = counts / max(counts.sum(), 1.0)
        counts = np.zeros_like(counts)
        np.add.at(counts, tuple(c[recent] for c in cells), 1)
        counts += COMPOSITION_PRIOR_ENTRANTS * window_share
    # one pseudo-entrant in all, spread as the margins (a legal group by age band)
    prior = (counts.sum(2) + 0.1)[:, :, None] * (counts.sum((0, 1)) + 0.1)[None, None, :]
    alpha = counts + prior / prior.sum()
    ages = []
    for b in range(NUM_AGE_BANDS):
        found = np.sort(age_months[band == b])
        if len(found) == 0:
            lo = [0, 12, 60, 120, 192][b]
            hi = [12, 60, 120, 192, 216][b]
            found = np.arange(lo, hi)
        ages.append(found)
    return alpha, tuple(ages)
