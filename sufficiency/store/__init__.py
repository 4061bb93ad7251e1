"""Run history: every run of match, forecast and spend, in SQLite or any SQLAlchemy URL.

Names are imported lazily so that loading the CLI does not pay for SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sufficiency.store.store import DiffRow, RunStore, default_store_url, parse_age

__all__ = ["DiffRow", "RunStore", "default_store_url", "parse_age"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from sufficiency.store import store

        return getattr(store, name)
    raise AttributeError(name)
