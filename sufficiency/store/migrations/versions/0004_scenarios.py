"""Saved scenarios of the web application, their history and their runs."""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def _scenario_id() -> sa.Column:  # type: ignore[type-arg]
    """The scenario a row belongs to (its history and runs go with it)."""
    return sa.Column(
        "scenario_id", sa.Integer, sa.ForeignKey("scenarios.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("definition", sa.JSON, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(200), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "scenario_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _scenario_id(),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(200), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("detail", sa.Text),
    )
    op.create_index("ix_scenario_events_scenario_id", "scenario_events", ["scenario_id"])
    op.create_table(
        "scenario_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _scenario_id(),
        sa.Column("forecast_run_id", sa.Integer, nullable=False),
        sa.Column("definition", sa.JSON, nullable=False),
        sa.Column("started_by", sa.String(200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("failure_reason", sa.Text),
        sa.Column("host", sa.String(200)),
        sa.Column("pid", sa.Integer),
        sa.Column("results", sa.JSON),
    )
    op.create_index("ix_scenario_runs_scenario_id", "scenario_runs", ["scenario_id"])


def downgrade() -> None:
    op.drop_table("scenario_runs")
    op.drop_table("scenario_events")
    op.drop_table("scenarios")
