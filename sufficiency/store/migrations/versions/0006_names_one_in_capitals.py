"""User and scenario names that differ only in capitals are one name, in the database too.

``add_user`` and ``save_scenario`` refused "JO" beside "jo" (and "base" beside "Base") by
looking first, so two saves at once could both look, find nothing and both be added. A
unique index on the name in lower case now refuses the second. A store that already holds
such a pair keeps the older row's name; each later one is renamed (a user ``jo-7``, a
scenario ``base (scenario 7)``, by its row's number) and the rename is recorded (the
audit trail; the scenario's history), so the upgrade never stops on it. SQLite's
``lower`` folds the letters A to Z only (user names are those letters; a scenario named
with accented capitals is still checked by ``save_scenario``); PostgreSQL's folds all.
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"

_WHY = "names that differ only in capitals are one name (upgrade 0006)"


def _later(conn: sa.Connection, table: str, column: str) -> list[tuple[int, str]]:
    """The rows of ``table`` whose ``column`` in lower case an older row has: (id, name)."""
    rows = conn.execute(
        sa.text(f"SELECT id, {column}, lower({column}) FROM {table} ORDER BY id")
    ).all()
    seen: set[str] = set()
    later = []
    for row_id, name, folded in rows:
        if folded in seen:
            later.append((int(row_id), str(name)))
        seen.add(folded)
    return later


#: Per table, its name column, how a later row is renamed and how the rename is recorded.
_RENAMES = (
    ("users", "username", "{name}-{id}",
     "INSERT INTO audit_events (at, username, action, detail) "
     "VALUES (:at, NULL, 'user_renamed', :detail)",
     "{name} renamed {new}: user " + _WHY),
    ("scenarios", "name", "{name} (scenario {id})",
     "INSERT INTO scenario_events (scenario_id, at, username, action, detail) "
     "VALUES (:id, :at, 'upgrade', 'changed', :detail)",
     "renamed from {name!r} to {new!r}: scenario " + _WHY),
)  # fmt: skip


def upgrade() -> None:
    conn = op.get_bind()
    now = dt.datetime.now(dt.UTC)
    for table, column, renamed, record, said in _RENAMES:
        for row_id, name in _later(conn, table, column):
            suffix = renamed.format(name="", id=row_id)
            new = renamed.format(name=name[: 200 - len(suffix)], id=row_id)
            conn.execute(sa.text(f"UPDATE {table} SET {column} = :new WHERE id = :id"),
                         {"new": new, "id": row_id})  # fmt: skip
            conn.execute(sa.text(record), {"id": row_id, "at": now,
                                           "detail": said.format(name=name, new=new)})  # fmt: skip
    op.create_index("uq_users_username_lower", "users", [sa.text("lower(username)")], unique=True)
    op.create_index("uq_scenarios_name_lower", "scenarios", [sa.text("lower(name)")], unique=True)


def downgrade() -> None:
    op.drop_index("uq_scenarios_name_lower", "scenarios")
    op.drop_index("uq_users_username_lower", "users")
