"""A store written by an older version: a new store upgraded to an earlier revision, to
write rows as that version wrote them, then opened (and so upgraded) by this one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, create_engine

import sufficiency.store.store as module


@contextmanager
def at_revision(url: str, revision: str) -> Iterator[Connection]:
    """A new store at ``url`` upgraded to ``revision``: a connection, in one transaction,
    to write its rows with."""
    if url.startswith("sqlite"):
        Path(url.split(":///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(module.__file__).parent / "migrations"))
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            yield conn
    finally:
        engine.dispose()
