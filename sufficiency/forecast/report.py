"""Everything one forecast run produces, as tables ready for the writers (report assembly)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sufficiency import vocabulary
from sufficiency.config import ForecastParams
from sufficiency.errors import notes_said_not_raised
from sufficiency.figures import day
from sufficiency.forecast.backtest import BacktestResult
from sufficiency.forecast.entry_trend import trend_words
from sufficiency.forecast.model import EntryModel, ForecastModel
from sufficiency.forecast.result import ForecastResult
from sufficiency.forecast.scenario import Scenario
from sufficiency.forecast.states import CATEGORIES, LEGAL_GROUPS
from sufficiency.io.atomic import out_folder
from sufficiency.io.quality import DataQuality
from sufficiency.results import BriefRepr, result_dataclass


@result_dataclass
class ForecastReport(BriefRepr):
    """A forecast run: results (base and optional scenario) and their tables. Only
    ``base``, ``demand``, ``starts`` and ``assumptions`` are required.

    Attributes
    ----------
    base, scenario
        Simulated results; ``scenario`` is ``None`` when no scenario was given.
    demand
        Base demand (``demand.csv``); ``scenario_demand`` the same for the scenario.
    comparison
        Base and scenario side by side for category and age band ``all`` rows.
    starts
        Placement starts per month (``starts.csv``), with a ``scenario`` column.
    supply, shortfall, purchases
        Supply per month, shortfall per quarter and external purchases (``None``
        without supply information).
    backtest
        Backtest scores, when requested.
    assumptions
        ``item, value`` rows describing the run and the fitted rates.
    quality
        What was repaired or set aside to read the 903 history (``None`` when the
        history was built in code).
    notes
        What the model could not measure or had to assume for this run, in sentences
        (the :class:`~sufficiency.forecast.errors.ForecastWarning` sentences, each once): shown
        under "Read with care" in ``forecast.html`` and as rows of ``assumptions.csv``.
    """

    base: ForecastResult
    demand: pd.DataFrame
    starts: pd.DataFrame
    assumptions: pd.DataFrame
    scenario: ForecastResult | None = None
    scenario_demand: pd.DataFrame | None = None
    comparison: pd.DataFrame | None = None
    supply: pd.DataFrame | None = None
    shortfall: pd.DataFrame | None = None
    purchases: pd.DataFrame | None = None
    backtest: BacktestResult | None = None
    quality: DataQuality | None = None
    notes: tuple[str, ...] = ()

    @property
    def totals(self) -> pd.DataFrame:
        """Base demand for all categories and age bands: one row a month (``mean, p10, p90``)."""
        d = self.demand
        return d[(d["category"] == "all") & (d["age_band"] == "all")].reset_index(drop=True)

    @property
    def headline(self) -> str:
        """Children looked after at the start and at the horizon, in one sentence: the
        middle forecast (P50), the figure the workbook's and the page's headlines give (the
        console gave the mean, 851 where they said 849)."""
        tot = self.totals
        first, last = tot.iloc[0], tot.iloc[-1]
        on, then = (pd.Timestamp(row["month"]) for row in (first, last))  # ISO in the CSV
        return (
            f"Children looked after on {day(on)}: {first['mean']:,.0f}; "
            f"on {day(then)}: {last['p50']:,.0f} middle forecast (P50; 8 in 10 futures "
            f"between {last['p10']:,.0f} and {last['p90']:,.0f})."
        )

    @notes_said_not_raised
    def write(self, out_dir: Path | str) -> list[Path]:
        """Write the CSVs, ``forecast.xlsx``, ``forecast.html`` and ``data_quality.csv``.

        Parameters
        ----------
        out_dir
            Folder to write into (created if missing); each file is written atomically.

        Returns
        -------
        list of Path
            The files written, in the order the ``forecast`` command reports them.
        """
        from sufficiency.forecast.writers import write_report

        return write_report(self, out_folder(out_dir))


def assumptions_table(
    model: ForecastModel,
    params: ForecastParams,
    scenario: Scenario,
    start: pd.Timestamp,
    step_downs: Sequence[tuple[str, str]] = (),
) -> pd.DataFrame:
    """Plain-English record of the run's settings and the fitted rates (``step_downs``:
    each of the scenario's step-downs as asked and as made in the simulation)."""
    em = model.entries
    rows: list[tuple[str, str]] = [
        ("Forecast start", start.date().isoformat()),
        ("Horizon (months)", str(params.horizon_months)),
        ("Simulated paths", str(params.num_paths)),
        ("Seed", str(params.seed)),
        (
            "Reference window",
            f"{model.reference_start.date()} to {model.reference_end.date()}",
        ),
        (
            "Entries per month (reference window)",
            f"{em.monthly_counts[len(em.monthly_counts) - _window_months(model) :].mean():.1f}",
        ),
        (
            "Entry level estimated from",
            f"{em.origin.date()} to {em.anchor.date()}",
        ),
        (
            "Entries per month expected in the first forecast year (fitted)",
            f"{em.fitted_per_month():.1f}",
        ),
        ("Entry level shift", _shift_words(em)),
        ("Drift of the entry level (sd a year, log)", f"{em.drift_mean_per_year:.3f}"),
        ("Entry trend", trend_words(em)),
        ("Entry seasonality", "fitted" if em.has_season else "none (not supported by the data)"),
        (
            "Entry overdispersion (gamma shape)",
            "none (Poisson)" if not np.isfinite(em.nb_shape) else f"{em.nb_shape:.1f}",
        ),
        ("Prior scale of the entry drift (sd a year, log)", f"{params.entry_drift_sd_per_year:g}"),
        ("Rate drift between paths (sd, log)", f"{params.rate_drift_sd:g}"),
        ("Shrinkage (pseudo-events)", f"{params.shrinkage_events:g}"),
        (
            "Rates depend on",
            "category x legal group ("
            + ", ".join(map(vocabulary.legal_group, LEGAL_GROUPS))
            + ") x age band x time in care",
        ),
        (
            "Moves or changes followed by another in the same month",
            f"{model.repeat_event_prob:.3f}",
        ),
        ("Scenario", scenario.name + (f": {scenario.description}" if scenario.description else "")),
        *step_downs,
    ]
    if model.empty_categories:
        # A warning only when a simulated child moves there (projection.moved_into_empty).
        empty = model.empty_in_words()
        rows.append(
            (
                "No child in the reference window",
                f"{empty[:1].upper()}{empty[1:]}: no children enter there in the forecast, "
                "and any moving in take rates pooled from other categories",
            )
        )
    exposure = model.exposure_months
    for name, rate in (
        ("exit", model.exit_mean),
        ("move to another category", model.move_mean),
        ("new placement in same category", model.change_mean),
    ):
        for c, cat in enumerate(CATEGORIES):
            w = exposure[c]
            if w.sum() <= 0:
                continue
            yearly = 12 * float((rate[c] * w).sum() / w.sum())
            label = vocabulary.category(cat)
            rows.append((f"Rate of {name}: {label} (per child per year)", f"{yearly:.3f}"))
    for lg, group in enumerate(LEGAL_GROUPS):
        w = exposure[:, lg]
        if w.sum() <= 0:
            continue
        for name, rate in (
            ("exit", model.exit_mean),
            ("legal-status change", model.legal_mean),
        ):
            yearly = 12 * float((rate[:, lg] * w).sum() / w.sum())
            label = vocabulary.legal_group(group).capitalize()
            rows.append((f"Rate of {name}: {label} (per child per year)", f"{yearly:.3f}"))
    return pd.DataFrame(rows, columns=["item", "value"])


