"""The spend job as one library call: forecast the history, price it, compare with the budget."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from sufficiency import figures, vocabulary
from sufficiency.config import FinanceParams
from sufficiency.errors import notes_said_not_raised
from sufficiency.finance.closed_year import (
    closed_without_budget,
    closed_words,
    price_year,
    prices_words,
)
from sufficiency.finance.months_to_date import months_words
from sufficiency.finance.outturn import outturn_headline, whole_year_words
from sufficiency.finance.part_year import part_year_words
from sufficiency.finance.projection import UnitCosts
from sufficiency.finance.report import spend_report
from sufficiency.finance.workbook import SpendReport
from sufficiency.forecast import ForecastParams, Scenario, forecast_history, notes_kept
from sufficiency.io.atomic import out_folder
from sufficiency.io.quality import DataQuality
from sufficiency.io.ssda903 import SSDA903History
from sufficiency.results import BriefRepr, Delegated


@dataclass(frozen=True)
class YearSpend:
    """Projected spend on every cost line in one financial year.

    Attributes
    ----------
    financial_year
        Such as ``"2026-27"``.
    mean, p10, p90
        Mean and the 10th and 90th percentiles of the year's total, GBP.
    months
        Forecast months in the year (fewer than 12 at the ends of the horizon).
    """

    financial_year: str
    mean: float
    p10: float
    p90: float
    months: int


@dataclass(frozen=True, eq=False, repr=False)
class SpendResult(BriefRepr):
    """A spend projection: the tables finance reads, the headline, and the writer.

    Attributes
    ----------
    report
        Every table and assumption (:class:`~sufficiency.finance.workbook.SpendReport`).
    run_date
        Run date shown in the outputs.
    monthly
        Spend per month and cost line with P10/P50/P90 (``spend.csv``).
    quarterly
        Spend per quarter and cost line (``spend_quarterly.csv``).
    yearly
        Spend per financial year and cost line (``spend_years.csv``).
    budget
        Projection against the budget (``budget_comparison.csv``), ``None`` without one.
    scenario_comparison
        Base against scenario (``scenario_comparison.csv``), ``None`` without a scenario.
    scenario_budget
        The scenario against the budget, as ``budget`` is the base case (an in-year
        outturn the same spend to date plus the scenario's months), in
        ``scenario_budget_comparison.csv``; ``None`` without a scenario or a budget.
    quality
        What was repaired or set aside in the 903 history.
    notes
        Every warning the run gave, in sentences (the forecast's, a budget or cost row
        set aside, a doubted budget, a budget year set aside), as the workbook's
        Assumptions sheet says them.
    """

    report: SpendReport
    run_date: dt.date

    monthly = Delegated[pd.DataFrame]("report.monthly")
    quarterly = Delegated[pd.DataFrame]("report.quarterly")
    yearly = Delegated[pd.DataFrame]("report.yearly")
    budget = Delegated[pd.DataFrame | None]("report.budget")
    scenario_comparison = Delegated[pd.DataFrame | None]("report.comparison")
    scenario_budget = Delegated[pd.DataFrame | None]("report.scenario_budget")
    quality = Delegated[DataQuality | None]("report.quality")
    notes = Delegated[tuple[str, ...]]("report.notes")

    @property
    def years(self) -> tuple[YearSpend, ...]:
        """Total spend per financial year (cost line ``all``), in order."""
        rows = self.yearly[self.yearly["cost_line"] == "all"]
        return tuple(
            YearSpend(str(r.financial_year), float(r.mean), float(r.p10), float(r.p90),
                      int(r.months))
            for r in rows.itertuples()
        )  # fmt: skip

    @property
    def headline(self) -> str:
        """The first two financial years' totals in one sentence (no final full stop).

        With a scenario, the base case is labelled as such and the scenario's means and
        their difference from the base follow.
        """
        money = figures.money
        parts = [self._year_words(y) for y in self.years[:2]]
        comparison = self.scenario_comparison
        scenario = self.report.scenario
        outturn = outturn_headline(self.budget, "Base case: " if scenario is not None else "")
        if scenario is not None:  # its outturn: the same spend to date, its own months after
            sb = self.report.scenario_budget
            outturn += outturn_headline(sb, f"Scenario '{scenario.scenario}': ")
        past, first = self.report.to_date, self.report.base.financial_year_start_month
        if past is not None and closed_without_budget(past, self.budget, first):
            outturn += ". " + closed_words(past, price_year(self.report.base))  # budget missing
        if self.report.changes is not None:
            outturn += ". " + self.report.changes.sentence
        prices = prices_words(self.report.base)  # which year's prices, said
        outturn += f". {prices[0].upper()}{prices[1:]}"
        if comparison is None or scenario is None:
            return "Projected placement spend " + "; ".join(parts) + outturn
        rows = comparison[comparison["cost_line"] == "all"].set_index("financial_year")
        scen = []
        past = self.report.to_date
        for y in self.years[:2]:
            mean, diff = (float(rows.loc[y.financial_year, k])
                          for k in ("scenario_mean", "difference"))  # fmt: skip
            # a year the forecast starts inside: its outturn, the same spend to date as the
            # base's (its forecast months alone, £16.9m, stood beside the base's £68.4m)
            year = f"{y.financial_year}: "
            if past is not None and past.financial_year == y.financial_year:
                year, mean = f"{y.financial_year} outturn ", mean + past.total_gbp
            scen.append(f"{year}{money(mean)} (difference from base "
                        f"{figures.signed_money(diff)})")  # fmt: skip
        return ("Projected placement spend, base case: " + "; ".join(parts)
                + f". Scenario '{scenario.scenario}': " + "; ".join(scen) + outturn)  # fmt: skip

    def _year_words(self, y: YearSpend) -> str:
        """A year's spend for the headline: a year the forecast starts inside as its
        outturn first, the months to date from the history and the forecast months each
        labelled (its forecast months alone, first, read as the year's spend)."""
        money = figures.money
        past = self.report.to_date
        done = past.total_gbp if past is not None else 0.0
        if past is None or past.financial_year != y.financial_year:
            proj = self.report.base  # a year covered in part names its months
            part = part_year_words(proj.months, y.financial_year, proj.financial_year_start_month)
            counted = vocabulary.counted(y.months, "month")
            return (f"{y.financial_year}{', ' + part if part else ''}: {money(y.mean)} (P10 "
                    f"{money(y.p10, like=y.p90)}, P90 {money(y.p90, like=y.p10)}"
                    f"{'' if part else ', ' + counted}"
                    f"{whole_year_words(self.budget, y.financial_year)})")  # fmt: skip
        lo, hi = done + y.p10, done + y.p90
        return (f"{y.financial_year} outturn {money(done + y.mean)} (P10 {money(lo, like=hi)}, "
                f"P90 {money(hi, like=lo)}): {money(done)} to date, estimated from the 903 "
                f"history ({months_words(past.first_day, past.last_day)}), + {money(y.mean)} "
                f"forecast for the {vocabulary.counted(y.months, 'month')} left")  # fmt: skip

    def since(self, previous: Path | str, finance: FinanceParams) -> SpendResult:
        """This result with the current financial year's months set beside an earlier run's,
        from its ``--out`` folder (:mod:`sufficiency.finance.previous`): the
        Change since previous sheet, ``change_since_previous.csv`` and a sentence ending
        :attr:`headline` say how the year's spend moved, and why. ``finance`` is the
        configuration this run priced with (its financial year and uplift date)."""
        from sufficiency.finance.months_to_date import months_table
        from sufficiency.finance.previous import changes_since

        r = self.report
        past = months_table(r.to_date, r.base.cost_lines) if r.to_date is not None else None
        changes = changes_since(previous, r.monthly, past, finance)
        return replace(self, report=replace(r, changes=changes))

    @notes_said_not_raised
    def write(self, out_dir: Path | str) -> list[Path]:
        """Write spend.csv and companions, spend.xlsx and data_quality.csv into ``out_dir``.

        Returns
        -------
        list of Path
            The files written (each atomically).
        """
        from sufficiency.finance.writers import write_spend_outputs

        return write_spend_outputs(self.report, out_folder(out_dir), self.run_date)


def run_spend(
    history: SSDA903History | Path | str,
    forecast: ForecastParams,
    finance: FinanceParams,
    *,
    costs: UnitCosts,
    run_date: dt.date,
    actual_weekly_gbp: float | None = None,
    budget: pd.DataFrame | None = None,
    budget_source: str = "budget file",
    scenario: Scenario | None = None,
    start: pd.Timestamp | None = None,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
    stages: Callable[[str], None] | None = None,
    read_notes: Sequence[str] = (),
) -> SpendResult:
    """Forecast the history (and a scenario) from one fit, price it, compare with the budget.

    ``progress`` is told each simulated month, ``stages`` each stage as it starts;
    ``read_notes`` (what reading the budget set aside) join the forecast's warnings under
    "Read with care". A budget year the forecast covers only in part, or not at all, is
    set aside with a warning.
    """
    notes: list[str] = list(read_notes)
    with notes_kept(notes):  # the model's warnings, said and kept for the workbook's readers
        run = forecast_history(history, forecast, start, scenario, progress, strict=strict,
                               stages=stages)  # fmt: skip
    if run.fitted.quality is not None:
        notes[:0] = run.fitted.quality.cautions()
    if stages is not None:
        stages("Pricing the forecast" + (" against the budget" if budget is not None else ""))
    report = spend_report(run.base, finance, costs=costs, run_date=run_date,
                          actual_weekly_gbp=actual_weekly_gbp, budget=budget,
                          budget_source=budget_source, scenario=run.scenario,
                          quality=run.fitted.quality, notes=notes,
                          care=run.fitted.care)  # fmt: skip
    return SpendResult(report, run_date)
