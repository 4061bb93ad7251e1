"""Initial run-store schema."""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("failure_reason", sa.Text),
        sa.Column("software_version", sa.String(40), nullable=False),
        sa.Column("config", sa.JSON, nullable=False),
        sa.Column("config_sha256", sa.String(64), nullable=False),
        sa.Column("inputs_sha256", sa.String(64)),
        sa.Column("solver_status", sa.String(40)),
        sa.Column("objective", sa.Float),
        sa.Column("gap", sa.Float),
        sa.Column("summary", sa.JSON),
        sa.Column("out_dir", sa.Text),
    )
    op.create_index("ix_runs_started_at", "runs", ["started_at"])
    op.create_table(
        "run_files",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("label", sa.String(300), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.Integer, nullable=False),
    )  # fmt: skip
    op.create_index("ix_run_files_run_id", "run_files", ["run_id"])
    op.create_table(
        "run_rows",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("table", sa.String(20), primary_key=True),
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("row_sha256", sa.String(64), nullable=False),
        sa.Column("vacancies", sa.Integer),
    )  # fmt: skip
    op.create_table(
        "run_outcomes",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("child_id", sa.String(100), primary_key=True),
        sa.Column("placement_id", sa.String(100)),
        sa.Column("reason", sa.Text),
        sa.Column("details", sa.JSON),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("run_outcomes")
    op.drop_table("run_rows")
    op.drop_index("ix_run_files_run_id", "run_files")
    op.drop_table("run_files")
    op.drop_index("ix_runs_started_at", "runs")
    op.drop_table("runs")
