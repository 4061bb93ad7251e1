"""Errors and warnings specific to the forecast."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator

from sufficiency.errors import DataWarning, SufficiencyError


class ForecastError(SufficiencyError):
    """The forecast cannot run on this history or with these options (the message says why)."""


class ForecastWarning(DataWarning):
    """The forecast ran, but part of it rests on thin data; read the message before relying
    on the affected categories or dates."""


@contextlib.contextmanager
def notes_kept(
    notes: list[str], *, say: bool = True, only: type[Warning] = Warning
) -> Iterator[None]:
    """Collect the :class:`ForecastWarning` sentences given inside the block into
    ``notes`` (each once, in order), for a report's readers who never see the console;
    every warning (of the kind ``only``) is still given to the caller afterwards
    (``say=False``: none is)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            found = list(caught)
    for w in found:
        if issubclass(w.category, ForecastWarning) and str(w.message) not in notes:
            notes.append(str(w.message))
        if say and issubclass(w.category, only):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
