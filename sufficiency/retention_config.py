"""The configuration's ``[retention]``: how long the run store keeps what it records about
children (UK GDPR storage limitation). Ages are ``90d``, ``12w``, ``6m`` (30-day months)
or ``1y``. The section's model lives here rather than in ``config.py`` (at its size
limit); the periods are applied to the store by :mod:`sufficiency.store.retention`, after
each night and by ``sufficiency runs prune --config FILE``."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict, field_validator

AGE = re.compile(r"\s*(\d+)\s*([dwmy])\s*")


def age_days(text: str) -> int | None:
    """``90d`` -> 90, ``1y`` -> 365; ``None`` for text that is not an age."""
    m = AGE.fullmatch(text.lower())
    return int(m.group(1)) * {"d": 1, "w": 7, "m": 30, "y": 365}[m.group(2)] if m else None


def as_age(text: str) -> dt.timedelta | None:
    """An age as a duration; ``None`` for "" (not set)."""
    days = age_days(text) if text else None
    return dt.timedelta(days=days) if days is not None else None


class RetentionParams(BaseModel):
    """Ages past which ``runs prune --config`` deletes each kind of record; "" = kept
    until deleted by hand. What the tool still uses is kept however old."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    runs: str = ""
    audit: str = ""
    decisions: str = ""  # counted from the day a decision ended (withdrawn or expired)
    scenario_runs: str = ""

    @field_validator("runs", "audit", "decisions", "scenario_runs", mode="before")
    @classmethod
    def _an_age(cls, value: object) -> str:
        if isinstance(value, bool):  # not "Trued" for days
            raise ValueError(f'write the age as text with its unit, e.g. "90d", not {value}')
        if not isinstance(value, str):
            raise ValueError(f'write the age as text with its unit, e.g. "{value}d" for days')
        if value.strip() and age_days(value) is None:
            raise ValueError(
                f"cannot read age {value!r}: use a number and d, w, m or y, e.g. 90d or 1y, "
                'or "" to keep until deleted by hand'
            )
        return value.strip()
