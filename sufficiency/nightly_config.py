"""The configuration's ``[nightly]``: the scheduled pipeline's inputs, outputs, lock, log
and run store. The section's model lives here rather than in ``config.py`` (at its size
limit), as ``[retention]``'s does in ``retention_config.py``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sufficiency.io import tomlfile


class NightlyParams(BaseModel):
    """The scheduled pipeline (``sufficiency nightly``); paths relative to the config file,
    and "" for "not set"."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    _not_true_or_false = field_validator("*", mode="before")(tomlfile.not_true_or_false)

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
    #: Earlier nights' logs kept beside ``log_file`` (``nightly.log.1`` the night before,
    #: up to ``nightly.log.N``); each night starts a new file. 0: one file, appended to
    #: for ever (for a server's logrotate).
    log_keep: int = Field(default=30, ge=0)
    pseudonymise: bool = False
    pseudonym_key_file: str = ""
    strict: bool = False

    @field_validator("jobs")
    @classmethod
    def _jobs_once_each(cls, jobs: tuple[str, ...]) -> tuple[str, ...]:
        if not jobs:
            raise ValueError("name at least one job: validate, match, forecast or spend")
        if twice := sorted({j for j in jobs if jobs.count(j) > 1}):
            raise ValueError(f"{', '.join(twice)} is listed more than once; list each job once")
        return jobs
