"""Errors and warnings specific to the forecast."""

from __future__ import annotations

from sufficiency.errors import DataWarning, SufficiencyError


class ForecastError(SufficiencyError):
    """The forecast cannot run on this history or with these options (the message says why)."""


class ForecastWarning(DataWarning):
    """The forecast ran, but part of it rests on thin data; read the message before relying
    on the affected categories or dates."""
