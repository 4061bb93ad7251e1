"""The placement team's decisions recorded with each matching run."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "run_decisions",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("child_id", sa.String(100), primary_key=True),
        sa.Column("placement_id", sa.String(100), primary_key=True),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("reason", sa.Text),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("decided_on", sa.Date),
        sa.Column("until", sa.Date),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("run_decisions")
