"""Bring a run store's schema up to date with Alembic, safely.

The whole upgrade is one transaction, so a store whose upgrade is stopped part-way
(the process killed, a statement refused) is left at its old revision, not half
upgraded. Processes that open an old store at once (the nightly job and the web
server after an upgrade) take turns: the first upgrades it, the others wait, then find
it up to date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError, ProgrammingError
from sqlalchemy.pool import NullPool

from sufficiency.errors import StoreError

#: The newest migration in migrations/versions (a test keeps this in step).
HEAD_REVISION = "0006"
# any fixed number: PostgreSQL's lock for "this database's schema is being upgraded"
_PG_LOCK = 0x5AFC1E
_ENV = "SUFFICIENCY_STORE"


def revision(engine: Engine) -> str | None:
    """The store's schema revision, or ``None`` if it has none (empty, or not a store)."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (DatabaseError, OperationalError, ProgrammingError):
        return None


def _sqlite_engine(url: str, on_connect: Any) -> Engine:
    """An engine whose transactions hold DDL too. Python's sqlite3 driver commits each
    CREATE TABLE on its own; here it leaves transactions to us, and each begins with
    BEGIN IMMEDIATE, so a second process waits (busy timeout) until the first is done."""
    engine = create_engine(url, hide_parameters=True, poolclass=NullPool)

    def connect(dbapi_conn: Any, record: Any) -> None:
        on_connect(dbapi_conn, record)
        dbapi_conn.isolation_level = None

    event.listen(engine, "connect", connect)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    return engine


def _upgrade(conn: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


def migrate(engine: Engine, url: str, safe_url: str, sqlite_on_connect: Any = None) -> None:
    """Upgrade the store at ``url`` to :data:`HEAD_REVISION` (nothing if it is there)."""
    # Alembic is slow to import; a store already at the latest schema does not need it.
    before = revision(engine)
    if before == HEAD_REVISION:
        return
    from alembic.util.exc import CommandError

    # an in-memory database is one connection's own: nothing to share or leave half done
    sqlite = url.startswith("sqlite") and engine.url.database not in (None, "", ":memory:")
    work = _sqlite_engine(url, sqlite_on_connect or (lambda *_: None)) if sqlite else engine
    try:
        with work.begin() as conn:
            _upgrade(conn)
    except CommandError:
        raise StoreError(
            f"run store {safe_url} was written by a newer version of sufficiency "
            f"(its schema is past revision {HEAD_REVISION}); upgrade sufficiency, or use "
            f"another store with --store or ${_ENV}"
        ) from None
    except (DatabaseError, OperationalError) as exc:
        reason = str(exc.orig) if getattr(exc, "orig", None) else str(exc)
        reason = reason.strip().splitlines()[0]
        if before is None:
            raise StoreError(
                f"run store {safe_url} cannot be used: {reason} "
                "(is it a sufficiency run-store database?)"
            ) from None
        raise StoreError(
            f"run store {safe_url} could not be upgraded from schema revision {before} to "
            f"{HEAD_REVISION} ({reason}); nothing was changed: it is still at revision "
            f"{before}, as the previous version left it. Correct the cause and run the "
            "command again (docs/operations.md, 'Upgrading sufficiency')"
        ) from None
    finally:
        if sqlite:
            work.dispose()