def _shift_words(em: EntryModel) -> str:
    """The entry model's level shift in words (``none ...`` without one)."""
    levels = em.shift_levels
    if levels is None or em.shift_at is None:
        return "none (not supported by the data)"
    before, after, last = levels
    since = em.shift_at + pd.offsets.MonthEnd(1)
    change = f" ({after / before - 1:+.0%})" if before > 0 else ""
    return (
        f"from {since:%B %Y}: {before:.1f} entries a month observed in the year before, "
        f"{after:.1f} since{change}, {last:.1f} in the last 12 months"
    )


def _window_months(model: ForecastModel) -> int:
    """Months in the reference window (the last of the entry model's monthly counts)."""
    ends = pd.date_range(model.reference_start, model.reference_end, freq="ME")
    return max(len(ends) - int(len(ends) > 0 and ends[0] == model.reference_start), 1)


def comparison_table(base: pd.DataFrame, scen: pd.DataFrame, name: str) -> pd.DataFrame:
    """Base and scenario demand side by side, for category and age band ``all`` rows."""
    keep = ["month", "category", "age_band", "mean", "p10", "p90"]
    b = base[(base["age_band"] == "all")][keep].drop(columns="age_band")
    s = scen[(scen["age_band"] == "all")][keep].drop(columns="age_band")
    out = b.merge(s, on=["month", "category"], suffixes=("_base", "_scenario"))
    out.insert(2, "scenario", name)
    out["difference_mean"] = (out["mean_scenario"] - out["mean_base"]).round(2)
    return out
