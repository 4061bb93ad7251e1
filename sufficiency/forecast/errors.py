"""Errors and warnings specific to the forecast."""

from __future__ import annotations

import contextlib
import datetime as dt
import warnings
from collections.abc import Iterable, Iterator

import pandas as pd

from sufficiency.errors import DataWarning, SufficiencyError
from sufficiency.figures import day as said_day


class ForecastError(SufficiencyError):
    """The forecast cannot run on this history or with these options (the message says why)."""


class ForecastWarning(DataWarning):
    """The forecast ran, but part of it rests on thin data; read the message before relying
    on the affected categories or dates."""


@contextlib.contextmanager
def notes_kept(
    notes: list[str],
    *,
    say: bool = True,
    only: type[Warning] = Warning,
    keep: type[Warning] = ForecastWarning,
) -> Iterator[None]:
    """Collect the :class:`ForecastWarning` sentences (or those of the kind ``keep``) given
    inside the block into ``notes`` (each once, in order), for a report's readers who never
    see the console; every warning (of the kind ``only``) is still given to the caller
    afterwards (``say=False``: none is)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            found = list(caught)
    for w in found:
        if issubclass(w.category, keep) and str(w.message) not in notes:
            notes.append(str(w.message))
        if say and issubclass(w.category, only):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def history_old_opening(start: dt.date) -> str:
    """How a sentence saying a forecast's history is old begins (this module's, and the
    spend projection's of a financial year already over), so a page can tell whether a
    run's notes say it already (:func:`history_said_old`). The day is said as people read
    it (``31 March 2026``), as every other sentence of the outputs says one."""
    return f"The forecast starts on {said_day(start)} "


def history_said_old(notes: Iterable[str], start: dt.date) -> bool:
    """Whether ``notes`` already say that the forecast starting on ``start`` rests on an
    old history (a run recorded before it said the day ``31/03/2026`` too)."""
    said = (history_old_opening(start), f"The forecast starts on {start:%d/%m/%Y} ")
    return any(n.startswith(said) for n in notes)


def history_over_a_year_old(
    start: dt.date,
    run_date: dt.date,
    history_end: dt.date | None = None,
    *,
    viewed: bool = False,
) -> str | None:
    """A sentence when the forecast starts (the history ends) more than a year before the
    run date: a scheduled job left on last year's 903 return forecasts months that are
    already past, and its count "now" is the history's end, with no word otherwise.
    ``viewed``: ``run_date`` is the day a page shows the forecast ("today").
    ``history_end``: the last day the history loaded covers, when known: a start before
    it (an early ``--start``) is said as asked for, and the latest return is asked for
    only if the history too ends more than a year before (the sentence said "load the
    latest 903 return" to a run with the latest return loaded)."""
    start = pd.Timestamp(start).date()
    if run_date <= (pd.Timestamp(start) + pd.DateOffset(years=1)).date():
        return None
    past = pd.date_range(start + dt.timedelta(days=1), run_date, freq="ME")[-1]
    day = f"today ({said_day(run_date)})" if viewed else f"the run date {said_day(run_date)}"
    said = (
        f"more than a year before {day}: the children looked "
        f"after 'now' are those on {said_day(start)}, and the forecast's months to "
        f"{said_day(past.date())} are already past, forecast rather than counted; "
    )
    end = None if history_end is None else pd.Timestamp(history_end).date()
    if end is None or end <= start:
        return (
            f"{history_old_opening(start)}(the 903 history's last day used), {said}load the "
            "latest 903 return."
        )
    advice = f"start it at the end of the history (the default, {said_day(end)})"
    if run_date > (pd.Timestamp(end) + pd.DateOffset(years=1)).date():
        advice += ", and load the latest 903 return: the history too ends more than a year before"
    return (
        f"{history_old_opening(start)}(the start date asked for; the 903 history loaded runs "
        f"to {said_day(end)}), {said}{advice}."
    )
