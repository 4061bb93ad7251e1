"""Tables of the run store (SQLAlchemy 2.0). Changes need an Alembic migration."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Run(Base):
    """One run of a job (match, forecast, spend, nightly)."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20))  # running / succeeded / failed
    failure_reason: Mapped[str | None] = mapped_column(Text)
    software_version: Mapped[str] = mapped_column(String(40))
    config: Mapped[dict[str, Any]] = mapped_column(JSON)
    config_sha256: Mapped[str] = mapped_column(String(64))
    inputs_sha256: Mapped[str | None] = mapped_column(String(64))
    solver_status: Mapped[str | None] = mapped_column(String(40))
    objective: Mapped[float | None] = mapped_column(Float)
    gap: Mapped[float | None] = mapped_column(Float)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    out_dir: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_runs_started_at", "started_at"),)


class RunFile(Base):
    """An input or output file of a run, with its SHA-256."""

    __tablename__ = "run_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10))  # input / output
    label: Mapped[str] = mapped_column(String(300))
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)


class RunRow(Base):
    """Fingerprint of one input row (a referral or a placement), for diffs between runs."""

    __tablename__ = "run_rows"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    table: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    row_sha256: Mapped[str] = mapped_column(String(64))
    vacancies: Mapped[int | None] = mapped_column(Integer)


class Outcome(Base):
    """A child's outcome in a matching run: proposed placement or unplaced with reason."""

    __tablename__ = "run_outcomes"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    child_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    placement_id: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class RunDecision(Base):
    """A placement-team decision read by a matching run, and what the run did with it."""

    __tablename__ = "run_decisions"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    child_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    placement_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    decision: Mapped[str] = mapped_column(String(10))  # pin / exclude
    status: Mapped[str] = mapped_column(String(10))  # applied / ignored / refused
    note: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    until: Mapped[dt.date | None] = mapped_column(Date)


class User(Base):
    """An account of the web application (``sufficiency users add``)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))  # placement / commissioner / finance / admin
    password_hash: Mapped[str | None] = mapped_column(Text)  # Argon2id; None: OpenID only
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    #: The 30-second step of the last code accepted: a code of that step or an earlier
    #: one is refused, so a code cannot be used twice (migration 0005).
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: Raised at sign-out: sessions signed with an older number are refused.
    session_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


#: "JO" beside "jo": one name (migration 0006), so two accounts added at once cannot both be.
Index("uq_users_username_lower", func.lower(User.username), unique=True)


class AuditEvent(Base):
    """Who did what, when: sign-ins, views of a child's page, decisions, downloads."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    username: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    child_id: Mapped[str | None] = mapped_column(String(100), index=True)
    run_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(Text)


class TeamDecision(Base):
    """A pin or exclusion made in the web application, read by the next matching run."""

    __tablename__ = "team_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    child_id: Mapped[str] = mapped_column(String(100), index=True)
    placement_id: Mapped[str] = mapped_column(String(100))
    decision: Mapped[str] = mapped_column(String(10))  # pin / exclude
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    until: Mapped[dt.date | None] = mapped_column(Date)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by: Mapped[str | None] = mapped_column(String(200))


class Setting(Base):
    """A named value the application keeps in the store (the session-signing key)."""

    __tablename__ = "settings"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SavedScenario(Base):
    """A scenario saved in the web application, shared by everyone in the authority."""

    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    #: The :class:`~sufficiency.forecast.scenario.Scenario` as its TOML keys.
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    changed_by: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


#: "base" beside "Base": one name (migration 0006).
Index("uq_scenarios_name_lower", func.lower(SavedScenario.name), unique=True)


class ScenarioEvent(Base):
    """One line of a saved scenario's history: who created, changed or ran it, when."""

    __tablename__ = "scenario_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    username: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))  # created / changed / ran / run failed
    detail: Mapped[str | None] = mapped_column(Text)


class ScenarioRun(Base):
    """A run of a saved scenario on a forecast run's history and settings, and its figures."""

    __tablename__ = "scenario_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), index=True
    )
    forecast_run_id: Mapped[int] = mapped_column(Integer)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    started_by: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20))  # running / succeeded / failed
    failure_reason: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(200))
    pid: Mapped[int | None] = mapped_column(Integer)
    #: Aggregate tables only (no child is named): see :mod:`sufficiency.web.scenario_run`.
    results: Mapped[dict[str, Any] | None] = mapped_column(JSON)
